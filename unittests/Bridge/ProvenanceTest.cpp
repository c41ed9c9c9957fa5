//===- ProvenanceTest.cpp - Which user ops a search result computes -------===//

#include "Mirage/Bridge/Provenance.h"

#include "gtest/gtest.h"

using namespace mirage;

namespace {

ValueInfo tensor(Shape shape) {
  ValueInfo info;
  info.shape = std::move(shape);
  return info;
}

/// Appends `kind` on `operands` with one result like `like`'s.
ValueId addOp(KernelGraph &g, OpKind kind, llvm::ArrayRef<ValueId> operands,
              ValueId like) {
  ValueId r = addValue(g.values, g.values[like]);
  g.ops.push_back(makeOpNode(kind, operands, {r}));
  return r;
}

using Ops = llvm::SmallVector<unsigned, 4>;

// exp(x) . w and relu(z) + relu(z), computed in another order: every op of
// the candidate computes exactly its counterpart (the intermediate values
// exp(x) and relu(z) are matched by their fingerprints).
TEST(ProvenanceTest, ReorderedOpsPointAtTheirCounterparts) {
  KernelGraph ref;
  ValueId x = ref.addInput(tensor({16, 64}));
  ValueId w = ref.addInput(tensor({64, 64}));
  ValueId z = ref.addInput(tensor({16, 64}));
  ValueId a = addOp(ref, OpKind::Exp, {x}, x);       // op 0
  ValueId b = addOp(ref, OpKind::Matmul, {a, w}, x); // op 1
  ValueId c = addOp(ref, OpKind::Relu, {z}, z);      // op 2
  ValueId d = addOp(ref, OpKind::Add, {c, c}, z);    // op 3
  ref.outputs = {b, d};

  KernelGraph cand;
  x = cand.addInput(tensor({16, 64}));
  w = cand.addInput(tensor({64, 64}));
  z = cand.addInput(tensor({16, 64}));
  c = addOp(cand, OpKind::Relu, {z}, z);
  d = addOp(cand, OpKind::Add, {c, c}, z);
  a = addOp(cand, OpKind::Exp, {x}, x);
  b = addOp(cand, OpKind::Matmul, {a, w}, x);
  cand.outputs = {b, d};

  std::vector<Ops> computed = computedReferenceOps(ref, cand, /*seed=*/7);
  ASSERT_EQ(computed.size(), 4u);
  EXPECT_EQ(computed[0], Ops({2}));
  EXPECT_EQ(computed[1], Ops({3}));
  EXPECT_EQ(computed[2], Ops({0}));
  EXPECT_EQ(computed[3], Ops({1}));
}

// mul(exp(x), exp(x)) computed as exp(add(x, x)): add(x, x) has no
// counterpart, so add and exp form one group, which computes both user ops;
// relu(z), beside it, computes only the user's relu.
TEST(ProvenanceTest, OpsJoinedByNewValuesComputeTheirGroupsOps) {
  KernelGraph ref;
  ValueId x = ref.addInput(tensor({8, 8}));
  ValueId z = ref.addInput(tensor({8, 8}));
  ValueId e = addOp(ref, OpKind::Exp, {x}, x);    // op 0
  ValueId m = addOp(ref, OpKind::Mul, {e, e}, x); // op 1
  ValueId r = addOp(ref, OpKind::Relu, {z}, z);   // op 2
  ref.outputs = {m, r};

  KernelGraph cand;
  x = cand.addInput(tensor({8, 8}));
  z = cand.addInput(tensor({8, 8}));
  ValueId t = addOp(cand, OpKind::Add, {x, x}, x);
  ValueId u = addOp(cand, OpKind::Exp, {t}, x);
  r = addOp(cand, OpKind::Relu, {z}, z);
  cand.outputs = {u, r};

  std::vector<Ops> computed = computedReferenceOps(ref, cand, /*seed=*/7);
  ASSERT_EQ(computed.size(), 3u);
  EXPECT_EQ(computed[0], Ops({0, 1}));
  EXPECT_EQ(computed[1], Ops({0, 1}));
  EXPECT_EQ(computed[2], Ops({2}));
}

// A candidate op that reads only inputs and writes an output computes every
// user op that output depends on; one whose output corresponds to an input
// of the reference (which computes nothing) gets every user op.
TEST(ProvenanceTest, OutputsDependOnEveryUserOpUpstream) {
  KernelGraph ref;
  ValueId x = ref.addInput(tensor({4, 4}));
  ValueId s = addOp(ref, OpKind::Sqrt, {x}, x);   // op 0
  ValueId q = addOp(ref, OpKind::Square, {s}, x); // op 1
  ref.outputs = {q};

  KernelGraph cand;
  x = cand.addInput(tensor({4, 4}));
  ValueId y = addOp(cand, OpKind::Relu, {x}, x);
  cand.outputs = {y};
  std::vector<Ops> computed = computedReferenceOps(ref, cand, /*seed=*/7);
  ASSERT_EQ(computed.size(), 1u);
  EXPECT_EQ(computed[0], Ops({0, 1}));

  KernelGraph identity;
  x = identity.addInput(tensor({4, 4}));
  ValueId out = addOp(identity, OpKind::Relu, {x}, x);
  identity.outputs = {out};
  KernelGraph refIdentity;
  x = refIdentity.addInput(tensor({4, 4}));
  ValueId r = addOp(refIdentity, OpKind::Relu, {x}, x); // op 0
  refIdentity.outputs = {x};
  (void)r;
  computed = computedReferenceOps(refIdentity, identity, /*seed=*/7);
  ASSERT_EQ(computed.size(), 1u);
  EXPECT_EQ(computed[0], Ops({0}));
}

} // namespace
