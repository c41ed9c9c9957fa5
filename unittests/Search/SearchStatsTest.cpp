//===- SearchStatsTest.cpp - The statistics of the search, declared once --===//
//
// What comes from SearchStats.def: the merge across workers, the difference
// a memo hit replays, the JSON keys, and the docs table (docs/Search.md must
// hold the table printSearchStatsTable prints).
//
//===----------------------------------------------------------------------===//

#include "Mirage/Search/SearchStats.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <string>

using namespace mirage;

namespace {

/// Gives every statistic a distinct value derived from `base`.
SearchStats numbered(unsigned base) {
  SearchStats stats;
  unsigned n = base;
#define MIRAGE_SEARCH_STAT(Type, Field, JsonKey, Merge, Meaning)               \
  stats.Field = static_cast<Type>(++n);
#include "Mirage/Search/SearchStats.def"
  return stats;
}

TEST(SearchStatsTest, DeclaredOnce) {
  llvm::StringSet<> keys, fields;
  for (const SearchStatInfo &info : searchStatInfos()) {
    EXPECT_TRUE(keys.insert(info.jsonKey).second) << info.jsonKey.str();
    EXPECT_TRUE(fields.insert(info.field).second) << info.field.str();
    EXPECT_FALSE(info.meaning.empty()) << info.jsonKey.str();
    EXPECT_TRUE(info.meaning.ends_with(".")) << info.jsonKey.str();
  }
  EXPECT_EQ(searchStatInfos().size(), 19u);
}

TEST(SearchStatsTest, JsonHasEveryStatisticUnderItsKey) {
  SearchStats stats = numbered(100);
  stats.budgetExhausted = true;
  llvm::json::Object json = searchStatsToJSON(stats);
  EXPECT_EQ(json.size(), searchStatInfos().size());
  for (const SearchStatInfo &info : searchStatInfos())
    EXPECT_NE(json.get(info.jsonKey), nullptr) << info.jsonKey.str();
  EXPECT_EQ(json.getInteger("states_visited"),
            static_cast<int64_t>(stats.statesVisited));
  EXPECT_EQ(json.getInteger("candidates_unconfirmed"),
            static_cast<int64_t>(stats.candidatesUnconfirmed));
  EXPECT_EQ(json.getNumber("saturation_seconds"), stats.saturationSeconds);
  EXPECT_EQ(json.getBoolean("budget_exhausted"), true);
}

TEST(SearchStatsTest, MergeAcrossWorkers) {
  SearchStats a = numbered(0), b = numbered(1000);
  SearchStats merged = a;
  merged.add(b);
  // Sum: summed; Max: the larger; Driver: left alone.
  EXPECT_EQ(merged.statesVisited, a.statesVisited + b.statesVisited);
  EXPECT_EQ(merged.candidatesFound, a.candidatesFound + b.candidatesFound);
  EXPECT_EQ(merged.saturationSeconds, b.saturationSeconds);
  EXPECT_EQ(merged.tasks, a.tasks);
  EXPECT_EQ(merged.candidatesUnconfirmed, a.candidatesUnconfirmed);
  EXPECT_EQ(merged.seconds, a.seconds);
  SearchStats smaller = b;
  smaller.add(a);
  EXPECT_EQ(smaller.saturationSeconds, b.saturationSeconds);
}

TEST(SearchStatsTest, SinceCountsOnlySums) {
  SearchStats before = numbered(0), after = numbered(50);
  SearchStats d = after.since(before);
  EXPECT_EQ(d.statesVisited, 50u);
  EXPECT_EQ(d.prunedDangling, 50u);
  EXPECT_EQ(d.candidatesFound, 50u);
  EXPECT_EQ(d.tasks, 0u);
  EXPECT_EQ(d.candidatesUnconfirmed, 0u);
  EXPECT_EQ(d.saturationSeconds, 0.0);
  EXPECT_EQ(d.seconds, 0.0);
  // Replaying it counts again exactly what the stretch counted.
  SearchStats replay = after;
  replay.add(d);
  EXPECT_EQ(replay.prunedShape, after.prunedShape + 50);
}

TEST(SearchStatsTest, DocsTableIsCurrent) {
  std::string table;
  llvm::raw_string_ostream os(table);
  printSearchStatsTable(os);
  for (const SearchStatInfo &info : searchStatInfos())
    EXPECT_NE(table.find(("`" + info.jsonKey + "`").str()), std::string::npos);
  auto docs = llvm::MemoryBuffer::getFile(MIRAGE_SOURCE_DIR "/docs/Search.md");
  ASSERT_TRUE(docs) << "cannot read docs/Search.md";
  EXPECT_NE((*docs)->getBuffer().find(table), llvm::StringRef::npos)
      << "docs/Search.md does not hold the current statistics table; "
         "replace its table under \"## Statistics\" by:\n"
      << table;
}

} // namespace
