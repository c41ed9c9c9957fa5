//===- Manifest.cpp - The launch manifest of a bundle ---------------------===//

#include "MirageRuntime/Manifest.h"
#include "MirageRuntime/Json.h"
#include "MirageRuntime/Ptx.h"
#include "MirageRuntime/Sha256.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <initializer_list>

using namespace mirage::rt;

std::string TensorSpec::describe() const {
  return formatShape(shape) + " " + dtypeName(dtype);
}

const char *mirage::rt::bufferKindName(BufferKind kind) {
  switch (kind) {
  case BufferKind::Input:
    return "input";
  case BufferKind::Output:
    return "output";
  case BufferKind::Workspace:
    return "workspace";
  }
  return "?";
}

int64_t KernelArg::extentBytes() const {
  // Extents and strides are below 2^40 (kMaxExtent), so the products need
  // 80 bits; the result saturates, which any buffer size then fails.
  __int128 last = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    last += static_cast<__int128>(shape[i] - 1) * strides[i];
  __int128 bytes = (last + 1) * static_cast<__int128>(dtypeBytes(dtype));
  return bytes > INT64_MAX ? INT64_MAX : static_cast<int64_t>(bytes);
}

int64_t Manifest::bufferBytes(BufferKind kind, unsigned index) const {
  switch (kind) {
  case BufferKind::Input:
    return static_cast<int64_t>(inputs[index].byteSize());
  case BufferKind::Output:
    return static_cast<int64_t>(outputs[index].byteSize());
  case BufferKind::Workspace:
    return workspaceBytes;
  }
  return 0;
}

static std::string tensorType(const TensorSpec &spec) {
  std::string text = "tensor<";
  for (int64_t d : spec.shape)
    text += std::to_string(d) + "x";
  return text + dtypeName(spec.dtype) + ">";
}

std::string Manifest::signature() const {
  std::string text = "(";
  for (size_t i = 0; i < inputs.size(); ++i)
    text += (i ? ", " : "") + tensorType(inputs[i]);
  text += ") -> ";
  if (outputs.size() != 1)
    text += "(";
  for (size_t i = 0; i < outputs.size(); ++i)
    text += (i ? ", " : "") + tensorType(outputs[i]);
  if (outputs.size() != 1)
    text += ")";
  return text;
}

int Manifest::chipComputeCapability() const {
  if (chip.compare(0, 3, "sm_") != 0)
    return 0;
  size_t i = 3;
  int cc = 0;
  while (i < chip.size() && std::isdigit(static_cast<unsigned char>(chip[i]))) {
    if (cc > 10000)
      return 0; // and no overflow of many digits
    cc = cc * 10 + (chip[i++] - '0');
  }
  if (i == 3 || cc > 10000)
    return 0;
  while (i < chip.size() && std::isalpha(static_cast<unsigned char>(chip[i])))
    ++i;
  return i == chip.size() ? cc : 0;
}

//===----------------------------------------------------------------------===//
// Schema checks
//===----------------------------------------------------------------------===//

// Every extent, stride and offset is below 2^40, so sums of products of two
// of them stay far from int64 overflow, and every element count below 2^62.
static constexpr int64_t kMaxExtent = int64_t(1) << 40;

static std::string member(const std::string &path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

static std::string element(const std::string &path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

static Status typeError(const std::string &path, const char *expected,
                        const JsonValue &got) {
  return Status::error(path + ": expected " + expected + ", got " +
                       got.brief());
}

/// Checks that `v` is an object with every `required` key and no key
/// outside `required` and `optional`.
static Status checkKeys(const JsonValue &v, const std::string &path,
                        std::initializer_list<std::string_view> required,
                        std::initializer_list<std::string_view> optional = {}) {
  std::string where = path.empty() ? "manifest" : path;
  if (!v.isObject())
    return typeError(where, "an object", v);
  for (std::string_view key : required)
    if (!v.find(key))
      return Status::error(where + ": missing key \"" + std::string(key) +
                           "\"");
  for (const JsonValue::Member &m : v.getObject()) {
    bool known = false;
    for (std::string_view key : required)
      known |= m.first == key;
    for (std::string_view key : optional)
      known |= m.first == key;
    if (!known)
      return Status::error(where + ": unknown key \"" + m.first + "\"");
  }
  return Status::success();
}

static Status readString(const JsonValue &v, const std::string &path,
                         std::string &out) {
  if (!v.isString())
    return typeError(path, "a string", v);
  if (v.getString().empty())
    return Status::error(path + ": must not be empty");
  out = v.getString();
  return Status::success();
}

static Status readInteger(const JsonValue &v, const std::string &path,
                          int64_t min, int64_t max, int64_t &out) {
  if (!v.isInteger() || v.getInteger() < min || v.getInteger() > max)
    return Status::error(path + ": expected an integer in [" +
                         std::to_string(min) + ", " + std::to_string(max) +
                         "], got " + v.brief());
  out = v.getInteger();
  return Status::success();
}

static Status readDType(const JsonValue &v, const std::string &path,
                        DType &out) {
  if (!v.isString())
    return typeError(path, "a dtype string", v);
  std::optional<DType> dtype = parseDType(v.getString());
  if (!dtype)
    return Status::error(path + ": unsupported dtype " + v.brief() +
                         " (expected \"f16\", \"bf16\" or \"f32\")");
  out = *dtype;
  return Status::success();
}

/// An array of integers in [min, kMaxExtent); `shape` bounds the element
/// count too.
static Status readIntList(const JsonValue &v, const std::string &path,
                          int64_t min, bool isShape, Shape &out) {
  if (!v.isArray())
    return typeError(path, "an array of integers", v);
  out.clear();
  int64_t count = 1;
  for (size_t i = 0; i < v.getArray().size(); ++i) {
    int64_t d;
    Status s =
        readInteger(v.getArray()[i], element(path, i), min, kMaxExtent - 1, d);
    if (!s.ok())
      return s;
    if (isShape) {
      if (count > (kMaxExtent << 20) / d)
        return Status::error(path + ": too many elements");
      count *= d;
    }
    out.push_back(d);
  }
  return Status::success();
}

static Status readDim3(const JsonValue &v, const std::string &path,
                       std::array<unsigned, 3> &out) {
  if (!v.isArray() || v.getArray().size() != 3)
    return typeError(path, "an array of 3 integers [x, y, z]", v);
  // CUDA's limits on every current GPU.
  static constexpr int64_t kMax[3] = {2147483647, 65535, 65535};
  for (size_t i = 0; i < 3; ++i) {
    int64_t d;
    Status s = readInteger(v.getArray()[i], element(path, i), 1, kMax[i], d);
    if (!s.ok())
      return s;
    out[i] = static_cast<unsigned>(d);
  }
  return Status::success();
}

static Status readTensorSpec(const JsonValue &v, const std::string &path,
                             TensorSpec &out) {
  Status s = checkKeys(v, path, {"shape", "dtype"});
  if (s.ok())
    s = readIntList(*v.find("shape"), member(path, "shape"), 1, true,
                    out.shape);
  if (s.ok())
    s = readDType(*v.find("dtype"), member(path, "dtype"), out.dtype);
  return s;
}

static Status readTensorSpecs(const JsonValue &v, const std::string &path,
                              std::vector<TensorSpec> &out) {
  if (!v.isArray())
    return typeError(path, "an array", v);
  for (size_t i = 0; i < v.getArray().size(); ++i) {
    TensorSpec spec;
    Status s = readTensorSpec(v.getArray()[i], element(path, i), spec);
    if (!s.ok())
      return s;
    out.push_back(std::move(spec));
  }
  return Status::success();
}

static Status readArg(const JsonValue &v, const std::string &path,
                      const Manifest &manifest, KernelArg &arg) {
  Status s = checkKeys(v, path,
                       {"buffer", "offset_bytes", "shape", "dtype", "strides"},
                       {"index"});
  if (!s.ok())
    return s;
  const JsonValue &buffer = *v.find("buffer");
  std::string bufferPath = member(path, "buffer");
  if (!buffer.isString())
    return typeError(bufferPath, "a string", buffer);
  if (buffer.getString() == "input")
    arg.buffer = BufferKind::Input;
  else if (buffer.getString() == "output")
    arg.buffer = BufferKind::Output;
  else if (buffer.getString() == "workspace")
    arg.buffer = BufferKind::Workspace;
  else
    return Status::error(bufferPath +
                         ": expected \"input\", \"output\" or "
                         "\"workspace\", got " +
                         buffer.brief());
  size_t count = arg.buffer == BufferKind::Input    ? manifest.inputs.size()
                 : arg.buffer == BufferKind::Output ? manifest.outputs.size()
                                                    : 1;
  const JsonValue *index = v.find("index");
  if (!index && arg.buffer != BufferKind::Workspace)
    return Status::error(path + ": missing key \"index\" (which " +
                         bufferKindName(arg.buffer) + ")");
  int64_t i = 0;
  if (index) {
    if (!index->isInteger())
      return typeError(member(path, "index"), "an integer", *index);
    i = index->getInteger();
    if (i < 0 || static_cast<size_t>(i) >= count)
      return Status::error(
          member(path, "index") + ": " + bufferKindName(arg.buffer) + " " +
          std::to_string(i) + " does not exist (the function has " +
          std::to_string(count) + " " + bufferKindName(arg.buffer) +
          (arg.buffer == BufferKind::Workspace || count == 1 ? "" : "s") + ")");
  }
  arg.index = static_cast<unsigned>(i);
  if (!(s = readInteger(*v.find("offset_bytes"), member(path, "offset_bytes"),
                        0, kMaxExtent - 1, arg.offsetBytes))
           .ok() ||
      !(s = readIntList(*v.find("shape"), member(path, "shape"), 1, true,
                        arg.shape))
           .ok() ||
      !(s = readDType(*v.find("dtype"), member(path, "dtype"), arg.dtype))
           .ok() ||
      !(s = readIntList(*v.find("strides"), member(path, "strides"), 0, false,
                        arg.strides))
           .ok())
    return s;
  if (arg.strides.size() != arg.shape.size())
    return Status::error(
        member(path, "strides") + ": " + std::to_string(arg.strides.size()) +
        " strides for a shape of rank " + std::to_string(arg.shape.size()));
  std::string bufferName =
      std::string(bufferKindName(arg.buffer)) +
      (arg.buffer == BufferKind::Workspace ? ""
                                           : " " + std::to_string(arg.index));
  if (arg.buffer != BufferKind::Workspace) {
    const TensorSpec &spec = arg.buffer == BufferKind::Input
                                 ? manifest.inputs[arg.index]
                                 : manifest.outputs[arg.index];
    if (spec.dtype != arg.dtype)
      return Status::error(member(path, "dtype") + ": " + dtypeName(arg.dtype) +
                           ", but " + bufferName + " is " +
                           dtypeName(spec.dtype));
  }
  auto size = static_cast<int64_t>(dtypeBytes(arg.dtype));
  if (arg.offsetBytes % size)
    return Status::error(member(path, "offset_bytes") + ": " +
                         std::to_string(arg.offsetBytes) +
                         " is not a multiple of the " + dtypeName(arg.dtype) +
                         " element size (" + std::to_string(size) + ")");
  int64_t extent = arg.extentBytes();
  int64_t end = extent > INT64_MAX - arg.offsetBytes ? INT64_MAX
                                                     : arg.offsetBytes + extent;
  int64_t available = manifest.bufferBytes(arg.buffer, arg.index);
  if (end > available)
    return Status::error(
        path + ": the view " + formatShape(arg.shape) + " " +
        dtypeName(arg.dtype) + " with strides " + formatShape(arg.strides) +
        " at offset " + std::to_string(arg.offsetBytes) + " ends at byte " +
        std::to_string(end) + ", past the end of " + bufferName + " (" +
        std::to_string(available) + " bytes)");
  return Status::success();
}

static Status readKernel(const JsonValue &v, const std::string &path,
                         const Manifest &manifest, KernelSpec &kernel) {
  Status s = checkKeys(
      v, path,
      {"name", "grid", "block", "dynamic_shared_memory_bytes", "args"});
  if (!s.ok() ||
      !(s = readString(*v.find("name"), member(path, "name"), kernel.name))
           .ok() ||
      !(s = readDim3(*v.find("grid"), member(path, "grid"), kernel.grid))
           .ok() ||
      !(s = readDim3(*v.find("block"), member(path, "block"), kernel.block))
           .ok())
    return s;
  int64_t threads =
      int64_t(kernel.block[0]) * kernel.block[1] * kernel.block[2];
  if (threads > 1024)
    return Status::error(member(path, "block") + ": " +
                         std::to_string(threads) +
                         " threads per block, CUDA allows at most 1024");
  int64_t smem;
  if (!(s = readInteger(*v.find("dynamic_shared_memory_bytes"),
                        member(path, "dynamic_shared_memory_bytes"), 0,
                        2147483647, smem))
           .ok())
    return s;
  kernel.dynamicSharedMemoryBytes = static_cast<unsigned>(smem);
  const JsonValue &args = *v.find("args");
  std::string argsPath = member(path, "args");
  if (!args.isArray())
    return typeError(argsPath, "an array", args);
  for (size_t i = 0; i < args.getArray().size(); ++i) {
    KernelArg arg;
    if (!(s = readArg(args.getArray()[i], element(argsPath, i), manifest, arg))
             .ok())
      return s;
    kernel.args.push_back(std::move(arg));
  }
  return Status::success();
}

static bool isLowerHex(const std::string &s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  return true;
}

Expected<Manifest> mirage::rt::parseManifest(std::string_view jsonText) {
  Expected<JsonValue> parsed = parseJson(jsonText);
  if (!parsed)
    return Status::error("invalid JSON: " + parsed.message());
  const JsonValue &root = *parsed;
  if (!root.isObject())
    return typeError("manifest", "an object", root);

  // Format and version first: a manifest of another version may use other
  // keys, and "unsupported version" is the useful message then.
  const JsonValue *format = root.find("format");
  if (!format)
    return Status::error("manifest: missing key \"format\"");
  if (!format->isString() || format->getString() != "mirage-bundle")
    return Status::error("format: expected \"mirage-bundle\", got " +
                         format->brief());
  const JsonValue *version = root.find("version");
  if (!version)
    return Status::error("manifest: missing key \"version\"");
  if (!version->isInteger())
    return typeError("version", "an integer", *version);
  if (version->getInteger() != kManifestVersion)
    return Status::error("version: unsupported bundle version " +
                         std::to_string(version->getInteger()) +
                         " (this runtime reads version " +
                         std::to_string(kManifestVersion) + ")");

  Manifest m;
  Status s =
      checkKeys(root, "",
                {"format", "version", "function", "chip", "ptx", "ptx_sha256",
                 "signature", "workspace_bytes", "kernels"},
                {"input_scale"});
  if (!s.ok() ||
      !(s = readString(*root.find("function"), "function", m.function)).ok() ||
      !(s = readString(*root.find("chip"), "chip", m.chip)).ok() ||
      !(s = readString(*root.find("ptx"), "ptx", m.ptx)).ok() ||
      !(s = readString(*root.find("ptx_sha256"), "ptx_sha256", m.ptxSha256))
           .ok())
    return s;
  if (!m.chipComputeCapability())
    return Status::error("chip: expected an NVIDIA architecture such as "
                         "\"sm_90\", got \"" +
                         m.chip + "\"");
  if (m.ptx.find('/') != std::string::npos || m.ptx == "." || m.ptx == "..")
    return Status::error("ptx: expected a file name in the manifest's "
                         "directory, got \"" +
                         m.ptx + "\"");
  if (m.ptxSha256.size() != 64 || !isLowerHex(m.ptxSha256))
    return Status::error("ptx_sha256: expected 64 lower-case hex digits, "
                         "got \"" +
                         m.ptxSha256 + "\"");

  // The scale of the seeded random inputs (the function's
  // mirage.input_scale): mirage-run's default --scale.
  if (const JsonValue *scale = root.find("input_scale")) {
    double d = scale->isNumber() ? scale->getNumber() : 0.0;
    if (!(d > 0) || !std::isfinite(d))
      return typeError("input_scale", "a positive finite number", *scale);
    m.inputScale = d;
  }

  const JsonValue &signature = *root.find("signature");
  if (!(s = checkKeys(signature, "signature", {"inputs", "outputs"})).ok() ||
      !(s = readTensorSpecs(*signature.find("inputs"), "signature.inputs",
                            m.inputs))
           .ok() ||
      !(s = readTensorSpecs(*signature.find("outputs"), "signature.outputs",
                            m.outputs))
           .ok())
    return s;
  if (m.outputs.empty())
    return Status::error("signature.outputs: a function needs at least one "
                         "output");
  if (!(s = readInteger(*root.find("workspace_bytes"), "workspace_bytes", 0,
                        kMaxExtent - 1, m.workspaceBytes))
           .ok())
    return s;

  const JsonValue &kernels = *root.find("kernels");
  if (!kernels.isArray())
    return typeError("kernels", "an array", kernels);
  if (kernels.getArray().empty())
    return Status::error("kernels: a bundle needs at least one kernel");
  for (size_t i = 0; i < kernels.getArray().size(); ++i) {
    KernelSpec kernel;
    if (!(s = readKernel(kernels.getArray()[i], element("kernels", i), m,
                         kernel))
             .ok())
      return s;
    // Every kernel of a bundle is launched once: a name listed twice is a
    // duplicated entry, not a second launch.
    for (size_t j = 0; j < m.kernels.size(); ++j)
      if (m.kernels[j].name == kernel.name)
        return Status::error(member(element("kernels", i), "name") + ": \"" +
                             kernel.name + "\" is already kernels[" +
                             std::to_string(j) +
                             "] (each kernel is launched once)");
    m.kernels.push_back(std::move(kernel));
  }
  return m;
}

//===----------------------------------------------------------------------===//
// Against the PTX
//===----------------------------------------------------------------------===//

Status mirage::rt::checkManifestAgainstPtx(const Manifest &manifest,
                                           std::string_view ptxText) {
  std::string digest = sha256Hex(ptxText);
  if (digest != manifest.ptxSha256)
    return Status::error("ptx_sha256: the manifest records " +
                         manifest.ptxSha256 + " but " + manifest.ptx +
                         " hashes to " + digest +
                         " (the PTX changed after the bundle was written, or "
                         "the manifest belongs to another PTX)");
  Expected<PtxModule> module = scanPtx(ptxText);
  if (!module)
    return Status::error(manifest.ptx + ": " + module.message());
  if (!module->targets.empty() && module->targets.front() != manifest.chip)
    return Status::error("chip: the manifest says " + manifest.chip + " but " +
                         manifest.ptx + " targets " + module->targets.front());
  for (size_t k = 0; k < manifest.kernels.size(); ++k) {
    const KernelSpec &kernel = manifest.kernels[k];
    std::string path = element("kernels", k);
    const PtxEntry *entry = module->findEntry(kernel.name);
    if (!entry) {
      std::string names;
      for (const PtxEntry &e : module->entries)
        names += (names.empty() ? "" : ", ") + e.name;
      return Status::error(
          path + ".name: no .entry \"" + kernel.name + "\" in " + manifest.ptx +
          " (its entries: " + (names.empty() ? "none" : names) + ")");
    }
    if (entry->params.size() != kernel.args.size())
      return Status::error(path + ": .entry " + kernel.name + " in " +
                           manifest.ptx + " takes " +
                           std::to_string(entry->params.size()) +
                           " parameters but the manifest lists " +
                           std::to_string(kernel.args.size()) + " args");
    for (size_t p = 0; p < entry->params.size(); ++p)
      if (!entry->params[p].isPointerSized)
        return Status::error(
            path + ": parameter " + std::to_string(p) + " of .entry " +
            kernel.name + " is '" + entry->params[p].text +
            "', not a 64-bit pointer (every argument is passed as one "
            "device pointer)");
  }
  // The compiler launches every kernel it emits: an entry the manifest never
  // launches means a kernel entry was lost from it.
  for (const PtxEntry &entry : module->entries) {
    bool launched = false;
    for (const KernelSpec &kernel : manifest.kernels)
      launched |= kernel.name == entry.name;
    if (!launched)
      return Status::error(
          "kernels: .entry " + entry.name + " of " + manifest.ptx +
          " is never launched (the manifest lists " +
          std::to_string(manifest.kernels.size()) + " kernel" +
          (manifest.kernels.size() == 1 ? "" : "s") + "; one is missing)");
  }
  return Status::success();
}
