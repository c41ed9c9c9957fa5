//===- VocabularyTest.cpp - The op vocabulary against the dialects --------===//
//
// Walks the vocabulary (Mirage/Support/Vocabulary.td): every kind's name
// round-trips, the generated enums and the kind table agree, and every
// category agrees with the ops the kernel and block dialects define.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Support/Vocabulary.h"
#include "Mirage/Dialect/Block/IR/BlockOps.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"

#include "gtest/gtest.h"

#include <set>
#include <string>

using namespace mirage;

namespace {

std::vector<OpKind> allKinds() {
  std::vector<OpKind> kinds;
  for (unsigned v = 0; v < kNumOpKinds; ++v)
    kinds.push_back(static_cast<OpKind>(v));
  return kinds;
}

class VocabularyDialects : public ::testing::Test {
protected:
  VocabularyDialects() {
    ctx.loadDialect<kernel::KernelDialect, block::BlockDialect>();
  }

  std::optional<mlir::RegisteredOperationName> lookup(llvm::StringRef dialect,
                                                      OpKind kind) {
    return mlir::RegisteredOperationName::lookup(
        (dialect + "." + opKindName(kind)).str(), &ctx);
  }

  mlir::MLIRContext ctx;
};

} // namespace

TEST(Vocabulary, EveryKindHasANameThatRoundTrips) {
  std::set<std::string> names;
  for (OpKind kind : allKinds()) {
    llvm::StringRef name = opKindName(kind);
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name.str()).second) << "duplicate " << name.str();
    EXPECT_EQ(opKindFromName(name), kind) << name.str();
    EXPECT_EQ(stringifyOpKind(kind), name);
    EXPECT_EQ(symbolizeOpKind(name), kind);
    EXPECT_EQ(opKindInfo(kind).kind(), kind);
  }
  EXPECT_EQ(opKindInfos().size(), kNumOpKinds);
  // The lookup is exact, although the generated index is case-insensitive.
  EXPECT_EQ(opKindFromName("EXP"), std::nullopt);
  EXPECT_EQ(opKindFromName("Silu"), std::nullopt);
  EXPECT_EQ(opKindFromName("no_such_op"), std::nullopt);
  EXPECT_EQ(opKindFromName(""), std::nullopt);
}

TEST(Vocabulary, EveryKindIsInExactlyOneCategoryEnum) {
  for (OpKind kind : allKinds()) {
    std::optional<UnaryOpKind> unary = asUnaryOpKind(kind);
    std::optional<BinaryOpKind> binary = asBinaryOpKind(kind);
    std::optional<NonElementwiseOpKind> other = asNonElementwiseOpKind(kind);
    EXPECT_EQ(unary.has_value() + binary.has_value() + other.has_value(), 1)
        << opKindName(kind).str();
    EXPECT_EQ(unary.has_value(), isUnaryElementwise(kind));
    EXPECT_EQ(binary.has_value(), isBinaryElementwise(kind));
    EXPECT_EQ(other.has_value(), !isElementwise(kind));
    if (unary) {
      EXPECT_EQ(toOpKind(*unary), kind);
      EXPECT_EQ(stringifyUnaryOpKind(*unary), opKindName(kind));
      EXPECT_EQ(unaryOpKind(kind), *unary);
    }
    if (binary) {
      EXPECT_EQ(toOpKind(*binary), kind);
      EXPECT_EQ(stringifyBinaryOpKind(*binary), opKindName(kind));
      EXPECT_EQ(binaryOpKind(kind), *binary);
    }
    if (other) {
      EXPECT_EQ(toOpKind(*other), kind);
      EXPECT_EQ(stringifyNonElementwiseOpKind(*other), opKindName(kind));
    }
  }
}

TEST(Vocabulary, AbstractOperatorsAreTheAbstractFunctions) {
  for (OpKind kind : allKinds()) {
    const OpKindInfo &info = opKindInfo(kind);
    std::optional<AbsOp> abs = abstractOp(kind);
    EXPECT_EQ(abs.has_value(), static_cast<bool>(info.abstract));
    if (info.abstract) {
      EXPECT_TRUE(isElementwise(kind)) << info.mnemonic;
      EXPECT_EQ(stringifyAbsOp(*abs), opKindName(kind));
    }
    // Only element-wise kinds are stamped, in place or exp-like.
    if (!isElementwise(kind)) {
      EXPECT_FALSE(info.stamped || info.inPlace || info.expLike)
          << info.mnemonic;
      EXPECT_EQ(info.costPerElement, 1) << info.mnemonic;
    }
  }
  // The operators of the expressions alone follow every op kind's value.
  for (AbsOp abs : {AbsOp::Var, AbsOp::Const, AbsOp::Opaque, AbsOp::Sum,
                    AbsOp::Rms, AbsOp::Max})
    EXPECT_GE(static_cast<unsigned>(abs), kNumOpKinds);
}

TEST(Vocabulary, SearchedFunctionsFollowTheFlags) {
  for (unsigned arity : {1u, 2u})
    for (bool blockLevel : {false, true}) {
      std::vector<OpKind> expected;
      for (const OpKindInfo &info : opKindInfos())
        if ((arity == 1 ? info.unary : info.binary) &&
            (blockLevel ? info.searchBlock : info.searchKernel))
          expected.push_back(info.kind());
      llvm::ArrayRef<OpKind> got = searchedFunctions(arity, blockLevel);
      EXPECT_EQ(std::vector<OpKind>(got.begin(), got.end()), expected);
      EXPECT_FALSE(got.empty());
    }
}

TEST(Vocabulary, IsSearchedReadsTheFlags) {
  for (const OpKindInfo &info : opKindInfos()) {
    EXPECT_EQ(isSearched(info.kind(), /*blockLevel=*/false),
              static_cast<bool>(info.searchKernel))
        << info.mnemonic;
    EXPECT_EQ(isSearched(info.kind(), /*blockLevel=*/true),
              static_cast<bool>(info.searchBlock))
        << info.mnemonic;
  }
  // The ops the search is expected to generate (issue: the search's op
  // list is the vocabulary's).
  for (OpKind kind : {OpKind::Sub, OpKind::Tanh, OpKind::Rsqrt, OpKind::Clamp,
                      OpKind::MulScalar, OpKind::Matmul, OpKind::Reduction})
    for (bool blockLevel : {false, true})
      EXPECT_TRUE(isSearched(kind, blockLevel)) << opKindName(kind).str();
  for (OpKind kind : {OpKind::RunningMax, OpKind::Accum, OpKind::RmsNorm})
    EXPECT_TRUE(isSearched(kind, /*blockLevel=*/true))
        << opKindName(kind).str();
  // Block-level only ops and the launch itself are never kernel ops.
  for (OpKind kind : {OpKind::Loader, OpKind::Saver, OpKind::RunningMax,
                      OpKind::Accum, OpKind::GraphDefined, OpKind::Concat})
    EXPECT_FALSE(isSearched(kind, /*blockLevel=*/false))
        << opKindName(kind).str();
}

TEST(Vocabulary, AccumKindNamesRoundTrip) {
  for (uint32_t v = 0; v <= getMaxEnumValForAccumKind(); ++v) {
    std::optional<AccumKind> kind = symbolizeAccumKind(v);
    ASSERT_TRUE(kind);
    EXPECT_EQ(symbolizeAccumKind(stringifyAccumKind(*kind)), kind);
  }
}

TEST_F(VocabularyDialects, EveryElementwiseKindHasAnOpAtEveryLevel) {
  for (OpKind kind : allKinds()) {
    if (!isElementwise(kind))
      continue;
    for (llvm::StringRef dialect : {"kernel", "block"})
      EXPECT_TRUE(lookup(dialect, kind))
          << dialect.str() << "." << opKindName(kind).str() << " is missing";
  }
}

TEST_F(VocabularyDialects, NonElementwiseKindsHaveTheirLevelsOps) {
  for (OpKind kind : allKinds()) {
    std::optional<NonElementwiseOpKind> other = asNonElementwiseOpKind(kind);
    if (!other)
      continue;
    bool kernelOp = lookup("kernel", kind).has_value();
    bool blockOp = lookup("block", kind).has_value();
    switch (*other) {
    case NonElementwiseOpKind::Matmul:
    case NonElementwiseOpKind::Reduction:
    case NonElementwiseOpKind::RmsNorm:
    case NonElementwiseOpKind::Concat:
    case NonElementwiseOpKind::Transpose:
    case NonElementwiseOpKind::Reshape:
    case NonElementwiseOpKind::Broadcast:
    case NonElementwiseOpKind::Constant:
      EXPECT_TRUE(kernelOp && blockOp) << opKindName(kind).str();
      break;
    case NonElementwiseOpKind::GraphDefined:
    case NonElementwiseOpKind::ReduceMax:
    case NonElementwiseOpKind::ReduceMean:
      EXPECT_TRUE(kernelOp && !blockOp);
      break;
    case NonElementwiseOpKind::Loader:
    case NonElementwiseOpKind::Saver:
    case NonElementwiseOpKind::ReductionToDimx:
    case NonElementwiseOpKind::RunningMax:
    case NonElementwiseOpKind::ConcatMatmul:
    case NonElementwiseOpKind::Accum:
      EXPECT_TRUE(blockOp && !kernelOp) << opKindName(kind).str();
      break;
    }
  }
}

TEST_F(VocabularyDialects, EveryDialectOpIsAKindOfTheVocabulary) {
  // Terminators are structure, not op kinds.
  const std::set<std::string> structure = {"block.yield"};
  unsigned seen = 0;
  for (mlir::RegisteredOperationName name : ctx.getRegisteredOperations()) {
    llvm::StringRef dialect = name.getDialectNamespace();
    if (dialect != "kernel" && dialect != "block")
      continue;
    ++seen;
    std::string full = name.getStringRef().str();
    if (structure.count(full))
      continue;
    std::optional<OpKind> kind =
        opKindFromName(name.getStringRef().drop_front(dialect.size() + 1));
    ASSERT_TRUE(kind) << full << " is no kind of the vocabulary";
    // The block dialect's InPlace trait is the vocabulary's in-place rule.
    if (dialect == "block")
      EXPECT_EQ(name.hasTrait<block::InPlace>(), isInPlace(*kind)) << full;
  }
  EXPECT_GT(seen, kNumOpKinds);
}
