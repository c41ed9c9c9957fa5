//===- AbstractExpr.cpp - Abstract expressions of μGraph values -----------===//

#include "Mirage/Search/AbstractExpr.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mirage;

ExprId ExprPool::make(ENode node) {
  auto it = memo.find(node);
  if (it != memo.end())
    return it->second;
  ExprId id = static_cast<ExprId>(nodes.size());
  memo.try_emplace(node, id);
  nodes.push_back(std::move(node));
  return id;
}

/// The operator table: every abstract function of the vocabulary, by its
/// mnemonic, then the operators of the expressions alone.
static std::vector<OpSignature> abstractSignatures() {
  std::vector<OpSignature> signatures;
  for (const OpKindInfo &info : opKindInfos()) {
    std::optional<AbsOp> abs = abstractOp(info.kind());
    if (!abs)
      continue;
    // clamp's bounds are constant operands.
    int arity = info.kind() == OpKind::Clamp ? 3 : info.unary ? 1 : 2;
    signatures.push_back({info.mnemonic, op(*abs), PayloadKind::None, arity});
  }
  for (auto [kind, payload, arity] :
       {std::tuple{AbsOp::Var, PayloadKind::Integer, 0},
        std::tuple{AbsOp::Const, PayloadKind::Real, 0},
        std::tuple{AbsOp::Opaque, PayloadKind::Integer, 0},
        std::tuple{AbsOp::Sum, PayloadKind::Integer, 1},
        std::tuple{AbsOp::Rms, PayloadKind::Integer, 1},
        std::tuple{AbsOp::Max, PayloadKind::Integer, 1}})
    signatures.push_back({stringifyAbsOp(kind), op(kind), payload, arity});
  return signatures;
}

const OpTable &mirage::abstractOpTable() {
  static const OpTable table(abstractSignatures());
  return table;
}

//===----------------------------------------------------------------------===//
// Builder
//===----------------------------------------------------------------------===//

ExprId AbstractExprBuilder::make(AbsOp kind, uint64_t payload,
                                 llvm::ArrayRef<ExprId> children) {
  ExprId id = pool.make(ENode(op(kind), payload, children));
  if (id >= opaqueFlags.size()) {
    bool isOpaque = kind == AbsOp::Opaque;
    for (ExprId child : children)
      isOpaque = isOpaque || this->isOpaque(child);
    opaqueFlags.resize(id + 1, false);
    opaqueFlags[id] = isOpaque;
  }
  return id;
}

bool AbstractExprBuilder::isOpaque(ExprId id) const {
  return id < opaqueFlags.size() && opaqueFlags[id];
}

ExprId AbstractExprBuilder::var(int64_t index) {
  return make(AbsOp::Var, static_cast<uint64_t>(index), {});
}

ExprId AbstractExprBuilder::constant(double value) {
  if (value == 0)
    value = 0; // one zero, not two
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return make(AbsOp::Const, bits, {});
}

ExprId AbstractExprBuilder::opaque() {
  return make(AbsOp::Opaque, nextOpaque++, {});
}

ExprId AbstractExprBuilder::unary(AbsOp kind, ExprId x) {
  return make(kind, 0, {x});
}

ExprId AbstractExprBuilder::binary(AbsOp kind, ExprId lhs, ExprId rhs) {
  return make(kind, 0, {lhs, rhs});
}

ExprId AbstractExprBuilder::clamp(ExprId x, double lo, double hi) {
  return make(AbsOp::Clamp, 0, {x, constant(lo), constant(hi)});
}

ExprId AbstractExprBuilder::sum(int64_t n, ExprId x) {
  if (n == 1)
    return x;
  return make(AbsOp::Sum, static_cast<uint64_t>(n), {x});
}

ExprId AbstractExprBuilder::mean(int64_t n, ExprId x) {
  if (n == 1)
    return x;
  return div(sum(n, x), constant(static_cast<double>(n)));
}

ExprId AbstractExprBuilder::rms(int64_t n, ExprId x) {
  return make(AbsOp::Rms, static_cast<uint64_t>(n), {x});
}

ExprId AbstractExprBuilder::max(int64_t n, ExprId x) {
  if (n == 1)
    return x;
  return make(AbsOp::Max, static_cast<uint64_t>(n), {x});
}

//===----------------------------------------------------------------------===//
// Per-op expressions
//===----------------------------------------------------------------------===//

static int64_t lastDim(const ValueInfo &info) {
  return info.shape.empty() ? 1 : info.shape.back();
}

static int64_t dimOf(const ValueInfo &info, int64_t dim) {
  if (dim < 0 || dim >= static_cast<int64_t>(info.shape.size()))
    return 1;
  return info.shape[dim];
}

/// x / rms(n, x) (times the weight), or with eps: x / sqrt(mean(x^2) + eps).
static ExprId rmsNormExpr(AbstractExprBuilder &b, const OpNode &op, int64_t n,
                          llvm::ArrayRef<ExprId> operands) {
  ExprId x = operands[0];
  ExprId denominator =
      op.scalarA == 0
          ? b.rms(n, x)
          : b.unary(AbsOp::Sqrt, b.add(b.mean(n, b.unary(AbsOp::Square, x)),
                                       b.constant(op.scalarA)));
  ExprId result = b.div(x, denominator);
  if (operands.size() > 1)
    result = b.mul(result, operands[1]);
  return result;
}

static ExprId accumExpr(AbstractExprBuilder &b, const OpNode &op,
                        const ValueInfo &input, llvm::ArrayRef<ExprId> operands,
                        const LaunchShape &launch) {
  ExprId x = operands[0];
  int64_t frange = launch.forloopRange;
  int64_t n = frange * lastDim(input);
  switch (op.accum) {
  case AccumKind::None:
    return b.sum(frange, x);
  case AccumKind::Sum:
    return b.sum(n, x);
  case AccumKind::Mean:
    return b.mean(n, x);
  case AccumKind::Rms:
    return b.rms(n, x);
  case AccumKind::SumToDimx:
    return b.sum(std::max<int64_t>(1, n / launch.reductionDimx), x);
  case AccumKind::Max:
    return b.max(frange, x);
  case AccumKind::Rescale:
    // acc = acc * scale + x, with scale = exp(m_{i-1} - m_i) of a running
    // maximum: the rescaling makes every iteration's term count under the
    // final maximum, which is what the abstraction of running_max's `max`
    // stands for. So the accumulator is the plain sum of its input over the
    // iterations; the scale is not part of the expression.
    return b.sum(frange, x);
  }
  return b.opaque();
}

llvm::SmallVector<ExprId, 2> mirage::buildAbstractExprs(
    AbstractExprBuilder &b, const OpNode &op, llvm::ArrayRef<ValueInfo> values,
    llvm::ArrayRef<ExprId> valueExprs, const LaunchShape *launch) {
  llvm::SmallVector<ExprId, 4> operands;
  for (ValueId id : op.operands)
    operands.push_back(valueExprs[id]);
  auto operandInfo = [&](unsigned i) -> const ValueInfo & {
    return values[op.operands[i]];
  };
  auto opaqueResults = [&] {
    llvm::SmallVector<ExprId, 2> results;
    for (size_t i = 0; i < op.results.size(); ++i)
      results.push_back(b.opaque());
    return results;
  };

  if (isElementwise(op.kind)) {
    // Every element-wise function is its own operator, except the two
    // that carry attributes.
    if (op.kind == OpKind::Clamp)
      return {b.clamp(operands[0], op.scalarA, op.scalarB)};
    if (op.kind == OpKind::MulScalar)
      return {b.mul(operands[0], b.constant(op.scalarA))};
    // -x is x * -1; a cast only rounds, which the expressions ignore.
    if (op.kind == OpKind::Neg)
      return {b.mul(operands[0], b.constant(-1.0))};
    if (op.kind == OpKind::Cast)
      return {operands[0]};
    std::optional<AbsOp> kind = abstractOp(op.kind);
    if (!kind)
      llvm::report_fatal_error(llvm::Twine("no abstract expression for ") +
                               opKindName(op.kind));
    if (operands.size() == 1)
      return {b.unary(*kind, operands[0])};
    return {b.binary(*kind, operands[0], operands[1])};
  }
  switch (*asNonElementwiseOpKind(op.kind)) {
  case NonElementwiseOpKind::Matmul:
    return {b.sum(lastDim(operandInfo(0)), b.mul(operands[0], operands[1]))};
  case NonElementwiseOpKind::ConcatMatmul:
    return {
        b.add(b.sum(lastDim(operandInfo(0)), b.mul(operands[0], operands[2])),
              b.sum(lastDim(operandInfo(1)), b.mul(operands[1], operands[3])))};
  case NonElementwiseOpKind::Reduction: {
    int64_t extent = dimOf(operandInfo(0), op.dim);
    int64_t size = std::max<int64_t>(1, op.size);
    return {b.sum(std::max<int64_t>(1, extent / size), operands[0])};
  }
  case NonElementwiseOpKind::ReduceMean:
    return {b.mean(dimOf(operandInfo(0), op.dim), operands[0])};
  case NonElementwiseOpKind::ReduceMax:
    // As the max accumulator: no index-free expression captures a maximum.
    return opaqueResults();
  case NonElementwiseOpKind::ReductionToDimx: {
    int64_t extent = dimOf(operandInfo(0), op.dim);
    int64_t dimx = launch ? launch->reductionDimx : 1;
    return {b.sum(std::max<int64_t>(1, extent / dimx), operands[0])};
  }
  case NonElementwiseOpKind::RmsNorm: {
    int64_t n = lastDim(operandInfo(0));
    if (!op.normalizedShape.empty())
      n = numElements(op.normalizedShape);
    return {rmsNormExpr(b, op, n, operands)};
  }
  case NonElementwiseOpKind::Loader:
  case NonElementwiseOpKind::Saver:
    // Partitioning is ignored: a tile stands for the tensor it comes from.
    return {operands[0]};
  case NonElementwiseOpKind::Accum:
    if (!launch)
      return opaqueResults();
    return {accumExpr(b, op, operandInfo(0), operands, *launch)};
  // Layout ops move elements without computing: the expression of a
  // tensor does not say where its elements lie, so a transpose, reshape or
  // broadcast is its operand's expression (docs/AbstractExpressions.md).
  case NonElementwiseOpKind::Transpose:
  case NonElementwiseOpKind::Reshape:
  case NonElementwiseOpKind::Broadcast:
    return {operands[0]};
  case NonElementwiseOpKind::RunningMax: {
    // `max` is the maximum over the dimension and all iterations (the value
    // it has when the loop ends: index-free, the running maximum stands for
    // the final one, as a tile stands for its tensor); `diff`, the
    // difference of two successive maxima, has no sound abstraction.
    if (!launch)
      return opaqueResults();
    int64_t n = launch->forloopRange * dimOf(operandInfo(0), op.dim);
    return {b.max(n, operands[0]), b.opaque()};
  }
  case NonElementwiseOpKind::Constant:
    // The same constant as mul_scalar's factor: mul(x, c) and
    // mul_scalar(x, c) have one expression.
    return {b.constant(op.scalarA)};
  case NonElementwiseOpKind::Concat:
  case NonElementwiseOpKind::GraphDefined:
    return opaqueResults();
  }
  llvm_unreachable("unknown op kind");
}

std::vector<ExprId>
mirage::computeBlockGraphExprs(AbstractExprBuilder &b, const BlockGraph &graph,
                               llvm::ArrayRef<ExprId> inputs) {
  std::vector<ExprId> exprs(graph.values.size(), 0);
  for (unsigned i = 0; i < graph.numInputs && i < inputs.size(); ++i)
    exprs[i] = inputs[i];
  for (const OpNode &op : graph.ops) {
    llvm::SmallVector<ExprId, 2> results =
        buildAbstractExprs(b, op, graph.values, exprs, &graph.launch);
    for (size_t i = 0; i < op.results.size() && i < results.size(); ++i)
      exprs[op.results[i]] = results[i];
  }
  return exprs;
}

AbstractExprs mirage::computeAbstractExprs(AbstractExprBuilder &b,
                                           const KernelGraph &graph) {
  AbstractExprs result;
  result.values.assign(graph.values.size(), 0);
  result.blockValues.resize(graph.blockGraphs.size());
  for (unsigned i = 0; i < graph.numInputs; ++i)
    result.values[i] = b.var(i);
  for (const OpNode &op : graph.ops) {
    if (op.kind == OpKind::GraphDefined && op.blockGraph >= 0 &&
        op.blockGraph < static_cast<int32_t>(graph.blockGraphs.size())) {
      const BlockGraph &block = graph.blockGraphs[op.blockGraph];
      llvm::SmallVector<ExprId, 4> inputs;
      for (ValueId operand : op.operands)
        inputs.push_back(result.values[operand]);
      std::vector<ExprId> exprs = computeBlockGraphExprs(b, block, inputs);
      // A saver is the identity, so the kernel's results are the
      // expressions of what its savers store.
      for (size_t i = 0; i < op.results.size() && i < block.outputs.size(); ++i)
        result.values[op.results[i]] = exprs[block.outputs[i]];
      result.blockValues[op.blockGraph] = std::move(exprs);
      continue;
    }
    llvm::SmallVector<ExprId, 2> exprs =
        buildAbstractExprs(b, op, graph.values, result.values, nullptr);
    for (size_t i = 0; i < op.results.size() && i < exprs.size(); ++i)
      result.values[op.results[i]] = exprs[i];
  }
  for (ValueId output : graph.outputs)
    result.outputs.push_back(result.values[output]);
  return result;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

static void printExpr(const ExprPool &pool, ExprId id, llvm::raw_ostream &os,
                      bool top) {
  const ENode &node = pool.node(id);
  auto kind = static_cast<AbsOp>(node.op);
  auto child = [&](unsigned i, bool childTop = true) {
    printExpr(pool, node.children[i], os, childTop);
  };
  switch (kind) {
  case AbsOp::Var:
    os << "v" << node.payload;
    return;
  case AbsOp::Const: {
    double value;
    std::memcpy(&value, &node.payload, sizeof(value));
    os << llvm::format("%g", value);
    return;
  }
  case AbsOp::Opaque:
    os << "opaque#" << node.payload;
    return;
  case AbsOp::Add:
  case AbsOp::Sub:
  case AbsOp::Mul:
  case AbsOp::Div: {
    const char *symbol = kind == AbsOp::Add   ? " + "
                         : kind == AbsOp::Sub ? " - "
                         : kind == AbsOp::Mul ? " * "
                                              : " / ";
    if (!top)
      os << "(";
    child(0, false);
    os << symbol;
    child(1, false);
    if (!top)
      os << ")";
    return;
  }
  case AbsOp::Sum:
  case AbsOp::Rms:
  case AbsOp::Max:
    os << (kind == AbsOp::Sum   ? "sum("
           : kind == AbsOp::Rms ? "rms("
                                : "max(")
       << node.payload << ", ";
    child(0);
    os << ")";
    return;
  default:
    break;
  }
  const OpSignature *sig = abstractOpTable().byOp(node.op);
  os << (sig ? sig->name : llvm::StringRef("?")) << "(";
  for (unsigned i = 0; i < node.children.size(); ++i) {
    if (i)
      os << ", ";
    child(i);
  }
  os << ")";
}

void mirage::printAbstractExpr(const ExprPool &pool, ExprId id,
                               llvm::raw_ostream &os) {
  printExpr(pool, id, os, /*top=*/true);
}

std::string mirage::abstractExprToString(const ExprPool &pool, ExprId id) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printAbstractExpr(pool, id, os);
  return text;
}
