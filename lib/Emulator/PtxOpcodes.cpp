//===- PtxOpcodes.cpp - The supported PTX opcodes and modifiers -----------===//
//
// The table of the supported subset (docs/Emulator.md): decodes an opcode
// with its modifiers and types into Op + type + modifiers, or names what is
// outside the subset; and writes an Op back as PTX for messages.
//
//===----------------------------------------------------------------------===//

#include "PtxParserImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mirage::emu;
using namespace mirage::emu::detail;
using llvm::StringRef;

llvm::Error Parser::decodeOpcode(StringRef opcode, unsigned line,
                                 Instruction &inst) {
  llvm::SmallVector<StringRef, 8> parts;
  opcode.split(parts, '.');
  StringRef base = parts[0];
  auto unsupported = [&](const llvm::Twine &why = "") {
    return error(line, "unsupported instruction '" + opcode + "'" +
                           (why.isTriviallyEmpty() ? "" : ": ") + why +
                           " (docs/Emulator.md lists the supported subset)");
  };
  // Modifiers are consumed from the front; types from the back.
  size_t i = 1;
  auto take = [&](StringRef m) {
    if (i < parts.size() && parts[i] == m) {
      ++i;
      return true;
    }
    return false;
  };
  auto takeRounding = [&](bool integer = false) {
    if (i >= parts.size())
      return;
    Rounding r = llvm::StringSwitch<Rounding>(parts[i])
                     .Case("rn", Rounding::Rn)
                     .Case("rz", Rounding::Rz)
                     .Case("rm", Rounding::Rm)
                     .Case("rp", Rounding::Rp)
                     .Case("rni", integer ? Rounding::Rni : Rounding::None)
                     .Case("rzi", integer ? Rounding::Rzi : Rounding::None)
                     .Case("rmi", integer ? Rounding::Rmi : Rounding::None)
                     .Case("rpi", integer ? Rounding::Rpi : Rounding::None)
                     .Default(Rounding::None);
    if (r != Rounding::None) {
      inst.rounding = r;
      ++i;
    }
  };
  // The remaining parts must be exactly `count` types.
  auto takeTypes = [&](unsigned count,
                       llvm::SmallVectorImpl<Type> &types) -> bool {
    if (parts.size() - i != count)
      return false;
    for (; i < parts.size(); ++i) {
      std::optional<Type> t = parseType(parts[i]);
      if (!t)
        return false;
      types.push_back(*t);
    }
    return true;
  };
  llvm::SmallVector<Type, 4> types;
  auto oneType = [&](auto accept) -> llvm::Error {
    if (!takeTypes(1, types) || !accept(types[0]))
      return unsupported();
    inst.type = types[0];
    return llvm::Error::success();
  };

  // Half-precision arithmetic rounds to nearest only.
  auto halfRounding = [&](Type t) {
    return t == Type::F32 || inst.rounding == Rounding::None ||
           inst.rounding == Rounding::Rn;
  };
  if (base == "add" || base == "sub") {
    inst.op = base == "add" ? Op::Add : Op::Sub;
    takeRounding();
    inst.ftz = take("ftz");
    return oneType([&](Type t) {
      return isArithInt(t) ? inst.rounding == Rounding::None && !inst.ftz
                           : isArithFloat(t) && halfRounding(t);
    });
  }
  if (base == "mul") {
    if (take("lo"))
      inst.op = Op::Mul;
    else if (take("wide"))
      inst.op = Op::MulWide;
    else if (take("hi"))
      inst.op = Op::MulHi;
    else
      inst.op = Op::Mul;
    bool intMode = i > 1;
    takeRounding();
    inst.ftz = take("ftz");
    return oneType([&](Type t) {
      if (isArithInt(t))
        return intMode && inst.rounding == Rounding::None && !inst.ftz &&
               !(inst.op == Op::MulWide && typeBits(t) == 64);
      return !intMode && isArithFloat(t) && halfRounding(t);
    });
  }
  if (base == "mad") {
    inst.op = Op::Mad;
    if (!take("lo"))
      return unsupported("only mad.lo");
    return oneType(isArithInt);
  }
  if (base == "fma") {
    inst.op = Op::Fma;
    takeRounding();
    if (inst.rounding == Rounding::None)
      return unsupported("fma needs a rounding modifier");
    inst.ftz = take("ftz");
    inst.sat = take("sat");
    return oneType([&](Type t) { return isArithFloat(t) && halfRounding(t); });
  }
  if (base == "neg" || base == "abs" || base == "min" || base == "max") {
    inst.op = llvm::StringSwitch<Op>(base)
                  .Case("neg", Op::Neg)
                  .Case("abs", Op::Abs)
                  .Case("min", Op::Min)
                  .Default(Op::Max);
    inst.ftz = take("ftz");
    if (inst.op == Op::Min || inst.op == Op::Max)
      inst.nanProp = take("NaN");
    return oneType([&](Type t) {
      return isArithFloat(t) ||
             (isArithInt(t) && !inst.ftz && !inst.nanProp &&
              (isSigned(t) || inst.op == Op::Min || inst.op == Op::Max));
    });
  }
  if (base == "copysign") {
    inst.op = Op::Copysign;
    return oneType([](Type t) { return t == Type::F32; });
  }
  if (base == "div") {
    inst.op = Op::Div;
    if (take("approx"))
      inst.rounding = Rounding::None;
    else if (take("full"))
      inst.rounding = Rounding::None;
    else
      takeRounding();
    inst.ftz = take("ftz");
    return oneType([&](Type t) { return t == Type::F32 || isArithInt(t); });
  }
  if (base == "ex2" || base == "rsqrt" || base == "sqrt" || base == "rcp") {
    inst.op = llvm::StringSwitch<Op>(base)
                  .Case("ex2", Op::Ex2)
                  .Case("rsqrt", Op::Rsqrt)
                  .Case("sqrt", Op::Sqrt)
                  .Default(Op::Rcp);
    if (!take("approx")) {
      takeRounding();
      if (inst.rounding == Rounding::None || base == "ex2" || base == "rsqrt")
        return unsupported();
    }
    inst.ftz = take("ftz");
    return oneType([](Type t) { return t == Type::F32; });
  }
  if (base == "cvt") {
    inst.op = Op::Cvt;
    takeRounding(/*integer=*/true);
    inst.ftz = take("ftz");
    inst.sat = take("sat");
    if (!takeTypes(2, types))
      return unsupported();
    inst.type = types[0];
    inst.srcType = types[1];
    Type d = inst.type, s = inst.srcType;
    if (d == Type::F16x2 || d == Type::BF16x2) {
      inst.op = Op::CvtPack;
      if (s != Type::F32 || inst.rounding != Rounding::Rn)
        return unsupported();
      return llvm::Error::success();
    }
    if (d == Type::Pred || s == Type::Pred || d == Type::F16x2 ||
        s == Type::F16x2 || s == Type::BF16x2 || d == Type::F64 ||
        s == Type::F64)
      return unsupported();
    bool dFloat = isFloat(d), sFloat = isFloat(s);
    if (dFloat && sFloat && d == s && inst.rounding >= Rounding::Rni) {
      // cvt.rzi.f32.f32: round to an integral value.
      return llvm::Error::success();
    }
    if (dFloat && sFloat) {
      // Narrowing needs a rounding mode (rn only); widening and f32 -> f32
      // (.sat) take none.
      bool narrowing = typeBits(d) < typeBits(s) ||
                       (d == Type::BF16 && s == Type::F16) ||
                       (d == Type::F16 && s == Type::BF16);
      if (narrowing ? inst.rounding != Rounding::Rn
                    : inst.rounding != Rounding::None)
        return unsupported();
      return llvm::Error::success();
    }
    if (!dFloat && !sFloat) {
      if (inst.rounding != Rounding::None || inst.ftz)
        return unsupported();
      return llvm::Error::success();
    }
    // int <-> float: f32 only, rn for int -> float, rzi/rni/... for float ->
    // int.
    if (dFloat ? d != Type::F32 || inst.rounding != Rounding::Rn
               : s != Type::F32 || inst.rounding < Rounding::Rni)
      return unsupported();
    return llvm::Error::success();
  }
  if (base == "cvta") {
    inst.op = Op::Cvta;
    if (!take("to") || !take("global"))
      return unsupported("only cvta.to.global");
    return oneType([](Type t) { return t == Type::U64; });
  }
  if (base == "shl" || base == "shr") {
    inst.op = base == "shl" ? Op::Shl : Op::Shr;
    return oneType([&](Type t) {
      return isIntType(t) && typeBits(t) >= 16 &&
             (inst.op == Op::Shr || !isSigned(t));
    });
  }
  if (base == "and" || base == "or" || base == "xor" || base == "not") {
    inst.op = llvm::StringSwitch<Op>(base)
                  .Case("and", Op::And)
                  .Case("or", Op::Or)
                  .Case("xor", Op::Xor)
                  .Default(Op::Not);
    return oneType([](Type t) {
      return t == Type::Pred || t == Type::B16 || t == Type::B32 ||
             t == Type::B64;
    });
  }
  if (base == "bfe") {
    inst.op = Op::Bfe;
    return oneType([](Type t) {
      return t == Type::U32 || t == Type::U64 || t == Type::S32 ||
             t == Type::S64;
    });
  }
  if (base == "mov") {
    inst.op = Op::Mov;
    return oneType([](Type t) {
      return t != Type::F16x2 && t != Type::BF16x2 && typeBits(t) != 8;
    });
  }
  if (base == "setp") {
    inst.op = Op::Setp;
    if (i >= parts.size())
      return unsupported();
    std::optional<Cmp> cmp = llvm::StringSwitch<std::optional<Cmp>>(parts[i])
                                 .Case("eq", Cmp::Eq)
                                 .Case("ne", Cmp::Ne)
                                 .Case("lt", Cmp::Lt)
                                 .Case("le", Cmp::Le)
                                 .Case("gt", Cmp::Gt)
                                 .Case("ge", Cmp::Ge)
                                 .Case("lo", Cmp::Lo)
                                 .Case("ls", Cmp::Ls)
                                 .Case("hi", Cmp::Hi)
                                 .Case("hs", Cmp::Hs)
                                 .Case("equ", Cmp::Equ)
                                 .Case("neu", Cmp::Neu)
                                 .Case("ltu", Cmp::Ltu)
                                 .Case("leu", Cmp::Leu)
                                 .Case("gtu", Cmp::Gtu)
                                 .Case("geu", Cmp::Geu)
                                 .Case("num", Cmp::Num)
                                 .Case("nan", Cmp::Nan)
                                 .Default(std::nullopt);
    if (!cmp)
      return unsupported("comparison '" + parts[i] + "'");
    inst.cmp = *cmp;
    ++i;
    inst.ftz = take("ftz");
    return oneType([&](Type t) {
      if (isFloat(t))
        return isScalarFloat(t) && (inst.cmp < Cmp::Lo || inst.cmp >= Cmp::Equ);
      return isIntType(t) && typeBits(t) >= 16 && inst.cmp < Cmp::Equ &&
             (inst.cmp < Cmp::Lo || !isSigned(t)) && !inst.ftz;
    });
  }
  if (base == "selp") {
    inst.op = Op::Selp;
    return oneType([](Type t) {
      return t != Type::Pred && t != Type::F16x2 && t != Type::BF16x2 &&
             typeBits(t) >= 16;
    });
  }
  if (base == "ld" || base == "st") {
    inst.op = base == "ld" ? Op::Ld : Op::St;
    if (take("param")) {
      if (inst.op != Op::Ld)
        return unsupported();
      inst.op = Op::LdParam;
      inst.space = Space::Param;
      return oneType([](Type t) { return t == Type::B64 || t == Type::U64; });
    }
    if (take("global"))
      inst.space = Space::Global;
    else if (take("shared") || take("shared::cta"))
      inst.space = Space::Shared;
    else
      return unsupported("only the .global, .shared and .param state spaces "
                         "(with an explicit state space)");
    if (take("v2"))
      inst.vec = 2;
    else if (take("v4"))
      inst.vec = 4;
    return oneType([](Type t) {
      return t != Type::Pred && t != Type::F16x2 && t != Type::BF16x2 &&
             typeBits(t) >= 16;
    });
  }
  if (base == "bra") {
    inst.op = Op::Bra;
    take("uni");
    if (i != parts.size())
      return unsupported();
    return llvm::Error::success();
  }
  if (base == "ret" || base == "exit") {
    inst.op = Op::Ret;
    if (parts.size() != 1)
      return unsupported();
    return llvm::Error::success();
  }
  if (base == "bar") {
    inst.op = Op::BarSync;
    if (!take("sync") || i != parts.size())
      return unsupported("only bar.sync");
    return llvm::Error::success();
  }
  if (base == "mma") {
    inst.op = Op::Mma;
    if (!take("sync") || !take("aligned") || !take("m16n8k16") ||
        !take("row") || !take("col") || !takeTypes(4, types) ||
        types[0] != Type::F32 || types[3] != Type::F32 ||
        types[1] != types[2] ||
        (types[1] != Type::F16 && types[1] != Type::BF16))
      return unsupported("only mma.sync.aligned.m16n8k16.row.col.f32.{f16,"
                         "bf16}.{f16,bf16}.f32");
    inst.type = Type::F32;
    inst.srcType = types[1];
    return llvm::Error::success();
  }
  if (base == "ldmatrix") {
    inst.op = Op::Ldmatrix;
    if (!take("sync") || !take("aligned") || !take("m8n8"))
      return unsupported();
    if (take("x1"))
      inst.vec = 1;
    else if (take("x2"))
      inst.vec = 2;
    else if (take("x4"))
      inst.vec = 4;
    else
      return unsupported();
    inst.trans = take("trans");
    if (!take("shared") && !take("shared::cta"))
      return unsupported();
    inst.space = Space::Shared;
    return oneType([](Type t) { return t == Type::B16; });
  }
  if (base == "cp") {
    if (!take("async"))
      return unsupported();
    if (take("commit_group")) {
      inst.op = Op::CpAsyncCommit;
    } else if (take("wait_group")) {
      inst.op = Op::CpAsyncWait;
    } else if (take("wait_all")) {
      inst.op = Op::CpAsyncWaitAll;
    } else {
      inst.op = Op::CpAsync;
      if (take("ca"))
        inst.cacheAll = true;
      else if (!take("cg"))
        return unsupported();
      if ((!take("shared") && !take("shared::cta")) || !take("global"))
        return unsupported();
      take("L2::64B") || take("L2::128B") || take("L2::256B");
      inst.space = Space::Shared;
    }
    if (i != parts.size())
      return unsupported();
    return llvm::Error::success();
  }
  return unsupported();
}

/// The base name of `op` as written in PTX.
static const char *opName(Op op) {
  switch (op) {
  case Op::Add:
    return "add";
  case Op::Sub:
    return "sub";
  case Op::Mul:
    return "mul";
  case Op::MulWide:
    return "mul.wide";
  case Op::MulHi:
    return "mul.hi";
  case Op::Mad:
    return "mad";
  case Op::Fma:
    return "fma";
  case Op::Neg:
    return "neg";
  case Op::Abs:
    return "abs";
  case Op::Min:
    return "min";
  case Op::Max:
    return "max";
  case Op::Copysign:
    return "copysign";
  case Op::Div:
    return "div";
  case Op::Ex2:
    return "ex2";
  case Op::Rsqrt:
    return "rsqrt";
  case Op::Sqrt:
    return "sqrt";
  case Op::Rcp:
    return "rcp";
  case Op::Cvt:
  case Op::CvtPack:
    return "cvt";
  case Op::Cvta:
    return "cvta";
  case Op::Shl:
    return "shl";
  case Op::Shr:
    return "shr";
  case Op::And:
    return "and";
  case Op::Or:
    return "or";
  case Op::Xor:
    return "xor";
  case Op::Not:
    return "not";
  case Op::Bfe:
    return "bfe";
  case Op::Mov:
    return "mov";
  case Op::Setp:
    return "setp";
  case Op::Selp:
    return "selp";
  case Op::LdParam:
    return "ld.param";
  case Op::Ld:
    return "ld";
  case Op::St:
    return "st";
  case Op::Bra:
    return "bra";
  case Op::Ret:
    return "ret";
  case Op::BarSync:
    return "bar.sync";
  case Op::Mma:
    return "mma.sync";
  case Op::Ldmatrix:
    return "ldmatrix";
  case Op::CpAsync:
    return "cp.async";
  case Op::CpAsyncCommit:
    return "cp.async.commit_group";
  case Op::CpAsyncWait:
    return "cp.async.wait_group";
  case Op::CpAsyncWaitAll:
    return "cp.async.wait_all";
  }
  return "?";
}

std::string mirage::emu::describe(const Instruction &inst) {
  std::string s = opName(inst.op);
  if (inst.op == Op::Ld || inst.op == Op::St)
    s += inst.space == Space::Global ? ".global" : ".shared";
  return s;
}
