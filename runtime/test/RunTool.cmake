# Runs a tool and checks its exit status and output, for tests of command
# line tools that must fail cleanly (ctest alone cannot check both).
#   cmake -DTOOL=<exe> -DARGS=<args separated by ^> [-DENVIRONMENT=N=V]
#         -DEXPECT_RC=<status> -DEXPECT=<regex> -P RunTool.cmake
string(REPLACE "^" ";" args "${ARGS}")
set(env_command)
if(ENVIRONMENT)
  set(env_command ${CMAKE_COMMAND} -E env ${ENVIRONMENT})
endif()
execute_process(COMMAND ${env_command} ${TOOL} ${args}
  RESULT_VARIABLE rc OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT rc STREQUAL EXPECT_RC)
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECT_RC}; output:\n"
    "${output}")
endif()
if(NOT output MATCHES "${EXPECT}")
  message(FATAL_ERROR "output does not match '${EXPECT}':\n${output}")
endif()
message(STATUS "exit status ${rc} and output as expected:\n${output}")
