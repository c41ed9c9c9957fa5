//===- mirage-run.cpp - Run, check and time a bundle on a GPU -------------===//
//
// mirage-run BUNDLE [options]: loads a bundle (PTX + manifest), makes its
// inputs (seeded like the interpreter, or from .npy files), runs it once,
// compares the outputs with reference .npy files, and times it with CUDA
// events. Every check that needs no GPU (the manifest, the PTX, the input
// and reference files) runs before the driver is opened, so those errors
// are reported the same on any machine. Exit status: 0 success, 1 error,
// 2 bad command line, 3 outputs differ from the reference.
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/Bundle.h"
#include "MirageRuntime/Compare.h"
#include "MirageRuntime/CudaDriver.h"
#include "MirageRuntime/Executable.h"
#include "MirageRuntime/File.h"
#include "MirageRuntime/Json.h"
#include "MirageRuntime/Npy.h"
#include "MirageRuntime/Random.h"
#include "MirageRuntime/Timing.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace mirage::rt;

namespace {

enum ExitCode { kSuccess = 0, kError = 1, kUsage = 2, kMismatch = 3 };

const char *const kUsageText = R"(usage: mirage-run BUNDLE [options]

Runs a Mirage bundle (a directory with NAME.json and NAME.ptx, or the
manifest itself) on the GPU: checks it, runs it once, and optionally
compares its outputs with reference values and times it.

inputs:
  --seed S            random inputs of the interpreter's generator (default 0)
  --scale X           random inputs uniform in [-X, X) (default: the
                      manifest's input_scale, else 1)
  --inputs DIR        read DIR/input<I>.npy instead
  --write-inputs DIR  write the inputs as DIR/input<I>.npy and stop (no GPU)
  --validate          check the bundle (manifest, PTX) and stop (no GPU)
checking:
  --check             compare the outputs with --expected (required with it)
  --expected DIR      reference values DIR/output<I>.npy (implies --check)
  --rtol R --atol A   tolerance |got - expected| <= A + R |expected|
                      (default per dtype: rtol f16 1e-2, bf16 4e-2, f32
                      1e-4; atol the same times the largest |expected|,
                      1e-5 times for f32); an infinite or NaN output
                      fails, an infinite or NaN reference is an error
  --write-outputs DIR write the outputs as DIR/output<I>.npy
timing:
  --bench             time the bundle with CUDA events
  --warmup N          untimed runs first (default 10)
  --iters N           timed runs, at least 100 (default 100)
  --graph             run (and time) through a CUDA graph
other:
  --memory-limit B    host memory the inputs and outputs may take, in bytes
                      (suffix K, M, G or T; default half the machine's)
  --device N          CUDA device ordinal (default 0)
  --json FILE         write the results as JSON
  -h, --help          this text

The reference values come from the interpreter with the same seed:
  mirage-opt --mirage-interpret="entry=NAME seed=S output-dir=DIR" FILE.mlir
Exit status: 0 success, 1 error, 2 bad command line, 3 outputs differ.
)";

struct Options {
  std::string bundle;
  bool validate = false;
  uint64_t seed = 0;
  /// --scale, when given; else the manifest's input_scale, else 1.
  std::optional<double> scale;
  std::string inputsDir;
  std::string writeInputsDir;
  bool check = false;
  std::string expectedDir;
  std::optional<double> rtol, atol;
  std::string writeOutputsDir;
  bool bench = false;
  int warmup = 10;
  int iters = kMinTimedRuns;
  bool graph = false;
  int device = 0;
  std::string jsonPath;
  uint64_t memoryLimit = 0;
};

/// Half the machine's physical memory (1 GiB when it cannot be read).
uint64_t defaultMemoryLimit() {
  long pages = ::sysconf(_SC_PHYS_PAGES);
  long pageSize = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0)
    return uint64_t(1) << 30;
  return static_cast<uint64_t>(pages) / 2 * static_cast<uint64_t>(pageSize);
}

bool parseUnsigned(const std::string &text, uint64_t &out) {
  if (text.empty() || text[0] == '-')
    return false;
  char *end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), &end, 0);
  if (errno || *end)
    return false;
  out = v;
  return true;
}

bool parseDouble(const std::string &text, double &out) {
  char *end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || errno || *end || !(v >= 0) || v > 1e300)
    return false;
  out = v;
  return true;
}

/// "123", "64M", "2G": bytes with an optional binary suffix.
bool parseBytes(const std::string &text, uint64_t &out) {
  std::string digits = text;
  unsigned shift = 0;
  if (!digits.empty()) {
    switch (digits.back()) {
    case 'K':
      shift = 10;
      break;
    case 'M':
      shift = 20;
      break;
    case 'G':
      shift = 30;
      break;
    case 'T':
      shift = 40;
      break;
    }
    if (shift)
      digits.pop_back();
  }
  uint64_t v;
  if (!parseUnsigned(digits, v) || v == 0 || v > (UINT64_MAX >> shift))
    return false;
  out = v << shift;
  return true;
}

int usageError(const std::string &message) {
  std::fprintf(stderr, "mirage-run: %s\n(mirage-run --help for usage)\n",
               message.c_str());
  return kUsage;
}

int error(const std::string &message) {
  std::fprintf(stderr, "mirage-run: error: %s\n", message.c_str());
  return kError;
}

/// Parses argv; returns -1 to go on, else the exit code.
int parseOptions(int argc, char **argv, Options &o) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsageText, stdout);
      return kSuccess;
    }
    auto value = [&](std::string &out) {
      if (i + 1 >= args.size())
        return false;
      out = args[++i];
      return true;
    };
    std::string v;
    uint64_t u = 0;
    double d = 0;
    if (a == "--check") {
      o.check = true;
    } else if (a == "--bench") {
      o.bench = true;
    } else if (a == "--graph") {
      o.graph = true;
    } else if (a == "--validate") {
      o.validate = true;
    } else if (a == "--seed") {
      if (!value(v) || !parseUnsigned(v, u))
        return usageError("--seed needs a non-negative integer");
      o.seed = u;
    } else if (a == "--scale") {
      if (!value(v) || !parseDouble(v, d) || d == 0)
        return usageError("--scale needs a positive number");
      o.scale = d;
    } else if (a == "--rtol" || a == "--atol") {
      if (!value(v) || !parseDouble(v, d))
        return usageError(a + " needs a non-negative number");
      (a == "--rtol" ? o.rtol : o.atol) = d;
    } else if (a == "--warmup" || a == "--iters" || a == "--device") {
      if (!value(v) || !parseUnsigned(v, u) || u > 1000000)
        return usageError(a + " needs a non-negative integer");
      (a == "--warmup"  ? o.warmup
       : a == "--iters" ? o.iters
                        : o.device) = static_cast<int>(u);
    } else if (a == "--memory-limit") {
      if (!value(v) || !parseBytes(v, o.memoryLimit))
        return usageError("--memory-limit needs a positive number of bytes "
                          "(suffix K, M, G or T)");
    } else if (a == "--inputs") {
      if (!value(o.inputsDir))
        return usageError("--inputs needs a directory");
    } else if (a == "--write-inputs") {
      if (!value(o.writeInputsDir))
        return usageError("--write-inputs needs a directory");
    } else if (a == "--expected") {
      if (!value(o.expectedDir))
        return usageError("--expected needs a directory");
      o.check = true;
    } else if (a == "--write-outputs") {
      if (!value(o.writeOutputsDir))
        return usageError("--write-outputs needs a directory");
    } else if (a == "--json") {
      if (!value(o.jsonPath))
        return usageError("--json needs a file name");
    } else if (a.size() > 1 && a[0] == '-') {
      return usageError("unknown option '" + a + "'");
    } else if (o.bundle.empty()) {
      o.bundle = a;
    } else {
      return usageError("more than one bundle given ('" + o.bundle + "' and '" +
                        a + "')");
    }
  }
  if (o.bundle.empty())
    return usageError("no bundle given");
  if (!o.memoryLimit)
    o.memoryLimit = defaultMemoryLimit();
  if (o.check && o.expectedDir.empty())
    return usageError("--check needs --expected DIR (reference outputs)");
  if (o.bench && o.iters < kMinTimedRuns)
    return usageError("--iters must be at least " +
                      std::to_string(kMinTimedRuns) +
                      " (statistics of fewer runs are too noisy)");
  if (!o.inputsDir.empty() && !o.writeInputsDir.empty())
    return usageError("--inputs and --write-inputs exclude each other");
  return -1;
}

std::string fileIn(const std::string &dir, const std::string &name) {
  return dir + (dir.empty() || dir.back() == '/' ? "" : "/") + name;
}

Status makeDirectory(const std::string &dir) {
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
    return Status::error(dir + ": cannot create: " + std::strerror(errno));
  if (!isDirectory(dir))
    return Status::error(dir + ": not a directory");
  return Status::success();
}

/// The bytes of a host copy of `spec`; nullopt when they overflow 64 bits.
std::optional<uint64_t> hostBytes(const TensorSpec &spec) {
  uint64_t bytes = dtypeBytes(spec.dtype);
  for (int64_t d : spec.shape)
    if (d < 0 ||
        __builtin_mul_overflow(bytes, static_cast<uint64_t>(d), &bytes))
      return std::nullopt;
  return bytes;
}

/// Checks that `copies` host copies of every tensor of `specs`, on top of
/// `used` bytes, fit in `limit`.
Status checkHostMemory(const std::vector<TensorSpec> &specs,
                       const std::string &what, uint64_t limit, uint64_t used,
                       unsigned copies = 1) {
  uint64_t total = used;
  for (size_t i = 0; i < specs.size(); ++i) {
    std::optional<uint64_t> bytes = hostBytes(specs[i]);
    uint64_t all = 0;
    bool overflow = !bytes ||
                    __builtin_mul_overflow(*bytes, uint64_t(copies), &all) ||
                    __builtin_add_overflow(total, all, &total);
    if (overflow || total > limit)
      return Status::error(
          what + " " + std::to_string(i) + " " + specs[i].describe() +
          " does not fit in host memory: " +
          (overflow ? std::string("more than 2^64 bytes")
                    : std::to_string(total) + " bytes") +
          " with the tensors before it" +
          (copies > 1 ? " (" + std::to_string(copies) + " copies of each)"
                      : "") +
          ", over the limit of " + std::to_string(limit) +
          " bytes (--memory-limit)");
  }
  return Status::success();
}

/// Reads DIR/<prefix><I>.npy for every tensor of `specs`.
Expected<std::vector<HostTensor>>
readTensors(const std::string &dir, const std::string &prefix,
            const std::vector<TensorSpec> &specs) {
  std::vector<HostTensor> tensors;
  for (size_t i = 0; i < specs.size(); ++i) {
    std::string path = fileIn(dir, prefix + std::to_string(i) + ".npy");
    Expected<HostTensor> t = readNpy(path, specs[i].dtype);
    if (!t)
      return t.status();
    if (t->getShape() != specs[i].shape)
      return Status::error(path + ": shape " + formatShape(t->getShape()) +
                           " does not match " + prefix + " " +
                           std::to_string(i) + " " + specs[i].describe());
    tensors.push_back(std::move(*t));
  }
  return tensors;
}

Status writeTensors(const std::string &dir, const std::string &prefix,
                    const std::vector<HostTensor> &tensors) {
  Status s = makeDirectory(dir);
  for (size_t i = 0; s.ok() && i < tensors.size(); ++i)
    s = writeNpy(fileIn(dir, prefix + std::to_string(i) + ".npy"), tensors[i]);
  return s;
}

/// Device memory freed at scope exit.
class DeviceBuffer {
public:
  explicit DeviceBuffer(Driver &driver) : driver(driver) {}
  ~DeviceBuffer() {
    if (pointer)
      driver.memFree(pointer);
  }
  DeviceBuffer(DeviceBuffer &&other) : driver(other.driver) {
    std::swap(pointer, other.pointer);
  }
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(DeviceBuffer &&) = delete;

  Status allocate(size_t bytes, const std::string &what) {
    CUresult r = driver.memAlloc(&pointer, bytes);
    if (r != CUDA_SUCCESS) {
      pointer = 0;
      return Status::error("allocating " + what + " (" + std::to_string(bytes) +
                           " bytes): " + driver.errorString(r));
    }
    return Status::success();
  }
  CUdeviceptr get() const { return pointer; }

private:
  Driver &driver;
  CUdeviceptr pointer = 0;
};

/// A created stream, destroyed at scope exit.
class Stream {
public:
  explicit Stream(Driver &driver) : driver(driver) {}
  ~Stream() {
    if (stream)
      driver.streamDestroy(stream);
  }
  Stream(const Stream &) = delete;
  Stream &operator=(const Stream &) = delete;
  Status create() {
    CUresult r = driver.streamCreate(&stream, CU_STREAM_NON_BLOCKING);
    if (r != CUDA_SUCCESS)
      return Status::error("cuStreamCreate: " + driver.errorString(r));
    return Status::success();
  }
  CUstream get() const { return stream; }

private:
  Driver &driver;
  CUstream stream = nullptr;
};

JsonValue statsJson(const TimingStats &s, const Options &o) {
  JsonValue t = JsonValue::object();
  t.set("runs", JsonValue::integer(static_cast<int64_t>(s.runs)));
  t.set("warmup", JsonValue::integer(o.warmup));
  t.set("graph", JsonValue::boolean(o.graph));
  t.set("median_ms", JsonValue::number(s.medianMs));
  t.set("min_ms", JsonValue::number(s.minMs));
  t.set("p90_ms", JsonValue::number(s.p90Ms));
  t.set("mean_ms", JsonValue::number(s.meanMs));
  t.set("max_ms", JsonValue::number(s.maxMs));
  return t;
}

/// Everything after the GPU-free preparation; fills `report`.
int runOnDevice(const Options &o, const Bundle &bundle,
                const std::vector<HostTensor> &inputs,
                const std::vector<HostTensor> &expected, JsonValue &report) {
  const Manifest &m = bundle.manifest;
  Expected<std::unique_ptr<Driver>> driver = openCudaDriver();
  if (!driver)
    return error(driver.message());
  Expected<std::unique_ptr<Executable>> exe =
      Executable::create(bundle, **driver, o.device);
  if (!exe)
    return error(exe.message());
  Driver &d = **driver;
  report.set("device", JsonValue::string((*exe)->getDeviceDescription()));
  std::printf("mirage-run: %s (%zu kernel%s, workspace %lld bytes) on %s\n",
              m.function.c_str(), m.kernels.size(),
              m.kernels.size() == 1 ? "" : "s",
              static_cast<long long>(m.workspaceBytes),
              (*exe)->getDeviceDescription().c_str());

  // Buffers, declared after the Executable so they are freed before it
  // releases its context.
  std::vector<DeviceBuffer> buffers;
  std::vector<TensorArg> inArgs, outArgs;
  auto addTensor = [&](const TensorSpec &spec, const std::string &what,
                       std::vector<TensorArg> &args) {
    buffers.emplace_back(d);
    Status s = buffers.back().allocate(spec.byteSize(), what);
    TensorArg arg;
    arg.data = buffers.back().get();
    arg.dtype = spec.dtype;
    arg.shape = spec.shape;
    args.push_back(arg);
    return s;
  };
  buffers.reserve(m.inputs.size() + m.outputs.size());
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    Status s = addTensor(m.inputs[i], "input " + std::to_string(i), inArgs);
    if (!s.ok())
      return error(s.message());
    CUresult r =
        d.memcpyHtoD(inArgs[i].data, inputs[i].data(), inputs[i].byteSize());
    if (r != CUDA_SUCCESS)
      return error("copying input " + std::to_string(i) +
                   " to the device: " + d.errorString(r));
  }
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    Status s = addTensor(m.outputs[i], "output " + std::to_string(i), outArgs);
    if (!s.ok())
      return error(s.message());
    // All-ones bytes are NaN in f16, bf16 and f32: an element no kernel
    // writes fails the comparison instead of passing as a stale zero.
    CUresult r = d.memsetD8(outArgs[i].data, 0xff, outArgs[i].byteSize());
    if (r != CUDA_SUCCESS)
      return error("clearing output " + std::to_string(i) + ": " +
                   d.errorString(r));
  }

  Stream stream(d);
  Status s = stream.create();
  if (!s.ok())
    return error(s.message());
  std::unique_ptr<CapturedGraph> graph;
  if (o.graph) {
    Expected<std::unique_ptr<CapturedGraph>> captured =
        (*exe)->capture(inArgs, outArgs, stream.get());
    if (!captured)
      return error(captured.message());
    graph = std::move(*captured);
  }
  auto runOnce = [&]() {
    return graph ? graph->launch(stream.get())
                 : (*exe)->launch(inArgs, outArgs, stream.get());
  };
  s = graph ? Status::success() : (*exe)->checkCall(inArgs, outArgs);
  if (s.ok())
    s = runOnce();
  if (!s.ok())
    return error(s.message());
  CUresult r = d.streamSynchronize(stream.get());
  if (r != CUDA_SUCCESS)
    return error("running " + m.function + ": " + d.errorString(r));

  std::vector<HostTensor> outputs;
  for (size_t i = 0; i < m.outputs.size(); ++i) {
    outputs.emplace_back(m.outputs[i].dtype, m.outputs[i].shape);
    r = d.memcpyDtoH(outputs[i].data(), outArgs[i].data, outputs[i].byteSize());
    if (r != CUDA_SUCCESS)
      return error("copying output " + std::to_string(i) +
                   " from the device: " + d.errorString(r));
  }
  if (!o.writeOutputsDir.empty())
    if (Status w = writeTensors(o.writeOutputsDir, "output", outputs); !w.ok())
      return error(w.message());

  int status = kSuccess;
  if (o.check) {
    JsonValue checks = JsonValue::array();
    bool passed = true;
    for (size_t i = 0; i < outputs.size(); ++i) {
      Tolerance t = defaultTolerance(m.outputs[i].dtype, expected[i]);
      t.rtol = o.rtol.value_or(t.rtol);
      t.atol = o.atol.value_or(t.atol);
      Comparison c = compareTensors(outputs[i], expected[i], t);
      std::string name = "output " + std::to_string(i);
      const Shape &shape = outputs[i].getShape();
      std::printf("%s: %s: %s\n", name.c_str(), m.outputs[i].describe().c_str(),
                  mirage::portable::summarize(c, shape).c_str());
      if (c.verdict() != Verdict::Pass)
        std::fprintf(stderr, "mirage-run: mismatch: %s: %s\n", name.c_str(),
                     mirage::portable::describeProblem(c, shape).c_str());
      passed &= c.verdict() == Verdict::Pass;
      JsonValue entry = JsonValue::object();
      entry.set("output", JsonValue::integer(static_cast<int64_t>(i)));
      entry.set("mismatches", JsonValue::integer(c.numMismatches));
      entry.set("not_finite", JsonValue::integer(c.numNonFiniteGot));
      entry.set("max_abs_error", JsonValue::number(c.maxAbsError));
      if (c.worst.index >= 0) {
        JsonValue worst = JsonValue::object();
        worst.set("index", JsonValue::integer(c.worst.index));
        worst.set("got", JsonValue::number(c.worst.got));
        worst.set("expected", JsonValue::number(c.worst.expected));
        worst.set("abs_error", JsonValue::number(c.worst.absError));
        worst.set("rel_error", JsonValue::number(c.worst.relError));
        entry.set("worst", std::move(worst));
      }
      entry.set("rtol", JsonValue::number(t.rtol));
      entry.set("atol", JsonValue::number(t.atol));
      checks.push(std::move(entry));
    }
    JsonValue check = JsonValue::object();
    check.set("passed", JsonValue::boolean(passed));
    check.set("outputs", std::move(checks));
    report.set("check", std::move(check));
    if (!passed)
      status = kMismatch;
  }

  if (o.bench) {
    Expected<std::vector<double>> samples =
        timeRuns(d, stream.get(), o.warmup, o.iters, runOnce);
    if (!samples)
      return error(samples.message());
    TimingStats stats = summarize(*samples);
    std::printf("time: median %.4f ms, min %.4f ms, p90 %.4f ms (%zu runs "
                "after %d warm-up, %s)\n",
                stats.medianMs, stats.minMs, stats.p90Ms, stats.runs, o.warmup,
                o.graph ? "CUDA graph" : "stream launches");
    report.set("timing", statsJson(stats, o));
  }
  return status;
}

int runTool(const Options &o) {
  Expected<Bundle> bundle = loadBundle(o.bundle);
  if (!bundle)
    return error(bundle.message());
  const Manifest &m = bundle->manifest;
  if (o.validate) {
    std::printf("mirage-run: %s is a valid bundle: %s %s, %zu kernel%s, "
                "workspace %lld bytes, %s\n",
                bundle->manifestPath.c_str(), m.function.c_str(),
                m.signature().c_str(), m.kernels.size(),
                m.kernels.size() == 1 ? "" : "s",
                static_cast<long long>(m.workspaceBytes), m.chip.c_str());
    return kSuccess;
  }

  // The host copies are allocated whole: check their sizes first, so that a
  // huge signature is an error instead of std::bad_alloc.
  Status fits = checkHostMemory(m.inputs, "input", o.memoryLimit, 0);
  if (fits.ok() && o.writeInputsDir.empty()) {
    uint64_t inputBytes = 0;
    for (const TensorSpec &spec : m.inputs)
      inputBytes += *hostBytes(spec);
    // The outputs, and the references read for --check.
    fits = checkHostMemory(m.outputs, "output", o.memoryLimit, inputBytes,
                           o.check ? 2 : 1);
  }
  if (!fits.ok())
    return error(bundle->manifestPath + ": " + fits.message());

  std::vector<HostTensor> inputs;
  JsonValue inputInfo = JsonValue::object();
  if (!o.inputsDir.empty()) {
    Expected<std::vector<HostTensor>> read =
        readTensors(o.inputsDir, "input", m.inputs);
    if (!read)
      return error(read.message());
    inputs = std::move(*read);
    inputInfo.set("dir", JsonValue::string(o.inputsDir));
  } else {
    double scale = o.scale.value_or(m.inputScale.value_or(1.0));
    for (size_t i = 0; i < m.inputs.size(); ++i)
      inputs.push_back(randomTensor(m.inputs[i].dtype, m.inputs[i].shape,
                                    o.seed, static_cast<unsigned>(i), scale));
    inputInfo.set("seed", JsonValue::integer(static_cast<int64_t>(o.seed)));
    inputInfo.set("scale", JsonValue::number(scale));
  }
  if (!o.writeInputsDir.empty()) {
    Status s = writeTensors(o.writeInputsDir, "input", inputs);
    if (!s.ok())
      return error(s.message());
    std::printf("mirage-run: wrote %zu input%s of %s to %s\n", inputs.size(),
                inputs.size() == 1 ? "" : "s", m.function.c_str(),
                o.writeInputsDir.c_str());
    return kSuccess;
  }
  std::vector<HostTensor> expected;
  if (o.check) {
    Expected<std::vector<HostTensor>> read =
        readTensors(o.expectedDir, "output", m.outputs);
    if (!read)
      return error(read.message());
    expected = std::move(*read);
    // A reference with an infinity or a NaN checks nothing (an overflow
    // hides what the code computes): an error before any GPU work.
    for (size_t i = 0; i < expected.size(); ++i) {
      Comparison scan = scanReference(expected[i]);
      if (scan.verdict() == Verdict::Unusable)
        return error(
            o.expectedDir + "/output" + std::to_string(i) + ".npy: " +
            mirage::portable::describeProblem(scan, expected[i].getShape()));
    }
  }

  JsonValue report = JsonValue::object();
  report.set("bundle", JsonValue::string(bundle->manifestPath));
  report.set("function", JsonValue::string(m.function));
  report.set("kernels",
             JsonValue::integer(static_cast<int64_t>(m.kernels.size())));
  report.set("inputs", std::move(inputInfo));
  int status = runOnDevice(o, *bundle, inputs, expected, report);
  if (!o.jsonPath.empty() && status != kError) {
    Status s = writeFile(o.jsonPath, formatJson(report, 2) + "\n");
    if (!s.ok())
      return error(s.message());
  }
  return status;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  int parsed = parseOptions(argc, argv, options);
  if (parsed >= 0)
    return parsed;
  return runTool(options);
}
