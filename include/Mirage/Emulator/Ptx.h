//===- Ptx.h - The PTX subset of our bundles, parsed ------------*- C++ -*-===//
//
// The PTX that the NVPTX back end emits for our kernels, parsed once per
// module into a compact instruction list: every register is an index into
// the thread's register file, every label a program counter, every
// parameter an index. Anything outside the supported subset (docs/
// Emulator.md lists it) is an error naming the instruction and its line.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_EMULATOR_PTX_H
#define MIRAGE_EMULATOR_PTX_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mirage::emu {

/// The operation of an instruction; its type and modifiers are separate.
enum class Op : uint8_t {
  Add,
  Sub,
  Mul,     // integer .lo, float
  MulWide, // integer .wide
  MulHi,   // integer .hi
  Mad,     // integer mad.lo
  Fma,
  Neg,
  Abs,
  Min,
  Max,
  Copysign,
  Div,
  Ex2,
  Rsqrt,
  Sqrt,
  Rcp,
  Cvt,
  CvtPack, // cvt.rn.{f16x2,bf16x2}.f32 d, a, b
  Cvta,
  Shl,
  Shr,
  And,
  Or,
  Xor,
  Not,
  Bfe,
  Mov,
  Setp,
  Selp,
  LdParam,
  Ld,
  St,
  Bra,
  Ret,
  BarSync,
  Mma,
  Ldmatrix,
  CpAsync,
  CpAsyncCommit,
  CpAsyncWait,
  CpAsyncWaitAll,
};

/// Scalar types. F16x2/BF16x2 are packed pairs in a 32-bit register.
enum class Type : uint8_t {
  None,
  Pred,
  B8,
  B16,
  B32,
  B64,
  U8,
  U16,
  U32,
  U64,
  S8,
  S16,
  S32,
  S64,
  F16,
  BF16,
  F32,
  F64,
  F16x2,
  BF16x2,
};

unsigned typeBits(Type type);
bool isSigned(Type type);
bool isFloat(Type type);

enum class Rounding : uint8_t { None, Rn, Rz, Rm, Rp, Rni, Rzi, Rmi, Rpi };

/// Comparisons: integer ones, then the float ones that are true when an
/// operand is NaN (unordered) and num/nan.
enum class Cmp : uint8_t {
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Lo,
  Ls,
  Hi,
  Hs,
  Equ,
  Neu,
  Ltu,
  Leu,
  Gtu,
  Geu,
  Num,
  Nan,
};

enum class Space : uint8_t { None, Global, Shared, Param };

/// Special registers that `mov` reads.
enum class Special : uint8_t {
  TidX,
  TidY,
  TidZ,
  NtidX,
  NtidY,
  NtidZ,
  CtaidX,
  CtaidY,
  CtaidZ,
  NctaidX,
  NctaidY,
  NctaidZ,
  LaneId,
  WarpId,
};

struct Operand {
  enum class Kind : uint8_t {
    None,
    Reg,     // reg
    Imm,     // imm (raw bits: integers, or the IEEE bits of 0f/0d floats)
    Special, // imm is the Special
    Addr,    // [reg + imm], or [imm] when reg is kNoReg; symbol: shared base
    Vector,  // vecStart, vecCount into Kernel::vectorRegs
    Label,   // imm is the target pc
    Param,   // [param + imm]: reg is the parameter index
    Symbol,  // the address of the shared symbol (its offset, imm)
  };
  static constexpr uint32_t kNoReg = ~0u;
  Kind kind = Kind::None;
  uint8_t vecCount = 0;
  uint32_t reg = kNoReg;
  uint32_t vecStart = 0;
  int64_t imm = 0;
};

struct Instruction {
  Op op = Op::Mov;
  Type type = Type::None;    // the instruction's (destination) type
  Type srcType = Type::None; // cvt's source type; mma's A/B type
  Rounding rounding = Rounding::None;
  Space space = Space::None;
  Cmp cmp = Cmp::Eq;
  bool ftz = false;
  bool sat = false;
  bool trans = false;    // ldmatrix .trans
  bool cacheAll = false; // cp.async .ca
  bool nanProp = false;  // min/max .NaN
  uint8_t vec = 1;       // ld/st .v2/.v4; ldmatrix .x1/.x2/.x4
  uint8_t numOperands = 0;
  bool guardNegated = false;
  uint32_t guard = Operand::kNoReg; // predicate register, or none
  uint32_t line = 0;
  Operand ops[5];
};

struct Kernel {
  std::string name;
  uint32_t line = 0;
  std::vector<std::string> params;
  /// Register names by index (for messages).
  std::vector<std::string> registerNames;
  std::vector<uint32_t> vectorRegs;
  std::vector<Instruction> code;
  unsigned maxThreads = 0; // .maxntid product, 0 when absent
};

struct Module {
  std::string fileName;
  unsigned version = 0;
  std::string target;
  std::vector<Kernel> kernels;
  /// The `.extern .shared` arrays (dynamic shared memory): all at offset 0.
  std::vector<std::string> sharedSymbols;
  const Kernel *lookup(llvm::StringRef name) const;
};

/// Parses `text` (named `fileName` in messages). Errors read
/// "FILE:LINE: error: ...".
llvm::Expected<Module> parsePtx(llvm::StringRef text, llvm::StringRef fileName);

/// The full opcode of `inst` as written in PTX (for messages).
std::string describe(const Instruction &inst);

} // namespace mirage::emu

#endif // MIRAGE_EMULATOR_PTX_H
