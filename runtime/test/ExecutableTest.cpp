//===- ExecutableTest.cpp - Loading, launching and capturing, faked -------===//

#include "MirageRuntime/Executable.h"

#include "FakeDriver.h"
#include "TestUtil.h"

using namespace mirage::rt;
using namespace mirage::rt::test;

namespace {

class ExecutableTest : public ::testing::Test {
protected:
  void SetUp() override {
    driver.kernelParams = {{"triple_kernel0", 2}, {"triple_kernel1", 3}};
  }

  Bundle load(const std::string &manifest) {
    Expected<Bundle> bundle =
        loadBundleFromText(manifest, triplePtx(), "triple.json");
    EXPECT_TRUE(static_cast<bool>(bundle)) << bundle.message();
    return bundle ? *bundle : Bundle();
  }

  std::unique_ptr<Executable> create(const std::string &manifest) {
    Expected<std::unique_ptr<Executable>> exe =
        Executable::create(load(manifest), driver);
    EXPECT_TRUE(static_cast<bool>(exe)) << exe.message();
    return exe ? std::move(*exe) : nullptr;
  }

  std::string createError(const std::string &manifest) {
    Expected<std::unique_ptr<Executable>> exe =
        Executable::create(load(manifest), driver);
    return exe ? std::string() : exe.message();
  }

  /// A [2, 3] f32 tensor in fresh device memory.
  TensorArg tensor() {
    TensorArg t;
    t.data = driver.addDeviceMemory(24, 0);
    t.dtype = DType::F32;
    t.shape = {2, 3};
    return t;
  }

  FakeDriver driver;
  CUstream stream = reinterpret_cast<CUstream>(uintptr_t(0x5));
};

TEST_F(ExecutableTest, LoadsThePtxAndResolvesEveryKernel) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  EXPECT_EQ(driver.loadedImage, triplePtx());
  EXPECT_EQ(driver.count("cuModuleGetFunction"), 2);
  EXPECT_EQ(exe->getDeviceDescription(), "Fake GPU (sm_90)");
  // No kernel needs more than 48 KiB: no attribute is raised.
  EXPECT_TRUE(driver.attributes.empty());
}

TEST_F(ExecutableTest, AllocatesAndFreesTheWorkspace) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  CUdeviceptr ws = exe->getWorkspace();
  ASSERT_NE(ws, 0u);
  ASSERT_EQ(driver.memory.count(ws), 1u);
  EXPECT_EQ(driver.memory[ws].bytes.size(), 256u);
  exe.reset();
  EXPECT_EQ(driver.memory.count(ws), 0u);
  EXPECT_FALSE(driver.moduleLoaded);
}

TEST_F(ExecutableTest, NoWorkspaceAllocationWhenZeroBytes) {
  // Drop the workspace: kernel 0 writes the output, kernel 1 reads it.
  std::string manifest = replaceOnce(
      tripleManifest(), "\"workspace_bytes\": 256", "\"workspace_bytes\": 0");
  manifest = replaceOnce(manifest, "{\"buffer\": \"workspace\",",
                         "{\"buffer\": \"output\", \"index\": 0,");
  manifest = replaceOnce(manifest, "{\"buffer\": \"workspace\",",
                         "{\"buffer\": \"output\", \"index\": 0,");
  auto exe = create(manifest);
  ASSERT_TRUE(exe);
  EXPECT_EQ(exe->getWorkspace(), 0u);
  EXPECT_EQ(driver.count("cuMemAlloc"), 0);
}

TEST_F(ExecutableTest, LaunchesInOrderWithPointerParameters) {
  std::string manifest = replaceOnce(tripleManifest(), "\"grid\": [1, 1, 1]",
                                     "\"grid\": [4, 2, 1]");
  // Kernel 1 reads the workspace 8 bytes in.
  manifest = replaceOnce(manifest,
                         "{\"buffer\": \"workspace\", \"offset_bytes\": 0,\n"
                         "         \"shape\": [2, 3], \"dtype\": \"f32\", "
                         "\"strides\": [3, 1]},\n        {\"buffer\": "
                         "\"input\"",
                         "{\"buffer\": \"workspace\", \"offset_bytes\": 8,\n"
                         "         \"shape\": [2, 3], \"dtype\": \"f32\", "
                         "\"strides\": [3, 1]},\n        {\"buffer\": "
                         "\"input\"");
  auto exe = create(manifest);
  ASSERT_TRUE(exe);
  TensorArg x = tensor(), y = tensor();
  Status s = exe->run({x}, {y}, stream);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(driver.launches.size(), 2u);
  const FakeDriver::Launch &k0 = driver.launches[0], &k1 = driver.launches[1];
  EXPECT_EQ(k0.kernel, "triple_kernel0");
  EXPECT_EQ(k0.grid, (std::array<unsigned, 3>{4, 2, 1}));
  EXPECT_EQ(k0.block, (std::array<unsigned, 3>{32, 1, 1}));
  EXPECT_EQ(k0.sharedMemBytes, 0u);
  EXPECT_EQ(k0.stream, stream);
  EXPECT_EQ(k0.params, (std::vector<CUdeviceptr>{x.data, exe->getWorkspace()}));
  EXPECT_EQ(k1.kernel, "triple_kernel1");
  EXPECT_EQ(k1.grid, (std::array<unsigned, 3>{1, 1, 1}));
  EXPECT_EQ(k1.params, (std::vector<CUdeviceptr>{exe->getWorkspace() + 8,
                                                 x.data, y.data}));
  // Launching is asynchronous: nothing waits.
  EXPECT_EQ(driver.count("cuStreamSynchronize"), 0);
}

TEST_F(ExecutableTest, PassesAndOptsInToDynamicSharedMemory) {
  std::string manifest =
      replaceOnce(tripleManifest(), "\"dynamic_shared_memory_bytes\": 0",
                  "\"dynamic_shared_memory_bytes\": 49152");
  manifest = replaceOnce(manifest, "\"dynamic_shared_memory_bytes\": 0",
                         "\"dynamic_shared_memory_bytes\": 100000");
  auto exe = create(manifest);
  ASSERT_TRUE(exe);
  // 48 KiB exactly needs no opt-in; above it does.
  ASSERT_EQ(driver.attributes.size(), 1u);
  EXPECT_EQ(std::get<0>(driver.attributes[0]), "triple_kernel1");
  EXPECT_EQ(std::get<1>(driver.attributes[0]),
            CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES);
  EXPECT_EQ(std::get<2>(driver.attributes[0]), 100000);
  TensorArg x = tensor(), y = tensor();
  ASSERT_TRUE(exe->run({x}, {y}, stream).ok());
  EXPECT_EQ(driver.launches[0].sharedMemBytes, 49152u);
  EXPECT_EQ(driver.launches[1].sharedMemBytes, 100000u);
}

TEST_F(ExecutableTest, RejectsSharedMemoryBeyondTheDevice) {
  driver.functionStaticShared = 1024;
  std::string manifest =
      replaceOnce(tripleManifest(), "\"dynamic_shared_memory_bytes\": 0",
                  "\"dynamic_shared_memory_bytes\": 232000");
  EXPECT_EQ(createError(manifest),
            "kernels[0] (triple_kernel0): needs 232000 bytes of dynamic and "
            "1024 of static shared memory; Fake GPU (sm_90) allows 232448 "
            "per block");
}

TEST_F(ExecutableTest, RejectsBlocksLargerThanTheKernelAllows) {
  driver.functionMaxThreads = 16;
  driver.functionRegisters = 255;
  EXPECT_EQ(createError(tripleManifest()),
            "kernels[0] (triple_kernel0): launched with 32 threads per "
            "block, but with 255 registers per thread it can run at most 16");
}

TEST_F(ExecutableTest, RejectsOlderDevices) {
  driver.computeCapability = 80;
  EXPECT_EQ(createError(tripleManifest()),
            "the bundle is compiled for sm_90 but device 0 is Fake GPU "
            "(sm_80)");
}

TEST_F(ExecutableTest, ReportsNoDevice) {
  driver.failures["cuInit"] = CUDA_ERROR_NO_DEVICE;
  EXPECT_EQ(createError(tripleManifest()),
            "no CUDA device: cuInit reports CUDA_ERROR_NO_DEVICE (no "
            "CUDA-capable device is detected)");
}

TEST_F(ExecutableTest, ReportsTheJitLog) {
  driver.failures["cuModuleLoadDataEx"] = CUDA_ERROR_INVALID_PTX;
  driver.jitLog = "ptxas fatal: Unresolved extern function 'foo'";
  EXPECT_EQ(createError(tripleManifest()),
            "loading triple.ptx: CUDA_ERROR_INVALID_PTX (a PTX JIT "
            "compilation failed)\nptxas fatal: Unresolved extern function "
            "'foo'");
}

TEST_F(ExecutableTest, RetainsThePrimaryContextWithoutACurrentOne) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  EXPECT_EQ(driver.primaryRetains, 1);
  EXPECT_EQ(driver.currentContext, exe->getContext());
  exe.reset();
  EXPECT_EQ(driver.primaryReleases, 1);
}

TEST_F(ExecutableTest, SharesTheCurrentContext) {
  // As when PyTorch has made its context current.
  CUcontext torchContext = reinterpret_cast<CUcontext>(uintptr_t(0x77));
  driver.currentContext = torchContext;
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  EXPECT_EQ(exe->getContext(), torchContext);
  EXPECT_EQ(driver.primaryRetains, 0);
  exe.reset();
  EXPECT_EQ(driver.primaryReleases, 0);
}

TEST_F(ExecutableTest, ChecksArgumentsBeforeLaunching) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  TensorArg x = tensor(), y = tensor();
  TensorArg wrong = x;
  wrong.dtype = DType::F16;
  Status s = exe->run({wrong}, {y}, stream);
  EXPECT_EQ(s.message(), "input 0: expected shape [2, 3] f32, got [2, 3] f16");
  TensorArg host = x;
  host.data = driver.addHostMemory(24);
  s = exe->run({host}, {y}, stream);
  EXPECT_NE(s.message().find("input 0: 0x"), std::string::npos);
  EXPECT_NE(s.message().find(" is host memory; pass a device tensor"),
            std::string::npos);
  s = exe->run({x}, {x}, stream);
  EXPECT_EQ(s.message(),
            "output 0 overlaps input 0 (outputs must not alias other "
            "arguments)");
  EXPECT_TRUE(driver.launches.empty());
}

TEST_F(ExecutableTest, ReportsLaunchFailures) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  driver.failures["cuLaunchKernel"] = CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES;
  Status s = exe->run({tensor()}, {tensor()}, stream);
  EXPECT_EQ(s.message(),
            "launching kernels[0] (triple_kernel0): "
            "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (too many resources "
            "requested for launch)");
}

TEST_F(ExecutableTest, ReportsWorkspaceAllocationFailure) {
  driver.failures["cuMemAlloc"] = CUDA_ERROR_OUT_OF_MEMORY;
  EXPECT_EQ(createError(tripleManifest()),
            "allocating the workspace (256 bytes): CUDA_ERROR_OUT_OF_MEMORY "
            "(out of memory)");
}

TEST_F(ExecutableTest, CapturesAGraphAndReplaysIt) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  TensorArg x = tensor(), y = tensor();
  Expected<std::unique_ptr<CapturedGraph>> graph =
      exe->capture({x}, {y}, stream);
  ASSERT_TRUE(static_cast<bool>(graph)) << graph.message();
  EXPECT_EQ(driver.lastCaptureMode(), CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
  // The capture sequence: begin, both kernels, end, instantiate, and the
  // graph itself released once instantiated.
  std::vector<std::string> captureCalls;
  for (const std::string &c : driver.calls)
    if (c == "cuStreamBeginCapture" || c == "cuLaunchKernel" ||
        c == "cuStreamEndCapture" || c == "cuGraphInstantiate" ||
        c == "cuGraphDestroy")
      captureCalls.push_back(c);
  EXPECT_EQ(captureCalls,
            (std::vector<std::string>{"cuStreamBeginCapture", "cuLaunchKernel",
                                      "cuLaunchKernel", "cuStreamEndCapture",
                                      "cuGraphInstantiate", "cuGraphDestroy"}));
  ASSERT_EQ(driver.launches.size(), 2u);
  EXPECT_TRUE(driver.launches[0].captured && driver.launches[1].captured);
  EXPECT_EQ(driver.liveGraphs, 0);
  EXPECT_EQ(driver.liveGraphExecs, 1);

  CUstream other = reinterpret_cast<CUstream>(uintptr_t(0x9));
  ASSERT_TRUE((*graph)->launch(other).ok());
  ASSERT_EQ(driver.launches.size(), 4u);
  EXPECT_TRUE(driver.launches[2].fromGraph);
  EXPECT_EQ(driver.launches[2].kernel, "triple_kernel0");
  EXPECT_EQ(driver.launches[3].kernel, "triple_kernel1");
  EXPECT_EQ(driver.launches[3].stream, other);
  EXPECT_EQ(driver.launches[3].params,
            (std::vector<CUdeviceptr>{exe->getWorkspace(), x.data, y.data}));
  graph->reset();
  EXPECT_EQ(driver.liveGraphExecs, 0);
}

TEST_F(ExecutableTest, CaptureRefusesTheLegacyStream) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  Expected<std::unique_ptr<CapturedGraph>> graph =
      exe->capture({tensor()}, {tensor()}, nullptr);
  ASSERT_FALSE(static_cast<bool>(graph));
  EXPECT_EQ(graph.message(), "cannot capture a CUDA graph on the legacy "
                             "default stream; create a stream");
  EXPECT_EQ(driver.count("cuStreamBeginCapture"), 0);
}

TEST_F(ExecutableTest, CaptureEndsEvenWhenALaunchFails) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  driver.failures["cuLaunchKernel"] = CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES;
  Expected<std::unique_ptr<CapturedGraph>> graph =
      exe->capture({tensor()}, {tensor()}, stream);
  ASSERT_FALSE(static_cast<bool>(graph));
  EXPECT_EQ(graph.message().rfind("during graph capture: launching "
                                  "kernels[0]",
                                  0),
            0u);
  EXPECT_EQ(driver.count("cuStreamEndCapture"), 1);
  EXPECT_EQ(driver.count("cuGraphInstantiate"), 0);
  EXPECT_EQ(driver.liveGraphs, 0);
}

TEST_F(ExecutableTest, CaptureChecksArgumentsFirst) {
  auto exe = create(tripleManifest());
  ASSERT_TRUE(exe);
  Expected<std::unique_ptr<CapturedGraph>> graph =
      exe->capture({tensor(), tensor()}, {tensor()}, stream);
  ASSERT_FALSE(static_cast<bool>(graph));
  EXPECT_EQ(graph.message(), "triple takes 1 input and 1 output "
                             "(tensor<2x3xf32>) -> tensor<2x3xf32>, got 2 "
                             "inputs and 1 output");
  EXPECT_EQ(driver.count("cuStreamBeginCapture"), 0);
}

} // namespace
