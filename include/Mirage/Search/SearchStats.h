//===- SearchStats.h - The statistics of the μGraph search ------*- C++ -*-===//
//
// The counters of the search, declared once in SearchStats.def, and what is
// derived from that list: the fields, the merge across workers, the JSON
// object of the pass's `stats-file` and the table of docs/Search.md.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_SEARCHSTATS_H
#define MIRAGE_SEARCH_SEARCHSTATS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>

namespace mirage {

/// How the workers' values of a statistic are combined.
enum class StatMerge {
  /// Summed over the workers; a block-search memo hit replays it.
  Sum,
  /// The largest worker's value.
  Max,
  /// Set once by the search driver after the workers are done.
  Driver,
};

struct SearchStats {
#define MIRAGE_SEARCH_STAT(Type, Field, JsonKey, Merge, Meaning)               \
  Type Field = Type();
#include "Mirage/Search/SearchStats.def"

  /// Merges a worker's statistics into these (StatMerge::Sum and Max; the
  /// Driver ones are left alone).
  void add(const SearchStats &other);

  /// The StatMerge::Sum counters these have more than `before` (the rest
  /// zero): what a stretch of the search counted.
  SearchStats since(const SearchStats &before) const;
};

/// The declaration of one statistic.
struct SearchStatInfo {
  llvm::StringLiteral field;
  llvm::StringLiteral jsonKey;
  StatMerge merge;
  llvm::StringLiteral meaning;
};

/// Every statistic, in declaration order.
llvm::ArrayRef<SearchStatInfo> searchStatInfos();

llvm::StringRef stringifyStatMerge(StatMerge merge);

/// The statistics as the pass's `stats-file` writes them: one key each.
llvm::json::Object searchStatsToJSON(const SearchStats &stats);

/// The Markdown table of the statistics in docs/Search.md.
void printSearchStatsTable(llvm::raw_ostream &os);

} // namespace mirage

#endif // MIRAGE_SEARCH_SEARCHSTATS_H
