//===- PtxValidate.cpp - Operand forms of the PTX instructions ------------===//
//
// Checks that each decoded instruction has the operand count and forms
// (register, immediate, address, vector, ...) and the types that the
// emulator executes.
//
//===----------------------------------------------------------------------===//

#include "PtxParserImpl.h"

#include "llvm/ADT/Twine.h"

using namespace mirage::emu;
using namespace mirage::emu::detail;
using llvm::StringRef;

llvm::Error Parser::checkOperands(const Kernel &kernel, const Instruction &inst,
                                  StringRef opcode) {
  using K = Operand::Kind;
  auto bad = [&](const llvm::Twine &why) {
    return error(inst.line, "'" + opcode + "': " + why);
  };
  auto count = [&](unsigned n) -> llvm::Error {
    if (inst.numOperands != n)
      return bad("expected " + llvm::Twine(n) + " operands, found " +
                 llvm::Twine(inst.numOperands));
    return llvm::Error::success();
  };
  auto isValue = [](const Operand &o) {
    return o.kind == K::Reg || o.kind == K::Imm;
  };
  auto vector = [&](const Operand &o, unsigned n) {
    return (n == 1 && o.kind == K::Reg) ||
           (o.kind == K::Vector && o.vecCount == n);
  };
  auto checkValues = [&](unsigned n) -> llvm::Error {
    if (llvm::Error err = count(n))
      return err;
    if (inst.ops[0].kind != K::Reg)
      return bad("the destination must be a register");
    for (unsigned k = 1; k < n; ++k)
      if (!isValue(inst.ops[k]))
        return bad("operand " + llvm::Twine(k + 1) +
                   " must be a register or an immediate");
    return llvm::Error::success();
  };
  if (inst.guard != Operand::kNoReg &&
      (inst.op == Op::Mma || inst.op == Op::Ldmatrix || inst.op == Op::BarSync))
    return bad("a guarded warp-wide instruction or barrier is not supported");
  switch (inst.op) {
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::MulWide:
  case Op::MulHi:
  case Op::Min:
  case Op::Max:
  case Op::Copysign:
  case Op::Div:
  case Op::Shl:
  case Op::Shr:
  case Op::And:
  case Op::Or:
  case Op::Xor:
  case Op::CvtPack:
    return checkValues(3);
  case Op::Mad:
  case Op::Fma:
  case Op::Bfe:
    return checkValues(4);
  case Op::Neg:
  case Op::Abs:
  case Op::Ex2:
  case Op::Rsqrt:
  case Op::Sqrt:
  case Op::Rcp:
  case Op::Cvt:
  case Op::Cvta:
  case Op::Not:
    return checkValues(2);
  case Op::Setp:
    return checkValues(3);
  case Op::Selp:
    if (llvm::Error err = checkValues(4))
      return err;
    if (inst.ops[3].kind != K::Reg)
      return bad("the selector must be a predicate register");
    return llvm::Error::success();
  case Op::Mov:
    if (llvm::Error err = count(2))
      return err;
    // mov.b32 {lo, hi}, %r (unpack) and mov.b32 %r, {lo, hi} (pack).
    if (inst.ops[0].kind == K::Vector || inst.ops[1].kind == K::Vector) {
      bool unpack = inst.ops[0].kind == K::Vector;
      const Operand &v = inst.ops[unpack ? 0 : 1];
      const Operand &s = inst.ops[unpack ? 1 : 0];
      if ((inst.type != Type::B32 && inst.type != Type::B64) ||
          v.vecCount != 2 || s.kind != K::Reg)
        return bad("only {a, b} <-> a 32- or 64-bit register of two halves");
      return llvm::Error::success();
    }
    if (inst.ops[0].kind != K::Reg ||
        !(isValue(inst.ops[1]) || inst.ops[1].kind == K::Special ||
          inst.ops[1].kind == K::Symbol))
      return bad("expected a register and a register, an immediate, a "
                 "special register or a shared symbol");
    return llvm::Error::success();
  case Op::LdParam:
    if (llvm::Error err = count(2))
      return err;
    if (inst.ops[0].kind != K::Reg || inst.ops[1].kind != K::Param ||
        inst.ops[1].imm != 0)
      return bad("expected a register and [PARAM]");
    return llvm::Error::success();
  case Op::Ld:
  case Op::St: {
    if (llvm::Error err = count(2))
      return err;
    const Operand &value = inst.ops[inst.op == Op::Ld ? 0 : 1];
    const Operand &addr = inst.ops[inst.op == Op::Ld ? 1 : 0];
    if (addr.kind != K::Addr)
      return bad("expected an address [REG+OFFSET]");
    bool immediate = inst.op == Op::St && inst.vec == 1 && value.kind == K::Imm;
    if (!immediate && !vector(value, inst.vec))
      return bad("expected " +
                 llvm::Twine(inst.vec == 1 ? "a register" : "a vector of ") +
                 (inst.vec == 1 ? "" : llvm::Twine(inst.vec)) +
                 (inst.vec == 1 ? "" : " registers"));
    if (addr.reg == Operand::kNoReg && inst.space == Space::Global)
      return bad("a global address must be a register");
    return llvm::Error::success();
  }
  case Op::Bra:
    if (llvm::Error err = count(1))
      return err;
    if (inst.ops[0].kind != K::Label)
      return bad("expected a label");
    return llvm::Error::success();
  case Op::Ret:
  case Op::CpAsyncCommit:
  case Op::CpAsyncWaitAll:
    return count(0);
  case Op::BarSync:
    if (llvm::Error err = count(1))
      return err;
    if (inst.ops[0].kind != K::Imm || inst.ops[0].imm != 0)
      return bad("only barrier 0 with all threads of the block");
    return llvm::Error::success();
  case Op::CpAsyncWait:
    if (llvm::Error err = count(1))
      return err;
    if (inst.ops[0].kind != K::Imm || inst.ops[0].imm < 0)
      return bad("expected a non-negative group count");
    return llvm::Error::success();
  case Op::Mma:
    if (llvm::Error err = count(4))
      return err;
    if (!vector(inst.ops[0], 4) || !vector(inst.ops[1], 4) ||
        !vector(inst.ops[2], 2) || !vector(inst.ops[3], 4))
      return bad("expected {4 registers}, {4}, {2}, {4}");
    return llvm::Error::success();
  case Op::Ldmatrix:
    if (llvm::Error err = count(2))
      return err;
    if (!vector(inst.ops[0], inst.vec) || inst.ops[1].kind != K::Addr)
      return bad("expected {" + llvm::Twine(inst.vec) +
                 " registers} and an address");
    return llvm::Error::success();
  case Op::CpAsync:
    if (inst.numOperands != 3 && inst.numOperands != 4)
      return bad("expected [dst], [src], size[, src-size]");
    if (inst.ops[0].kind != K::Addr || inst.ops[1].kind != K::Addr ||
        inst.ops[1].reg == Operand::kNoReg || inst.ops[2].kind != K::Imm ||
        (inst.numOperands == 4 && !isValue(inst.ops[3])))
      return bad("expected [dst], [src], size[, src-size]");
    if (inst.ops[2].imm != 4 && inst.ops[2].imm != 8 && inst.ops[2].imm != 16)
      return bad("the copy size must be 4, 8 or 16");
    if (!inst.cacheAll && inst.ops[2].imm != 16)
      return bad("cp.async.cg copies 16 bytes");
    return llvm::Error::success();
  }
  (void)kernel;
  return llvm::Error::success();
}
