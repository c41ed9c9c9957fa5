//===- Bundle.cpp - PTX + launch manifest bundles -------------------------===//
//
// Builds the launch manifest of a compiled function from its host side (the
// gpu.launch_func ops left by outlining) and writes bundles without ever
// leaving a partial one behind. See Mirage/Target/Bundle.h and
// docs/Lowering.md.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Target/Bundle.h"

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mirage::target;

namespace {

/// The manifest's name of an element type (the portable dtypeName), or ""
/// when it has none.
StringRef dtypeOf(Type type) {
  std::optional<::mirage::DType> dtype = ::mirage::toDType(type);
  return dtype ? ::mirage::dtypeName(*dtype) : "";
}

/// A buffer of the bundle's calling convention.
struct BufferRef {
  StringRef buffer; // "input", "output" or "workspace"
  int64_t index = 0;
  int64_t offsetBytes = 0;
};

/// The function's view of its buffers: inputs, outputs, then the workspace.
struct Signature {
  int64_t numInputs = 0;
  int64_t numOutputs = 0;
  int64_t workspaceBytes = 0;
};

FailureOr<Signature> readSignature(func::FuncOp func) {
  // The attribute's verifier has checked it against the arguments.
  auto abi = func->getAttrOfType<::mirage::structured::AbiAttr>(
      ::mirage::structured::AbiAttr::kName);
  if (!abi)
    return func.emitOpError()
           << "needs '" << ::mirage::structured::AbiAttr::kName
           << "', the calling convention the structured "
              "level gives a function";
  if (abi.getNumOutputs() == 0)
    return func.emitOpError()
           << "has no outputs (its " << ::mirage::structured::AbiAttr::kName
           << " gives none): a bundle needs at least one "
              "output";
  return Signature{abi.getNumInputs(), abi.getNumOutputs(), abi.getWorkspace()};
}

/// The buffer a kernel argument points into: a function argument, or a view
/// of the workspace at a constant offset.
FailureOr<BufferRef> traceArgument(Value v, func::FuncOp func,
                                   const Signature &sig) {
  auto ofArgument = [&](BlockArgument arg) -> std::optional<BufferRef> {
    if (arg.getOwner() != &func.getBody().front())
      return std::nullopt;
    int64_t i = arg.getArgNumber();
    if (i < sig.numInputs)
      return BufferRef{"input", i, 0};
    if (i < sig.numInputs + sig.numOutputs)
      return BufferRef{"output", i - sig.numInputs, 0};
    return BufferRef{"workspace", 0, 0};
  };
  if (auto arg = dyn_cast<BlockArgument>(v))
    if (std::optional<BufferRef> ref = ofArgument(arg))
      return *ref;
  if (auto view = v.getDefiningOp<memref::ViewOp>()) {
    auto base = dyn_cast<BlockArgument>(view.getSource());
    std::optional<BufferRef> ref = base ? ofArgument(base) : std::nullopt;
    APInt shift;
    if (ref && ref->buffer == "workspace" &&
        matchPattern(view.getByteShift(), m_ConstantInt(&shift))) {
      ref->offsetBytes = shift.getSExtValue();
      return *ref;
    }
  }
  return failure();
}

/// Writes {"shape": [...], "dtype": ...} and, with `strides`, the row-major
/// strides.
void writeTensor(llvm::json::OStream &json, MemRefType type, bool strides) {
  json.attributeArray("shape", [&] {
    for (int64_t extent : type.getShape())
      json.value(extent);
  });
  json.attribute("dtype", dtypeOf(type.getElementType()));
  if (!strides)
    return;
  json.attributeArray("strides", [&] {
    for (int64_t stride : type.getStridesAndOffset().first)
      json.value(stride);
  });
}

/// What the manifest says about one launch.
struct KernelEntry {
  std::string name;
  int64_t grid[3];
  int64_t block[3];
  int64_t sharedBytes = 0;
  SmallVector<std::pair<BufferRef, MemRefType>> args;
};

FailureOr<KernelEntry> readLaunch(gpu::LaunchFuncOp launch, func::FuncOp func,
                                  const Signature &sig) {
  KernelEntry entry;
  entry.name = launch.getKernelName().str();
  Value sizes[6] = {launch.getGridSizeX(),  launch.getGridSizeY(),
                    launch.getGridSizeZ(),  launch.getBlockSizeX(),
                    launch.getBlockSizeY(), launch.getBlockSizeZ()};
  for (int i = 0; i < 6; ++i) {
    std::optional<int64_t> size = getConstantIntValue(sizes[i]);
    if (!size)
      return launch.emitOpError()
             << "kernel '" << entry.name
             << "' needs a constant launch shape for the manifest";
    (i < 3 ? entry.grid[i] : entry.block[i - 3]) = *size;
  }
  if (Value shared = launch.getDynamicSharedMemorySize()) {
    std::optional<int64_t> bytes = getConstantIntValue(shared);
    if (!bytes)
      return launch.emitOpError()
             << "kernel '" << entry.name
             << "' needs a constant dynamic shared memory size";
    entry.sharedBytes = *bytes;
  }
  for (auto [i, arg] : llvm::enumerate(launch.getKernelOperands())) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        dtypeOf(type.getElementType()).empty())
      return launch.emitOpError()
             << "kernel '" << entry.name << "' argument " << i << " has type "
             << arg.getType()
             << "; the bundle passes static row-major buffers of f16, bf16 "
                "or f32";
    FailureOr<BufferRef> ref = traceArgument(arg, func, sig);
    if (failed(ref))
      return launch.emitOpError()
             << "kernel '" << entry.name << "' argument " << i
             << " is neither a function argument nor a view of the workspace "
                "at a constant offset";
    entry.args.push_back({*ref, type});
  }
  return entry;
}

/// The PTX text of the gpu.binary named `name`.
FailureOr<StringRef> ptxOf(func::FuncOp func, StringAttr name) {
  auto binary = SymbolTable::lookupNearestSymbolFrom<gpu::BinaryOp>(
      func, FlatSymbolRefAttr::get(name));
  if (!binary || binary.getObjects().size() != 1)
    return func.emitOpError() << "needs one gpu.binary '" << name.getValue()
                              << "' with one object (run "
                                 "gpu-module-to-binary for one target)";
  auto object = cast<gpu::ObjectAttr>(binary.getObjects()[0]);
  if (object.getFormat() != gpu::CompilationTarget::Assembly)
    return binary.emitOpError() << "must hold PTX text (format=isa)";
  return object.getObject().getValue();
}

} // namespace

LogicalResult mirage::target::buildBundle(func::FuncOp func, StringRef chip,
                                          SmallVectorImpl<BundleFile> &files) {
  FailureOr<Signature> sig = readSignature(func);
  if (failed(sig))
    return failure();
  SmallVector<KernelEntry> kernels;
  StringAttr binaryName;
  WalkResult walk = func.walk([&](gpu::LaunchFuncOp launch) {
    if (binaryName && launch.getKernelModuleName() != binaryName) {
      launch.emitOpError() << "launches a kernel of another gpu.module than "
                              "the function's other kernels";
      return WalkResult::interrupt();
    }
    binaryName = launch.getKernelModuleName();
    FailureOr<KernelEntry> entry = readLaunch(launch, func, *sig);
    if (failed(entry))
      return WalkResult::interrupt();
    kernels.push_back(std::move(*entry));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  if (kernels.empty())
    return func.emitOpError() << "launches no kernel: there is no PTX to put "
                                 "in a bundle";
  FailureOr<StringRef> ptx = ptxOf(func, binaryName);
  if (failed(ptx))
    return failure();

  // The function's input scale goes to the manifest, where mirage-run takes
  // it as the default of --scale.
  std::optional<double> inputScale;
  if (func->hasAttr(::mirage::kInputScaleAttrName)) {
    FailureOr<double> scale = ::mirage::getInputScale(func);
    if (failed(scale))
      return failure();
    inputScale = *scale;
  }

  std::string name = func.getSymName().str();
  std::array<uint8_t, 32> digest = llvm::SHA256::hash(
      ArrayRef(reinterpret_cast<const uint8_t *>(ptx->data()), ptx->size()));
  std::string manifest;
  llvm::raw_string_ostream os(manifest);
  llvm::json::OStream json(os, /*IndentSize=*/2);
  ArrayRef<Type> argTypes = func.getArgumentTypes();
  json.object([&] {
    json.attribute("format", "mirage-bundle");
    json.attribute("version", 1);
    json.attribute("function", name);
    json.attribute("chip", chip);
    json.attribute("ptx", name + ".ptx");
    json.attribute("ptx_sha256", llvm::toHex(digest, /*LowerCase=*/true));
    json.attributeObject("signature", [&] {
      auto tensors = [&](StringRef key, ArrayRef<Type> types) {
        json.attributeArray(key, [&] {
          for (Type type : types)
            json.object(
                [&] { writeTensor(json, cast<MemRefType>(type), false); });
        });
      };
      tensors("inputs", argTypes.take_front(sig->numInputs));
      tensors("outputs",
              argTypes.drop_front(sig->numInputs).take_front(sig->numOutputs));
    });
    if (inputScale)
      json.attribute("input_scale", *inputScale);
    json.attribute("workspace_bytes", sig->workspaceBytes);
    json.attributeArray("kernels", [&] {
      for (const KernelEntry &kernel : kernels)
        json.object([&] {
          json.attribute("name", kernel.name);
          json.attributeArray("grid", [&] {
            for (int64_t g : kernel.grid)
              json.value(g);
          });
          json.attributeArray("block", [&] {
            for (int64_t b : kernel.block)
              json.value(b);
          });
          json.attribute("dynamic_shared_memory_bytes", kernel.sharedBytes);
          json.attributeArray("args", [&] {
            for (const auto &arg : kernel.args)
              json.object([&] {
                json.attribute("buffer", arg.first.buffer);
                json.attribute("index", arg.first.index);
                json.attribute("offset_bytes", arg.first.offsetBytes);
                writeTensor(json, arg.second, true);
              });
          });
        });
    });
  });
  os << "\n";
  files.push_back({name + ".ptx", ptx->str()});
  files.push_back({name + ".json", std::move(manifest)});
  return success();
}

LogicalResult mirage::target::writeBundleFiles(StringRef dir,
                                               ArrayRef<BundleFile> files,
                                               Location loc) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return emitError(loc) << "cannot create the output directory '" << dir
                          << "': " << ec.message();
  SmallVector<std::string> temporaries;
  auto discard = [&] {
    for (const std::string &path : temporaries)
      (void)llvm::sys::fs::remove(path);
  };
  for (const BundleFile &file : files) {
    SmallString<256> model(dir);
    llvm::sys::path::append(model, "." + file.name + ".tmp-%%%%%%%%");
    SmallString<256> path;
    int fd;
    if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, path)) {
      discard();
      return emitError(loc) << "cannot write to the output directory '" << dir
                            << "': " << ec.message();
    }
    temporaries.push_back(path.str().str());
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << file.contents;
    os.close();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      discard();
      return emitError(loc) << "cannot write '" << path << "': " << message;
    }
  }
  // A rename cannot fail halfway; should one fail, the files renamed before
  // it go too, so that no partial bundle is left.
  SmallVector<std::string> renamed;
  for (auto [file, temporary] : llvm::zip_equal(files, temporaries)) {
    SmallString<256> target(dir);
    llvm::sys::path::append(target, file.name);
    if (std::error_code ec = llvm::sys::fs::rename(temporary, target)) {
      discard();
      for (const std::string &path : renamed)
        (void)llvm::sys::fs::remove(path);
      return emitError(loc)
             << "cannot create '" << target << "': " << ec.message();
    }
    renamed.push_back(target.str().str());
  }
  return success();
}
