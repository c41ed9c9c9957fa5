//===- Vocabulary.cpp - The op vocabulary of the core -----------*- C++ -*-===//

#include "Mirage/Support/Vocabulary.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <array>
#include <string>

using llvm::ArrayRef;
using llvm::StringRef;

#include "Mirage/Support/VocabularyEnums.cpp.inc"

namespace mirage {
namespace {
#define GET_MirageOpKindTable_DECL
#define GET_MirageOpKindTable_IMPL
#include "Mirage/Support/VocabularyTable.inc"
} // namespace
} // namespace mirage

using namespace mirage;

static_assert(std::size(MirageOpKindTable) == kNumOpKinds,
              "one table row per op kind");

ArrayRef<OpKindInfo> mirage::opKindInfos() { return MirageOpKindTable; }

const OpKindInfo &mirage::opKindInfo(OpKind kind) {
  const OpKindInfo *info = lookupOpKindInfoByValue(static_cast<uint8_t>(kind));
  assert(info && "an OpKind outside the vocabulary");
  return *info;
}

StringRef mirage::opKindName(OpKind kind) { return opKindInfo(kind).mnemonic; }

std::optional<OpKind> mirage::opKindFromName(StringRef name) {
  // The generated index compares names case-insensitively.
  const OpKindInfo *info = lookupOpKindInfoByMnemonic(name);
  if (!info || name != info->mnemonic)
    return std::nullopt;
  return info->kind();
}

std::optional<UnaryOpKind> mirage::asUnaryOpKind(OpKind kind) {
  return symbolizeUnaryOpKind(static_cast<uint8_t>(kind));
}

std::optional<BinaryOpKind> mirage::asBinaryOpKind(OpKind kind) {
  return symbolizeBinaryOpKind(static_cast<uint8_t>(kind));
}

std::optional<NonElementwiseOpKind>
mirage::asNonElementwiseOpKind(OpKind kind) {
  return symbolizeNonElementwiseOpKind(static_cast<uint8_t>(kind));
}

std::optional<AbsOp> mirage::abstractOp(OpKind kind) {
  if (!opKindInfo(kind).abstract)
    return std::nullopt;
  return static_cast<AbsOp>(static_cast<uint8_t>(kind));
}

bool mirage::isSearched(OpKind kind, bool blockLevel) {
  const OpKindInfo &info = opKindInfo(kind);
  return blockLevel ? info.searchBlock : info.searchKernel;
}

ArrayRef<OpKind> mirage::searchedFunctions(unsigned arity, bool blockLevel) {
  using List = llvm::SmallVector<OpKind, 16>;
  static const std::array<List, 4> lists = [] {
    std::array<List, 4> result;
    for (const OpKindInfo &info : opKindInfos()) {
      bool kernel = info.searchKernel, block = info.searchBlock;
      unsigned row = info.unary ? 0 : info.binary ? 2 : 4;
      if (row == 4)
        continue;
      if (kernel)
        result[row].push_back(info.kind());
      if (block)
        result[row + 1].push_back(info.kind());
    }
    return result;
  }();
  assert((arity == 1 || arity == 2) &&
         "element-wise functions have arity 1 or 2");
  return lists[(arity - 1) * 2 + (blockLevel ? 1 : 0)];
}
