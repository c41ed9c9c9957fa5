//===- ImportedGraphTest.cpp - Graphs numbered as the importer would
//-------===//

#include "Mirage/Bridge/ImportedGraph.h"

#include "gtest/gtest.h"

using namespace mirage;

namespace {

ValueInfo tensor(Shape shape) {
  ValueInfo info;
  info.shape = std::move(shape);
  return info;
}

// A graph whose values are not in op order (as the search may build them),
// with two graph-defined kernels whose block graphs are listed in the other
// order: numberAsImported numbers inputs first, then each op's results in
// op order, and lists block graphs in the order of their kernels.
TEST(ImportedGraphTest, NumbersValuesAndBlockGraphsInImportOrder) {
  KernelGraph g;
  ValueId x = g.addInput(tensor({4, 8}));
  ValueId late = addValue(g.values, tensor({4, 2}));  // defined by op 1
  ValueId early = addValue(g.values, tensor({4, 1})); // defined by op 0
  g.blockGraphs.resize(2);
  g.blockGraphs[0].numInputs = 1;
  g.blockGraphs[0].values = {tensor({4, 1}), tensor({4, 1})}; // of op 1
  g.blockGraphs[1].numInputs = 1;
  g.blockGraphs[1].values = {tensor({4, 8}), tensor({4, 8})}; // of op 0
  for (BlockGraph &bg : g.blockGraphs)
    bg.ops = {makeOpNode(OpKind::Exp, {0}, {1})};
  OpNode first = makeOpNode(OpKind::GraphDefined, {x}, {early});
  first.blockGraph = 1;
  OpNode second = makeOpNode(OpKind::GraphDefined, {early}, {late});
  second.blockGraph = 0;
  second.location = 5;
  g.ops = {first, second};
  g.outputs = {late};

  ASSERT_TRUE(succeeded(numberAsImported(g)));
  EXPECT_EQ(g.values[1].shape, Shape({4, 1}));
  EXPECT_EQ(g.values[2].shape, Shape({4, 2}));
  EXPECT_EQ(g.ops[0].results[0], 1);
  EXPECT_EQ(g.ops[1].operands[0], 1);
  EXPECT_EQ(g.ops[1].results[0], 2);
  EXPECT_EQ(g.outputs[0], 2);
  EXPECT_EQ(g.ops[0].blockGraph, 0);
  EXPECT_EQ(g.ops[1].blockGraph, 1);
  EXPECT_EQ(g.blockGraphs[0].values[0].shape, Shape({4, 8}));
  EXPECT_EQ(g.blockGraphs[1].values[0].shape, Shape({4, 1}));
  EXPECT_EQ(g.ops[1].location, 5);
}

// A value no op defines cannot come from the importer: refused, unchanged.
TEST(ImportedGraphTest, RefusesValuesNoOpDefines) {
  KernelGraph g;
  ValueId x = g.addInput(tensor({4}));
  addValue(g.values, tensor({4})); // dangling
  ValueId y = addValue(g.values, tensor({4}));
  g.ops = {makeOpNode(OpKind::Exp, {x}, {y})};
  g.outputs = {y};
  EXPECT_TRUE(failed(numberAsImported(g)));
  EXPECT_EQ(g.ops[0].results[0], 2);
}

} // namespace
