//===- Evaluator.h - Graph walkers of the interpreter -----------*- C++ -*-===//

#ifndef MIRAGE_LIB_SEMANTICS_EVALUATOR_H
#define MIRAGE_LIB_SEMANTICS_EVALUATOR_H

#include "Engine.h"

namespace mirage::detail {

/// Evaluates kernel graphs and block graphs in domain D.
template <class D> class Evaluator {
public:
  Evaluator() : kernels(dom) {}

  /// Runs the kernel graph; inputs are checked by the caller. `observe`,
  /// when given, sees every computed kernel-level value once, as it is
  /// computed (before the intermediates are freed).
  std::vector<Tensor>
  run(const KernelGraph &graph, llvm::ArrayRef<Tensor> inputs,
      llvm::function_ref<void(ValueId, const Tensor &)> observe = nullptr);

  /// Runs one graph-defined kernel: every block of the grid, every
  /// iteration of the for-loop, writing the saved tensors to `outputs`.
  void runBlockGraph(const BlockGraph &graph,
                     llvm::ArrayRef<const Tensor *> inputs,
                     llvm::MutableArrayRef<Tensor> outputs);

  /// Runs a structured or element-wise op shared by both levels. Matmuls
  /// only compute the lanes in the bit set `lanes`; the others are never
  /// read (see lanesNeeded).
  void runCommonOp(const OpNode &op, llvm::ArrayRef<View> operands,
                   const std::vector<ValueInfo> &values, Tensor &out,
                   int64_t reductionDimx,
                   unsigned lanes = Kernels<D>::kAllLanes);

  D dom;
  Kernels<D> kernels;

private:
  void accumulate(const OpNode &op, const std::vector<View> &views,
                  const std::vector<ValueInfo> &values,
                  std::vector<double> &acc, bool first, int64_t dimx);
  void finishAccum(const OpNode &op, const std::vector<ValueInfo> &values,
                   std::vector<double> &acc, int64_t forloop, Tensor &out);
  void runningMax(const OpNode &op, const View &x,
                  const std::vector<ValueInfo> &values, std::vector<double> &m,
                  bool first, std::vector<Tensor> &buffers);
};

extern template class Evaluator<FloatDomain>;
extern template class Evaluator<FieldDomain>;

} // namespace mirage::detail

#endif // MIRAGE_LIB_SEMANTICS_EVALUATOR_H
