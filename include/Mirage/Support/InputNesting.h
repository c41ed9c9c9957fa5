//===- InputNesting.h - Bracket nesting of textual IR -----------*- C++ -*-===//
//
// MLIR's parser recurses once per nested bracket (function types inside
// function types, nested regions, attributes and types), so textual IR that
// nests tens of thousands of levels deep overflows its stack: a crash in
// upstream code, in `mlir-opt` as in ours. Our tools scan their input first
// and refuse such a file with a diagnostic at the bracket that goes too
// deep. The scan is textual and MLIR-free: it skips string literals and
// `//` comments, counts `(`, `[`, `{` and `<` as openers and `)`, `]`, `}`
// and `>` as closers, except the `>` of `->` and the comparisons `<=` and
// `>=` of affine sets.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SUPPORT_INPUTNESTING_H
#define MIRAGE_SUPPORT_INPUTNESTING_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace mirage {

/// The deepest bracket nesting our tools accept in textual IR. Real
/// programs stay below a few dozen levels; the parser's stack lasts for
/// about twenty thousand.
constexpr unsigned kMaxInputNesting = 1024;

/// Where a text first nests brackets deeper than its limit.
struct NestingViolation {
  /// 1-based line and column of the bracket that goes one level too deep.
  unsigned line = 0;
  unsigned column = 0;
};

/// The first bracket of `text` that opens level `limit + 1`, if any.
std::optional<NestingViolation>
findExcessiveNesting(llvm::StringRef text, unsigned limit = kMaxInputNesting);

} // namespace mirage

#endif // MIRAGE_SUPPORT_INPUTNESTING_H
