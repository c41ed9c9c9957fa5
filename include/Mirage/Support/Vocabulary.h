//===- Vocabulary.h - The op vocabulary of the core -------------*- C++ -*-===//
//
// Every op kind and accumulator kind of a μGraph, generated from the one
// declaration, Mirage/Support/Vocabulary.td (which the dialects stamp their
// element-wise ops from as well); see docs/Vocabulary.md. MLIR-free: LLVM's
// support library only.
//
//  * OpKind: every op kind. opKindName() and opKindFromName() are the
//    mnemonic and its inverse.
//  * UnaryOpKind, BinaryOpKind, NonElementwiseOpKind: the kinds of each
//    category, with the values of their OpKind enumerators. A switch over
//    one of them lists exactly the kinds of that category, and
//    -Werror=switch asks for a new one.
//  * AbsOp: the operators of abstract expressions; an abstract function has
//    the value of its OpKind.
//  * AccumKind: the accumulator kinds of a block graph's for-loop.
//  * OpKindInfo: each kind's properties (category, search, in place, cost),
//    the source of every predicate below.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SUPPORT_VOCABULARY_H
#define MIRAGE_SUPPORT_VOCABULARY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/LogicalResult.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cstdint>
#include <optional>

// The generated declarations give MLIR's attribute parser a hook that names
// mlir::FailureOr (LLVM's, under MLIR's name); only MLIR code instantiates
// it.
namespace mlir {
using llvm::FailureOr;
} // namespace mlir

#include "Mirage/Support/VocabularyEnums.h.inc"

namespace mirage {

/// The number of op kinds; OpKind values are 0 .. kNumOpKinds - 1.
inline constexpr unsigned kNumOpKinds = getMaxEnumValForOpKind() + 1;

/// The properties of one op kind, as Vocabulary.td declares them.
struct OpKindInfo {
  const char *mnemonic;
  uint8_t value;
  bool unary;  // element-wise, one operand
  bool binary; // element-wise, two operands with broadcasting
  const char *math;
  bool stamped;  // a parameterless function every dialect stamps an op for
  bool abstract; // has an AbsOp of its own
  bool searchKernel;
  bool searchBlock;
  bool inPlace; // the result lives in the operand's storage (block level)
  bool expLike; // exp or an exact rational function of it
  uint8_t costPerElement;

  OpKind kind() const { return static_cast<OpKind>(value); }
};

/// Every op kind's properties, indexed by OpKind.
llvm::ArrayRef<OpKindInfo> opKindInfos();
const OpKindInfo &opKindInfo(OpKind kind);

/// The mnemonic: the op's name at every level (`kernel.exp`, `block.exp`).
llvm::StringRef opKindName(OpKind kind);
/// The kind whose mnemonic is `name` exactly.
std::optional<OpKind> opKindFromName(llvm::StringRef name);

inline bool isUnaryElementwise(OpKind kind) { return opKindInfo(kind).unary; }
inline bool isBinaryElementwise(OpKind kind) { return opKindInfo(kind).binary; }
inline bool isElementwise(OpKind kind) {
  return isUnaryElementwise(kind) || isBinaryElementwise(kind);
}
/// Whether a block-level op of `kind` computes its result in the storage of
/// its operand, holding no shared memory of its own.
inline bool isInPlace(OpKind kind) { return opKindInfo(kind).inPlace; }

/// `kind`, which must be element-wise unary (binary), as a UnaryOpKind
/// (BinaryOpKind): for a switch over just those kinds.
inline UnaryOpKind unaryOpKind(OpKind kind) {
  assert(isUnaryElementwise(kind) && "not an element-wise unary kind");
  return static_cast<UnaryOpKind>(static_cast<uint8_t>(kind));
}
inline BinaryOpKind binaryOpKind(OpKind kind) {
  assert(isBinaryElementwise(kind) && "not an element-wise binary kind");
  return static_cast<BinaryOpKind>(static_cast<uint8_t>(kind));
}

/// The kind of `kind`'s category, when it is one of that category.
std::optional<UnaryOpKind> asUnaryOpKind(OpKind kind);
std::optional<BinaryOpKind> asBinaryOpKind(OpKind kind);
std::optional<NonElementwiseOpKind> asNonElementwiseOpKind(OpKind kind);
inline OpKind toOpKind(UnaryOpKind kind) {
  return static_cast<OpKind>(static_cast<uint8_t>(kind));
}
inline OpKind toOpKind(BinaryOpKind kind) {
  return static_cast<OpKind>(static_cast<uint8_t>(kind));
}
inline OpKind toOpKind(NonElementwiseOpKind kind) {
  return static_cast<OpKind>(static_cast<uint8_t>(kind));
}

/// The abstract-expression operator of `kind`, when it has one of its own.
std::optional<AbsOp> abstractOp(OpKind kind);

/// The element-wise functions the search enumerates at the kernel
/// (`blockLevel` false) or block level, of `arity` 1 or 2, in OpKind order.
llvm::ArrayRef<OpKind> searchedFunctions(unsigned arity, bool blockLevel);

/// Whether the search enumerates `kind` at the kernel (`blockLevel` false)
/// or block level: the vocabulary's searchKernel / searchBlock flags.
bool isSearched(OpKind kind, bool blockLevel);

} // namespace mirage

#endif // MIRAGE_SUPPORT_VOCABULARY_H
