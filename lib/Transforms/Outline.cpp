//===- Outline.cpp - Kernel regions into kernel-level functions -*- C++ -*-===//
//
// `--mirage-outline`, the LAX partitioning of Mirage: maximal regions of
// kernel ops become private kernel-level functions and calls to them
// (docs/Import.md, "Outlining").
//
//===----------------------------------------------------------------------===//

#include "Mirage/Bridge/MixedModules.h"
#include "Mirage/Dialect/Block/IR/BlockDialect.h"
#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"
#include "Mirage/Support/Vocabulary.h"
#include "Mirage/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mirage {
#define GEN_PASS_DEF_OUTLINE
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

bool isKernelOp(Operation *op) {
  return isa<::mirage::kernel::KernelDialect>(op->getDialect());
}

/// A kernel.constant: never an input or an output of a region; each region
/// that reads one gets its own copy (docs/Import.md, "Outlining").
bool isConstant(Value value) {
  return value.getDefiningOp<::mirage::kernel::ConstantOp>() != nullptr;
}

/// exp or an exact rational function of it (the vocabulary's expLike), or a
/// graph-defined kernel whose block graph holds one.
bool isExpLike(Operation *op) {
  if (isa<::mirage::kernel::GraphDefinedOp>(op)) {
    bool found = false;
    op->walk([&](Operation *nested) {
      if (nested != op && isExpLike(nested))
        found = true;
    });
    return found;
  }
  if (!isa<::mirage::kernel::KernelDialect, ::mirage::block::BlockDialect>(
          op->getDialect()))
    return false;
  std::optional<::mirage::OpKind> kind =
      ::mirage::opKindFromName(op->getName().stripDialect());
  return kind && ::mirage::opKindInfo(*kind).expLike;
}

/// A kernel transpose, reshape or broadcast: a layout op.
bool isLayoutOp(Operation *op) {
  if (!isKernelOp(op))
    return false;
  std::optional<::mirage::OpKind> kind =
      ::mirage::opKindFromName(op->getName().stripDialect());
  return kind && (*kind == ::mirage::OpKind::Transpose ||
                  *kind == ::mirage::OpKind::Reshape ||
                  *kind == ::mirage::OpKind::Broadcast);
}

/// A region being grown: its ops in program order, with what the limits
/// need.
struct Region {
  SmallVector<Operation *> ops;
  llvm::SmallPtrSet<Operation *, 16> members;
  /// Values of the region that depend on an exponential in the region.
  llvm::DenseSet<Value> expTainted;
  /// Results of the region's leading layout ops: layout ops that read an
  /// input of the region or another such result. The search takes them off
  /// before it searches and puts them back in front of what it finds
  /// (docs/Search.md, "Layout ops"); a layout op on any other value the
  /// region computes it cannot produce.
  llvm::DenseSet<Value> leadingLayout;

  bool contains(Value value) const {
    Operation *def = value.getDefiningOp();
    return def && members.contains(def);
  }

  /// Inputs in the order of their first use (constants are copied in).
  llvm::SetVector<Value> inputs() const {
    llvm::SetVector<Value> result;
    for (Operation *op : ops)
      for (Value operand : op->getOperands())
        if (!contains(operand) && !isConstant(operand))
          result.insert(operand);
    return result;
  }

  /// The constants the region reads, in the order of their first use.
  llvm::SetVector<Value> constants() const {
    llvm::SetVector<Value> result;
    for (Operation *op : ops)
      for (Value operand : op->getOperands())
        if (isConstant(operand))
          result.insert(operand);
    return result;
  }

  /// Results used outside the region, in program order.
  SmallVector<Value> outputs() const {
    SmallVector<Value> result;
    for (Operation *op : ops)
      for (Value value : op->getResults())
        if (llvm::any_of(value.getUsers(), [&](Operation *user) {
              return !members.contains(user);
            }))
          result.push_back(value);
    return result;
  }

  /// Inputs the region would have with `op` added.
  size_t inputsWith(Operation *op) const {
    llvm::SetVector<Value> result = inputs();
    for (Value operand : op->getOperands())
      if (!contains(operand) && !isConstant(operand))
        result.insert(operand);
    return result.size();
  }

  /// Whether `op` is a layout op on a value the region computes other than
  /// through its leading layout ops: the search could not reproduce the
  /// region with it.
  bool layoutOnComputed(Operation *op) const {
    return isLayoutOp(op) && llvm::any_of(op->getOperands(), [&](Value v) {
             return contains(v) && !leadingLayout.contains(v);
           });
  }

  /// Whether `op` would nest an exponential in another in the region.
  bool nestsExp(Operation *op) const {
    return isExpLike(op) && llvm::any_of(op->getOperands(), [&](Value v) {
             return expTainted.contains(v);
           });
  }

  void add(Operation *op) {
    bool tainted =
        isExpLike(op) || llvm::any_of(op->getOperands(), [&](Value v) {
          return expTainted.contains(v);
        });
    bool leading = isLayoutOp(op) && !layoutOnComputed(op);
    ops.push_back(op);
    members.insert(op);
    if (leading)
      for (Value result : op->getResults())
        leadingLayout.insert(result);
    if (tainted)
      for (Value result : op->getResults())
        expTainted.insert(result);
  }

  void popBack() {
    Operation *op = ops.pop_back_val();
    members.erase(op);
    for (Value result : op->getResults()) {
      expTainted.erase(result);
      leadingLayout.erase(result);
    }
  }
};

struct OutlinePass : public ::mirage::impl::OutlineBase<OutlinePass> {
  using Base::Base;

  void runOnOperation() override {
    if (maxInputs < 0 || maxOutputs < 1 || maxOps < 1) {
      getOperation().emitError()
          << "mirage-outline: max-inputs must be >= 0, max-outputs and "
             "max-ops >= 1";
      return signalPassFailure();
    }
    SymbolTable symbols(getOperation());
    SmallVector<func::FuncOp> funcs(getOperation().getOps<func::FuncOp>());
    // A kernel-level function is cut too when it is more than one region
    // (an imported model is often kernel level as a whole); one that is a
    // single region stays as it is.
    for (func::FuncOp func : funcs)
      if (!func.isExternal() && !func->hasAttr(::mirage::kOutlinedAttr) &&
          (!isKernelLevel(func) || needsRegions(func)))
        outlineFunction(func, symbols);
    // A kernel-level function the rest of the program calls (only functions
    // that are not kernel level can call) is marked as the outlined ones:
    // the lowering must not change its signature under its calls.
    for (func::FuncOp func : funcs)
      if (!func.isExternal() && isKernelLevel(func) &&
          !SymbolTable::symbolKnownUseEmpty(func, getOperation()))
        func->setAttr(::mirage::kOutlinedAttr, UnitAttr::get(&getContext()));
  }

  /// Only kernel ops and the return: nothing to outline.
  static bool isKernelLevel(func::FuncOp func) {
    return llvm::all_of(func.getBody().getOps(), [](Operation &op) {
      return isKernelOp(&op) || isa<func::ReturnOp>(op);
    });
  }

  /// Why `op` alone breaks a limit, or an empty string.
  std::string aloneTooLarge(Operation *op) {
    Region region;
    std::string why;
    llvm::raw_string_ostream os(why);
    if (int64_t inputs = region.inputsWith(op); inputs > maxInputs)
      os << inputs << " input tensors exceed the limit of " << maxInputs
         << " (option max-inputs)";
    else if (int64_t outputs = op->getNumResults(); outputs > maxOutputs)
      os << outputs << " output tensors exceed the limit of " << maxOutputs
         << " (option max-outputs)";
    return why;
  }

  /// The regions of `ops` (one block's ops, in order), as the limits cut
  /// them; with `remark`, each op left in place says why.
  std::vector<Region> findRegions(ArrayRef<Operation *> ops, bool remark) {
    std::vector<Region> regions;
    size_t i = 0;
    while (i < ops.size()) {
      if (!isKernelOp(ops[i]) || isa<::mirage::kernel::ConstantOp>(ops[i])) {
        ++i;
        continue;
      }
      if (std::string why = aloneTooLarge(ops[i]); !why.empty()) {
        if (remark)
          ops[i]->emitRemark() << "mirage-outline: '" << ops[i]->getName()
                               << "' left in place: " << why;
        ++i;
        continue;
      }
      Region region;
      region.add(ops[i]);
      size_t next = grow(region, ops, i + 1);
      // Too many outputs: drop ops from the end; the next region starts
      // at the first op dropped.
      while (static_cast<int64_t>(region.outputs().size()) > maxOutputs &&
             region.ops.size() > 1) {
        region.popBack();
        next = llvm::find(ops, region.ops.back()) - ops.begin() + 1;
      }
      regions.push_back(std::move(region));
      i = next;
    }
    return regions;
  }

  /// Whether the kernel-level `func` is more than one region: larger than
  /// the limits, or holding a layout op on a computed value.
  bool needsRegions(func::FuncOp func) {
    for (Block &block : func.getBody()) {
      SmallVector<Operation *> ops =
          llvm::map_to_vector(block, [](Operation &op) { return &op; });
      std::vector<Region> regions = findRegions(ops, /*remark=*/false);
      size_t kernelOps = llvm::count_if(ops, [](Operation *op) {
        return isKernelOp(op) && !isa<::mirage::kernel::ConstantOp>(op);
      });
      if (regions.size() > 1 ||
          (regions.size() == 1 && regions.front().ops.size() != kernelOps))
        return true;
    }
    return false;
  }

  void outlineFunction(func::FuncOp func, SymbolTable &symbols) {
    unsigned counter = 0;
    Operation *insertAfter = func;
    for (Block &block : func.getBody()) {
      SmallVector<Operation *> ops =
          llvm::map_to_vector(block, [](Operation &op) { return &op; });
      SmallVector<Operation *> constants = llvm::filter_to_vector(
          ops, llvm::IsaPred<::mirage::kernel::ConstantOp>);
      // Found before any is outlined: outlining one changes nothing the
      // limits of the next look at (its outputs become the call's results,
      // one for one).
      for (Region &region : findRegions(ops, /*remark=*/true))
        insertAfter =
            outlineRegion(func, region, counter, insertAfter, symbols);
      // The regions have their own copies of the constants they read (the
      // constants are never in a region, so `constants` holds no erased
      // op).
      for (Operation *op : constants)
        if (op->use_empty())
          op->erase();
    }
  }

  /// Adds the kernel ops from `ops[begin]` on while the limits allow;
  /// returns the index of the first op not considered.
  size_t grow(Region &region, ArrayRef<Operation *> ops, size_t begin) {
    for (size_t j = begin; j < ops.size(); ++j) {
      Operation *op = ops[j];
      // A constant reads nothing; the regions that read it copy it.
      if (isa<::mirage::kernel::ConstantOp>(op))
        continue;
      if (!isKernelOp(op)) {
        // The call replaces the region where its last op is: nothing
        // before it may read what the region computes.
        // Reads in its nested regions count too.
        bool reads = false;
        op->walk([&](Operation *nested) {
          reads |= llvm::any_of(nested->getOperands(),
                                [&](Value v) { return region.contains(v); });
        });
        if (reads)
          return j;
        continue;
      }
      if (static_cast<int64_t>(region.ops.size()) >= maxOps ||
          static_cast<int64_t>(region.inputsWith(op)) > maxInputs ||
          region.nestsExp(op) || region.layoutOnComputed(op))
        return j;
      region.add(op);
    }
    return ops.size();
  }

  /// Moves `region` into a new function placed after `insertAfter` and
  /// calls it; returns the new function.
  Operation *outlineRegion(func::FuncOp caller, Region &region,
                           unsigned &counter, Operation *insertAfter,
                           SymbolTable &symbols) {
    MLIRContext *context = &getContext();
    llvm::SetVector<Value> inputs = region.inputs();
    SmallVector<Value> outputs = region.outputs();
    SmallVector<Location> locations;
    for (Operation *op : region.ops)
      locations.push_back(op->getLoc());
    Location loc = FusedLoc::get(context, locations);

    std::string name;
    do {
      name = (caller.getSymName() + "_mirage_" + Twine(counter++)).str();
    } while (symbols.lookup(name));

    OpBuilder builder(context);
    builder.setInsertionPointAfter(insertAfter);
    auto type = builder.getFunctionType(
        llvm::map_to_vector(inputs, [](Value v) { return v.getType(); }),
        llvm::map_to_vector(outputs, [](Value v) { return v.getType(); }));
    auto callee = func::FuncOp::create(builder, loc, name, type);
    callee.setPrivate();
    callee->setAttr(::mirage::kOutlinedAttr, builder.getUnitAttr());
    symbols.insert(callee);

    // Each argument has the location of the value it stands for.
    Block *body = new Block();
    callee.getBody().push_back(body);
    IRMapping mapping;
    for (Value input : inputs)
      mapping.map(input, body->addArgument(input.getType(), input.getLoc()));
    builder.setInsertionPointToStart(body);
    for (Value constant : region.constants())
      builder.clone(*constant.getDefiningOp(), mapping);
    for (Operation *op : region.ops)
      builder.clone(*op, mapping);
    func::ReturnOp::create(builder, loc,
                           llvm::map_to_vector(outputs, [&](Value v) {
                             return mapping.lookup(v);
                           }));

    builder.setInsertionPointAfter(region.ops.back());
    auto call =
        func::CallOp::create(builder, loc, callee, inputs.getArrayRef());
    for (auto [output, result] : llvm::zip_equal(outputs, call.getResults()))
      output.replaceUsesWithIf(result, [&](OpOperand &use) {
        return !region.members.contains(use.getOwner());
      });
    for (Operation *op : llvm::reverse(region.ops))
      op->erase();
    return callee;
  }
};

} // namespace
