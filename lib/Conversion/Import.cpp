//===- Import.cpp - Upstream tensor ops into the kernel dialect -*- C++ -*-===//
//
// `--mirage-import`: one rewrite pattern per mapping from an upstream op
// (linalg, tosa, arith, math on tensors) to kernel-dialect ops. A pattern
// that cannot map its op says why through notifyMatchFailure; the pass
// turns the reason into a remark on the op, which stays in place.
// docs/Import.md lists the mappings.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"
#include "Mirage/Support/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Rewrite/PatternApplicator.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mirage {
#define GEN_PASS_DEF_IMPORT
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;
namespace kn = ::mirage::kernel;

namespace {

//===----------------------------------------------------------------------===//
// Types the kernel dialect takes
//===----------------------------------------------------------------------===//

/// Why `type` is not a kernel-dialect tensor (statically shaped, rank 1 to
/// 4, f16/bf16/f32), or an empty string when it is one.
std::string tensorProblem(Type type) {
  auto tensor = dyn_cast<TensorType>(type);
  if (!tensor)
    return "";
  std::string text;
  llvm::raw_string_ostream os(text);
  if (!tensor.hasRank())
    os << "unranked tensor " << type;
  else if (!tensor.hasStaticShape())
    os << "dynamic shape " << type;
  else if (tensor.getRank() < 1 || tensor.getRank() > 4)
    os << "rank " << tensor.getRank() << " of " << type
       << " (the kernel dialect takes ranks 1 to 4)";
  else if (!tensor.getElementType().isF16() &&
           !tensor.getElementType().isBF16() &&
           !tensor.getElementType().isF32())
    os << "element type " << tensor.getElementType()
       << " (the kernel dialect takes f16, bf16 and f32)";
  return text;
}

/// Fails with the first tensor among `op`'s operands and results that the
/// kernel dialect cannot hold.
LogicalResult checkTensors(Operation *op, PatternRewriter &rewriter,
                           unsigned numOperands = ~0u) {
  TypeRange operands = op->getOperandTypes();
  for (TypeRange types :
       {operands.take_front(std::min<size_t>(numOperands, operands.size())),
        TypeRange(op->getResultTypes())})
    for (Type type : types) {
      std::string problem = tensorProblem(type);
      if (!problem.empty())
        return rewriter.notifyMatchFailure(op, problem);
    }
  return success();
}

/// The constant `value` holds when it is a float scalar or a splat tensor.
std::optional<double> floatConstant(Value value) {
  APFloat constant(0.0);
  if (!matchPattern(value, m_ConstantFloat(&constant)))
    return std::nullopt;
  return constant.convertToDouble();
}

/// The result type of a broadcasting kernel binary op, as the kernel
/// dialect infers it (equal ranks and element types; each extent equal or
/// 1), or null.
RankedTensorType broadcastType(Value lhs, Value rhs) {
  auto a = dyn_cast<RankedTensorType>(lhs.getType());
  auto b = dyn_cast<RankedTensorType>(rhs.getType());
  if (!a || !b || a.getRank() != b.getRank() ||
      a.getElementType() != b.getElementType())
    return {};
  SmallVector<int64_t> shape;
  for (auto [x, y] : llvm::zip_equal(a.getShape(), b.getShape())) {
    if (x != y && x != 1 && y != 1)
      return {};
    shape.push_back(x == 1 ? y : x);
  }
  return RankedTensorType::get(shape, a.getElementType());
}

/// Builds kernel ops and remembers them, so that a mapping that fails half
/// way can take back what it built.
class KernelBuilder {
public:
  KernelBuilder(PatternRewriter &rewriter, Location loc)
      : rewriter(rewriter), loc(loc) {}

  template <typename OpT> Value unary(Value input) {
    return record(OpT::create(rewriter, loc, input.getType(), input));
  }
  /// A kernel.constant of `type` whose elements all hold `value`.
  Value constant(RankedTensorType type, const APFloat &value) {
    return record(kn::ConstantOp::create(rewriter, loc, type,
                                         DenseElementsAttr::get(type, value)));
  }
  Value mulScalar(Value input, double scalar) {
    return record(kn::MulScalarOp::create(rewriter, loc, input.getType(), input,
                                          rewriter.getF64FloatAttr(scalar)));
  }
  /// Null when the operands do not broadcast.
  template <typename OpT> Value binary(Value lhs, Value rhs) {
    RankedTensorType type = broadcastType(lhs, rhs);
    if (!type)
      return {};
    return record(OpT::create(rewriter, loc, type, lhs, rhs));
  }
  /// `input` rounded to `elementType` (the identity for its own type).
  Value cast(Value input, Type elementType) {
    auto type = llvm::cast<RankedTensorType>(input.getType());
    if (type.getElementType() == elementType)
      return input;
    return record(
        kn::CastOp::create(rewriter, loc, type.clone(elementType), input));
  }
  Value matmul(Value lhs, Value rhs, Type type) {
    return record(kn::MatmulOp::create(rewriter, loc, type, lhs, rhs));
  }
  Value reduction(Value input, int64_t dim, Type type) {
    return record(kn::ReductionOp::create(rewriter, loc, type, input,
                                          rewriter.getI64IntegerAttr(dim),
                                          rewriter.getI64IntegerAttr(1)));
  }

  /// A layout op (kernel.transpose, kernel.reshape, kernel.broadcast) of
  /// `input` with the upstream op's result type and `attributes`.
  template <typename OpT>
  Value layout(Value input, Type type,
               ArrayRef<NamedAttribute> attributes = {}) {
    return record(OpT::create(rewriter, loc, TypeRange{type}, ValueRange{input},
                              attributes));
  }

  /// kernel.transpose of `input`: result dimension d is input dimension
  /// `permutation[d]`; the identity permutation is `input` itself.
  Value transpose(Value input, ArrayRef<int64_t> permutation) {
    if (llvm::equal(permutation,
                    llvm::seq<int64_t>(0, int64_t(permutation.size()))))
      return input;
    auto type = llvm::cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> shape;
    for (int64_t d : permutation)
      shape.push_back(type.getDimSize(d));
    return layout<kn::TransposeOp>(
        input, type.clone(shape),
        rewriter.getNamedAttr("permutation",
                              rewriter.getDenseI64ArrayAttr(permutation)));
  }
  /// kernel.broadcast of `input` to `shape`, adding its dimensions
  /// `dimensions`.
  Value broadcast(Value input, ArrayRef<int64_t> dimensions,
                  ArrayRef<int64_t> shape) {
    auto type = llvm::cast<RankedTensorType>(input.getType());
    return layout<kn::BroadcastOp>(
        input, type.clone(shape),
        rewriter.getNamedAttr("dimensions",
                              rewriter.getDenseI64ArrayAttr(dimensions)));
  }
  /// kernel.reshape of `input` to `type` (`input` itself when it has it).
  Value reshape(Value input, Type type) {
    if (input.getType() == type)
      return input;
    return layout<kn::ReshapeOp>(input, type);
  }

  /// Erases everything built so far (the mapping failed).
  void rollBack() {
    for (Operation *op : llvm::reverse(built))
      rewriter.eraseOp(op);
    built.clear();
  }

  Value record(Operation *op) {
    built.push_back(op);
    return op->getResult(0);
  }

private:
  PatternRewriter &rewriter;
  Location loc;
  SmallVector<Operation *> built;
};

/// Replaces `op` by `value` when the types agree; otherwise takes back what
/// `builder` built and fails with a reason.
LogicalResult replaceChecked(Operation *op, Value value, KernelBuilder &builder,
                             PatternRewriter &rewriter) {
  if (value && value.getType() == op->getResult(0).getType()) {
    rewriter.replaceOp(op, value);
    return success();
  }
  Type got = value ? value.getType() : Type();
  builder.rollBack();
  if (!got)
    return rewriter.notifyMatchFailure(
        op, "operands that do not broadcast by the kernel dialect's rule "
            "(equal ranks, each extent equal or 1)");
  return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
    diag << "the kernel ops would compute " << got << ", not "
         << op->getResult(0).getType();
  });
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// Why kernel.constant cannot hold `value` (empty when it can): one finite
/// float value, every element the same.
std::string splatProblem(Attribute value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(value);
  if (!splat)
    return "a constant whose elements differ (kernel.constant holds one "
           "value, a splat)";
  if (!isa<FloatType>(splat.getElementType()))
    return "a constant that is not a float";
  APFloat element = splat.getSplatValue<APFloat>();
  if (!element.isFinite())
    return element.isNaN() ? "a NaN constant (kernel.constant holds finite "
                             "values)"
                           : "an infinite constant (kernel.constant holds "
                             "finite values)";
  return "";
}

/// `arith.constant` and `tosa.const` of a splat float tensor:
/// kernel.constant. Other dense values stay with a remark that says why.
template <typename SourceOp>
struct ConstantToKernel : OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type)
      return failure();
    if (failed(checkTensors(op, rewriter)))
      return failure();
    Attribute value;
    if constexpr (std::is_same_v<SourceOp, tosa::ConstOp>)
      value = op.getValues();
    else
      value = op.getValue();
    std::string problem = splatProblem(value);
    if (!problem.empty())
      return rewriter.notifyMatchFailure(op, problem);
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(
        op,
        builder.constant(
            type, cast<SplatElementsAttr>(value).getSplatValue<APFloat>()),
        builder, rewriter);
  }
};

/// `linalg.fill` of a float constant: kernel.constant of the fill's type
/// (the init, tensor.empty or any other, is overwritten).
struct FillToKernel : OpRewritePattern<linalg::FillOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::FillOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "buffer semantics");
    if (failed(checkTensors(op, rewriter, /*numOperands=*/0)))
      return failure();
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    APFloat value(0.0);
    if (!matchPattern(op.getInputs()[0], m_ConstantFloat(&value)))
      return rewriter.notifyMatchFailure(
          op, "a fill with a value that is not a float constant");
    if (!value.isFinite())
      return rewriter.notifyMatchFailure(
          op, "a fill with a value that is not finite (kernel.constant holds "
              "finite values)");
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(op, builder.constant(type, value), builder, rewriter);
  }
};

/// `tosa.reciprocal`: kernel.div of a constant 1 (of shape 1 x ... x 1) by
/// the operand.
struct TosaReciprocalToKernel : OpRewritePattern<tosa::ReciprocalOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ReciprocalOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    KernelBuilder builder(rewriter, op.getLoc());
    Value one = builder.constant(
        RankedTensorType::get(SmallVector<int64_t>(type.getRank(), 1),
                              type.getElementType()),
        APFloat::getOne(
            cast<FloatType>(type.getElementType()).getFloatSemantics()));
    return replaceChecked(op, builder.binary<kn::DivOp>(one, op.getInput1()),
                          builder, rewriter);
  }
};

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

/// One upstream unary op on tensors to one kernel unary op.
template <typename SourceOp, typename KernelOp>
struct UnaryToKernel : OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    if (!isa<TensorType>(op->getResult(0).getType()))
      return failure();
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(op, builder.unary<KernelOp>(op->getOperand(0)),
                          builder, rewriter);
  }
};

/// One upstream binary op on tensors to one kernel binary op (tosa's
/// broadcasting is the kernel dialect's: equal ranks, extents equal or 1).
template <typename SourceOp, typename KernelOp>
struct BinaryToKernel : OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    if (!isa<TensorType>(op->getResult(0).getType()))
      return failure();
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(
        op, builder.binary<KernelOp>(op->getOperand(0), op->getOperand(1)),
        builder, rewriter);
  }
};

/// A product on tensors: `x * x` is square, a product with a splat
/// constant is mul_scalar, any other is mul. For tosa.mul, the shift
/// operand must be 0 (it only applies to integers).
template <typename SourceOp> struct MulToKernel : OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    // Not tosa.mul's shift, an i8 tensor.
    if (failed(checkTensors(op, rewriter, /*numOperands=*/2)))
      return failure();
    if (!isa<TensorType>(op->getResult(0).getType()))
      return failure();
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    if constexpr (std::is_same_v<SourceOp, tosa::MulOp>) {
      APInt shift;
      if (!matchPattern(op.getShift(), m_ConstantInt(&shift)) ||
          !shift.isZero())
        return rewriter.notifyMatchFailure(op, "a shift that is not 0");
    }
    KernelBuilder builder(rewriter, op.getLoc());
    Value result;
    Type type = op->getResult(0).getType();
    if (lhs == rhs)
      result = builder.unary<kn::SquareOp>(lhs);
    else if (std::optional<double> c = floatConstant(rhs);
             c && lhs.getType() == type)
      result = builder.mulScalar(lhs, *c);
    else if (std::optional<double> c = floatConstant(lhs);
             c && rhs.getType() == type)
      result = builder.mulScalar(rhs, *c);
    else
      result = builder.binary<kn::MulOp>(lhs, rhs);
    return replaceChecked(op, result, builder, rewriter);
  }
};

/// tosa.negate with zero points 0 is kernel.neg.
struct TosaNegateToKernel : OpRewritePattern<tosa::NegateOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::NegateOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter, /*numOperands=*/1)))
      return failure();
    if (!matchPattern(op.getInput1Zp(), m_AnyZeroFloat()) ||
        !matchPattern(op.getOutputZp(), m_AnyZeroFloat()))
      return rewriter.notifyMatchFailure(op, "zero points that are not 0");
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(op, builder.unary<kn::NegOp>(op.getInput1()), builder,
                          rewriter);
  }
};

/// `maximumf(x, +0)` is relu (docs/Semantics.md: relu(x) = maximum(x, +0),
/// NaN propagating). maxnumf is not: maxnumf(NaN, 0) = 0.
struct MaximumToKernel : OpRewritePattern<arith::MaximumFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::MaximumFOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    if (!isa<TensorType>(op.getType()))
      return failure();
    Value x;
    if (matchPattern(op.getRhs(), m_PosZeroFloat()))
      x = op.getLhs();
    else if (matchPattern(op.getLhs(), m_PosZeroFloat()))
      x = op.getRhs();
    else
      return rewriter.notifyMatchFailure(
          op, "no kernel op yet (maximum of two tensors; only maximumf(x, "
              "+0.0), relu, maps)");
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(op, builder.unary<kn::ReluOp>(x), builder, rewriter);
  }
};

//===----------------------------------------------------------------------===//
// Matrix products and reductions
//===----------------------------------------------------------------------===//

/// True when `init` is all zeros: a zero fill, a zero splat, or
/// tensor.empty (whose contents are unspecified; zero is one of them).
bool isZeroInit(Value init) {
  if (init.getDefiningOp<tensor::EmptyOp>())
    return true;
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_PosZeroFloat());
  return matchPattern(init, m_PosZeroFloat());
}

/// True when `init` is all -inf, the identity of a maximum: a fill or a
/// splat of -inf, or tensor.empty (unspecified contents, as for a sum).
bool isNegInfInit(Value init) {
  if (init.getDefiningOp<tensor::EmptyOp>())
    return true;
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    init = fill.getInputs()[0];
  std::optional<double> c = floatConstant(init);
  return c && std::isinf(*c) && *c < 0;
}

/// The loop dimensions that `map` reads, in the order of its results, when
/// each result is a loop dimension and none repeats (a projected
/// permutation); std::nullopt otherwise.
std::optional<SmallVector<unsigned>> loopsRead(AffineMap map) {
  if (!map.isProjectedPermutation())
    return std::nullopt;
  SmallVector<unsigned> loops;
  for (AffineExpr expr : map.getResults())
    loops.push_back(cast<AffineDimExpr>(expr).getPosition());
  return loops;
}

/// The permutation (kernel.transpose's convention) that takes an operand
/// whose dimensions are the loops `have` to one whose dimensions are the
/// loops `want`; std::nullopt when they are not the same loops.
std::optional<SmallVector<int64_t>> permutationTo(ArrayRef<unsigned> have,
                                                  ArrayRef<unsigned> want) {
  if (have.size() != want.size())
    return std::nullopt;
  SmallVector<int64_t> permutation;
  for (unsigned loop : want) {
    const unsigned *it = llvm::find(have, loop);
    if (it == have.end())
      return std::nullopt;
    permutation.push_back(it - have.begin());
  }
  return permutation;
}

/// linalg.matmul and linalg.batch_matmul: kernel.matmul, plus kernel.add of
/// the init unless it is zero. An operand whose indexing map permutes the
/// default one's dimensions (B stored transposed: what
/// linalg.matmul_transpose_b was) goes through a kernel.transpose first; one
/// whose map reads only some of them (a broadcast operand: one B for every
/// batch, a vector for every row) through a kernel.transpose into their
/// order and a kernel.broadcast along the others.
template <typename SourceOp>
struct LinalgMatmulToKernel : OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "buffer semantics");
    if (failed(checkTensors(op, rewriter)))
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<AffineMap> defaults =
        SourceOp::getDefaultIndexingMaps(op.getContext());
    if (maps.back() != defaults.back())
      return rewriter.notifyMatchFailure(
          op, "an output indexing map other than the default");
    SmallVector<int64_t> loops = op.getStaticLoopRanges();
    if (llvm::any_of(loops, ShapedType::isDynamic))
      return rewriter.notifyMatchFailure(op, "a dynamic loop extent");
    KernelBuilder builder(rewriter, op.getLoc());
    SmallVector<Value, 2> operands;
    for (unsigned i : {0u, 1u}) {
      SmallVector<unsigned> want = *loopsRead(defaults[i]);
      std::optional<SmallVector<unsigned>> have = loopsRead(maps[i]);
      if (!have || llvm::any_of(*have, [&](unsigned loop) {
            return !llvm::is_contained(want, loop);
          })) {
        builder.rollBack();
        return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
          diag << "the indexing map of operand #" << i
               << " reads loops other than the default one's, or not each "
                  "at most once";
        });
      }
      // The loops read, in the default map's order; then the others added.
      SmallVector<unsigned> ordered;
      for (unsigned loop : want)
        if (llvm::is_contained(*have, loop))
          ordered.push_back(loop);
      Value operand =
          builder.transpose(op.getInputs()[i], *permutationTo(*have, ordered));
      if (ordered.size() < want.size()) {
        SmallVector<int64_t> added, shape;
        for (auto [dim, loop] : llvm::enumerate(want)) {
          if (!llvm::is_contained(*have, loop))
            added.push_back(dim);
          shape.push_back(loops[loop]);
        }
        operand = builder.broadcast(operand, added, shape);
      }
      operands.push_back(operand);
    }
    Value lhs = operands[0], rhs = operands[1];
    Value init = op.getOutputs()[0];
    Type type = op->getResult(0).getType();
    // Operands of another element type are converted to the result's
    // first, as linalg's default cast does.
    Type elementType = getElementTypeOrSelf(type);
    Value result = builder.matmul(builder.cast(lhs, elementType),
                                  builder.cast(rhs, elementType), type);
    if (!isZeroInit(init))
      result = builder.binary<kn::AddOp>(init, result);
    return replaceChecked(op, result, builder, rewriter);
  }
};

/// tosa.matmul `[n, m, k] x [n, k, c]` with zero points 0 and the operands'
/// element type as result.
struct TosaMatmulToKernel : OpRewritePattern<tosa::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    if (!matchPattern(op.getAZp(), m_AnyZeroFloat()) ||
        !matchPattern(op.getBZp(), m_AnyZeroFloat()))
      return rewriter.notifyMatchFailure(op, "zero points that are not 0");
    Type type = op.getType();
    // An f32 result of f16 or bf16 operands: the products in f32.
    KernelBuilder builder(rewriter, op.getLoc());
    Type elementType = getElementTypeOrSelf(type);
    return replaceChecked(op,
                          builder.matmul(builder.cast(op.getA(), elementType),
                                         builder.cast(op.getB(), elementType),
                                         type),
                          builder, rewriter);
  }
};

/// tosa.reduce_sum keeps the reduced dimension with extent 1, as
/// kernel.reduction does.
struct TosaReduceSumToKernel : OpRewritePattern<tosa::ReduceSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ReduceSumOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(
        op, builder.reduction(op.getInput(), op.getAxis(), op.getType()),
        builder, rewriter);
  }
};

/// tosa.reduce_max keeps the reduced dimension with extent 1, as
/// kernel.reduce_max does; both are IEEE maximum (NaN propagates). A
/// nan_mode other than PROPAGATE is not that.
struct TosaReduceMaxToKernel : OpRewritePattern<tosa::ReduceMaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::ReduceMaxOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    if (op.getNanMode() != tosa::NanPropagationMode::PROPAGATE)
      return rewriter.notifyMatchFailure(
          op, "nan_mode IGNORE: kernel.reduce_max propagates NaN");
    KernelBuilder builder(rewriter, op.getLoc());
    Value result = builder.record(kn::ReduceMaxOp::create(
        rewriter, op.getLoc(), op.getType(), op.getInput(),
        rewriter.getI64IntegerAttr(op.getAxis())));
    return replaceChecked(op, result, builder, rewriter);
  }
};

/// arith.extf and arith.truncf on tensors, and tosa.cast between float
/// types, are kernel.cast (round to nearest even); to its own type, the
/// identity.
template <typename SourceOp>
struct FloatCastToKernel : OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter)))
      return failure();
    Type type = op->getResult(0).getType();
    if (!isa<TensorType>(type))
      return failure();
    KernelBuilder builder(rewriter, op.getLoc());
    return replaceChecked(
        op, builder.cast(op->getOperand(0), getElementTypeOrSelf(type)),
        builder, rewriter);
  }
};

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

/// A transpose: result dimension d is input dimension permutation[d], the
/// convention of linalg.transpose, tosa.transpose and kernel.transpose
/// alike.
LogicalResult transposeToKernel(Operation *op, Value input,
                                ArrayRef<int64_t> permutation,
                                PatternRewriter &rewriter) {
  if (failed(checkTensors(op, rewriter, 1)))
    return failure();
  KernelBuilder builder(rewriter, op->getLoc());
  Value result = builder.layout<kn::TransposeOp>(
      input, op->getResult(0).getType(),
      rewriter.getNamedAttr("permutation",
                            rewriter.getDenseI64ArrayAttr(permutation)));
  return replaceChecked(op, result, builder, rewriter);
}

struct LinalgTransposeToKernel : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "buffer semantics");
    return transposeToKernel(op, op.getInput(), op.getPermutation(), rewriter);
  }
};

struct TosaTransposeToKernel : OpRewritePattern<tosa::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<int64_t> permutation(op.getPerms().begin(),
                                     op.getPerms().end());
    return transposeToKernel(op, op.getInput1(), permutation, rewriter);
  }
};

/// linalg.broadcast adds the result dimensions it lists, as
/// kernel.broadcast does.
struct LinalgBroadcastToKernel : OpRewritePattern<linalg::BroadcastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::BroadcastOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "buffer semantics");
    if (failed(checkTensors(op, rewriter, 1)))
      return failure();
    KernelBuilder builder(rewriter, op.getLoc());
    Value result = builder.layout<kn::BroadcastOp>(
        op.getInput(), op->getResult(0).getType(),
        rewriter.getNamedAttr(
            "dimensions", rewriter.getDenseI64ArrayAttr(op.getDimensions())));
    return replaceChecked(op, result, builder, rewriter);
  }
};

/// tosa.reshape, tensor.expand_shape and tensor.collapse_shape keep the
/// row-major order of the elements: kernel.reshape to the static result
/// type (the reassociation or the shape operand adds nothing to it).
template <typename SourceOp>
struct ReshapeToKernel : OpRewritePattern<SourceOp> {
  using OpRewritePattern<SourceOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SourceOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkTensors(op, rewriter, 1)))
      return failure();
    KernelBuilder builder(rewriter, op.getLoc());
    Value result = builder.layout<kn::ReshapeOp>(op->getOperand(0),
                                                 op->getResult(0).getType());
    return replaceChecked(op, result, builder, rewriter);
  }
};

/// The combiner of a reduction body: `combiner(x, acc)` yielded, with `acc`
/// the accumulator (the block argument of the output) read there only.
enum class Combiner { Sum, Max };

/// The combiner `yielded` computes with the accumulator `acc`, and its other
/// operand in `x`; failure with a reason.
FailureOr<Combiner> combinerOf(Value yielded, BlockArgument acc, Value &x,
                               std::string &reason) {
  Operation *def = yielded.getDefiningOp();
  if (!def || def->getBlock() != acc.getOwner() || def->getNumOperands() != 2 ||
      !acc.hasOneUse() || !llvm::is_contained(def->getOperands(), acc)) {
    reason = "a body that is not one combiner of the accumulator";
    return failure();
  }
  x = def->getOperand(0) == acc ? def->getOperand(1) : def->getOperand(0);
  if (isa<arith::AddFOp>(def))
    return Combiner::Sum;
  if (isa<arith::MaximumFOp>(def))
    return Combiner::Max;
  if (isa<arith::MaxNumFOp>(def))
    reason = "a maxnumf reduction: it ignores NaN, kernel.reduce_max "
             "propagates it";
  else
    reason = "a combiner that is neither a sum (addf) nor a maximum "
             "(maximumf)";
  return failure();
}

/// The reduction of `full` over its dimensions `dims` into `init`'s type,
/// which drops the reduced dimensions or keeps them with extent 1 and keeps
/// the others in order: kernel.reduction or kernel.reduce_max per dimension
/// (they keep it with extent 1), a kernel.reshape to the result type, and
/// the init: added unless it is zero for a sum; for a maximum it must be
/// -inf (there is no kernel op for the maximum of two tensors).
FailureOr<Value> reduceToKernel(Operation *op, Value full,
                                ArrayRef<int64_t> dims, Combiner combiner,
                                Value init, KernelBuilder &builder,
                                PatternRewriter &rewriter) {
  auto type = cast<RankedTensorType>(full.getType());
  auto resultType = cast<RankedTensorType>(init.getType());
  if (type.getElementType() != resultType.getElementType())
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "a reduction of " << type.getElementType() << " into "
           << resultType.getElementType() << " (cast the operand first)";
    });
  switch (combiner) {
  case Combiner::Sum:
    break;
  case Combiner::Max:
    if (!isNegInfInit(init))
      return rewriter.notifyMatchFailure(
          op, "a maximum into an init that is not -inf: no kernel op yet for "
              "the maximum of two tensors");
    break;
  }
  Value value = full;
  for (int64_t dim : dims) {
    SmallVector<int64_t> shape(
        cast<RankedTensorType>(value.getType()).getShape());
    shape[dim] = 1;
    Type kept = type.clone(shape);
    switch (combiner) {
    case Combiner::Sum:
      value = builder.reduction(value, dim, kept);
      break;
    case Combiner::Max:
      value = builder.record(
          kn::ReduceMaxOp::create(rewriter, op->getLoc(), kept, value,
                                  rewriter.getI64IntegerAttr(dim)));
      break;
    }
  }
  // The reshape's rule (overflow-checked element counts).
  if (llvm::Error err = ::mirage::checkReshapeShape(
          cast<RankedTensorType>(value.getType()).getShape(),
          resultType.getShape()))
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "the kernel.reshape after the reduction: "
           << llvm::toString(std::move(err));
    });
  value = builder.reshape(value, resultType);
  if (combiner == Combiner::Sum && !isZeroInit(init))
    value = builder.binary<kn::AddOp>(value, init);
  return value;
}

/// linalg.reduce with an addf or maximumf combiner: the reduced dimensions
/// dropped, which kernel.reduction and kernel.reduce_max keep with extent
/// 1: a kernel.reshape after them (reduceToKernel).
struct LinalgReduceToKernel : OpRewritePattern<linalg::ReduceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::ReduceOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "buffer semantics");
    if (failed(checkTensors(op, rewriter)))
      return failure();
    if (op.getInputs().size() != 1)
      return rewriter.notifyMatchFailure(op, "more than one operand");
    Block &body = op.getCombiner().front();
    std::string reason;
    Value x;
    FailureOr<Combiner> combiner = combinerOf(
        body.getTerminator()->getOperand(0), body.getArgument(1), x, reason);
    if (failed(combiner))
      return rewriter.notifyMatchFailure(op, reason);
    if (x != body.getArgument(0))
      return rewriter.notifyMatchFailure(
          op, "a combiner of something other than the operand's element");
    KernelBuilder builder(rewriter, op.getLoc());
    FailureOr<Value> result =
        reduceToKernel(op, op.getInputs()[0], op.getDimensions(), *combiner,
                       op.getInits()[0], builder, rewriter);
    if (failed(result)) {
      builder.rollBack();
      return failure();
    }
    return replaceChecked(op, *result, builder, rewriter);
  }
};

//===----------------------------------------------------------------------===//
// linalg.generic, recognized from its body
//===----------------------------------------------------------------------===//

/// Translates the body of an element-wise linalg.generic into kernel ops on
/// whole tensors: each body value becomes the tensor of its values at every
/// point of the iteration space (or a broadcastable one).
class GenericBody {
public:
  /// `inputs`: the generic's inputs as tensors over its loops (or tensors
  /// that broadcast to them), alignInput's results.
  GenericBody(linalg::GenericOp op, ArrayRef<Value> inputs,
              KernelBuilder &builder)
      : op(op), inputs(inputs), builder(builder) {}

  /// The tensor the body yields, or failure with `reason` set.
  FailureOr<Value> translate(Value value) {
    if (Value known = done.lookup(value))
      return known;
    FailureOr<Value> result = translateNew(value);
    if (succeeded(result))
      done[value] = *result;
    return result;
  }

  std::string reason;

private:
  FailureOr<Value> fail(const Twine &why) {
    if (reason.empty())
      reason = why.str();
    return failure();
  }

  static std::string printed(double c) {
    std::string text;
    llvm::raw_string_ostream(text) << c;
    return text;
  }

  static std::string opName(Operation *op) {
    return op->getName().getStringRef().str();
  }

  /// A body constant where a tensor is needed: a kernel.constant of shape
  /// 1 x ... x 1 (of the iteration space's rank), which broadcasts.
  FailureOr<Value> constant(Value value, const APFloat &c) {
    if (!c.isFinite())
      return fail("its body uses the constant " + printed(c.convertToDouble()) +
                  " where a tensor is needed: kernel.constant holds finite "
                  "values");
    Type element = value.getType();
    if (!element.isF16() && !element.isBF16() && !element.isF32())
      return fail("its body uses a constant of type " +
                  llvm::formatv("{0}", element).str() +
                  " (the kernel dialect takes f16, bf16 and f32)");
    auto type = RankedTensorType::get(SmallVector<int64_t>(op.getNumLoops(), 1),
                                      element);
    return builder.constant(type, c);
  }

  FailureOr<Value> translateNew(Value value) {
    Block *body = op.getBlock();
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      if (arg.getOwner() != body)
        return fail("its body uses a value defined outside it");
      if (arg.getArgNumber() >= op.getNumDpsInputs())
        return fail("its body reads the output (an accumulation)");
      return inputs[arg.getArgNumber()];
    }
    if (APFloat c(0.0); matchPattern(value, m_ConstantFloat(&c)))
      return constant(value, c);
    Operation *def = value.getDefiningOp();
    if (def->getBlock() != body)
      return fail("its body uses a value defined outside it");

    if (Value x = matchSilu(def))
      return unary<kn::SiluOp>(x);
    if (Value x = matchGelu(def))
      return unary<kn::GeluOp>(x);

    if (auto mul = dyn_cast<arith::MulFOp>(def)) {
      if (mul.getLhs() == mul.getRhs())
        return unary<kn::SquareOp>(mul.getLhs());
      if (std::optional<double> c = floatConstant(mul.getRhs()))
        return mulScalar(mul.getLhs(), *c);
      if (std::optional<double> c = floatConstant(mul.getLhs()))
        return mulScalar(mul.getRhs(), *c);
      return binary<kn::MulOp>(mul.getLhs(), mul.getRhs());
    }
    if (Value x = matchSigmoid(value))
      return unary<kn::SigmoidOp>(x);
    if (auto neg = dyn_cast<arith::NegFOp>(def))
      return unary<kn::NegOp>(neg.getOperand());
    if (isa<arith::ExtFOp, arith::TruncFOp>(def)) {
      FailureOr<Value> input = translate(def->getOperand(0));
      if (failed(input))
        return failure();
      return builder.cast(*input, value.getType());
    }
    if (auto max = dyn_cast<arith::MaximumFOp>(def)) {
      if (matchPattern(max.getRhs(), m_PosZeroFloat()))
        return unary<kn::ReluOp>(max.getLhs());
      if (matchPattern(max.getLhs(), m_PosZeroFloat()))
        return unary<kn::ReluOp>(max.getRhs());
      return fail("its body takes a maximum other than maximumf(x, +0.0): no "
                  "kernel op yet");
    }
    if (auto add = dyn_cast<arith::AddFOp>(def))
      return binary<kn::AddOp>(add.getLhs(), add.getRhs());
    if (auto sub = dyn_cast<arith::SubFOp>(def))
      return binary<kn::SubOp>(sub.getLhs(), sub.getRhs());
    if (auto div = dyn_cast<arith::DivFOp>(def))
      return binary<kn::DivOp>(div.getLhs(), div.getRhs());
    if (auto pow = dyn_cast<math::PowFOp>(def))
      return binary<kn::PowOp>(pow.getLhs(), pow.getRhs());
    if (auto exp = dyn_cast<math::ExpOp>(def))
      return unary<kn::ExpOp>(exp.getOperand());
    if (auto sqrt = dyn_cast<math::SqrtOp>(def))
      return unary<kn::SqrtOp>(sqrt.getOperand());
    if (auto rsqrt = dyn_cast<math::RsqrtOp>(def))
      return unary<kn::RsqrtOp>(rsqrt.getOperand());
    if (auto tanh = dyn_cast<math::TanhOp>(def))
      return unary<kn::TanhOp>(tanh.getOperand());
    if (auto erf = dyn_cast<math::ErfOp>(def))
      return unary<kn::ErfOp>(erf.getOperand());
    return fail("its body uses '" + opName(def) + "', which has no kernel op");
  }

  template <typename OpT> FailureOr<Value> unary(Value x) {
    FailureOr<Value> input = translate(x);
    if (failed(input))
      return failure();
    return builder.unary<OpT>(*input);
  }

  FailureOr<Value> mulScalar(Value x, double c) {
    FailureOr<Value> input = translate(x);
    if (failed(input))
      return failure();
    return builder.mulScalar(*input, c);
  }

  template <typename OpT> FailureOr<Value> binary(Value lhs, Value rhs) {
    FailureOr<Value> a = translate(lhs);
    if (failed(a))
      return failure();
    FailureOr<Value> b = translate(rhs);
    if (failed(b))
      return failure();
    Value result = builder.binary<OpT>(*a, *b);
    if (!result)
      return fail("its operands do not broadcast by the kernel dialect's "
                  "rule");
    return result;
  }

  /// `1 + exp(-x)` (in either order; -x as negf or x * -1): x.
  static Value matchOnePlusExpNeg(Value value) {
    auto add = value.getDefiningOp<arith::AddFOp>();
    if (!add)
      return {};
    for (auto [one, other] : {std::pair{add.getLhs(), add.getRhs()},
                              std::pair{add.getRhs(), add.getLhs()}}) {
      if (!matchPattern(one, m_OneFloat()))
        continue;
      auto exp = other.getDefiningOp<math::ExpOp>();
      if (!exp)
        continue;
      if (auto neg = exp.getOperand().getDefiningOp<arith::NegFOp>())
        return neg.getOperand();
      if (auto mul = exp.getOperand().getDefiningOp<arith::MulFOp>()) {
        if (floatConstant(mul.getRhs()) == -1.0)
          return mul.getLhs();
        if (floatConstant(mul.getLhs()) == -1.0)
          return mul.getRhs();
      }
    }
    return {};
  }

  /// sigmoid(x) as `1 / (1 + exp(-x))`: x.
  static Value matchSigmoid(Value value) {
    auto div = value.getDefiningOp<arith::DivFOp>();
    if (!div || !matchPattern(div.getLhs(), m_OneFloat()))
      return {};
    return matchOnePlusExpNeg(div.getRhs());
  }

  /// silu(x): `x / (1 + exp(-x))` or `x * sigmoid(x)` (either order).
  static Value matchSilu(Operation *def) {
    if (auto div = dyn_cast<arith::DivFOp>(def)) {
      Value x = matchOnePlusExpNeg(div.getRhs());
      return x && x == div.getLhs() ? x : Value();
    }
    if (auto mul = dyn_cast<arith::MulFOp>(def)) {
      if (Value x = matchSigmoid(mul.getRhs()); x && x == mul.getLhs())
        return x;
      if (Value x = matchSigmoid(mul.getLhs()); x && x == mul.getRhs())
        return x;
    }
    return {};
  }

  /// The factors of a tree of products.
  static void factors(Value value, SmallVectorImpl<Value> &out) {
    if (auto mul = value.getDefiningOp<arith::MulFOp>()) {
      factors(mul.getLhs(), out);
      factors(mul.getRhs(), out);
      return;
    }
    out.push_back(value);
  }

  /// `1 + erf(x * c)` with c = 1/sqrt(2) (or `erf(x / sqrt(2))`): x.
  static Value matchOnePlusErf(Value value) {
    auto add = value.getDefiningOp<arith::AddFOp>();
    if (!add)
      return {};
    for (auto [one, other] : {std::pair{add.getLhs(), add.getRhs()},
                              std::pair{add.getRhs(), add.getLhs()}}) {
      if (!matchPattern(one, m_OneFloat()))
        continue;
      auto erf = other.getDefiningOp<math::ErfOp>();
      if (!erf)
        continue;
      Value arg = erf.getOperand();
      // The constant as written in the body's type: 2^-10 relative for
      // f16, 2^-7 for bf16 (and at least 1e-6 for f32).
      double precision = std::max(
          1e-6,
          std::ldexp(1.0,
                     -int(APFloat::semanticsPrecision(
                         cast<FloatType>(arg.getType()).getFloatSemantics())) +
                         1));
      auto close = [&](std::optional<double> c, double want) {
        return c && std::abs(*c - want) <= precision * want;
      };
      if (auto mul = arg.getDefiningOp<arith::MulFOp>()) {
        if (close(floatConstant(mul.getRhs()), M_SQRT1_2))
          return mul.getLhs();
        if (close(floatConstant(mul.getLhs()), M_SQRT1_2))
          return mul.getRhs();
      }
      if (auto div = arg.getDefiningOp<arith::DivFOp>())
        if (close(floatConstant(div.getRhs()), M_SQRT2))
          return div.getLhs();
    }
    return {};
  }

  /// gelu(x) = x * Phi(x) in its erf form: a product of the factors x, 0.5
  /// and `1 + erf(x / sqrt(2))`, in any order and grouping.
  static Value matchGelu(Operation *def) {
    if (!isa<arith::MulFOp>(def))
      return {};
    SmallVector<Value> fs;
    factors(def->getResult(0), fs);
    if (fs.size() != 3)
      return {};
    for (unsigned e = 0; e < 3; ++e) {
      Value x = matchOnePlusErf(fs[e]);
      if (!x)
        continue;
      Value a = fs[(e + 1) % 3], b = fs[(e + 2) % 3];
      if ((a == x && floatConstant(b) == 0.5) ||
          (b == x && floatConstant(a) == 0.5))
        return x;
    }
    return {};
  }

  linalg::GenericOp op;
  ArrayRef<Value> inputs;
  KernelBuilder &builder;
  llvm::DenseMap<Value, Value> done;
};

/// An input map the kernel dialect's broadcasting covers: the identity,
/// with some results the constant 0 where the input's extent is 1.
bool isBroadcastableMap(AffineMap map, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  if (map.getNumResults() != map.getNumDims())
    return false;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      if (dim.getPosition() != i)
        return false;
    } else if (auto c = dyn_cast<AffineConstantExpr>(expr)) {
      if (c.getValue() != 0 || tensor.getDimSize(i) != 1)
        return false;
    } else {
      return false;
    }
  }
  return true;
}

/// An input of a linalg.generic read through `map`, as a tensor over the
/// loops (extents `loops`) or one that broadcasts to it: unchanged when
/// `map` is the identity or broadcasts extent-1 dimensions with the constant
/// 0; a kernel.transpose into the loops' order when it permutes them; a
/// kernel.broadcast along the loops it does not read. Null, with `reason`,
/// for any other map.
Value alignInput(Value input, AffineMap map, ArrayRef<int64_t> loops,
                 KernelBuilder &builder, std::string &reason) {
  if (isBroadcastableMap(map, input.getType()))
    return input;
  std::optional<SmallVector<unsigned>> read = loopsRead(map);
  auto type = cast<RankedTensorType>(input.getType());
  if (!read) {
    reason = "an input indexing map that is neither a permutation or "
             "projection of the loops nor a broadcast of an extent-1 "
             "dimension";
    return {};
  }
  for (auto [dim, loop] : llvm::enumerate(*read))
    if (type.getDimSize(dim) != loops[loop]) {
      reason = "an input whose extents are not those of the loops it reads";
      return {};
    }
  SmallVector<unsigned> sorted(*read);
  llvm::sort(sorted);
  Value value = builder.transpose(input, *permutationTo(*read, sorted));
  if (sorted.size() == loops.size())
    return value;
  SmallVector<int64_t> added;
  for (unsigned loop = 0; loop < loops.size(); ++loop)
    if (!llvm::is_contained(sorted, loop))
      added.push_back(loop);
  return builder.broadcast(value, added, loops);
}

/// The reduced loops of a reduction generic whose output map keeps the
/// parallel loops in order and drops each reduced loop or reads it as the
/// constant 0 (torch's keepdim); failure with `reason` otherwise.
FailureOr<SmallVector<int64_t>> reducedLoops(linalg::GenericOp op,
                                             std::string &reason) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> reduced, parallel;
  for (auto [loop, iterator] : llvm::enumerate(iterators))
    (iterator == utils::IteratorType::reduction ? reduced : parallel)
        .push_back(loop);
  AffineMap out = op.getIndexingMapsArray().back();
  auto outType = cast<RankedTensorType>(op.getDpsInits()[0].getType());
  SmallVector<int64_t> kept;
  for (auto [dim, expr] : llvm::enumerate(out.getResults())) {
    if (auto loop = dyn_cast<AffineDimExpr>(expr)) {
      kept.push_back(loop.getPosition());
      continue;
    }
    auto c = dyn_cast<AffineConstantExpr>(expr);
    if (!c || c.getValue() != 0 || outType.getDimSize(dim) != 1) {
      reason = "a reduction whose output map is neither a projection nor "
               "the constant 0 of an extent-1 dimension";
      return failure();
    }
  }
  if (kept != parallel) {
    reason = "a reduction whose output map does not keep the parallel loops "
             "in order";
    return failure();
  }
  return reduced;
}

/// linalg.generic recognized from its body. All loops parallel: the kernel
/// ops of the body (GenericBody). With reduction loops: a body that yields
/// `combiner(f(inputs), acc)`, a sum (addf) or a maximum (maximumf): f's
/// kernel ops, then reduceToKernel over the reduced loops. Inputs read
/// through permuting or projecting maps are aligned first (alignInput).
struct GenericToKernel : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "buffer semantics");
    if (failed(checkTensors(op, rewriter)))
      return failure();
    if (op.getNumDpsInits() != 1)
      return rewriter.notifyMatchFailure(op, "more than one output");
    SmallVector<int64_t> loops = op.getStaticLoopRanges();
    if (loops.size() > 4)
      return rewriter.notifyMatchFailure(
          op, "more than 4 loops (the kernel dialect takes ranks 1 to 4)");
    std::string reason;
    SmallVector<int64_t> reduced;
    if (op.getNumReductionLoops() > 0) {
      FailureOr<SmallVector<int64_t>> r = reducedLoops(op, reason);
      if (failed(r))
        return rewriter.notifyMatchFailure(op, reason);
      reduced = std::move(*r);
    } else if (!op.getIndexingMapsArray().back().isIdentity()) {
      return rewriter.notifyMatchFailure(
          op, "an output indexing map that is not the identity");
    }
    KernelBuilder builder(rewriter, op.getLoc());
    auto fail = [&](const Twine &why) {
      builder.rollBack();
      return rewriter.notifyMatchFailure(op, why);
    };
    SmallVector<Value> inputs;
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value aligned = alignInput(input->get(), op.getMatchingIndexingMap(input),
                                 loops, builder, reason);
      if (!aligned)
        return fail(reason);
      inputs.push_back(aligned);
    }
    GenericBody body(op, inputs, builder);
    Value yielded = op.getBlock()->getTerminator()->getOperand(0);
    if (reduced.empty()) {
      FailureOr<Value> result = body.translate(yielded);
      if (failed(result))
        return fail(body.reason);
      return replaceChecked(op, *result, builder, rewriter);
    }
    Value x;
    FailureOr<Combiner> combiner = combinerOf(
        yielded, op.getBlock()->getArgument(op.getNumDpsInputs()), x, reason);
    if (failed(combiner))
      return fail(reason);
    FailureOr<Value> full = body.translate(x);
    if (failed(full))
      return fail(body.reason);
    if (cast<RankedTensorType>(full->getType()).getShape() !=
        ArrayRef<int64_t>(loops))
      return fail("a reduction of a value that does not cover the loops");
    FailureOr<Value> result = reduceToKernel(
        op, *full, reduced, *combiner, op.getDpsInits()[0], builder, rewriter);
    if (failed(result)) {
      builder.rollBack();
      return failure();
    }
    return replaceChecked(op, *result, builder, rewriter);
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// Keeps the reason of the last match failure.
struct ReasonListener : public RewriterBase::Listener {
  std::string reason;
  void
  notifyMatchFailure(Location loc,
                     function_ref<void(Diagnostic &)> reasonCallback) override {
    Diagnostic diag(loc, DiagnosticSeverity::Remark);
    reasonCallback(diag);
    reason = diag.str();
  }
};

/// Upstream ops the importer reports on when they stay.
bool isImportCandidate(Operation *op) {
  if (!isa<arith::ArithDialect, linalg::LinalgDialect, math::MathDialect,
           tensor::TensorDialect, tosa::TosaDialect>(op->getDialect()))
    return false;
  // An init is not a computation: it goes when its user is imported.
  if (isa<tensor::EmptyOp>(op))
    return false;
  auto isTensor = [](Type type) { return isa<TensorType>(type); };
  return llvm::any_of(op->getOperandTypes(), isTensor) ||
         llvm::any_of(op->getResultTypes(), isTensor);
}

struct ImportPass : public ::mirage::impl::ImportBase<ImportPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    ::mirage::populateImportPatterns(set);
    patterns = std::make_shared<FrozenRewritePatternSet>(std::move(set));
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    PatternApplicator applicator(*patterns);
    applicator.applyDefaultCostModel();
    ReasonListener listener;
    PatternRewriter rewriter(&getContext());
    rewriter.setListener(&listener);

    // The ops of the function's blocks, in order (nested regions, such as
    // loop bodies, are left alone).
    SmallVector<Operation *> candidates;
    for (Block &block : func.getBody())
      for (Operation &op : block)
        if (isImportCandidate(&op))
          candidates.push_back(&op);
    llvm::DenseMap<Operation *, std::string> reasons;
    // The producers of what imported ops read (inits, fills, constants):
    // erased below once nothing uses them.
    SmallVector<Operation *> maybeDead;
    auto addProducers = [&](Operation *op) {
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands())
          if (Operation *producer = operand.getDefiningOp())
            if (!op->isAncestor(producer))
              maybeDead.push_back(producer);
      });
    };
    for (Operation *op : candidates) {
      listener.reason.clear();
      rewriter.setInsertionPoint(op);
      size_t mark = maybeDead.size();
      addProducers(op);
      if (succeeded(applicator.matchAndRewrite(op, rewriter)))
        continue;
      maybeDead.truncate(mark);
      reasons[op] = listener.reason.empty() ? "no mapping to the kernel dialect"
                                            : listener.reason;
    }

    llvm::SmallPtrSet<Operation *, 16> erased;
    while (!maybeDead.empty()) {
      Operation *op = maybeDead.pop_back_val();
      if (erased.contains(op) || !isOpTriviallyDead(op))
        continue;
      addProducers(op);
      reasons.erase(op);
      erased.insert(op);
      op->erase();
    }

    // An op left in place reads a constant as an upstream constant (the
    // same splat): kernel ops stay among kernel ops, so that the outliner
    // puts each constant inside the region that reads it.
    func.walk([&](kn::ConstantOp constant) {
      arith::ConstantOp upstream;
      for (OpOperand &use : llvm::make_early_inc_range(constant->getUses())) {
        if (isa<kn::KernelDialect>(use.getOwner()->getDialect()))
          continue;
        if (!upstream) {
          rewriter.setInsertionPointAfter(constant);
          upstream = arith::ConstantOp::create(rewriter, constant.getLoc(),
                                               constant.getValue());
        }
        use.set(upstream);
      }
      if (constant->use_empty())
        constant->erase();
    });

    for (Block &block : func.getBody())
      for (Operation &op : block) {
        auto it = reasons.find(&op);
        if (it != reasons.end())
          op.emitRemark() << "mirage-import: '" << op.getName()
                          << "' left in place: " << it->second;
      }
  }

  std::shared_ptr<const FrozenRewritePatternSet> patterns;
};

} // namespace

void mirage::populateImportPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  // Element-wise.
  patterns
      .add<UnaryToKernel<math::ExpOp, kn::ExpOp>,
           UnaryToKernel<math::SqrtOp, kn::SqrtOp>,
           UnaryToKernel<math::RsqrtOp, kn::RsqrtOp>,
           UnaryToKernel<math::TanhOp, kn::TanhOp>,
           UnaryToKernel<tosa::ExpOp, kn::ExpOp>,
           UnaryToKernel<tosa::RsqrtOp, kn::RsqrtOp>,
           UnaryToKernel<tosa::TanhOp, kn::TanhOp>,
           UnaryToKernel<math::ErfOp, kn::ErfOp>,
           UnaryToKernel<tosa::ErfOp, kn::ErfOp>,
           UnaryToKernel<tosa::SigmoidOp, kn::SigmoidOp>,
           FloatCastToKernel<arith::ExtFOp>, FloatCastToKernel<arith::TruncFOp>,
           TosaNegateToKernel, BinaryToKernel<arith::AddFOp, kn::AddOp>,
           BinaryToKernel<arith::SubFOp, kn::SubOp>,
           BinaryToKernel<arith::DivFOp, kn::DivOp>,
           BinaryToKernel<math::PowFOp, kn::PowOp>,
           BinaryToKernel<tosa::AddOp, kn::AddOp>,
           BinaryToKernel<tosa::SubOp, kn::SubOp>,
           BinaryToKernel<tosa::PowOp, kn::PowOp>, MulToKernel<arith::MulFOp>,
           MulToKernel<tosa::MulOp>, UnaryToKernel<arith::NegFOp, kn::NegOp>,
           MaximumToKernel>(context);
  // Matrix products, reductions, casts, linalg.generic.
  patterns.add<LinalgMatmulToKernel<linalg::MatmulOp>,
               LinalgMatmulToKernel<linalg::BatchMatmulOp>, TosaMatmulToKernel,
               TosaReduceSumToKernel, TosaReduceMaxToKernel,
               FloatCastToKernel<tosa::CastOp>, LinalgReduceToKernel,
               GenericToKernel>(context);
  // Layout.
  patterns.add<LinalgTransposeToKernel, TosaTransposeToKernel,
               LinalgBroadcastToKernel, ReshapeToKernel<tosa::ReshapeOp>,
               ReshapeToKernel<tensor::ExpandShapeOp>,
               ReshapeToKernel<tensor::CollapseShapeOp>>(context);
  // Constants.
  patterns
      .add<ConstantToKernel<arith::ConstantOp>, ConstantToKernel<tosa::ConstOp>,
           FillToKernel, TosaReciprocalToKernel>(context);
}
