//===- CApi.cpp - The runtime's C API (for Python ctypes) -----------------===//

#include "MirageRuntime/CApi.h"
#include "MirageRuntime/Bundle.h"
#include "MirageRuntime/CudaDriver.h"
#include "MirageRuntime/Executable.h"
#include "MirageRuntime/Json.h"

#include <mutex>

using namespace mirage::rt;

struct MirageRtBundle {
  Bundle bundle;
  std::string signature;
  /// Loaded on the first run, on the context current then.
  std::unique_ptr<Executable> executable;
  std::mutex mutex;
};

static thread_local std::string lastError;

static int fail(const Status &status) {
  lastError = status.message();
  return 1;
}

/// The process-wide driver, opened on first use. A failure is remembered:
/// the message stays the same on every call.
static Expected<Driver *> sharedDriver() {
  static std::once_flag once;
  static std::unique_ptr<Driver> driver;
  static Status failure;
  std::call_once(once, [] {
    Expected<std::unique_ptr<Driver>> opened = openCudaDriver();
    if (opened)
      driver = std::move(*opened);
    else
      failure = opened.status();
  });
  if (!driver)
    return failure;
  return driver.get();
}

static std::string signatureJson(const Manifest &m) {
  auto specs = [](const std::vector<TensorSpec> &list) {
    JsonValue array = JsonValue::array();
    for (const TensorSpec &spec : list) {
      JsonValue shape = JsonValue::array();
      for (int64_t d : spec.shape)
        shape.push(JsonValue::integer(d));
      JsonValue entry = JsonValue::object();
      entry.set("shape", std::move(shape));
      entry.set("dtype", JsonValue::string(dtypeName(spec.dtype)));
      array.push(std::move(entry));
    }
    return array;
  };
  JsonValue root = JsonValue::object();
  root.set("function", JsonValue::string(m.function));
  root.set("inputs", specs(m.inputs));
  root.set("outputs", specs(m.outputs));
  root.set("workspace_bytes", JsonValue::integer(m.workspaceBytes));
  root.set("kernels",
           JsonValue::integer(static_cast<int64_t>(m.kernels.size())));
  return formatJson(root);
}

// The C API's dtype codes are the values of the portable DType.
static_assert(static_cast<int>(DType::F16) == MIRAGE_RT_F16 &&
                  static_cast<int>(DType::BF16) == MIRAGE_RT_BF16 &&
                  static_cast<int>(DType::F32) == MIRAGE_RT_F32,
              "dtype codes of CApi.h and Mirage/Portable/DType.h differ");

static Status convert(const MirageRtTensor *tensors, int32_t count,
                      const char *role, std::vector<TensorArg> &out) {
  if (count < 0 || (count > 0 && !tensors))
    return Status::error(std::string("invalid ") + role + " array");
  for (int32_t i = 0; i < count; ++i) {
    const MirageRtTensor &t = tensors[i];
    std::string name = std::string(role) + " " + std::to_string(i);
    if (t.dtype < MIRAGE_RT_F16 || t.dtype > MIRAGE_RT_F32)
      return Status::error(name + ": unknown dtype code " +
                           std::to_string(t.dtype));
    if (t.rank < 0 || (t.rank > 0 && !t.shape))
      return Status::error(name + ": invalid rank or shape");
    TensorArg arg;
    arg.data = static_cast<CUdeviceptr>(t.data);
    arg.dtype = static_cast<DType>(t.dtype);
    arg.shape.assign(t.shape, t.shape + t.rank);
    if (t.strides)
      arg.strides.assign(t.strides, t.strides + t.rank);
    out.push_back(std::move(arg));
  }
  return Status::success();
}

extern "C" {

int mirage_rt_abi_version(void) { return MIRAGE_RT_ABI_VERSION; }

const char *mirage_rt_last_error(void) { return lastError.c_str(); }

MirageRtBundle *mirage_rt_open(const char *path) {
  if (!path) {
    fail(Status::error("mirage_rt_open: null path"));
    return nullptr;
  }
  Expected<Bundle> bundle = loadBundle(path);
  if (!bundle) {
    fail(bundle.status());
    return nullptr;
  }
  auto *handle = new MirageRtBundle;
  handle->bundle = std::move(*bundle);
  handle->signature = signatureJson(handle->bundle.manifest);
  return handle;
}

void mirage_rt_close(MirageRtBundle *bundle) { delete bundle; }

const char *mirage_rt_signature(const MirageRtBundle *bundle) {
  return bundle ? bundle->signature.c_str() : "";
}

int mirage_rt_run(MirageRtBundle *bundle, const MirageRtTensor *inputs,
                  int32_t num_inputs, const MirageRtTensor *outputs,
                  int32_t num_outputs, uint64_t stream) {
  if (!bundle)
    return fail(Status::error("mirage_rt_run: null bundle"));
  std::vector<TensorArg> ins, outs;
  Status s = convert(inputs, num_inputs, "input", ins);
  if (s.ok())
    s = convert(outputs, num_outputs, "output", outs);
  // Shapes first: a wrong call is reported the same with or without a GPU.
  if (s.ok())
    s = checkSignature(bundle->bundle.manifest, ins, outs);
  if (!s.ok())
    return fail(s);
  std::lock_guard<std::mutex> lock(bundle->mutex);
  if (!bundle->executable) {
    Expected<Driver *> driver = sharedDriver();
    if (!driver)
      return fail(driver.status());
    Expected<std::unique_ptr<Executable>> exe =
        Executable::create(bundle->bundle, **driver);
    if (!exe)
      return fail(exe.status());
    bundle->executable = std::move(*exe);
  }
  s = bundle->executable->run(ins, outs, reinterpret_cast<CUstream>(stream));
  return s.ok() ? 0 : fail(s);
}

} // extern "C"
