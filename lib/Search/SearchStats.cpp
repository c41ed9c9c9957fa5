//===- SearchStats.cpp - The statistics of the μGraph search ----*- C++ -*-===//

#include "Mirage/Search/SearchStats.h"

#include <algorithm>

using namespace mirage;

namespace {

template <typename T> void merge(StatMerge how, T &into, const T &from) {
  switch (how) {
  case StatMerge::Sum:
    into += from;
    return;
  case StatMerge::Max:
    into = std::max(into, from);
    return;
  case StatMerge::Driver:
    return;
  }
}

void merge(StatMerge how, bool &into, const bool &from) {
  switch (how) {
  case StatMerge::Sum:
  case StatMerge::Max:
    into = into || from;
    return;
  case StatMerge::Driver:
    return;
  }
}

template <typename T> T since(StatMerge how, const T &after, const T &before) {
  switch (how) {
  case StatMerge::Sum:
    return after - before;
  case StatMerge::Max:
  case StatMerge::Driver:
    return T();
  }
  return T();
}

bool since(StatMerge, bool, bool) { return false; }

llvm::json::Value toValue(uint64_t v) { return static_cast<int64_t>(v); }
llvm::json::Value toValue(double v) { return v; }
llvm::json::Value toValue(bool v) { return v; }

} // namespace

void SearchStats::add(const SearchStats &other) {
#define MIRAGE_SEARCH_STAT(Type, Field, JsonKey, Merge, Meaning)               \
  merge(StatMerge::Merge, Field, other.Field);
#include "Mirage/Search/SearchStats.def"
}

SearchStats SearchStats::since(const SearchStats &before) const {
  SearchStats d;
#define MIRAGE_SEARCH_STAT(Type, Field, JsonKey, Merge, Meaning)               \
  d.Field = ::since(StatMerge::Merge, Field, before.Field);
#include "Mirage/Search/SearchStats.def"
  return d;
}

llvm::ArrayRef<SearchStatInfo> mirage::searchStatInfos() {
  static const SearchStatInfo infos[] = {
#define MIRAGE_SEARCH_STAT(Type, Field, JsonKey, Merge, Meaning)               \
  {#Field, JsonKey, StatMerge::Merge, Meaning},
#include "Mirage/Search/SearchStats.def"
  };
  return infos;
}

llvm::StringRef mirage::stringifyStatMerge(StatMerge merge) {
  switch (merge) {
  case StatMerge::Sum:
    return "sum";
  case StatMerge::Max:
    return "max";
  case StatMerge::Driver:
    return "driver";
  }
  llvm_unreachable("unknown StatMerge");
}

llvm::json::Object mirage::searchStatsToJSON(const SearchStats &stats) {
  llvm::json::Object object;
#define MIRAGE_SEARCH_STAT(Type, Field, JsonKey, Merge, Meaning)               \
  object[JsonKey] = toValue(stats.Field);
#include "Mirage/Search/SearchStats.def"
  return object;
}

void mirage::printSearchStatsTable(llvm::raw_ostream &os) {
  os << "| Statistic | Across workers | Meaning |\n"
     << "|---|---|---|\n";
  for (const SearchStatInfo &info : searchStatInfos())
    os << "| `" << info.jsonKey << "` | " << stringifyStatMerge(info.merge)
       << " | " << info.meaning << " |\n";
}
