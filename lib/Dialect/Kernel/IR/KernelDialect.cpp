//===- KernelDialect.cpp - The kernel level of a μGraph ---------*- C++ -*-===//

#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mirage::kernel;

#include "Mirage/Dialect/Kernel/IR/KernelDialect.cpp.inc"

void KernelDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Mirage/Dialect/Kernel/IR/KernelOps.cpp.inc"
      >();
}

Operation *KernelDialect::materializeConstant(OpBuilder &builder,
                                              Attribute value, Type type,
                                              Location loc) {
  auto splat = dyn_cast<SplatElementsAttr>(value);
  if (!splat || splat.getType() != type)
    return nullptr;
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !isa<FloatType>(tensor.getElementType()) ||
      !splat.getSplatValue<APFloat>().isFinite())
    return nullptr;
  return ConstantOp::create(builder, loc, type, splat);
}

namespace {

/// `mul(x, c)` and `mul(c, x)` with `c` a splat constant and the result of
/// `x`'s type (c broadcast to x): `mul_scalar(x, c)`. The same product,
/// rounded once to the same type.
struct MulByConstant : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [x, c] : {std::pair(op.getLhs(), op.getRhs()),
                        std::pair(op.getRhs(), op.getLhs())}) {
      APFloat value(0.0);
      if (x.getType() != op.getType() ||
          !matchPattern(c, m_ConstantFloat(&value)))
        continue;
      rewriter.replaceOpWithNewOp<MulScalarOp>(
          op, op.getType(), x,
          rewriter.getF64FloatAttr(value.convertToDouble()));
      return success();
    }
    return failure();
  }
};

/// `add(x, 0)`, `add(0, x)` and `sub(x, 0)` with the result of `x`'s type:
/// `x`. (x + 0 is x except that -0 + +0 is +0: the comparisons of
/// docs/Semantics.md do not tell zeros apart.)
template <typename OpT, bool Commutative>
struct AddZero : OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    for (auto [x, zero] : {std::pair(op.getLhs(), op.getRhs()),
                           std::pair(op.getRhs(), op.getLhs())}) {
      if (x.getType() == op.getType() && matchPattern(zero, m_AnyZeroFloat())) {
        rewriter.replaceOp(op, x);
        return success();
      }
      if (!Commutative)
        break;
    }
    return failure();
  }
};

} // namespace

void KernelDialect::getCanonicalizationPatterns(
    RewritePatternSet &results) const {
  results.add<MulByConstant, AddZero<AddOp, true>, AddZero<SubOp, false>>(
      getContext());
}
