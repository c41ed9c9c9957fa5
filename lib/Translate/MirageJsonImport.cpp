//===- MirageJsonImport.cpp - Import μGraphs saved by Mirage ----*- C++ -*-===//
//
// The reader of Mirage's μGraph JSON (docs/MirageImport.md). It builds the
// compact μGraph (Mirage/Core/UGraph.h) op by op, checking each op against
// the shape rules of Mirage/Support/ShapeRules.h and each declared tensor
// against the inferred one, and then writes the graph as IR with the bridge
// (UGraphExport), whose verifier checks the rest.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Translate/MirageJsonImport.h"

#include "Mirage/Bridge/UGraphExport.h"
#include "Mirage/Dialect/Block/IR/BlockDialect.h"
#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Support/InputNesting.h"
#include "Mirage/Support/ShapeRules.h"
#include "Mirage/Support/Vocabulary.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"

using namespace mirage;
namespace json = llvm::json;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

/// An error whose message starts with the JSON path of the offending value.
Error pathError(const Twine &path, const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (path + ": " + message).str());
}

/// Prefixes the message of `err` (from the shape rules) with `path`.
Error atPath(const Twine &path, Error err) {
  std::string message = llvm::toString(std::move(err));
  return pathError(path, message);
}

std::string fieldPath(const Twine &path, StringRef field) {
  return (path + "." + field).str();
}

std::string indexPath(const Twine &path, size_t index) {
  return (path + "[" + Twine(index) + "]").str();
}

const json::Value *getField(const json::Object &object, StringRef field) {
  return object.get(field);
}

Expected<const json::Object *> asObject(const json::Value &value,
                                        const std::string &path) {
  if (const json::Object *object = value.getAsObject())
    return object;
  return pathError(path, "expected an object");
}

Expected<const json::Array *> asArray(const json::Value &value,
                                      const std::string &path) {
  if (const json::Array *array = value.getAsArray())
    return array;
  return pathError(path, "expected an array");
}

Expected<const json::Value *> requireField(const json::Object &object,
                                           StringRef field,
                                           const std::string &path) {
  if (const json::Value *value = getField(object, field))
    return value;
  return pathError(path, "missing field '" + field + "'");
}

Expected<int64_t> requireInt(const json::Object &object, StringRef field,
                             const std::string &path) {
  Expected<const json::Value *> value = requireField(object, field, path);
  if (!value)
    return value.takeError();
  if (std::optional<int64_t> number = (*value)->getAsInteger())
    return *number;
  return pathError(fieldPath(path, field), "expected an integer");
}

Expected<const json::Array *> requireArray(const json::Object &object,
                                           StringRef field,
                                           const std::string &path) {
  Expected<const json::Value *> value = requireField(object, field, path);
  if (!value)
    return value.takeError();
  return asArray(**value, fieldPath(path, field));
}

/// Mirage's data_type codes. Its numbering changed once: 921 and 941 are
/// both f16, 950 is f32 in the current numbering; 920, 930 and 940 mean
/// different types in the two numberings and are refused.
Expected<DType> parseDataType(int64_t code, const std::string &path) {
  switch (code) {
  case 921:
  case 941:
    return DType::F16;
  case 950:
    return DType::F32;
  case 920:
  case 930:
  case 940:
    return pathError(path, "data_type " + Twine(code) +
                               " is ambiguous: Mirage's two numberings give "
                               "it different types (920: bf16 or int4, 930: "
                               "f32 or fp8, 940: double or bf16)");
  default:
    return pathError(path, "data_type " + Twine(code) +
                               " is not supported (921 or 941: f16; 950: "
                               "f32)");
  }
}

/// A tensor as Mirage writes it: {"guid", "data_type", "num_dims", "dim"
/// (padded to 4 with zeros), "after_accum" (tiles only), ...}.
struct TensorDesc {
  int64_t guid = 0;
  Shape shape;
  DType dtype = DType::F16;
  std::optional<bool> afterAccum;
};

Expected<TensorDesc> parseTensor(const json::Value &value,
                                 const std::string &path) {
  Expected<const json::Object *> object = asObject(value, path);
  if (!object)
    return object.takeError();
  TensorDesc desc;
  Expected<int64_t> guid = requireInt(**object, "guid", path);
  if (!guid)
    return guid.takeError();
  desc.guid = *guid;
  Expected<int64_t> numDims = requireInt(**object, "num_dims", path);
  if (!numDims)
    return numDims.takeError();
  if (*numDims < 1 || *numDims > static_cast<int64_t>(kMaxRank))
    return pathError(fieldPath(path, "num_dims"), "rank " + Twine(*numDims) +
                                                      " is not in [1, " +
                                                      Twine(kMaxRank) + "]");
  Expected<const json::Array *> dims = requireArray(**object, "dim", path);
  if (!dims)
    return dims.takeError();
  if ((*dims)->size() < static_cast<size_t>(*numDims))
    return pathError(fieldPath(path, "dim"), "has " + Twine((*dims)->size()) +
                                                 " entries for " +
                                                 Twine(*numDims) + " dims");
  for (int64_t i = 0; i < *numDims; ++i) {
    std::optional<int64_t> extent = (**dims)[i].getAsInteger();
    std::string dimPath = indexPath(fieldPath(path, "dim"), i);
    if (!extent)
      return pathError(dimPath, "expected an integer");
    if (*extent <= 0)
      return pathError(dimPath,
                       "extent " + Twine(*extent) + " is not positive");
    desc.shape.push_back(*extent);
  }
  Expected<int64_t> code = requireInt(**object, "data_type", path);
  if (!code)
    return code.takeError();
  Expected<DType> dtype = parseDataType(*code, fieldPath(path, "data_type"));
  if (!dtype)
    return dtype.takeError();
  desc.dtype = *dtype;
  if (Error err = checkAddressable(desc.shape, dtypeBytes(desc.dtype)))
    return atPath(fieldPath(path, "dim"), std::move(err));
  if (const json::Value *accum = getField(**object, "after_accum")) {
    std::optional<bool> flag = accum->getAsBoolean();
    if (!flag)
      return pathError(fieldPath(path, "after_accum"), "expected a boolean");
    desc.afterAccum = *flag;
  }
  return desc;
}

/// A map: {"x": d, "y": d, "z": d} (or [d, d, d]), each a data dimension or
/// -1.
Expected<std::array<int64_t, kNumGridAxes>>
parseMap(const json::Object &object, StringRef field, const std::string &path) {
  std::array<int64_t, kNumGridAxes> map = {kReplicate, kReplicate, kReplicate};
  Expected<const json::Value *> value = requireField(object, field, path);
  if (!value)
    return value.takeError();
  std::string mapPath = fieldPath(path, field);
  static constexpr StringRef kAxes[] = {"x", "y", "z"};
  if (const json::Object *axes = (*value)->getAsObject()) {
    for (unsigned a = 0; a < kNumGridAxes; ++a) {
      Expected<int64_t> entry = requireInt(*axes, kAxes[a], mapPath);
      if (!entry)
        return entry.takeError();
      map[a] = *entry;
    }
    return map;
  }
  if (const json::Array *entries = (*value)->getAsArray()) {
    if (entries->size() != kNumGridAxes)
      return pathError(mapPath, "expected 3 entries (x, y, z), got " +
                                    Twine(entries->size()));
    for (unsigned a = 0; a < kNumGridAxes; ++a) {
      std::optional<int64_t> entry = (*entries)[a].getAsInteger();
      if (!entry)
        return pathError(indexPath(mapPath, a), "expected an integer");
      map[a] = *entry;
    }
    return map;
  }
  return pathError(mapPath, "expected an object {x, y, z}");
}

/// A dim3: {"x", "y", "z"}, each positive.
Expected<llvm::SmallVector<int64_t, 3>> parseDim3(const json::Object &object,
                                                  StringRef field,
                                                  const std::string &path) {
  Expected<const json::Value *> value = requireField(object, field, path);
  if (!value)
    return value.takeError();
  std::string dimPath = fieldPath(path, field);
  Expected<const json::Object *> axes = asObject(**value, dimPath);
  if (!axes)
    return axes.takeError();
  llvm::SmallVector<int64_t, 3> dims;
  for (StringRef axis : {"x", "y", "z"}) {
    Expected<int64_t> entry = requireInt(**axes, axis, dimPath);
    if (!entry)
      return entry.takeError();
    dims.push_back(*entry);
  }
  return dims;
}

/// Checks that `strides` (optional field) are the row-major strides of
/// `shape`: the only layout the μGraph's tensors have.
Error checkRowMajorStrides(const json::Object &object, StringRef field,
                           llvm::ArrayRef<int64_t> shape,
                           const std::string &path) {
  const json::Value *value = getField(object, field);
  if (!value)
    return Error::success();
  std::string stridesPath = fieldPath(path, field);
  const json::Array *strides = value->getAsArray();
  if (!strides)
    return pathError(stridesPath, "expected an array");
  if (strides->size() != shape.size())
    return pathError(stridesPath, "has " + Twine(strides->size()) +
                                      " entries for a rank-" +
                                      Twine(shape.size()) + " tensor");
  int64_t expected = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    std::optional<int64_t> stride = (*strides)[i].getAsInteger();
    if (!stride || *stride != expected)
      return pathError(stridesPath,
                       "the tensor " + formatShape(shape) +
                           " must be row-major (strides " + formatShape([&] {
                             Shape rowMajor(shape.size(), 1);
                             for (size_t j = shape.size(); j-- > 1;)
                               rowMajor[j - 1] = rowMajor[j] * shape[j];
                             return rowMajor;
                           }()) +
                           ")");
    expected *= shape[i];
  }
  return Error::success();
}

/// What an op type of Mirage's JSON becomes.
struct OpMapping {
  OpKind kind = OpKind::Add;
  int64_t dim = 0;
  AccumKind accum = AccumKind::None;
  /// Reduction to the launch's reduction dimx (tb_reduction_<d>_to_dimx_op).
  bool toDimx = false;
};

/// `<prefix><d>_op<suffix>` -> d in [0, 2].
std::optional<int64_t> indexedType(StringRef type, StringRef prefix,
                                   StringRef suffix) {
  if (!type.consume_front(prefix) || !type.consume_back(suffix))
    return std::nullopt;
  if (type.size() != 1 || type[0] < '0' || type[0] > '2')
    return std::nullopt;
  return type[0] - '0';
}

/// The element-wise functions both levels share, by Mirage's name.
std::optional<OpKind> elementwiseByName(StringRef name) {
  return llvm::StringSwitch<std::optional<OpKind>>(name)
      .Case("exp", OpKind::Exp)
      .Case("square", OpKind::Square)
      .Case("sqrt", OpKind::Sqrt)
      .Case("silu", OpKind::Silu)
      .Case("gelu", OpKind::Gelu)
      .Case("relu", OpKind::Relu)
      .Case("mul_scalar", OpKind::MulScalar)
      .Case("add", OpKind::Add)
      .Case("mul", OpKind::Mul)
      .Case("div", OpKind::Div)
      .Case("pow", OpKind::Pow)
      .Default(std::nullopt);
}

/// Op types Mirage writes that have no counterpart here; the message says
/// so instead of calling them unknown.
bool isKnownUnsupported(StringRef type) {
  return llvm::StringSwitch<bool>(type)
      .Cases({"kn_sigmoid_op", "tb_sigmoid_op", "kn_log_op", "tb_log_op"}, true)
      .Cases({"kn_clamp_op", "tb_clamp_op", "kn_allreduce_op"}, true)
      .Cases({"kn_unkown", "tb_unkown", "tb_customized_op"}, true)
      .StartsWith("kn_split_", true)
      .StartsWith("tb_split_", true)
      .Default(false);
}

/// Kernel-level op types other than kn_input_op, kn_output_op and
/// kn_customized_op.
std::optional<OpMapping> kernelMapping(StringRef type) {
  OpMapping m;
  if (std::optional<int64_t> d = indexedType(type, "kn_reduction_", "")) {
    m.kind = OpKind::Reduction;
    m.dim = *d;
    return m;
  }
  if (std::optional<int64_t> d = indexedType(type, "kn_concat_", "")) {
    m.kind = OpKind::Concat;
    m.dim = *d;
    return m;
  }
  if (type == "kn_matmul_op") {
    m.kind = OpKind::Matmul;
    return m;
  }
  if (type == "kn_rms_norm_op") {
    m.kind = OpKind::RmsNorm;
    return m;
  }
  if (type.consume_front("kn_") && type.consume_back("_op"))
    if (std::optional<OpKind> kind = elementwiseByName(type)) {
      m.kind = *kind;
      return m;
    }
  return std::nullopt;
}

/// Block-level op types other than tb_input_op and tb_output_op. Mirage has
/// spelled the accumulators `tb_forloop_accum_*` and `tb_accum_*`, and the
/// plain one `nored` and `no_red`.
std::optional<OpMapping> blockMapping(StringRef type) {
  OpMapping m;
  if (std::optional<int64_t> d =
          indexedType(type, "tb_reduction_", "_to_dimx")) {
    m.kind = OpKind::ReductionToDimx;
    m.dim = *d;
    m.toDimx = true;
    return m;
  }
  if (std::optional<int64_t> d = indexedType(type, "tb_reduction_", "")) {
    m.kind = OpKind::Reduction;
    m.dim = *d;
    return m;
  }
  if (std::optional<int64_t> d = indexedType(type, "tb_concat_", "")) {
    m.kind = OpKind::Concat;
    m.dim = *d;
    return m;
  }
  StringRef accum = type;
  if (accum.consume_front("tb_forloop_accum_") ||
      accum.consume_front("tb_accum_")) {
    std::optional<AccumKind> kind =
        llvm::StringSwitch<std::optional<AccumKind>>(accum)
            .Cases({"nored_op", "no_red_op"}, AccumKind::None)
            .Case("red_ld_sum_op", AccumKind::Sum)
            .Case("red_ld_mean_op", AccumKind::Mean)
            .Case("red_ld_rms_op", AccumKind::Rms)
            .Case("redtox_ld_sum_op", AccumKind::SumToDimx)
            .Default(std::nullopt);
    if (!kind)
      return std::nullopt;
    m.kind = OpKind::Accum;
    m.accum = *kind;
    return m;
  }
  if (type == "tb_matmul_op") {
    m.kind = OpKind::Matmul;
    return m;
  }
  if (type == "tb_concat_then_matmul_op") {
    m.kind = OpKind::ConcatMatmul;
    return m;
  }
  if (type == "tb_rms_norm_op") {
    m.kind = OpKind::RmsNorm;
    return m;
  }
  if (type.consume_front("tb_") && type.consume_back("_op"))
    if (std::optional<OpKind> kind = elementwiseByName(type)) {
      m.kind = *kind;
      return m;
    }
  return std::nullopt;
}

/// The number of operands an op kind takes here.
std::optional<size_t> arityOf(OpKind kind) {
  if (isUnaryElementwise(kind))
    return 1;
  if (isBinaryElementwise(kind))
    return 2;
  switch (*asNonElementwiseOpKind(kind)) {
  case NonElementwiseOpKind::Matmul:
    return 2;
  case NonElementwiseOpKind::Reduction:
  case NonElementwiseOpKind::RmsNorm:
  case NonElementwiseOpKind::ReductionToDimx:
  case NonElementwiseOpKind::Accum:
  case NonElementwiseOpKind::Transpose:
  case NonElementwiseOpKind::Reshape:
  case NonElementwiseOpKind::Broadcast:
  case NonElementwiseOpKind::ReduceMax:
  case NonElementwiseOpKind::ReduceMean:
    return 1;
  case NonElementwiseOpKind::ConcatMatmul:
    return 4;
  case NonElementwiseOpKind::Concat:
  case NonElementwiseOpKind::GraphDefined:
  case NonElementwiseOpKind::Loader:
  case NonElementwiseOpKind::Saver:
  case NonElementwiseOpKind::RunningMax:
  // Mirage's format has no constants: no operator maps onto one.
  case NonElementwiseOpKind::Constant:
    return std::nullopt;
  }
  llvm_unreachable("unknown op kind");
}

/// The result of `node` on `operands` by the shape rules (accumulation state
/// included at the block level).
Expected<ValueInfo> inferResult(const OpNode &node,
                                llvm::ArrayRef<const ValueInfo *> operands,
                                const LaunchShape *launch) {
  ValueInfo result = *operands.front();
  for (const ValueInfo *operand : operands.drop_front())
    if (operand->dtype != result.dtype)
      return llvm::createStringError("operands have different data types (" +
                                     Twine(dtypeName(result.dtype)) + ", " +
                                     dtypeName(operand->dtype) + ")");
  if (isUnaryElementwise(node.kind))
    return result;
  auto withShape = [&](Expected<Shape> shape) -> Expected<ValueInfo> {
    if (!shape)
      return shape.takeError();
    result.shape = std::move(*shape);
    return result;
  };
  auto sameAccumulation = [&]() -> Error {
    for (const ValueInfo *operand : operands)
      if (operand->accumulated != result.accumulated)
        return llvm::createStringError(
            "operands mix tiles before and after accumulation");
    return Error::success();
  };
  if (isBinaryElementwise(node.kind)) {
    if (Error err = sameAccumulation())
      return std::move(err);
    return withShape(
        inferBroadcastShape(operands[0]->shape, operands[1]->shape));
  }
  switch (*asNonElementwiseOpKind(node.kind)) {
  case NonElementwiseOpKind::Matmul:
    if (Error err = sameAccumulation())
      return std::move(err);
    return withShape(inferMatmulShape(operands[0]->shape, operands[1]->shape));
  case NonElementwiseOpKind::Reduction:
    return withShape(
        inferReductionShape(operands[0]->shape, node.dim, node.size));
  case NonElementwiseOpKind::ReductionToDimx:
    return withShape(inferReductionShape(operands[0]->shape, node.dim,
                                         launch->reductionDimx));
  case NonElementwiseOpKind::RmsNorm:
    if (Error err = checkRmsNormShape(
            operands[0]->shape,
            node.normalizedShape.empty()
                ? llvm::ArrayRef<int64_t>(operands[0]->shape.back())
                : node.normalizedShape))
      return std::move(err);
    return result;
  case NonElementwiseOpKind::Concat: {
    if (Error err = sameAccumulation())
      return std::move(err);
    llvm::SmallVector<llvm::ArrayRef<int64_t>> shapes;
    for (const ValueInfo *operand : operands)
      shapes.push_back(operand->shape);
    return withShape(inferConcatShape(shapes, node.dim));
  }
  case NonElementwiseOpKind::ConcatMatmul: {
    if (Error err = sameAccumulation())
      return std::move(err);
    Expected<Shape> lhs =
        inferConcatShape({operands[0]->shape, operands[1]->shape},
                         static_cast<int64_t>(operands[0]->shape.size()) - 1);
    if (!lhs)
      return lhs.takeError();
    Expected<Shape> rhs =
        inferConcatShape({operands[2]->shape, operands[3]->shape},
                         static_cast<int64_t>(operands[2]->shape.size()) - 2);
    if (!rhs)
      return rhs.takeError();
    return withShape(inferMatmulShape(*lhs, *rhs));
  }
  case NonElementwiseOpKind::Accum:
    if (result.accumulated)
      return llvm::createStringError(
          "accumulates a tile that is already accumulated");
    result.accumulated = true;
    return withShape(
        inferAccumShape(node.accum, operands[0]->shape, launch->reductionDimx));
  case NonElementwiseOpKind::GraphDefined:
  case NonElementwiseOpKind::Loader:
  case NonElementwiseOpKind::Saver:
  case NonElementwiseOpKind::RunningMax:
  // Mirage's format has no layout ops and no max/mean reductions:
  // kernelMapping and blockMapping never map an operator onto them.
  case NonElementwiseOpKind::Transpose:
  case NonElementwiseOpKind::Reshape:
  case NonElementwiseOpKind::Broadcast:
  case NonElementwiseOpKind::ReduceMax:
  case NonElementwiseOpKind::ReduceMean:
  // Nor constants.
  case NonElementwiseOpKind::Constant:
    break;
  }
  llvm_unreachable("inferResult on an op without a single inferred result");
}

/// Checks a declared tensor against the value it must describe.
Error checkDeclared(const TensorDesc &declared, const ValueInfo &info,
                    const std::string &path, bool checkAccumulation) {
  if (declared.shape != info.shape)
    return pathError(path, "declares shape " + formatShape(declared.shape) +
                               ", but the shape rules give " +
                               formatShape(info.shape));
  if (declared.dtype != info.dtype)
    return pathError(path, "declares data type " +
                               Twine(dtypeName(declared.dtype)) +
                               ", but it is " + dtypeName(info.dtype));
  if (checkAccumulation && declared.afterAccum &&
      *declared.afterAccum != info.accumulated)
    return pathError(path, Twine("declares after_accum ") +
                               (*declared.afterAccum ? "true" : "false") +
                               ", but the tile is " +
                               (info.accumulated ? "after" : "before") +
                               " accumulation");
  return Error::success();
}

/// Reads one μGraph.
class GraphReader {
public:
  explicit GraphReader(MirageJsonGraph &out) : out(out) {}

  Error read(const json::Array &ops, const std::string &path) {
    KernelGraph &graph = out.graph;
    // The inputs first: kn_input_op, in the order they are listed.
    for (auto [i, value] : llvm::enumerate(ops)) {
      std::string opPath = indexPath(path, i);
      Expected<const json::Object *> op = asObject(value, opPath);
      if (!op)
        return op.takeError();
      Expected<StringRef> type = opType(**op, opPath);
      if (!type)
        return type.takeError();
      if (*type != "kn_input_op")
        continue;
      Expected<TensorDesc> tensor =
          singleTensor(**op, "output_tensors", opPath);
      if (!tensor)
        return tensor.takeError();
      if (Error err = checkRowMajorStrides(**op, "input_strides", tensor->shape,
                                           opPath))
        return err;
      ValueInfo info{tensor->shape, tensor->dtype, false};
      if (Error err = bind(kernelGuids, tensor->guid, graph.addInput(info),
                           indexPath(fieldPath(opPath, "output_tensors"), 0)))
        return err;
    }
    if (graph.numInputs == 0)
      return pathError(path, "the μGraph has no kn_input_op");
    for (auto [i, value] : llvm::enumerate(ops)) {
      std::string opPath = indexPath(path, i);
      const json::Object &op = *value.getAsObject();
      StringRef type = *op.getString("op_type");
      if (type == "kn_input_op")
        continue;
      if (type == "kn_output_op") {
        if (Error err = readOutput(op, opPath))
          return err;
        continue;
      }
      if (type == "kn_customized_op") {
        if (Error err = readCustomized(op, opPath))
          return err;
        continue;
      }
      std::optional<OpMapping> mapping = kernelMapping(type);
      if (!mapping)
        return unknownType(type, opPath, /*blockLevel=*/false);
      if (Error err = readComputeOp(op, opPath, *mapping, graph.values,
                                    graph.ops, kernelGuids, nullptr))
        return err;
    }
    if (graph.outputs.empty())
      return pathError(path, "the μGraph has no kn_output_op");
    return Error::success();
  }

private:
  Expected<StringRef> opType(const json::Object &op, const std::string &path) {
    Expected<const json::Value *> type = requireField(op, "op_type", path);
    if (!type)
      return type.takeError();
    if (std::optional<StringRef> name = (*type)->getAsString())
      return *name;
    return pathError(fieldPath(path, "op_type"), "expected a string");
  }

  Error unknownType(StringRef type, const std::string &path, bool blockLevel) {
    std::string where = fieldPath(path, "op_type");
    if (isKnownUnsupported(type))
      return pathError(where, "op type '" + type +
                                  "' has no counterpart in the kernel and "
                                  "block dialects");
    if (type.starts_with(blockLevel ? "kn_" : "tb_"))
      return pathError(where, "op type '" + type + "' belongs to the " +
                                  (blockLevel ? "kernel" : "block") +
                                  " level, not the " +
                                  (blockLevel ? "block" : "kernel") + " level");
    return pathError(where, "unknown op type '" + type + "'");
  }

  Expected<TensorDesc> singleTensor(const json::Object &op, StringRef field,
                                    const std::string &path) {
    Expected<const json::Array *> tensors = requireArray(op, field, path);
    if (!tensors)
      return tensors.takeError();
    if ((*tensors)->size() != 1)
      return pathError(fieldPath(path, field),
                       "expected one tensor, got " + Twine((*tensors)->size()));
    return parseTensor((**tensors)[0], indexPath(fieldPath(path, field), 0));
  }

  Error bind(llvm::DenseMap<int64_t, ValueId> &guids, int64_t guid, ValueId id,
             const std::string &path) {
    if (!guids.try_emplace(guid, id).second)
      return pathError(path,
                       "guid " + Twine(guid) + " is defined a second time");
    return Error::success();
  }

  /// Resolves the tensors of `field` to earlier values and checks their
  /// declared shapes.
  Expected<llvm::SmallVector<ValueId, 4>>
  resolve(const json::Object &op, StringRef field, const std::string &path,
          const llvm::DenseMap<int64_t, ValueId> &guids,
          const std::vector<ValueInfo> &values, bool blockLevel) {
    Expected<const json::Array *> tensors = requireArray(op, field, path);
    if (!tensors)
      return tensors.takeError();
    llvm::SmallVector<ValueId, 4> ids;
    for (auto [i, value] : llvm::enumerate(**tensors)) {
      std::string tensorPath = indexPath(fieldPath(path, field), i);
      Expected<TensorDesc> tensor = parseTensor(value, tensorPath);
      if (!tensor)
        return tensor.takeError();
      auto it = guids.find(tensor->guid);
      if (it == guids.end())
        return pathError(tensorPath, "guid " + Twine(tensor->guid) +
                                         " names no earlier tensor of this " +
                                         (blockLevel ? "block" : "kernel") +
                                         " graph");
      if (Error err = checkDeclared(*tensor, values[it->second], tensorPath,
                                    blockLevel))
        return std::move(err);
      ids.push_back(it->second);
    }
    return ids;
  }

  Error readOutput(const json::Object &op, const std::string &path) {
    KernelGraph &graph = out.graph;
    Expected<llvm::SmallVector<ValueId, 4>> ids =
        resolve(op, "input_tensors", path, kernelGuids, graph.values, false);
    if (!ids)
      return ids.takeError();
    if (ids->size() != 1)
      return pathError(fieldPath(path, "input_tensors"),
                       "expected one tensor, got " + Twine(ids->size()));
    if (getField(op, "output_map")) {
      Expected<std::array<int64_t, kNumGridAxes>> map =
          parseMap(op, "output_map", path);
      if (!map)
        return map.takeError();
      if (llvm::any_of(*map, [](int64_t d) { return d != kReplicate; }))
        return pathError(fieldPath(path, "output_map"),
                         "a kernel output must not be partitioned (every "
                         "entry -1)");
    }
    if (Error err = checkRowMajorStrides(
            op, "output_strides", graph.values[ids->front()].shape, path))
      return err;
    graph.outputs.push_back(ids->front());
    return Error::success();
  }

  /// Reads an op that computes one value from its operands, at either level.
  Error readComputeOp(const json::Object &op, const std::string &path,
                      const OpMapping &mapping, std::vector<ValueInfo> &values,
                      std::vector<OpNode> &ops,
                      llvm::DenseMap<int64_t, ValueId> &guids,
                      const LaunchShape *launch) {
    bool blockLevel = launch != nullptr;
    Expected<llvm::SmallVector<ValueId, 4>> operands =
        resolve(op, "input_tensors", path, guids, values, blockLevel);
    if (!operands)
      return operands.takeError();
    OpNode node = makeOpNode(mapping.kind, *operands);
    node.dim = mapping.dim;
    node.accum = mapping.accum;
    std::optional<size_t> arity = arityOf(mapping.kind);
    if (mapping.kind == OpKind::Concat ? operands->size() < 2
                                       : operands->size() != *arity)
      return pathError(fieldPath(path, "input_tensors"),
                       "'" + *op.getString("op_type") + "' takes " +
                           (arity ? Twine(*arity) : Twine("two or more")) +
                           " tensors, got " + Twine(operands->size()));
    Expected<TensorDesc> declared = singleTensor(op, "output_tensors", path);
    if (!declared)
      return declared.takeError();
    if (mapping.kind == OpKind::MulScalar) {
      const json::Value *scalar = getField(op, "scalar");
      std::optional<double> factor =
          scalar ? scalar->getAsNumber() : std::nullopt;
      if (!factor)
        return pathError(path, "a mul_scalar needs its factor (a number in "
                               "field 'scalar')");
      node.scalarA = *factor;
    }
    const ValueInfo &input = values[operands->front()];
    if (mapping.kind == OpKind::Reduction) {
      // A reduction of dim d to the size the declared result has there
      // (Mirage's reduction_dim_size; 1 for a plain sum).
      if (mapping.dim >= static_cast<int64_t>(input.shape.size()))
        return pathError(fieldPath(path, "op_type"),
                         "reduces dim " + Twine(mapping.dim) + " of a rank-" +
                             Twine(input.shape.size()) + " tensor");
      node.size = 1;
      if (const json::Value *size = getField(op, "reduction_dim_size")) {
        std::optional<int64_t> n = size->getAsInteger();
        if (!n)
          return pathError(fieldPath(path, "reduction_dim_size"),
                           "expected an integer");
        node.size = *n;
      } else if (!blockLevel && declared->shape.size() == input.shape.size()) {
        node.size = declared->shape[mapping.dim];
      }
      if (node.size <= 0)
        return pathError(path, "reduction size " + Twine(node.size) +
                                   " is not positive");
    }
    if (mapping.kind == OpKind::RmsNorm && !blockLevel) {
      // normalized_size: the product of the trailing dims normalized over
      // (the last dim when absent).
      int64_t size = input.shape.back();
      if (const json::Value *field = getField(op, "normalized_size")) {
        std::optional<int64_t> n = field->getAsInteger();
        if (!n)
          return pathError(fieldPath(path, "normalized_size"),
                           "expected an integer");
        size = *n;
      }
      int64_t product = 1;
      for (size_t i = input.shape.size(); i-- > 0 && product < size;) {
        product *= input.shape[i];
        node.normalizedShape.insert(node.normalizedShape.begin(),
                                    input.shape[i]);
      }
      if (product != size)
        return pathError(fieldPath(path, "normalized_size"),
                         Twine(size) +
                             " is not the size of trailing dims "
                             "of " +
                             formatShape(input.shape));
    }
    llvm::SmallVector<const ValueInfo *, 4> operandInfos;
    for (ValueId id : *operands)
      operandInfos.push_back(&values[id]);
    Expected<ValueInfo> result = inferResult(node, operandInfos, launch);
    if (!result)
      return atPath(path, result.takeError());
    std::string resultPath = indexPath(fieldPath(path, "output_tensors"), 0);
    if (Error err = checkDeclared(*declared, *result, resultPath, blockLevel))
      return err;
    ValueId id = addValue(values, *result);
    node.results.push_back(id);
    if (Error err = bind(guids, declared->guid, id, resultPath))
      return err;
    append(ops, std::move(node), path);
    return Error::success();
  }

  void append(std::vector<OpNode> &ops, OpNode node, const std::string &path) {
    node.location = static_cast<int32_t>(out.paths.size());
    out.paths.push_back(path);
    ops.push_back(std::move(node));
  }

  Error readCustomized(const json::Object &op, const std::string &path) {
    KernelGraph &graph = out.graph;
    Expected<llvm::SmallVector<ValueId, 4>> inputs =
        resolve(op, "input_tensors", path, kernelGuids, graph.values, false);
    if (!inputs)
      return inputs.takeError();
    if (inputs->empty())
      return pathError(fieldPath(path, "input_tensors"),
                       "a graph-defined kernel needs at least one input");
    Expected<const json::Array *> outputs =
        requireArray(op, "output_tensors", path);
    if (!outputs)
      return outputs.takeError();
    if ((*outputs)->empty())
      return pathError(fieldPath(path, "output_tensors"),
                       "a graph-defined kernel needs at least one output");
    llvm::SmallVector<TensorDesc, 2> declaredOutputs;
    for (auto [i, value] : llvm::enumerate(**outputs)) {
      Expected<TensorDesc> tensor =
          parseTensor(value, indexPath(fieldPath(path, "output_tensors"), i));
      if (!tensor)
        return tensor.takeError();
      declaredOutputs.push_back(std::move(*tensor));
    }
    Expected<const json::Value *> bgraphValue =
        requireField(op, "bgraph", path);
    if (!bgraphValue)
      return bgraphValue.takeError();
    std::string bgPath = fieldPath(path, "bgraph");
    Expected<const json::Object *> bgraph = asObject(**bgraphValue, bgPath);
    if (!bgraph)
      return bgraph.takeError();

    BlockGraph block;
    Expected<llvm::SmallVector<int64_t, 3>> grid =
        parseDim3(**bgraph, "grid_dim", bgPath);
    if (!grid)
      return grid.takeError();
    Expected<llvm::SmallVector<int64_t, 3>> threads =
        parseDim3(**bgraph, "block_dim", bgPath);
    if (!threads)
      return threads.takeError();
    Expected<int64_t> forloop = requireInt(**bgraph, "forloop_range", bgPath);
    if (!forloop)
      return forloop.takeError();
    block.launch.grid = *grid;
    block.launch.block = *threads;
    block.launch.forloopRange = *forloop;
    if (getField(**bgraph, "reduction_dimx")) {
      Expected<int64_t> dimx = requireInt(**bgraph, "reduction_dimx", bgPath);
      if (!dimx)
        return dimx.takeError();
      block.launch.reductionDimx = *dimx;
    }
    if (Error err = checkLaunchShape(block.launch))
      return atPath(bgPath, std::move(err));

    // The kernel's inputs are the block graph's first values; a loader names
    // its input by the guid of the kernel tensor it loads.
    llvm::DenseMap<int64_t, ValueId> dtensorInputs;
    for (ValueId input : *inputs) {
      int64_t guid = guidOf(input);
      dtensorInputs.try_emplace(guid, static_cast<ValueId>(block.numInputs));
      addValue(block.values, graph.values[input]);
      ++block.numInputs;
    }
    llvm::DenseMap<int64_t, unsigned> outputIndex;
    for (auto [i, tensor] : llvm::enumerate(declaredOutputs))
      if (!outputIndex.try_emplace(tensor.guid, i).second)
        return pathError(indexPath(fieldPath(path, "output_tensors"), i),
                         "guid " + Twine(tensor.guid) + " is listed twice");
    llvm::SmallVector<ValueId, 2> savers(declaredOutputs.size(), -1);

    std::string opsPath = fieldPath(bgPath, "operators");
    Expected<const json::Array *> operators =
        requireArray(**bgraph, "operators", bgPath);
    if (!operators)
      return operators.takeError();
    llvm::DenseMap<int64_t, ValueId> tileGuids;
    for (auto [i, value] : llvm::enumerate(**operators)) {
      std::string opPath = indexPath(opsPath, i);
      Expected<const json::Object *> blockOp = asObject(value, opPath);
      if (!blockOp)
        return blockOp.takeError();
      Expected<StringRef> type = opType(**blockOp, opPath);
      if (!type)
        return type.takeError();
      if (*type == "tb_input_op") {
        if (Error err =
                readLoader(**blockOp, opPath, block, dtensorInputs, tileGuids))
          return err;
        continue;
      }
      if (*type == "tb_output_op") {
        if (Error err = readSaver(**blockOp, opPath, block, declaredOutputs,
                                  outputIndex, savers, tileGuids))
          return err;
        continue;
      }
      std::optional<OpMapping> mapping = blockMapping(*type);
      if (!mapping)
        return unknownType(*type, opPath, /*blockLevel=*/true);
      if (Error err = readComputeOp(**blockOp, opPath, *mapping, block.values,
                                    block.ops, tileGuids, &block.launch))
        return err;
    }
    for (auto [i, saver] : llvm::enumerate(savers)) {
      if (saver < 0)
        return pathError(indexPath(fieldPath(path, "output_tensors"), i),
                         "no tb_output_op of the block graph writes guid " +
                             Twine(declaredOutputs[i].guid));
      block.outputs.push_back(saver);
    }

    OpNode node = makeOpNode(OpKind::GraphDefined, *inputs);
    node.blockGraph = static_cast<int32_t>(graph.blockGraphs.size());
    for (auto [i, tensor] : llvm::enumerate(declaredOutputs)) {
      ValueId id = addValue(graph.values, block.values[savers[i]]);
      graph.values[id].accumulated = false;
      node.results.push_back(id);
      if (Error err = bind(kernelGuids, tensor.guid, id,
                           indexPath(fieldPath(path, "output_tensors"), i)))
        return err;
    }
    graph.blockGraphs.push_back(std::move(block));
    append(graph.ops, std::move(node), path);
    return Error::success();
  }

  Error readLoader(const json::Object &op, const std::string &path,
                   BlockGraph &block,
                   const llvm::DenseMap<int64_t, ValueId> &dtensorInputs,
                   llvm::DenseMap<int64_t, ValueId> &tileGuids) {
    Expected<const json::Value *> dtensorValue =
        requireField(op, "dtensor", path);
    if (!dtensorValue)
      return dtensorValue.takeError();
    std::string dtensorPath = fieldPath(path, "dtensor");
    Expected<TensorDesc> dtensor = parseTensor(**dtensorValue, dtensorPath);
    if (!dtensor)
      return dtensor.takeError();
    auto it = dtensorInputs.find(dtensor->guid);
    if (it == dtensorInputs.end())
      return pathError(dtensorPath, "guid " + Twine(dtensor->guid) +
                                        " is not an input of this "
                                        "kn_customized_op");
    const ValueInfo &tensor = block.values[it->second];
    if (Error err = checkDeclared(*dtensor, tensor, dtensorPath, false))
      return err;
    Expected<std::array<int64_t, kNumGridAxes>> imap =
        parseMap(op, "input_map", path);
    if (!imap)
      return imap.takeError();
    if (Error err = checkInputMap(*imap, tensor.shape.size()))
      return atPath(fieldPath(path, "input_map"), std::move(err));
    Expected<int64_t> forloopDim = requireInt(op, "forloop_dim", path);
    if (!forloopDim)
      return forloopDim.takeError();
    if (*forloopDim != kReplicate &&
        (*forloopDim < 0 ||
         *forloopDim >= static_cast<int64_t>(tensor.shape.size())))
      return pathError(fieldPath(path, "forloop_dim"),
                       Twine(*forloopDim) + " is not a dim of " +
                           formatShape(tensor.shape) + " or -1");
    Expected<Shape> tile =
        inferLoaderTileShape(tensor.shape, *imap, *forloopDim, block.launch);
    if (!tile)
      return atPath(path, tile.takeError());
    Expected<TensorDesc> declared = singleTensor(op, "output_tensors", path);
    if (!declared)
      return declared.takeError();
    ValueInfo info{*tile, tensor.dtype, false};
    std::string resultPath = indexPath(fieldPath(path, "output_tensors"), 0);
    if (Error err = checkDeclared(*declared, info, resultPath, true))
      return err;
    OpNode node = makeOpNode(OpKind::Loader, {it->second});
    node.map = *imap;
    node.dim = *forloopDim;
    ValueId id = addValue(block.values, info);
    node.results.push_back(id);
    if (Error err = bind(tileGuids, declared->guid, id, resultPath))
      return err;
    append(block.ops, std::move(node), path);
    return Error::success();
  }

  Error readSaver(const json::Object &op, const std::string &path,
                  BlockGraph &block, llvm::ArrayRef<TensorDesc> declaredOutputs,
                  const llvm::DenseMap<int64_t, unsigned> &outputIndex,
                  llvm::SmallVectorImpl<ValueId> &savers,
                  const llvm::DenseMap<int64_t, ValueId> &tileGuids) {
    Expected<llvm::SmallVector<ValueId, 4>> operands =
        resolve(op, "input_tensors", path, tileGuids, block.values, true);
    if (!operands)
      return operands.takeError();
    if (operands->size() != 1)
      return pathError(fieldPath(path, "input_tensors"),
                       "expected one tile, got " + Twine(operands->size()));
    const ValueInfo &tile = block.values[operands->front()];
    if (const json::Value *forloopDim = getField(op, "forloop_dim"))
      if (forloopDim->getAsInteger() != std::optional<int64_t>(kReplicate))
        return pathError(fieldPath(path, "forloop_dim"),
                         "an output saved in every for-loop iteration is not "
                         "supported (only -1)");
    if (const json::Value *epilogue = getField(op, "epilogue")) {
      std::optional<int64_t> code = epilogue->getAsInteger();
      std::optional<StringRef> name = epilogue->getAsString();
      bool none = (code && *code == 3100) ||
                  (name && (*name == "TB_EPILOGUE_NONE" || *name == "none"));
      if (!none && !epilogue->getAsNull())
        return pathError(fieldPath(path, "epilogue"),
                         "only outputs without an epilogue are supported");
    }
    Expected<std::array<int64_t, kNumGridAxes>> omap =
        parseMap(op, "output_map", path);
    if (!omap)
      return omap.takeError();
    if (Error err = checkOutputMap(*omap, tile.shape.size(), block.launch.grid))
      return atPath(fieldPath(path, "output_map"), std::move(err));
    if (!tile.accumulated)
      return pathError(fieldPath(path, "input_tensors"),
                       "a saved tile must be after accumulation (a "
                       "tb_*accum* op's result)");
    Expected<Shape> shape =
        inferSaverTensorShape(tile.shape, *omap, block.launch);
    if (!shape)
      return atPath(path, shape.takeError());
    Expected<const json::Value *> dtensorValue =
        requireField(op, "dtensor", path);
    if (!dtensorValue)
      return dtensorValue.takeError();
    std::string dtensorPath = fieldPath(path, "dtensor");
    Expected<TensorDesc> dtensor = parseTensor(**dtensorValue, dtensorPath);
    if (!dtensor)
      return dtensor.takeError();
    ValueInfo info{*shape, tile.dtype, false};
    if (Error err = checkDeclared(*dtensor, info, dtensorPath, false))
      return err;
    auto it = outputIndex.find(dtensor->guid);
    if (it == outputIndex.end())
      return pathError(dtensorPath, "guid " + Twine(dtensor->guid) +
                                        " is not an output of this "
                                        "kn_customized_op");
    if (savers[it->second] >= 0)
      return pathError(dtensorPath,
                       "guid " + Twine(dtensor->guid) + " is written twice");
    if (Error err = checkDeclared(declaredOutputs[it->second], info,
                                  dtensorPath, false))
      return err;
    OpNode node = makeOpNode(OpKind::Saver, *operands);
    node.map = *omap;
    ValueId id = addValue(block.values, info);
    node.results.push_back(id);
    savers[it->second] = id;
    append(block.ops, std::move(node), path);
    return Error::success();
  }

  int64_t guidOf(ValueId id) const {
    for (const auto &[guid, value] : kernelGuids)
      if (value == id)
        return guid;
    llvm_unreachable("a kernel value without a guid");
  }

  MirageJsonGraph &out;
  llvm::DenseMap<int64_t, ValueId> kernelGuids;
};

} // namespace

Expected<std::vector<MirageJsonGraph>> mirage::parseMirageJson(StringRef text) {
  if (std::optional<NestingViolation> deep = findExcessiveNesting(text))
    return llvm::createStringError(
        llvm::formatv("line {0}, column {1}: brackets nest deeper than {2} "
                      "levels",
                      deep->line, deep->column, kMaxInputNesting)
            .str());
  Expected<json::Value> root = json::parse(text);
  if (!root) {
    // llvm::json reports "[line:column, byte=offset]: message".
    std::string message = llvm::toString(root.takeError());
    unsigned line = 0, column = 0;
    StringRef rest = message;
    if (rest.consume_front("[") && !rest.consumeInteger(10, line) &&
        rest.consume_front(":") && !rest.consumeInteger(10, column)) {
      auto [position, detail] = rest.split("]: ");
      (void)position;
      return llvm::createStringError(
          llvm::formatv("line {0}, column {1}: malformed JSON: {2}", line,
                        column, detail)
              .str());
    }
    return llvm::createStringError("malformed JSON: " + message);
  }
  const json::Array *list = root->getAsArray();
  if (!list)
    return pathError("$", "expected a list of operators (one μGraph) or a "
                          "list of μGraphs");
  if (list->empty())
    return pathError("$", "the list holds no μGraph");
  // One μGraph is a list of operator objects; a saved file is a list of
  // such lists.
  bool many = (*list)[0].getAsArray() != nullptr;
  std::vector<MirageJsonGraph> graphs;
  auto readOne = [&](const json::Array &ops, std::string path) -> Error {
    graphs.emplace_back();
    GraphReader reader(graphs.back());
    return reader.read(ops, path);
  };
  if (!many) {
    if (Error err = readOne(*list, "$"))
      return std::move(err);
    return graphs;
  }
  for (auto [i, value] : llvm::enumerate(*list)) {
    std::string path = indexPath("$", i);
    const json::Array *ops = value.getAsArray();
    if (!ops)
      return pathError(path, "expected a μGraph (a list of operators)");
    if (Error err = readOne(*ops, path))
      return std::move(err);
  }
  return graphs;
}

mlir::OwningOpRef<mlir::ModuleOp>
mirage::importMirageJson(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
                         const MirageJsonImportOptions &options) {
  context->loadDialect<mlir::func::FuncDialect, kernel::KernelDialect,
                       block::BlockDialect>();
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  mlir::Location fileLoc =
      mlir::FileLineColLoc::get(context, buffer->getBufferIdentifier(), 0, 0);
  Expected<std::vector<MirageJsonGraph>> graphs =
      parseMirageJson(buffer->getBuffer());
  if (!graphs) {
    // Errors at a position of the text ("line L, column C: ...") point
    // there; the others name a JSON path and point at the file.
    std::string message = llvm::toString(graphs.takeError());
    StringRef rest = message;
    unsigned line = 0, column = 0;
    mlir::Location loc = fileLoc;
    if (rest.consume_front("line ") && !rest.consumeInteger(10, line) &&
        rest.consume_front(", column ") && !rest.consumeInteger(10, column) &&
        rest.consume_front(": ")) {
      loc = mlir::FileLineColLoc::get(context, buffer->getBufferIdentifier(),
                                      line, column);
      message = rest.str();
    }
    mlir::emitError(loc) << message;
    return nullptr;
  }
  if (options.index && *options.index >= graphs->size()) {
    mlir::emitError(fileLoc)
        << "--mirage-json-index=" << *options.index << " is out of range: the "
        << "file holds " << graphs->size() << " μGraph(s)";
    return nullptr;
  }
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(fileLoc);
  mlir::OpBuilder builder(module->getBodyRegion());
  for (auto [i, entry] : llvm::enumerate(*graphs)) {
    if (options.index && i != *options.index)
      continue;
    std::string name = options.functionName;
    if (graphs->size() > 1 && !options.index)
      name += "_" + std::to_string(i);
    LocationTable locations;
    for (const std::string &path : entry.paths)
      locations.push_back(
          mlir::NameLoc::get(mlir::StringAttr::get(context, path), fileLoc));
    mlir::FailureOr<mlir::func::FuncOp> func = createFunctionFromGraph(
        builder, fileLoc, name, entry.graph, locations, fileLoc);
    if (failed(func))
      return nullptr;
  }
  return module;
}

void mirage::registerMirageJsonImport() {
  static llvm::cl::opt<std::string> functionName(
      "mirage-json-function",
      llvm::cl::desc("Name of the imported functions (with "
                     "--import-mirage-json): NAME for one μGraph, NAME_<i> "
                     "for the i-th of a list"),
      llvm::cl::init("mugraph"));
  static llvm::cl::opt<int> index(
      "mirage-json-index",
      llvm::cl::desc("Import only the μGraph at this index of a list (with "
                     "--import-mirage-json; -1: all)"),
      llvm::cl::init(-1));
  static mlir::TranslateToMLIRRegistration registration(
      "import-mirage-json",
      "Import a μGraph (or a list of μGraphs) saved as JSON by the original "
      "Mirage",
      [](llvm::SourceMgr &sourceMgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        MirageJsonImportOptions options;
        options.functionName = functionName;
        if (index < -1) {
          mlir::emitError(mlir::UnknownLoc::get(context))
              << "--mirage-json-index must be -1 (all) or an index, got "
              << index.getValue();
          return nullptr;
        }
        if (index >= 0)
          options.index = static_cast<unsigned>(index);
        return importMirageJson(sourceMgr, context, options);
      },
      [](mlir::DialectRegistry &registry) {
        registry.insert<mlir::func::FuncDialect, kernel::KernelDialect,
                        block::BlockDialect>();
      });
}
