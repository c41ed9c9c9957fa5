// A user's dialect that builds on the installed TableGen files: the kernel
// dialect's tensor type constraint and the traits shared by our dialects.
include "Mirage/Dialect/Kernel/IR/KernelOps.td"

def User_Dialect : Dialect {
  let name = "user";
  let cppNamespace = "::user";
}

def User_ScaleOp : Op<User_Dialect, "scale",
    [Pure, SameOperandsAndResultType, Mirage_AddressableTypes]> {
  let arguments = (ins Kernel_Tensor:$input);
  let results = (outs Kernel_Tensor:$output);
}
