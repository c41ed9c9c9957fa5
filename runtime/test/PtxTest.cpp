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

// What mirage-run --validate accepted before (issue 11): each is a module
// the driver would load differently from what the manifest describes.
TEST(Ptx, RejectsNulBytes) {
  std::string ptx = triplePtx();
  ptx.insert(ptx.find(".visible .entry triple_kernel1"), 1, '\0');
  std::string error = scanPtx(ptx).message();
  EXPECT_EQ(error.rfind("a NUL byte at offset ", 0), 0u) << error;
  EXPECT_NE(error.find("(line 38): PTX is text, and the driver would stop "
                       "reading there"),
            std::string::npos)
      << error;
  EXPECT_EQ(
      scanPtx(std::string(".version 8.0\n.target sm_90\n\0", 28)).message(),
      "a NUL byte at offset 27 (line 3): PTX is text, and the driver "
      "would stop reading there");
}

TEST(Ptx, RejectsAMissingOrEmptyTarget) {
  EXPECT_EQ(
      scanPtx(replaceOnce(triplePtx(), ".target sm_90", ".target")).message(),
      "line 8: the .target directive names no architecture");
  EXPECT_EQ(scanPtx(replaceOnce(triplePtx(), ".target sm_90", ".target  , "))
                .message(),
            "line 8: the .target directive names no architecture");
  EXPECT_EQ(scanPtx(replaceOnce(triplePtx(), ".target sm_90\n", "")).message(),
            "no .target directive");
  EXPECT_EQ(scanPtx(replaceOnce(triplePtx(), ".target sm_90\n",
                                ".target sm_90\n.target sm_80\n"))
                .message(),
            "line 9: a second .target directive");
}

TEST(Ptx, RejectsTextTruncatedInsideAKernel) {
  std::string ptx = triplePtx();
  // Cut inside the last kernel's body, after its last instruction.
  std::string truncated = ptx.substr(0, ptx.rfind("ret;"));
  EXPECT_EQ(scanPtx(truncated).message(),
            ".entry triple_kernel1: the body opened at line 43 is never "
            "closed (the PTX is truncated)");
  // Cut between the parameter list and the body.
  truncated = ptx.substr(0, ptx.rfind(")\n{") + 2);
  EXPECT_EQ(scanPtx(truncated).message(),
            ".entry triple_kernel1: no body (the PTX ends or a ';' comes "
            "before its '{')");
  // Braces inside a nested block still count.
  EXPECT_EQ(scanPtx(".version 8.0\n.target sm_90\n.entry k()\n{ { ret; }\n")
                .message(),
            ".entry k: the body opened at line 4 is never closed (the PTX is "
            "truncated)");
  // Performance directives before the body are fine.
  Expected<PtxModule> m =
      scanPtx(".version 8.0\n.target sm_90\n.entry k(.param .u64 a)\n"
              ".maxntid 128, 1, 1\n.minnctapersm 1\n{ ret; }\n");
  ASSERT_TRUE(static_cast<bool>(m)) << m.message();
  EXPECT_EQ(m->entries.size(), 1u);
}

TEST(Ptx, RejectsADuplicatedEntry) {
  std::string ptx = triplePtx();
  size_t begin = ptx.find(".visible .entry triple_kernel0");
  size_t end = ptx.find(".visible .entry triple_kernel1");
  ptx.insert(end, ptx.substr(begin, end - begin));
  EXPECT_EQ(scanPtx(ptx).message(), "line 38: a second .entry triple_kernel0");
}

} // namespace
