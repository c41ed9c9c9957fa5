//===- PtxTest.cpp - Scanning PTX for entries -----------------------------===//

#include "MirageRuntime/Ptx.h"

#include "TestUtil.h"

using namespace mirage::rt;
using namespace mirage::rt::test;

namespace {

TEST(Ptx, FindsTheEntriesOfTheTestBundle) {
  Expected<PtxModule> m = scanPtx(triplePtx());
  ASSERT_TRUE(static_cast<bool>(m)) << m.message();
  EXPECT_EQ(m->targets, (std::vector<std::string>{"sm_90"}));
  ASSERT_EQ(m->entries.size(), 2u);
  EXPECT_EQ(m->entries[0].name, "triple_kernel0");
  EXPECT_EQ(m->entries[0].params.size(), 2u);
  EXPECT_EQ(m->entries[1].params.size(), 3u);
  EXPECT_EQ(m->entries[1].params[2].text, ".param .u64 triple_kernel1_param_2");
  EXPECT_TRUE(m->entries[1].params[2].isPointerSized);
}

TEST(Ptx, IgnoresCommentsFunctionsAndStrings) {
  const char *ptx = R"(
.version 8.4
.target sm_90a, texmode_independent
.address_size 64
.file 1 "/src//kernels.cu"
// .visible .entry commented_out(.param .u64 a)
/* .entry also_commented(
   .param .u64 b) */
.func (.param .b32 r) helper(.param .b64 p) { ret; }
.visible .entry no_params
{
  ret;
}
.weak .entry  spaced  (
  .param .u64 .ptr .global .align 16 p0,  // a pointer with attributes
  .param .b64 p1,
  .param .s64 p2,
  .param .f64 p3,
  .param .align 8 .b8 p4[24]
)
{ ret; }
)";
  Expected<PtxModule> m = scanPtx(ptx);
  ASSERT_TRUE(static_cast<bool>(m)) << m.message();
  EXPECT_EQ(m->targets,
            (std::vector<std::string>{"sm_90a", "texmode_independent"}));
  ASSERT_EQ(m->entries.size(), 2u);
  EXPECT_EQ(m->entries[0].name, "no_params");
  EXPECT_TRUE(m->entries[0].params.empty());
  const PtxEntry &e = m->entries[1];
  EXPECT_EQ(e.name, "spaced");
  ASSERT_EQ(e.params.size(), 5u);
  EXPECT_TRUE(e.params[0].isPointerSized);
  EXPECT_TRUE(e.params[1].isPointerSized);
  EXPECT_TRUE(e.params[2].isPointerSized);
  EXPECT_FALSE(e.params[3].isPointerSized); // a double, not a pointer
  EXPECT_FALSE(e.params[4].isPointerSized); // a struct by value
  EXPECT_EQ(m->findEntry("helper"), nullptr);
  EXPECT_EQ(m->findEntry("commented_out"), nullptr);
}

TEST(Ptx, RejectsMalformedText) {
  EXPECT_EQ(scanPtx(".target sm_90\n.entry k()\n{ret;}").message(),
            "not PTX text (no .version directive)");
  EXPECT_EQ(scanPtx(".version 8.0\n.entry k(.param .u64 a\n").message(),
            ".entry k: unterminated parameter list");
  EXPECT_EQ(scanPtx(".version 8.0\n.entry k(.reg .u64 a)\n").message(),
            ".entry k: unexpected parameter declaration '.reg .u64 a'");
  EXPECT_EQ(scanPtx(".version 8.0\n.entry (").message(),
            "malformed .entry: no kernel name");
}

} // namespace
