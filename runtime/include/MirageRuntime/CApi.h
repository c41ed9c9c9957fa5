/*===- CApi.h - The runtime's C API (for Python ctypes) -----------*- C -*-===*\
|*                                                                            *|
|* The shared library libmirage_runtime.so exports these functions so that   *|
|* the Python wrapper can call the runtime through ctypes (no pybind11, no   *|
|* compiler needed on the GPU machine). Errors: functions return NULL or     *|
|* non-zero, and mirage_rt_last_error() gives the message (per thread).      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef MIRAGERUNTIME_CAPI_H
#define MIRAGERUNTIME_CAPI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MIRAGE_RT_API __attribute__((visibility("default")))

/* Bumped whenever a signature or struct below changes. */
#define MIRAGE_RT_ABI_VERSION 1

/* dtype codes of MirageRtTensor. */
#define MIRAGE_RT_F16 0
#define MIRAGE_RT_BF16 1
#define MIRAGE_RT_F32 2

typedef struct MirageRtBundle MirageRtBundle;

/* A tensor in device memory. */
typedef struct MirageRtTensor {
  uint64_t data; /* device pointer (CUdeviceptr) */
  int32_t dtype; /* MIRAGE_RT_F16, _BF16 or _F32 */
  int32_t rank;
  const int64_t *shape;   /* rank extents */
  const int64_t *strides; /* rank strides in elements; NULL: row-major */
} MirageRtTensor;

MIRAGE_RT_API int mirage_rt_abi_version(void);

/* The message of the last failure on this thread ("" when none). */
MIRAGE_RT_API const char *mirage_rt_last_error(void);

/* Loads and checks a bundle (a manifest, or a directory holding one). Needs
   no GPU: the driver is opened on the first run. NULL on failure. */
MIRAGE_RT_API MirageRtBundle *mirage_rt_open(const char *path);

MIRAGE_RT_API void mirage_rt_close(MirageRtBundle *bundle);

/* The signature as JSON: {"function": ..., "inputs": [{"shape": [...],
   "dtype": "f16"}, ...], "outputs": [...], "workspace_bytes": N,
   "kernels": N}. Owned by the bundle. */
MIRAGE_RT_API const char *mirage_rt_signature(const MirageRtBundle *bundle);

/* Checks the tensors and launches the bundle's kernels on `stream` (a
   CUstream as an integer; 0 is the legacy default stream), on the calling
   thread's current CUDA context (PyTorch's), else device 0's primary
   context. Asynchronous. 0 on success. */
MIRAGE_RT_API int mirage_rt_run(MirageRtBundle *bundle,
                                const MirageRtTensor *inputs,
                                int32_t num_inputs,
                                const MirageRtTensor *outputs,
                                int32_t num_outputs, uint64_t stream);

#ifdef __cplusplus
}
#endif

#endif /* MIRAGERUNTIME_CAPI_H */
