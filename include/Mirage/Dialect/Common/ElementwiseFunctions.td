//===- ElementwiseFunctions.td - Element-wise functions of μGraphs -*- tablegen -*-===//
//
// The element-wise functions every level of a μGraph offers. Kernel, block and
// thread dialects each stamp one op per entry from these tables, so the three
// levels always agree on the set and on what each function computes.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_DIALECT_COMMON_ELEMENTWISEFUNCTIONS
#define MIRAGE_DIALECT_COMMON_ELEMENTWISEFUNCTIONS

class MirageFunction<string mnemonicArg, string cppNameArg, string mathArg> {
  string mnemonic = mnemonicArg;
  string cppName = cppNameArg;
  // The function in conventional notation, for summaries and docs.
  string math = mathArg;
}

// Unary functions without parameters. clamp and mul_scalar carry attributes
// and are defined by each dialect on its own.
defvar MirageUnaryFunctions = [
  MirageFunction<"exp", "Exp", "exp(x)">,
  MirageFunction<"square", "Square", "x * x">,
  MirageFunction<"sqrt", "Sqrt", "sqrt(x)">,
  MirageFunction<"rsqrt", "Rsqrt", "1 / sqrt(x)">,
  MirageFunction<"silu", "Silu", "x * sigmoid(x)">,
  MirageFunction<"gelu", "Gelu", "x * Phi(x), Phi the standard normal CDF">,
  MirageFunction<"relu", "Relu", "max(x, 0)">,
  MirageFunction<"tanh", "Tanh", "tanh(x)">,
];

defvar MirageBinaryFunctions = [
  MirageFunction<"add", "Add", "lhs + rhs">,
  MirageFunction<"sub", "Sub", "lhs - rhs">,
  MirageFunction<"mul", "Mul", "lhs * rhs">,
  MirageFunction<"div", "Div", "lhs / rhs">,
  MirageFunction<"pow", "Pow", "lhs ^ rhs">,
];

#endif // MIRAGE_DIALECT_COMMON_ELEMENTWISEFUNCTIONS
