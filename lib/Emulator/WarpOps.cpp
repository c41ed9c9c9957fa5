//===- WarpOps.cpp - The warp-wide instructions ---------------------------===//
//
// ldmatrix and mma.sync: run once every lane of the warp waits at them
// (the scheduler in Emulator.cpp checks that), reading and writing the
// registers of all 32 lanes.
//
//===----------------------------------------------------------------------===//

#include "EmulatorImpl.h"

#include "Mirage/Emulator/Floats.h"

#include "llvm/ADT/Twine.h"

#include <cstring>

using namespace mirage::emu;
using namespace mirage::emu::detail;

bool Emulator::Impl::runWarpOp(unsigned warp, const Instruction &in) {
  unsigned first = warp * kWarpSize;
  auto index = [&](unsigned lane, const Operand &o, unsigned k) {
    uint32_t i = o.kind == Operand::Kind::Vector
                     ? kernel->vectorRegs[o.vecStart + k]
                     : o.reg;
    return static_cast<size_t>(first + lane) * numRegs + i;
  };
  auto reg = [&](unsigned lane, const Operand &o, unsigned k) -> uint64_t & {
    return regs[index(lane, o, k)];
  };
  auto origin = [&](unsigned lane, const Operand &o, unsigned k) -> uint32_t & {
    return origins[index(lane, o, k)];
  };
  auto firstOf = [](uint32_t a, uint32_t b) { return a ? a : b; };
  executed += kWarpSize;
  if (in.op == Op::Ldmatrix) {
    // Matrix m's row i comes from the address of lane 8m + i; lane T gets
    // row T/4, columns 2(T%4) and 2(T%4)+1 of each matrix (of the
    // transposed matrix with .trans), the lower column in the low half.
    uint16_t m[4][8][8];
    uint32_t rowOrigin[4][8];
    for (unsigned mat = 0; mat < in.vec; ++mat)
      for (unsigned row = 0; row < 8; ++row) {
        unsigned lane = mat * 8 + row;
        const Operand &a = in.ops[1];
        uint64_t addr = (a.reg == Operand::kNoReg ? 0 : reg(lane, a, 0)) +
                        static_cast<uint64_t>(a.imm);
        if (!sharedInBounds(addr, 16, 16, first + lane, in.line,
                            "ldmatrix row load"))
          return false;
        if (a.reg != Operand::kNoReg && origin(lane, a, 0))
          report(FindingKind::UninitializedSharedRead, first + lane, in.line,
                 "the address depends on never-written shared memory (read "
                 "at line " +
                     llvm::Twine(origin(lane, a, 0)) + ")");
        rowOrigin[mat][row] =
            sharedRead(static_cast<uint32_t>(addr), 16, first + lane, in.line);
        std::memcpy(m[mat][row], &shared[addr], 16);
      }
    for (unsigned lane = 0; lane < kWarpSize; ++lane)
      for (unsigned mat = 0; mat < in.vec; ++mat) {
        unsigned row = lane / 4, col = 2 * (lane % 4);
        uint64_t lo = in.trans ? m[mat][col][row] : m[mat][row][col];
        uint64_t hi = in.trans ? m[mat][col + 1][row] : m[mat][row][col + 1];
        reg(lane, in.ops[0], mat) = lo | hi << 16;
        origin(lane, in.ops[0], mat) =
            in.trans ? firstOf(rowOrigin[mat][col], rowOrigin[mat][col + 1])
                     : rowOrigin[mat][row];
      }
    return true;
  }
  // mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}.{f16,bf16}.f32
  // (PTX ISA fragment layouts): group g = lane / 4, t = lane % 4.
  //   A: reg i, half h: row g + 8 (i % 2), column 2t + h + 8 (i / 2)
  //   B: reg i, half h: row (k) 2t + h + 8 i, column (n) g
  //   C/D: reg i: row g + 8 (i / 2), column 2t + i % 2
  bool bf16 = in.srcType == Type::BF16;
  auto elem = [&](uint64_t bits16) -> double {
    uint16_t b = static_cast<uint16_t>(bits16);
    return bf16 ? bf16ToFloat(b) : f16ToFloat(b);
  };
  double a[16][16], b[16][8], c[16][8];
  // Origins: per row of A, per column of B, per element of C.
  uint32_t aOrigin[16] = {}, bOrigin[8] = {}, cOrigin[16][8] = {};
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    unsigned g = lane / 4, t = lane % 4;
    for (unsigned i = 0; i < 4; ++i) {
      uint64_t v = reg(lane, in.ops[1], i);
      uint32_t &ao = aOrigin[g + 8 * (i % 2)];
      ao = firstOf(ao, origin(lane, in.ops[1], i));
      for (unsigned h = 0; h < 2; ++h)
        a[g + 8 * (i % 2)][2 * t + h + 8 * (i / 2)] = elem(v >> (16 * h));
    }
    for (unsigned i = 0; i < 2; ++i) {
      uint64_t v = reg(lane, in.ops[2], i);
      bOrigin[g] = firstOf(bOrigin[g], origin(lane, in.ops[2], i));
      for (unsigned h = 0; h < 2; ++h)
        b[2 * t + h + 8 * i][g] = elem(v >> (16 * h));
    }
    for (unsigned i = 0; i < 4; ++i) {
      c[g + 8 * (i / 2)][2 * t + i % 2] =
          bitsToF32(static_cast<uint32_t>(reg(lane, in.ops[3], i)));
      cOrigin[g + 8 * (i / 2)][2 * t + i % 2] = origin(lane, in.ops[3], i);
    }
  }
  float d[16][8];
  for (unsigned i = 0; i < 16; ++i)
    for (unsigned j = 0; j < 8; ++j) {
      double acc = c[i][j];
      for (unsigned k = 0; k < 16; ++k)
        acc += a[i][k] * b[k][j];
      d[i][j] = static_cast<float>(acc);
    }
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    unsigned g = lane / 4, t = lane % 4;
    for (unsigned i = 0; i < 4; ++i) {
      unsigned row = g + 8 * (i / 2), col = 2 * t + i % 2;
      reg(lane, in.ops[0], i) = f32ToBits(d[row][col]);
      origin(lane, in.ops[0], i) =
          firstOf(cOrigin[row][col], firstOf(aOrigin[row], bOrigin[col]));
    }
  }
  return true;
}
