//===- Vocabulary.td - The op vocabulary of Mirage-MLIR --*- tablegen -*-===//
//
// Every op kind of a μGraph, declared once (the accumulator kinds are in
// AccumKind.td).
//
// From this file:
//  * the kernel and block dialects stamp one op per element-wise
//    function (MirageUnaryFunctions, MirageBinaryFunctions below);
//  * VocabularyGen.td generates, for the MLIR-free core, the enums OpKind,
//    UnaryOpKind, BinaryOpKind, NonElementwiseOpKind and AbsOp (mlir-tblgen
//    -gen-enum-decls/-gen-enum-defs) and the table of each kind's name and
//    properties (llvm-tblgen -gen-searchable-tables), which
//    Mirage/Support/Vocabulary.h wraps.
//
// docs/Vocabulary.md says how to add a function and which switches the
// compiler then asks for.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SUPPORT_VOCABULARY
#define MIRAGE_SUPPORT_VOCABULARY

//===----------------------------------------------------------------------===//
// Op kinds
//===----------------------------------------------------------------------===//

// The category of an op kind. Element-wise kinds are shared by the kernel
// and block levels.
defvar MirageUnary = "unary";           // element-wise, one operand
defvar MirageBinary = "binary";         // element-wise, two, broadcasting
defvar MirageStructured = "structured"; // kernel and block level
defvar MirageKernelOnly = "kernel";     // kernel level only
defvar MirageBlockOnly = "block";       // block level only

// One op kind of the compact μGraph.
class MirageOp<string mnemonicArg, string cppNameArg, string categoryArg,
               string mathArg = "", bit stampedArg = 0, bit abstractArg = 0,
               bit searchKernelArg = 0, bit searchBlockArg = 0,
               bit inPlaceArg = 0, bit expLikeArg = 0,
               int costPerElementArg = 1> {
  // The op's name at both levels (`kernel.<mnemonic>`, `block.<mnemonic>`)
  // and in listings.
  string mnemonic = mnemonicArg;
  // The C++ enumerator: OpKind::<cppName>.
  string cppName = cppNameArg;
  string category = categoryArg;
  // The function in conventional notation, for summaries and docs.
  string math = mathArg;
  // A parameterless element-wise function: each dialect stamps its op from
  // this file. (clamp and mul_scalar carry attributes; each dialect defines
  // them.)
  bit stamped = stampedArg;
  // The abstract expressions have an operator of their own for it (AbsOp
  // with the same enumerator). mul_scalar is a mul by a constant.
  bit abstract = abstractArg;
  // The search enumerates it at the kernel level, at the block level.
  bit searchKernel = searchKernelArg;
  bit searchBlock = searchBlockArg;
  // The result lives in the storage of its operand: it costs no shared
  // memory of its own at the block level (the block dialect's InPlace
  // trait).
  bit inPlace = inPlaceArg;
  // exp or an exact rational function of it: its fingerprint in Z_p is a
  // function of the operand's residue in Z_q (docs/Semantics.md).
  bit expLike = expLikeArg;
  // Arithmetic operations per element in the cost model: transcendental
  // functions and divisions cost a few.
  int costPerElement = costPerElementArg;
}

// An element-wise function: abstract, stamped by the dialects unless it
// carries attributes, in place when unary.
class MirageUnaryFunction<string mnemonic, string cppName, string math,
                          bit searchKernel = 0, bit searchBlock = 0,
                          bit expLike = 0, int costPerElement = 1,
                          bit stamped = 1, bit abstract = 1>
    : MirageOp<mnemonic, cppName, MirageUnary, math, stamped, abstract,
               searchKernel, searchBlock, /*inPlace=*/1, expLike,
               costPerElement>;
class MirageBinaryFunction<string mnemonic, string cppName, string math,
                           bit searchKernel = 0, bit searchBlock = 0,
                           int costPerElement = 1>
    : MirageOp<mnemonic, cppName, MirageBinary, math, /*stamped=*/1,
               /*abstract=*/1, searchKernel, searchBlock, /*inPlace=*/0,
               /*expLike=*/0, costPerElement>;

// Every op kind, in the order of the OpKind enumerators.
defvar MirageOps = [
  // Element-wise unary.
  MirageUnaryFunction<"exp", "Exp", "exp(x)", searchKernel = 1,
                      searchBlock = 1, expLike = 1, costPerElement = 4>,
  MirageUnaryFunction<"square", "Square", "x * x", searchKernel = 1,
                      searchBlock = 1>,
  MirageUnaryFunction<"sqrt", "Sqrt", "sqrt(x)", searchKernel = 1,
                      searchBlock = 1, costPerElement = 4>,
  MirageUnaryFunction<"rsqrt", "Rsqrt", "1 / sqrt(x)", searchKernel = 1,
                      searchBlock = 1, costPerElement = 4>,
  MirageUnaryFunction<"silu", "Silu", "x * sigmoid(x)", searchKernel = 1,
                      searchBlock = 1, expLike = 1, costPerElement = 4>,
  MirageUnaryFunction<"gelu", "Gelu", "x * Phi(x), Phi the standard normal CDF",
                      searchKernel = 1, searchBlock = 1, costPerElement = 4>,
  MirageUnaryFunction<"relu", "Relu", "max(x, 0)", searchKernel = 1,
                      searchBlock = 1>,
  MirageUnaryFunction<"tanh", "Tanh", "tanh(x)", searchKernel = 1,
                      searchBlock = 1, expLike = 1, costPerElement = 4>,
  // attrs: scalarA = min, scalarB = max. The search tries the bounds of
  // the reference's clamps only.
  MirageUnaryFunction<"clamp", "Clamp", "min(max(x, min), max)",
                      searchKernel = 1, searchBlock = 1, stamped = 0>,
  // attrs: scalarA = scalar. The search tries the reference's scales only.
  MirageUnaryFunction<"mul_scalar", "MulScalar", "x * scalar",
                      searchKernel = 1, searchBlock = 1, stamped = 0,
                      abstract = 0>,
  // A mul by the constant -1 in the abstract expressions.
  MirageUnaryFunction<"neg", "Neg", "-x", abstract = 0>,
  // 1 / (1 + exp(-x)) exactly, in every semantics.
  MirageUnaryFunction<"sigmoid", "Sigmoid", "1 / (1 + exp(-x))", expLike = 1,
                      costPerElement = 4>,
  // Not a rational function of exp: an opaque function (docs/Semantics.md).
  MirageUnaryFunction<"erf", "Erf", "erf(x)", costPerElement = 4>,
  // The value rounded to the result's element type (f16, bf16, f32); the
  // result may be wider than the operand, so it is not in place. The
  // identity in the abstract expressions and the fingerprints.
  MirageOp<"cast", "Cast", MirageUnary, "x rounded to the result type",
           /*stamped=*/0, /*abstract=*/0>,
  // Element-wise binary with broadcasting.
  MirageBinaryFunction<"add", "Add", "lhs + rhs", searchKernel = 1,
                       searchBlock = 1>,
  MirageBinaryFunction<"sub", "Sub", "lhs - rhs", searchKernel = 1,
                       searchBlock = 1>,
  MirageBinaryFunction<"mul", "Mul", "lhs * rhs", searchKernel = 1,
                       searchBlock = 1>,
  MirageBinaryFunction<"div", "Div", "lhs / rhs", searchKernel = 1,
                       searchBlock = 1, costPerElement = 4>,
  MirageBinaryFunction<"pow", "Pow", "lhs ^ rhs", searchKernel = 1,
                       costPerElement = 4>,
  // Structured.
  MirageOp<"matmul", "Matmul", MirageStructured, searchKernelArg = 1,
           searchBlockArg = 1>,
  // attrs: dim, size (1 at the block level)
  // Searched with size 1 (the dimension becomes 1).
  MirageOp<"reduction", "Reduction", MirageStructured, searchKernelArg = 1,
           searchBlockArg = 1>,
  // attrs: normalizedShape (kernel; empty at the block level: the last dim),
  // scalarA = eps; optional second operand (kernel level): the weight
  MirageOp<"rms_norm", "RmsNorm", MirageStructured, searchBlockArg = 1>,
  // attrs: dim; two or more operands
  MirageOp<"concat", "Concat", MirageStructured>,
  // Layout ops: pure re-indexings (docs/Semantics.md, "Layout ops").
  // attrs: dims = the permutation (result dim i is operand dim dims[i])
  MirageOp<"transpose", "Transpose", MirageStructured>,
  // The row-major order of the elements kept, the shape changed (collapse
  // and expand of dims, and any reshape of equal element count).
  MirageOp<"reshape", "Reshape", MirageStructured>,
  // attrs: dims = the result dims added (the others are the operand's)
  MirageOp<"broadcast", "Broadcast", MirageStructured>,
  // No operand; attrs: scalarA = the value of every element (finite, exact
  // in the result's element type). A user constant in the fingerprints.
  // The default schedule folds it into the block graphs of its readers.
  MirageOp<"constant", "Constant", MirageStructured, "a splat value">,
  // Kernel level only. attrs: blockGraph
  MirageOp<"graph_defined", "GraphDefined", MirageKernelOnly>,
  // attrs: dim (the dimension becomes 1). The default schedule makes a
  // block graph of them (a max or mean accumulator over the for-loop).
  MirageOp<"reduce_max", "ReduceMax", MirageKernelOnly, "max along dim">,
  MirageOp<"reduce_mean", "ReduceMean", MirageKernelOnly, "mean along dim">,
  // Block level only.
  MirageOp<"loader", "Loader", MirageBlockOnly>, // attrs: map = imap, dim = fmap
  MirageOp<"saver", "Saver", MirageBlockOnly>,   // attrs: map = omap
  MirageOp<"reduction_to_dimx", "ReductionToDimx", MirageBlockOnly>, // attrs: dim
  // attrs: dim; results: max, diff
  MirageOp<"running_max", "RunningMax", MirageBlockOnly, searchBlockArg = 1>,
  // operands: lhs1, lhs2, rhs1, rhs2
  MirageOp<"concat_matmul", "ConcatMatmul", MirageBlockOnly,
           searchBlockArg = 1>,
  // attrs: accum; operands: input (, scale for Rescale)
  MirageOp<"accum", "Accum", MirageBlockOnly, searchBlockArg = 1>,
];

// The parameterless element-wise functions every dialect stamps.
defvar MirageUnaryFunctions = !filter(fn, MirageOps,
    !and(fn.stamped, !eq(fn.category, MirageUnary)));
defvar MirageBinaryFunctions = !filter(fn, MirageOps,
    !and(fn.stamped, !eq(fn.category, MirageBinary)));

// One record per op kind, named MirageOp_<mnemonic>, so that a dialect can
// read a kind's properties by its mnemonic, and carrying its enumerator
// value for the generated table.
class MirageOpKindEntry<MirageOp op, int valueArg> {
  string mnemonic = op.mnemonic;
  string cppName = op.cppName;
  bit unary = !eq(op.category, MirageUnary);
  bit binary = !eq(op.category, MirageBinary);
  string math = op.math;
  bit stamped = op.stamped;
  bit abstract = op.abstract;
  bit searchKernel = op.searchKernel;
  bit searchBlock = op.searchBlock;
  bit inPlace = op.inPlace;
  bit expLike = op.expLike;
  bits<8> costPerElement = op.costPerElement;
  bits<8> value = valueArg;
}
foreach i = !range(MirageOps) in {
  defvar op = MirageOps[i];
  def MirageOp_ # op.mnemonic : MirageOpKindEntry<op, i>;
}

// The operators of abstract expressions that are no op kind, in the order
// of their AbsOp enumerators (after the op kinds').
defvar MirageAbstractOnlyOps = [
  MirageOp<"var", "Var", "abstract">,       // payload: input index
  MirageOp<"const", "Const", "abstract">,   // payload: the bits of a double
  MirageOp<"opaque", "Opaque", "abstract">, // payload: a fresh id
  MirageOp<"sum", "Sum", "abstract">,       // payload: n; sum(n, e)
  MirageOp<"rms", "Rms", "abstract">,       // payload: n; sqrt(sum(n, e^2)/n)
  MirageOp<"max", "Max", "abstract">,       // payload: n; max of n elements of e
];

#endif // MIRAGE_SUPPORT_VOCABULARY
