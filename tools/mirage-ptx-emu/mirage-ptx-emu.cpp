//===- mirage-ptx-emu.cpp - Run a bundle's PTX on the CPU and check it ----===//
//
// Reads a bundle (docs/Lowering.md, "The bundle"), parses its PTX, runs
// every kernel of the manifest in order on the emulator (docs/Emulator.md)
// with the interpreter's seeded inputs, reports what the checks find and
// compares the outputs with the interpreter's (.npy files of
// --mirage-interpret, --expected DIR) through the project's one comparison
// (Mirage/Portable/Compare.h), in the CPU runner's report format.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Emulator/Emulator.h"
#include "Mirage/Emulator/Floats.h"
#include "Mirage/Emulator/Ptx.h"
#include "Mirage/Portable/Compare.h"
#include "Mirage/Portable/DType.h"
#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Semantics/Npy.h"
#include "Mirage/Support/MemoryLimit.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

namespace cl = llvm::cl;
using namespace mirage;

namespace {

cl::OptionCategory emuCategory("mirage-ptx-emu options");

cl::opt<std::string> bundlePath(cl::Positional, cl::Required,
                                cl::desc("<bundle manifest NAME.json>"),
                                cl::cat(emuCategory));
cl::opt<std::string>
    expectedDir("expected",
                cl::desc("Directory of the reference outputs output<I>.npy "
                         "(--mirage-interpret's output-dir, same seed)"),
                cl::cat(emuCategory));
cl::opt<uint64_t> seed("seed",
                       cl::desc("Seed of the random inputs (as "
                                "--mirage-interpret's seed)"),
                       cl::init(0), cl::cat(emuCategory));
cl::opt<double>
    inputScale("input-scale",
               cl::desc("Random inputs are uniform in [-scale, scale) "
                        "(default: the manifest's input_scale, else 1)"),
               cl::init(1.0), cl::cat(emuCategory));
cl::opt<double> rtol("rtol",
                     cl::desc("Relative tolerance of every output (default "
                              "per dtype, as mirage-cpu-runner)"),
                     cl::init(0.0), cl::cat(emuCategory));
cl::opt<double> atol("atol",
                     cl::desc("Absolute tolerance of every output (default: "
                              "a fraction of the output's largest |expected|)"),
                     cl::init(0.0), cl::cat(emuCategory));
cl::opt<unsigned>
    maxReports("max-reports",
               cl::desc("Findings printed per kind (all are counted)"),
               cl::init(5), cl::cat(emuCategory));
cl::opt<std::string>
    writeOutputs("write-outputs",
                 cl::desc("Write the outputs as DIR/output<I>.npy"),
                 cl::cat(emuCategory));
cl::opt<uint64_t> memoryLimit(
    "memory-limit",
    cl::desc("Bytes the buffers, inputs and references may use; 0: three "
             "quarters of the machine's memory (physical, or its cgroup "
             "limit when smaller)"),
    cl::init(0), cl::cat(emuCategory));
cl::opt<uint64_t> maxInstructions(
    "max-instructions",
    cl::desc("Thread instructions one kernel launch may run before it is "
             "stopped as an endless loop (0: no limit)"),
    cl::init(uint64_t(1) << 40), cl::cat(emuCategory));
cl::opt<std::string>
    writeInputs("write-inputs",
                cl::desc("Write the inputs as DIR/input<I>.npy and stop"),
                cl::cat(emuCategory));
cl::opt<bool> stats("print-stats",
                    cl::desc("Print the emulated thread instructions, the "
                             "seconds and the rate"),
                    cl::init(false), cl::cat(emuCategory));

constexpr const char *kTool = "mirage-ptx-emu";

int fail(const llvm::Twine &message) {
  llvm::outs().flush();
  llvm::errs() << kTool << ": error: " << message << "\n";
  return 2;
}

struct TensorSpec {
  std::vector<int64_t> shape;
  DType dtype = DType::F16;
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

struct KernelArg {
  enum class Buffer { Input, Output, Workspace } buffer = Buffer::Input;
  unsigned index = 0;
  uint64_t offset = 0;
  TensorSpec spec;
  std::vector<int64_t> strides;
};

struct KernelLaunch {
  std::string name;
  std::array<unsigned, 3> grid, block;
  uint64_t sharedBytes = 0;
  std::vector<KernelArg> args;
};

struct Manifest {
  std::string function, ptx, sha256;
  std::vector<TensorSpec> inputs, outputs;
  std::optional<double> inputScale;
  uint64_t workspaceBytes = 0;
  std::vector<KernelLaunch> kernels;
};

/// Largest element count we accept per tensor / bytes per buffer (the
/// emulator holds everything in memory).
constexpr uint64_t kMaxBytes = uint64_t(1) << 34;

class ManifestReader {
public:
  explicit ManifestReader(llvm::StringRef file) : file(file) {}

  llvm::Expected<Manifest> read(const llvm::json::Value &root) {
    Manifest m;
    const llvm::json::Object *o = root.getAsObject();
    if (!o)
      return err("the manifest is not a JSON object");
    if (o->getString("format") != "mirage-bundle")
      return err("'format' is not \"mirage-bundle\"");
    if (o->getInteger("version") != 1)
      return err("unsupported 'version' (expected 1)");
    auto str = [&](const llvm::json::Object &obj, llvm::StringRef key,
                   std::string &out) -> llvm::Error {
      std::optional<llvm::StringRef> s = obj.getString(key);
      if (!s)
        return err("missing string '" + key + "'");
      out = s->str();
      return llvm::Error::success();
    };
    if (llvm::Error e = str(*o, "function", m.function))
      return std::move(e);
    if (llvm::Error e = str(*o, "ptx", m.ptx))
      return std::move(e);
    if (llvm::Error e = str(*o, "ptx_sha256", m.sha256))
      return std::move(e);
    const llvm::json::Object *sig = o->getObject("signature");
    if (!sig)
      return err("missing 'signature'");
    for (auto [key, list] :
         {std::pair{"inputs", &m.inputs}, std::pair{"outputs", &m.outputs}}) {
      const llvm::json::Array *a = sig->getArray(key);
      if (!a)
        return err("missing 'signature." + llvm::Twine(key) + "'");
      for (const llvm::json::Value &v : *a) {
        llvm::Expected<TensorSpec> spec = readSpec(v, key);
        if (!spec)
          return spec.takeError();
        list->push_back(*spec);
      }
    }
    if (m.outputs.empty())
      return err("the signature has no outputs");
    if (const llvm::json::Value *s = o->get("input_scale")) {
      std::optional<double> d = s->getAsNumber();
      if (!d || !(*d > 0) || !std::isfinite(*d))
        return err("'input_scale' must be a positive finite number");
      m.inputScale = *d;
    }
    std::optional<int64_t> ws = o->getInteger("workspace_bytes");
    if (!ws || *ws < 0 || static_cast<uint64_t>(*ws) > kMaxBytes)
      return err("'workspace_bytes' must be a non-negative integer below "
                 "2^34");
    m.workspaceBytes = static_cast<uint64_t>(*ws);
    const llvm::json::Array *kernels = o->getArray("kernels");
    if (!kernels || kernels->empty())
      return err("missing or empty 'kernels'");
    for (const llvm::json::Value &kv : *kernels) {
      const llvm::json::Object *k = kv.getAsObject();
      if (!k)
        return err("a kernel is not an object");
      KernelLaunch launch;
      if (llvm::Error e = str(*k, "name", launch.name))
        return std::move(e);
      for (auto [key, dims] : {std::pair{"grid", &launch.grid},
                               std::pair{"block", &launch.block}}) {
        const llvm::json::Array *a = k->getArray(key);
        if (!a || a->size() != 3)
          return err("kernel '" + launch.name + "': '" + key +
                     "' must be 3 integers");
        for (unsigned i = 0; i < 3; ++i) {
          std::optional<int64_t> d = (*a)[i].getAsInteger();
          if (!d || *d < 1 || *d > (1 << 20))
            return err("kernel '" + launch.name + "': '" + key +
                       "' must be 3 integers in [1, 2^20]");
          (*dims)[i] = static_cast<unsigned>(*d);
        }
      }
      uint64_t threads =
          uint64_t(launch.block[0]) * launch.block[1] * launch.block[2];
      if (threads > 1024)
        return err("kernel '" + launch.name + "': a block of " +
                   llvm::Twine(threads) + " threads (at most 1024)");
      std::optional<int64_t> smem =
          k->getInteger("dynamic_shared_memory_bytes");
      if (!smem || *smem < 0 || *smem > (1 << 20))
        return err("kernel '" + launch.name +
                   "': 'dynamic_shared_memory_bytes' must be an integer in "
                   "[0, 2^20]");
      launch.sharedBytes = static_cast<uint64_t>(*smem);
      const llvm::json::Array *args = k->getArray("args");
      if (!args)
        return err("kernel '" + launch.name + "': missing 'args'");
      for (const llvm::json::Value &av : *args) {
        llvm::Expected<KernelArg> arg = readArg(av, launch.name, m);
        if (!arg)
          return arg.takeError();
        launch.args.push_back(std::move(*arg));
      }
      m.kernels.push_back(std::move(launch));
    }
    return m;
  }

private:
  llvm::Error err(const llvm::Twine &message) {
    return llvm::createStringError(file + ": " + message);
  }

  llvm::Expected<TensorSpec> readSpec(const llvm::json::Value &v,
                                      llvm::StringRef what) {
    const llvm::json::Object *o = v.getAsObject();
    const llvm::json::Array *shape = o ? o->getArray("shape") : nullptr;
    std::optional<llvm::StringRef> dtype =
        o ? o->getString("dtype") : std::nullopt;
    if (!shape || !dtype)
      return err("a tensor of '" + what + "' needs 'shape' and 'dtype'");
    TensorSpec spec;
    std::optional<DType> parsed =
        portable::parseDType(std::string_view(dtype->data(), dtype->size()));
    if (!parsed)
      return err("unsupported dtype '" + *dtype + "' (f16, bf16, f32)");
    spec.dtype = *parsed;
    uint64_t n = 1;
    for (const llvm::json::Value &d : *shape) {
      std::optional<int64_t> e = d.getAsInteger();
      if (!e || *e < 1 || static_cast<uint64_t>(*e) > kMaxBytes)
        return err("a shape of '" + what + "' has a bad extent");
      n *= static_cast<uint64_t>(*e);
      if (n > kMaxBytes)
        return err("a tensor of '" + what + "' is too large to emulate");
      spec.shape.push_back(*e);
    }
    return spec;
  }

  llvm::Expected<KernelArg> readArg(const llvm::json::Value &v,
                                    llvm::StringRef kernel, const Manifest &m) {
    const llvm::json::Object *o = v.getAsObject();
    if (!o)
      return err("kernel '" + kernel + "': an argument is not an object");
    KernelArg arg;
    std::optional<llvm::StringRef> buffer = o->getString("buffer");
    std::optional<int64_t> index = o->getInteger("index");
    std::optional<int64_t> offset = o->getInteger("offset_bytes");
    const llvm::json::Array *strides = o->getArray("strides");
    if (!buffer || !index || !offset || !strides || *index < 0 || *offset < 0)
      return err("kernel '" + kernel +
                 "': an argument needs 'buffer', 'index', 'offset_bytes', "
                 "'shape', 'dtype' and 'strides'");
    llvm::Expected<TensorSpec> spec = readSpec(v, "args");
    if (!spec)
      return spec.takeError();
    arg.spec = *spec;
    arg.index = static_cast<unsigned>(*index);
    arg.offset = static_cast<uint64_t>(*offset);
    if (*buffer == "input")
      arg.buffer = KernelArg::Buffer::Input;
    else if (*buffer == "output")
      arg.buffer = KernelArg::Buffer::Output;
    else if (*buffer == "workspace")
      arg.buffer = KernelArg::Buffer::Workspace;
    else
      return err("kernel '" + kernel + "': unknown buffer '" + *buffer + "'");
    for (const llvm::json::Value &s : *strides) {
      std::optional<int64_t> e = s.getAsInteger();
      if (!e || *e < 0)
        return err("kernel '" + kernel + "': bad stride");
      arg.strides.push_back(*e);
    }
    if (arg.strides.size() != arg.spec.shape.size())
      return err("kernel '" + kernel +
                 "': an argument's strides do not match its shape");
    // The bytes the view reaches must lie in its buffer.
    const std::vector<TensorSpec> *list =
        arg.buffer == KernelArg::Buffer::Input    ? &m.inputs
        : arg.buffer == KernelArg::Buffer::Output ? &m.outputs
                                                  : nullptr;
    uint64_t size = m.workspaceBytes;
    if (list) {
      if (arg.index >= list->size())
        return err("kernel '" + kernel + "': " + *buffer + " " +
                   llvm::Twine(arg.index) + " is not in the signature");
      size = (*list)[arg.index].numElements() *
             dtypeBytes((*list)[arg.index].dtype);
    } else if (arg.index != 0) {
      return err("kernel '" + kernel + "': workspace index must be 0");
    }
    uint64_t last = 0;
    for (size_t i = 0; i < arg.strides.size(); ++i)
      last += static_cast<uint64_t>(arg.spec.shape[i] - 1) * arg.strides[i];
    uint64_t end = arg.offset + (last + 1) * dtypeBytes(arg.spec.dtype);
    if (end > size)
      return err("kernel '" + kernel + "': an argument reaches byte " +
                 llvm::Twine(end) + " of " + *buffer + " " +
                 llvm::Twine(arg.index) + ", which has " + llvm::Twine(size));
    return arg;
  }

  std::string file;
};

/// The device bytes of `t` (values already rounded to its dtype).
void toBytes(const Tensor &t, std::vector<uint8_t> &out) {
  unsigned size = dtypeBytes(t.dtype);
  for (size_t i = 0; i < t.data.size(); ++i) {
    float v = t.data[i];
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    switch (t.dtype) {
    case DType::F16: {
      uint16_t h = emu::doubleToF16(v);
      std::memcpy(&out[i * size], &h, 2);
      break;
    }
    case DType::BF16: {
      uint16_t h = static_cast<uint16_t>(bits >> 16);
      std::memcpy(&out[i * size], &h, 2);
      break;
    }
    case DType::F32:
      std::memcpy(&out[i * size], &bits, 4);
      break;
    }
  }
}

Tensor fromBytes(const TensorSpec &spec, const std::vector<uint8_t> &in) {
  Tensor t(Shape(spec.shape.begin(), spec.shape.end()), spec.dtype, 1);
  unsigned size = dtypeBytes(spec.dtype);
  for (size_t i = 0; i < t.data.size(); ++i) {
    switch (spec.dtype) {
    case DType::F16: {
      uint16_t h;
      std::memcpy(&h, &in[i * size], 2);
      t.data[i] = emu::f16ToFloat(h);
      break;
    }
    case DType::BF16: {
      uint16_t h;
      std::memcpy(&h, &in[i * size], 2);
      uint32_t bits = static_cast<uint32_t>(h) << 16;
      std::memcpy(&t.data[i], &bits, 4);
      break;
    }
    case DType::F32:
      std::memcpy(&t.data[i], &in[i * size], 4);
      break;
    }
  }
  return t;
}

std::string typeString(const TensorSpec &s) {
  std::string out = "tensor<";
  for (int64_t d : s.shape)
    out += std::to_string(d) + "x";
  return out + dtypeName(s.dtype) + ">";
}

int run() {
  if (!(rtol >= 0) || !(atol >= 0) || !std::isfinite(rtol) ||
      !std::isfinite(atol))
    return fail("--rtol and --atol must be non-negative and finite");
  if (!(inputScale > 0) || !std::isfinite(inputScale))
    return fail("--input-scale must be positive and finite");

  // The manifest.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> manifestFile =
      llvm::MemoryBuffer::getFile(bundlePath);
  if (!manifestFile)
    return fail("cannot read '" + bundlePath +
                "': " + manifestFile.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*manifestFile)->getBuffer());
  if (!json)
    return fail(bundlePath + ": " + llvm::toString(json.takeError()));
  llvm::Expected<Manifest> manifest = ManifestReader(bundlePath).read(*json);
  if (!manifest)
    return fail(llvm::toString(manifest.takeError()));

  // The PTX, checked against the manifest.
  llvm::SmallString<256> ptxPath = llvm::sys::path::parent_path(bundlePath);
  llvm::sys::path::append(ptxPath, manifest->ptx);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> ptxFile =
      llvm::MemoryBuffer::getFile(ptxPath);
  if (!ptxFile)
    return fail("cannot read '" + ptxPath +
                "': " + ptxFile.getError().message());
  llvm::StringRef ptxText = (*ptxFile)->getBuffer();
  std::array<uint8_t, 32> digest = llvm::SHA256::hash(
      llvm::ArrayRef<uint8_t>(ptxText.bytes_begin(), ptxText.bytes_end()));
  std::string hexDigest = llvm::toHex(digest, /*LowerCase=*/true);
  if (hexDigest != manifest->sha256)
    return fail(bundlePath + ": 'ptx_sha256' does not match '" + ptxPath +
                "' (" + hexDigest + ")");
  llvm::Expected<emu::Module> module =
      emu::parsePtx(ptxText, llvm::sys::path::filename(ptxPath));
  if (!module) {
    llvm::outs().flush();
    llvm::errs() << llvm::toString(module.takeError()) << "\n";
    return 2;
  }
  for (const KernelLaunch &k : manifest->kernels) {
    const emu::Kernel *kernel = module->lookup(k.name);
    if (!kernel)
      return fail(bundlePath + ": kernel '" + k.name + "' is not in '" +
                  ptxPath + "'");
    if (kernel->params.size() != k.args.size())
      return fail(bundlePath + ": kernel '" + k.name + "' has " +
                  llvm::Twine(k.args.size()) + " arguments, its PTX entry " +
                  llvm::Twine(kernel->params.size()) + " parameters");
    unsigned threads = k.block[0] * k.block[1] * k.block[2];
    if (kernel->maxThreads && threads > kernel->maxThreads)
      return fail(bundlePath + ": kernel '" + k.name + "' is launched with " +
                  llvm::Twine(threads) + " threads, its .maxntid allows " +
                  llvm::Twine(kernel->maxThreads));
  }

  // Everything the run holds, bounded before anything is allocated: the
  // inputs as floats and as device bytes, the outputs as device bytes, as
  // floats and their references, the workspace.
  uint64_t needed = manifest->workspaceBytes;
  for (const TensorSpec &spec : manifest->inputs)
    needed += spec.numElements() * (4 + dtypeBytes(spec.dtype));
  for (const TensorSpec &spec : manifest->outputs)
    needed += spec.numElements() * (8 + dtypeBytes(spec.dtype));
  if (llvm::Error e = checkMemoryNeed(
          needed > uint64_t(INT64_MAX) ? std::nullopt
                                       : std::optional<int64_t>(needed),
          resolveMemoryLimit(memoryLimit), "emulate"))
    return fail(bundlePath + ": " + llvm::toString(std::move(e)) +
                " (option --memory-limit)");

  // Inputs and reference outputs.
  double scale = inputScale.getNumOccurrences()
                     ? inputScale.getValue()
                     : manifest->inputScale.value_or(1.0);
  std::vector<Tensor> inputs;
  for (auto [i, spec] : llvm::enumerate(manifest->inputs)) {
    ValueInfo info;
    info.shape = Shape(spec.shape.begin(), spec.shape.end());
    info.dtype = spec.dtype;
    inputs.push_back(randomInput(info, NumberSystem::Float, seed,
                                 static_cast<unsigned>(i), scale));
  }
  if (!writeInputs.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(writeInputs))
      return fail("--write-inputs: cannot create '" + writeInputs +
                  "': " + ec.message());
    for (auto [i, t] : llvm::enumerate(inputs)) {
      llvm::SmallString<256> path(writeInputs);
      llvm::sys::path::append(path, "input" + llvm::Twine(i) + ".npy");
      if (llvm::Error e = writeNpy(path, t))
        return fail("--write-inputs: " + llvm::toString(std::move(e)));
    }
    return 0;
  }
  std::vector<Tensor> expected;
  if (!expectedDir.empty()) {
    for (auto [i, spec] : llvm::enumerate(manifest->outputs)) {
      llvm::SmallString<256> path(expectedDir);
      llvm::sys::path::append(path, "output" + llvm::Twine(i) + ".npy");
      llvm::Expected<Tensor> t = readNpy(path, spec.dtype);
      if (!t)
        return fail("--expected: " + llvm::toString(t.takeError()));
      if (std::vector<int64_t>(t->shape.begin(), t->shape.end()) != spec.shape)
        return fail("--expected: " + path + " has shape " +
                    formatShape(t->shape) + ", output " + llvm::Twine(i) +
                    " is " + typeString(spec));
      expected.push_back(std::move(*t));
    }
  }

  // Device memory: inputs, outputs (NaN, so that an element no kernel
  // writes fails), the workspace (NaN too).
  emu::EmulatorOptions options;
  options.maxReportsPerKind = maxReports;
  options.maxInstructions = maxInstructions;
  emu::Emulator emulator(*module, options);
  std::vector<uint64_t> inputAddrs, outputAddrs;
  for (auto [i, t] : llvm::enumerate(inputs)) {
    const TensorSpec &spec = manifest->inputs[i];
    uint64_t bytes = spec.numElements() * dtypeBytes(spec.dtype);
    inputAddrs.push_back(
        emulator.allocate("input " + std::to_string(i), bytes, 0));
    toBytes(t, emulator.buffer(inputAddrs.back()));
  }
  for (auto [i, spec] : llvm::enumerate(manifest->outputs))
    outputAddrs.push_back(
        emulator.allocate("output " + std::to_string(i),
                          spec.numElements() * dtypeBytes(spec.dtype), 0xff));
  uint64_t workspace =
      emulator.allocate("workspace", manifest->workspaceBytes, 0xff);

  auto start = std::chrono::steady_clock::now();
  std::clock_t cpuStart = std::clock();
  bool completed = true;
  for (const KernelLaunch &k : manifest->kernels) {
    emu::Launch launch;
    launch.kernel = module->lookup(k.name);
    launch.grid = k.grid;
    launch.block = k.block;
    launch.dynamicSharedBytes = k.sharedBytes;
    for (const KernelArg &a : k.args) {
      uint64_t base = a.buffer == KernelArg::Buffer::Input ? inputAddrs[a.index]
                      : a.buffer == KernelArg::Buffer::Output
                          ? outputAddrs[a.index]
                          : workspace;
      launch.params.push_back(base + a.offset);
    }
    if (!emulator.run(launch)) {
      completed = false;
      break;
    }
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  double cpuSeconds =
      static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;

  // What the checks found.
  llvm::outs().flush();
  for (const emu::Finding &f : emulator.findings())
    llvm::errs() << f.message << "\n";
  uint64_t numFindings = 0;
  for (unsigned k = 0; k < emu::kNumFindingKinds; ++k) {
    auto kind = static_cast<emu::FindingKind>(k);
    uint64_t n = emulator.count(kind);
    numFindings += n;
    if (n > options.maxReportsPerKind)
      llvm::errs() << kTool << ": " << n - options.maxReportsPerKind
                   << " more: " << emu::findingKindName(kind) << "\n";
  }
  if (stats) {
    uint64_t n = emulator.instructionsExecuted();
    llvm::outs() << "emulated " << n << " thread instructions in "
                 << llvm::format("%.3f", seconds) << " s, "
                 << llvm::format("%.3f", cpuSeconds) << " s of CPU ("
                 << llvm::format("%.1f", n / std::max(cpuSeconds, 1e-9) / 1e6)
                 << " million per CPU second)\n";
  }
  if (!completed) {
    llvm::outs() << "FAIL: the emulation stopped at a fatal finding\n";
    return 1;
  }

  if (!writeOutputs.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(writeOutputs))
      return fail("--write-outputs: cannot create '" + writeOutputs +
                  "': " + ec.message());
    for (auto [i, spec] : llvm::enumerate(manifest->outputs)) {
      llvm::SmallString<256> path(writeOutputs);
      llvm::sys::path::append(path, "output" + llvm::Twine(i) + ".npy");
      if (llvm::Error e =
              writeNpy(path, fromBytes(spec, emulator.buffer(outputAddrs[i]))))
        return fail("--write-outputs: " + llvm::toString(std::move(e)));
    }
  }

  if (numFindings)
    llvm::outs() << "FAIL: the checks found " << numFindings << " problem(s)\n";
  std::vector<portable::Comparison> comparisons;
  std::vector<std::vector<int64_t>> shapes;
  for (auto [i, want] : llvm::enumerate(expected)) {
    Tensor got =
        fromBytes(manifest->outputs[i], emulator.buffer(outputAddrs[i]));
    portable::Tolerance t = portable::defaultTolerance(
        want.dtype,
        portable::maxAbsFinite(want.data.data(), want.numElements()));
    if (rtol.getNumOccurrences())
      t.rtol = rtol;
    if (atol.getNumOccurrences())
      t.atol = atol;
    comparisons.push_back(portable::compare(got.data.data(), want.data.data(),
                                            want.numElements(), t));
    shapes.push_back(manifest->outputs[i].shape);
    llvm::outs() << "output " << i << ": " << typeString(manifest->outputs[i])
                 << ": "
                 << portable::summarize(comparisons.back(), shapes.back())
                 << "\n";
  }
  // The one judgement of mirage-cpu-runner too; the checks' findings fail
  // the run as an output that differs does.
  portable::Judgement judgement = portable::judge(comparisons, shapes);
  for (const std::string &line : judgement.failures)
    llvm::outs() << line << "\n";
  llvm::outs().flush();
  if (judgement.exitStatus == 2)
    return fail(judgement.error);
  bool allMatch = numFindings == 0 && judgement.exitStatus == 0;
  if (allMatch) {
    if (expected.empty())
      llvm::outs() << "no reference (--expected): the checks found nothing, "
                      "the outputs are unchecked\n";
    else
      llvm::outs() << "PASS\n";
  }
  llvm::outs().flush();
  return allMatch ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(emuCategory);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "Mirage-MLIR PTX emulator: runs the kernels of a bundle on the CPU "
          "with the interpreter's seeded inputs, checks every memory access, "
          "barrier and warp-wide instruction, and compares the outputs with "
          "reference .npy files.\n\n"
          "Exit code: 0 PASS (or, without --expected, nothing found), 1 "
          "FAIL (a check found a problem or an output differs), 2 error (bad "
          "input, unsupported PTX, or an expected value that is infinite or "
          "NaN: the comparison would check nothing).\n",
          &llvm::errs()))
    return 2;
  return run();
}
