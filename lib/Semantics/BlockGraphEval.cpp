//===- BlockGraphEval.cpp - Exact block-graph semantics -------------------===//
//
// One graph-defined kernel: for every block (bx, by, bz) of the grid and
// every for-loop iteration i, loaders select their tile by the imap/fmap
// offsets, the per-iteration ops run, accumulators fold the iteration in;
// after the loop the accumulators finish (mean, rms), the post-loop ops run
// once and savers place the block's tiles by the omap.
//
//===----------------------------------------------------------------------===//

#include "Evaluator.h"
#include "Gemm.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mirage;
using namespace mirage::detail;

namespace {
/// Per-block state of an accumulator or running maximum.
struct LoopState {
  std::vector<double> acc;
  bool first = true;
  /// A plain accumulator fed by a matmul alone: its sums (Kernels::
  /// matmulInto), made acc's when the loop ends.
  const OpNode *feedingMatmul = nullptr;
  MatmulSums sums;
};
} // namespace

/// The view of the tile that block `b` loads in iteration `iter`: along
/// data dim d the offset is b_a * T_d * (F if fmap == d else 1) for the axis
/// a mapped to d, plus iter * T_d if fmap == d (docs/Semantics.md, the loader
/// formula).
template <unsigned L>
static View loaderView(const View &source, size_t rank, const OpNode &op,
                       const Dims &tile, const int64_t *block, int64_t iter,
                       int64_t forloop) {
  View view;
  view.shape = tile;
  view.stride = source.stride;
  int64_t offset = 0;
  for (size_t d = 0; d < rank; ++d) {
    unsigned pd = padDim(static_cast<int64_t>(d), rank);
    int64_t t = tile[pd];
    int64_t pos = 0;
    for (unsigned a = 0; a < kNumGridAxes; ++a)
      if (op.map[a] == static_cast<int64_t>(d))
        pos += block[a] * t * (op.dim == static_cast<int64_t>(d) ? forloop : 1);
    if (op.dim == static_cast<int64_t>(d))
      pos += iter * t;
    offset += pos * source.stride[pd];
  }
  if (source.drawn) {
    view.drawn = source.drawn;
    view.origin = source.origin + offset;
  } else {
    view.data = source.data + offset * L;
  }
  view.stable = source.stable;
  return view;
}

/// The lanes of each value that some op reads (a bit set per value). Only
/// matmuls skip lanes nobody reads, and only exp and tanh read fewer lanes
/// than they produce (their Z_p result depends on the Z_q residue alone);
/// every other op reads all lanes of its operands, so that a skipped lane
/// can never reach a division or a saver.
template <class D>
static std::vector<unsigned> lanesNeeded(const BlockGraph &graph) {
  constexpr unsigned all = Kernels<D>::kAllLanes;
  std::vector<unsigned> need(graph.values.size(), 0);
  for (auto it = graph.ops.rbegin(); it != graph.ops.rend(); ++it) {
    unsigned mine = 0;
    for (ValueId r : it->results)
      mine |= need[r];
    unsigned demand = all;
    if (it->kind == OpKind::Matmul || it->kind == OpKind::ConcatMatmul)
      demand = mine;
    else if (D::kIsField &&
             (it->kind == OpKind::Exp || it->kind == OpKind::Tanh))
      demand = mine ? 2u : 0u;
    for (ValueId v : it->operands)
      need[v] |= demand;
  }
  return need;
}

template <class D>
void Evaluator<D>::runBlockGraph(const BlockGraph &graph,
                                 llvm::ArrayRef<const Tensor *> inputs,
                                 llvm::MutableArrayRef<Tensor> outputs) {
  constexpr unsigned L = D::L;
  const LaunchShape &launch = graph.launch;
  const int64_t forloop = launch.forloopRange;
  const auto &values = graph.values;
  std::vector<View> views(values.size());
  std::vector<Tensor> buffers(values.size());
  std::vector<LoopState> states(graph.ops.size());
  std::vector<int> outputOf(values.size(), -1);
  for (size_t k = 0; k < graph.outputs.size(); ++k)
    outputOf[graph.outputs[k]] = static_cast<int>(k);
  // The inputs do not change while the graph runs: work derived from their
  // tiles may be kept (Kernels::cached) until the end.
  for (unsigned i = 0; i < graph.numInputs; ++i) {
    views[i] = viewOf(*inputs[i]);
    views[i].stable = true;
  }
  kernels.clearCache();
  // Partial results on their way to an accumulator are rounded to f32, not
  // to their element type (valuesHeldInF32); fingerprints are exact and
  // have no rounding to change.
  std::vector<bool> heldInF32;
  if constexpr (!D::kIsField)
    heldInF32 = valuesHeldInF32(graph);

  std::vector<const OpNode *> perIteration, accums, postLoop;
  for (size_t k = 0; k < graph.ops.size(); ++k) {
    const OpNode &op = graph.ops[k];
    if (op.kind == OpKind::Saver) {
      postLoop.push_back(&op);
      continue;
    }
    // A loader of a drawn input (a weight not held) draws its tile into a
    // buffer of its own in every iteration.
    if (op.kind == OpKind::Loader && views[op.operands[0]].drawn)
      buffers[op.results[0]] =
          Tensor(values[op.results[0]].shape, values[op.results[0]].dtype, L);
    if (op.kind != OpKind::Loader)
      for (ValueId r : op.results) {
        DType dtype = values[r].dtype;
        if (!heldInF32.empty() && heldInF32[r])
          dtype = DType::F32;
        buffers[r] = Tensor(values[r].shape, dtype, L);
        views[r] = viewOf(buffers[r]);
        // The mod-q lane of exp is 1 (FieldDomain::unary).
        if (D::kIsField && op.kind == OpKind::Exp)
          views[r].onesLanes = 2u;
      }
    if (op.kind == OpKind::Accum) {
      accums.push_back(&op);
      states[k].acc.resize(buffers[op.results[0]].data.size());
      perIteration.push_back(&op);
    } else if (op.kind == OpKind::RunningMax) {
      states[k].acc.resize(buffers[op.results[0]].data.size());
      perIteration.push_back(&op);
    } else if (op.kind == OpKind::Loader ||
               !values[op.results[0]].accumulated) {
      perIteration.push_back(&op);
    } else {
      postLoop.push_back(&op);
    }
  }
  auto stateOf = [&](const OpNode *op) -> LoopState & {
    return states[static_cast<size_t>(op - graph.ops.data())];
  };

  std::vector<unsigned> need = lanesNeeded<D>(graph);
  // A matmul whose only reader is an exp that reads its q lane alone writes
  // the exp's result itself (Kernels::kExpOfQLane); the exp is skipped.
  std::vector<const OpNode *> fusedExp(graph.ops.size(), nullptr);
  if constexpr (D::kIsField) {
    std::vector<int> readers(values.size(), 0);
    std::vector<const OpNode *> reader(values.size(), nullptr);
    for (const OpNode &op : graph.ops)
      for (ValueId v : op.operands) {
        ++readers[v];
        reader[v] = &op;
      }
    for (size_t k = 0; k < graph.ops.size(); ++k) {
      const OpNode &op = graph.ops[k];
      if (op.kind != OpKind::Matmul)
        continue;
      ValueId r = op.results[0];
      const OpNode *user = reader[r];
      if (readers[r] == 1 && user->kind == OpKind::Exp && need[r] == 2u &&
          values[user->results[0]].accumulated == values[r].accumulated)
        fusedExp[k] = user;
      // A per-iteration matmul of one tile whose only reader is a plain
      // accumulator (E V in MQA) adds its unreduced products to the
      // accumulator's sums: the same residues, without rounding the
      // product to floats and adding those.
      Dims dims = padShape(values[r].shape);
      if (readers[r] == 1 && user->kind == OpKind::Accum &&
          user->accum == AccumKind::None && !values[r].accumulated &&
          dims[0] == 1 && dims[1] == 1)
        stateOf(user).feedingMatmul = &op;
    }
    auto isFused = [&](const OpNode *op) {
      return std::find(fusedExp.begin(), fusedExp.end(), op) !=
                 fusedExp.end() ||
             (op->kind == OpKind::Accum && stateOf(op).feedingMatmul);
    };
    llvm::erase_if(perIteration, isFused);
    llvm::erase_if(postLoop, isFused);
  }
  // The accumulator a matmul feeds, by op.
  std::vector<const OpNode *> feeds(graph.ops.size(), nullptr);
  for (const OpNode *op : accums)
    if (const OpNode *matmul = stateOf(op).feedingMatmul)
      feeds[static_cast<size_t>(matmul - graph.ops.data())] = op;
  llvm::SmallVector<View, 4> operandViews;
  auto runOp = [&](const OpNode &op) {
    operandViews.clear();
    for (ValueId v : op.operands)
      operandViews.push_back(views[v]);
    if (const OpNode *exp =
            fusedExp[static_cast<size_t>(&op - graph.ops.data())])
      return runCommonOp(op, operandViews, values, buffers[exp->results[0]],
                         launch.reductionDimx, 2u | Kernels<D>::kExpOfQLane);
    runCommonOp(op, operandViews, values, buffers[op.results[0]],
                launch.reductionDimx, need[op.results[0]]);
  };

  int64_t block[3];
  for (block[2] = 0; block[2] < launch.grid[2]; ++block[2])
    for (block[1] = 0; block[1] < launch.grid[1]; ++block[1])
      for (block[0] = 0; block[0] < launch.grid[0]; ++block[0]) {
        for (LoopState &s : states) {
          if (!s.feedingMatmul)
            std::fill(s.acc.begin(), s.acc.end(), 0.0);
          s.first = true;
          s.sums.empty = true;
        }
        for (int64_t iter = 0; iter < forloop; ++iter) {
          for (const OpNode *op : perIteration) {
            // Loaders, accumulators and running maxima keep state across
            // iterations; every other op is run by runCommonOp, whose
            // switch lists them.
            if (op->kind == OpKind::Loader) {
              ValueId src = op->operands[0];
              View &tile = views[op->results[0]];
              tile = loaderView<L>(views[src], values[src].shape.size(), *op,
                                   padShape(values[op->results[0]].shape),
                                   block, iter, forloop);
              if (tile.drawn) {
                Tensor &held = buffers[op->results[0]];
                drawView(tile, L, held.data.data());
                tile = viewOf(held);
              }
            } else if (op->kind == OpKind::Accum) {
              accumulate(*op, views, values, stateOf(op).acc, stateOf(op).first,
                         launch.reductionDimx);
              stateOf(op).first = false;
            } else if (op->kind == OpKind::RunningMax) {
              runningMax(*op, views[op->operands[0]], values, stateOf(op).acc,
                         stateOf(op).first, buffers);
              stateOf(op).first = false;
            } else if (const OpNode *accum =
                           feeds[static_cast<size_t>(op - graph.ops.data())]) {
              kernels.matmulInto(views[op->operands[0]], views[op->operands[1]],
                                 stateOf(accum).sums);
            } else {
              runOp(*op);
            }
          }
        }
        for (const OpNode *op : accums) {
          if (const OpNode *matmul = stateOf(op).feedingMatmul) {
            const View &a = views[matmul->operands[0]];
            kernels.finishSums(stateOf(op).sums, a.shape[2],
                               views[matmul->operands[1]].shape[3], a.onesLanes,
                               buffers[op->results[0]].data.data());
            continue;
          }
          finishAccum(*op, values, stateOf(op).acc, forloop,
                      buffers[op->results[0]]);
        }
        for (const OpNode *op : postLoop) {
          if (op->kind != OpKind::Saver) {
            runOp(*op);
            continue;
          }
          const Tensor &tile = buffers[op->operands[0]];
          Tensor &out = outputs[outputOf[op->results[0]]];
          Dims tileShape = padShape(tile.shape);
          Dims outStrides = denseStrides(padShape(out.shape));
          size_t rank = out.shape.size();
          int64_t offset = 0;
          for (unsigned a = 0; a < kNumGridAxes; ++a)
            if (op->map[a] >= 0) {
              unsigned pd = padDim(op->map[a], rank);
              offset += block[a] * tileShape[pd] * outStrides[pd];
            }
          float *y = out.data.data() + offset * L;
          const float *x = tile.data.data();
          if (outStrides[3] == 1) {
            // Whole rows of the last dim.
            int64_t len = tileShape[3] * L;
            for (int64_t i0 = 0; i0 < tileShape[0]; ++i0)
              for (int64_t i1 = 0; i1 < tileShape[1]; ++i1)
                for (int64_t i2 = 0; i2 < tileShape[2]; ++i2, x += len)
                  std::copy(x, x + len,
                            y + (i0 * outStrides[0] + i1 * outStrides[1] +
                                 i2 * outStrides[2]) *
                                    L);
            continue;
          }
          Kernels<D>::forEach2(tileShape, denseStrides(tileShape), outStrides,
                               [&](int64_t, int64_t i, int64_t j) {
                                 for (unsigned l = 0; l < L; ++l)
                                   y[j * L + l] = x[i * L + l];
                               });
        }
      }
  kernels.clearCache();
}

template <class D>
void Evaluator<D>::accumulate(const OpNode &op, const std::vector<View> &views,
                              const std::vector<ValueInfo> &values,
                              std::vector<double> &acc, bool first,
                              int64_t dimx) {
  constexpr unsigned L = D::L;
  const View &x = views[op.operands[0]];
  int64_t last = x.shape[3];
  double *a = acc.data();
  const float *in = x.data;
  auto each = [&](auto f) { Kernels<D>::forEach(x.shape, f, x.stride); };
  // f(row number, first element) for every row of the last dim.
  int64_t step = x.stride[3] * L;
  auto eachRow = [&](auto f) {
    int64_t r = 0;
    for (int64_t i0 = 0; i0 < x.shape[0]; ++i0)
      for (int64_t i1 = 0; i1 < x.shape[1]; ++i1)
        for (int64_t i2 = 0; i2 < x.shape[2]; ++i2)
          f(r++,
            in + (i0 * x.stride[0] + i1 * x.stride[1] + i2 * x.stride[2]) * L);
  };
  switch (op.accum) {
  case AccumKind::None:
    if (x.stride == denseStrides(x.shape)) {
      // The usual tile: one vectorizable loop.
      gemm::addFloats(in, static_cast<int64_t>(acc.size()), a);
      return;
    }
    each([&](int64_t o, int64_t i) {
      for (unsigned l = 0; l < L; ++l)
        a[o * L + l] += in[i * L + l];
    });
    return;
  case AccumKind::Sum:
  case AccumKind::Mean:
    eachRow([&](int64_t r, const float *row) {
      if constexpr (D::kIsField) {
        if (step == L) {
          // Exact sums, in any order.
          gemm::addPairSums(row, last, a + r * L);
          return;
        }
      }
      for (unsigned l = 0; l < L; ++l) {
        double s = a[r * L + l];
        for (int64_t j = 0; j < last; ++j)
          s += row[j * step + l];
        a[r * L + l] = s;
      }
    });
    return;
  case AccumKind::Rms:
    eachRow([&](int64_t r, const float *row) {
      for (unsigned l = 0; l < L; ++l) {
        double s = a[r * L + l];
        if constexpr (D::kIsField) {
          // Unreduced squares (below 2^42), reduced every kChunk - 1: the
          // accumulator only needs the right residue.
          // Four partial sums for throughput; all exact.
          for (int64_t j0 = 0; j0 < last; j0 += D::kChunk - 1) {
            int64_t j1 = std::min(last, j0 + D::kChunk - 1), j = j0;
            double part[4] = {};
            for (; j + 4 <= j1; j += 4)
              for (int u = 0; u < 4; ++u) {
                double v = row[(j + u) * step + l];
                part[u] += v * v;
              }
            for (; j < j1; ++j) {
              double v = row[j * step + l];
              part[0] += v * v;
            }
            s = D::reduce(s + part[0] + part[1] + part[2] + part[3], l);
          }
        } else {
          for (int64_t j = 0; j < last; ++j)
            s += D::square(row[j * step + l], l);
        }
        a[r * L + l] = s;
      }
    });
    return;
  case AccumKind::SumToDimx:
    eachRow([&](int64_t r, const float *row) {
      double *slots = a + r * dimx * L;
      if (step == L && last % dimx == 0) {
        // Whole rounds of the slots, in the same order.
        for (int64_t j = 0; j < last; j += dimx)
          gemm::addFloats(row + j * L, dimx * L, slots);
        return;
      }
      for (int64_t j = 0, slot = 0; j < last; ++j) {
        for (unsigned l = 0; l < L; ++l)
          slots[slot * L + l] += row[j * step + l];
        if (++slot == dimx)
          slot = 0;
      }
    });
    return;
  case AccumKind::Rescale: {
    View s = broadcastTo(views[op.operands[1]], x.shape);
    Kernels<D>::forEach2(
        x.shape, x.stride, s.stride, [&](int64_t o, int64_t i, int64_t j) {
          for (unsigned l = 0; l < L; ++l)
            a[o * L + l] =
                D::mulAdd(a[o * L + l], s.data[j * L + l], in[i * L + l], l);
        });
    return;
  }
  case AccumKind::Max:
    each([&](int64_t o, int64_t i) {
      double v[L];
      for (unsigned l = 0; l < L; ++l)
        v[l] = in[i * L + l];
      if (first || D::greater(v, a + o * L))
        for (unsigned l = 0; l < L; ++l)
          a[o * L + l] = v[l];
    });
    return;
  }
  (void)values;
}

template <class D>
void Evaluator<D>::finishAccum(const OpNode &op,
                               const std::vector<ValueInfo> &values,
                               std::vector<double> &acc, int64_t forloop,
                               Tensor &out) {
  constexpr unsigned L = D::L;
  int64_t count = forloop * values[op.operands[0]].shape.back();
  if constexpr (D::kIsField) {
    if (op.accum == AccumKind::None || op.accum == AccumKind::Sum ||
        op.accum == AccumKind::SumToDimx || op.accum == AccumKind::Max) {
      const unsigned lanes[2] = {0, 1};
      gemm::reduceToFloats(acc.data(), static_cast<int64_t>(acc.size()), lanes,
                           out.data.data(), 1);
      return;
    }
  }
  // Element by element: sqrt of fingerprints needs both lanes at once.
  for (size_t t = 0; t < acc.size(); t += L) {
    double v[L];
    for (unsigned l = 0; l < L; ++l) {
      v[l] = acc[t + l];
      if (op.accum == AccumKind::Mean || op.accum == AccumKind::Rms)
        v[l] = dom.divCount(v[l], count, l);
    }
    if (op.accum == AccumKind::Rms)
      dom.sqrtElement(v, v);
    for (unsigned l = 0; l < L; ++l)
      out.data[t + l] = D::finish(v[l], l, out.dtype);
  }
}

/// m_i = max(m_{i-1}, max_dim x_i), diff = m_{i-1} - m_i (0 at first).
template <class D>
void Evaluator<D>::runningMax(const OpNode &op, const View &x,
                              const std::vector<ValueInfo> &values,
                              std::vector<double> &m, bool first,
                              std::vector<Tensor> &buffers) {
  constexpr unsigned L = D::L;
  unsigned pd = padDim(op.dim, values[op.operands[0]].shape.size());
  Dims outShape = x.shape;
  outShape[pd] = 1;
  Tensor &maxOut = buffers[op.results[0]];
  Tensor &diffOut = buffers[op.results[1]];
  Kernels<D>::forEach(
      outShape,
      [&](int64_t o, int64_t i) {
        double cur[L], v[L];
        for (unsigned l = 0; l < L; ++l)
          cur[l] = x.data[i * L + l];
        for (int64_t k = 1; k < x.shape[pd]; ++k) {
          for (unsigned l = 0; l < L; ++l)
            v[l] = x.data[(i + k * x.stride[pd]) * L + l];
          if (D::greater(v, cur))
            std::copy(v, v + L, cur);
        }
        double *old = m.data() + o * L;
        bool keepOld = !first && !D::greater(cur, old);
        for (unsigned l = 0; l < L; ++l) {
          double next = keepOld ? old[l] : cur[l];
          double diff = first ? D::zero() : D::sub(old[l], next, l);
          old[l] = next;
          maxOut.data[o * L + l] = D::finish(next, l, maxOut.dtype);
          diffOut.data[o * L + l] = D::finish(diff, l, diffOut.dtype);
        }
      },
      x.stride);
}

template class mirage::detail::Evaluator<FloatDomain>;
template class mirage::detail::Evaluator<FieldDomain>;
