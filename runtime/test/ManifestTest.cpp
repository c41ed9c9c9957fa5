//===- ManifestTest.cpp - Manifest parsing and checks against PTX ---------===//

#include "MirageRuntime/Manifest.h"

#include "TestUtil.h"

using namespace mirage::rt;
using namespace mirage::rt::test;

namespace {

/// The error of parsing `manifest` (empty when it parses).
std::string parseError(const std::string &manifest) {
  Expected<Manifest> m = parseManifest(manifest);
  return m ? std::string() : m.message();
}

/// The error of checking `manifest` against `ptx` (both must parse).
std::string ptxError(const std::string &manifest, const std::string &ptx) {
  Expected<Manifest> m = parseManifest(manifest);
  EXPECT_TRUE(static_cast<bool>(m)) << m.message();
  if (!m)
    return "";
  Status s = checkManifestAgainstPtx(*m, ptx);
  return s.ok() ? std::string() : s.message();
}

TEST(Manifest, ParsesTheGoodManifest) {
  Expected<Manifest> m = parseManifest(tripleManifest());
  ASSERT_TRUE(static_cast<bool>(m)) << m.message();
  EXPECT_EQ(m->function, "triple");
  EXPECT_EQ(m->chip, "sm_90");
  EXPECT_EQ(m->chipComputeCapability(), 90);
  EXPECT_EQ(m->ptx, "triple.ptx");
  ASSERT_EQ(m->inputs.size(), 1u);
  EXPECT_EQ(m->inputs[0].shape, (Shape{2, 3}));
  EXPECT_EQ(m->inputs[0].dtype, DType::F32);
  ASSERT_EQ(m->outputs.size(), 1u);
  EXPECT_EQ(m->workspaceBytes, 256);
  ASSERT_EQ(m->kernels.size(), 2u);
  const KernelSpec &k1 = m->kernels[1];
  EXPECT_EQ(k1.name, "triple_kernel1");
  EXPECT_EQ(k1.grid, (std::array<unsigned, 3>{1, 1, 1}));
  EXPECT_EQ(k1.block, (std::array<unsigned, 3>{32, 1, 1}));
  ASSERT_EQ(k1.args.size(), 3u);
  EXPECT_EQ(k1.args[0].buffer, BufferKind::Workspace);
  EXPECT_EQ(k1.args[1].buffer, BufferKind::Input);
  EXPECT_EQ(k1.args[2].buffer, BufferKind::Output);
  EXPECT_EQ(k1.args[2].strides, (Shape{3, 1}));
  EXPECT_EQ(m->signature(), "(tensor<2x3xf32>) -> tensor<2x3xf32>");
  EXPECT_EQ(ptxError(tripleManifest(), triplePtx()), "");
}

TEST(Manifest, RejectsInvalidJson) {
  EXPECT_EQ(parseError("{\"format\": \"mirage-bundle\",}"),
            "invalid JSON: line 1, column 28: expected a string key in "
            "object");
  EXPECT_EQ(parseError("[1]"), "manifest: expected an object, got [1]");
}

TEST(Manifest, RejectsFormatAndVersion) {
  std::string good = tripleManifest();
  EXPECT_EQ(parseError(replaceOnce(good, "\"mirage-bundle\"", "\"onnx\"")),
            "format: expected \"mirage-bundle\", got \"onnx\"");
  EXPECT_EQ(parseError(replaceOnce(good, "\"version\": 1", "\"version\": 2")),
            "version: unsupported bundle version 2 (this runtime reads "
            "version 1)");
  EXPECT_EQ(
      parseError(replaceOnce(good, "\"version\": 1", "\"version\": \"1\"")),
      "version: expected an integer, got \"1\"");
  EXPECT_EQ(parseError(replaceOnce(good, "\"version\": 1,", "")),
            "manifest: missing key \"version\"");
}

TEST(Manifest, RejectsMissingAndUnknownKeys) {
  std::string good = tripleManifest();
  EXPECT_EQ(parseError(replaceOnce(good, "\"workspace_bytes\": 256,", "")),
            "manifest: missing key \"workspace_bytes\"");
  EXPECT_EQ(parseError(replaceOnce(good, "\"workspace_bytes\": 256,",
                                   "\"workspace_bytes\": 256, \"extra\": 1,")),
            "manifest: unknown key \"extra\"");
  EXPECT_EQ(parseError(replaceOnce(good, "\"dynamic_shared_memory_bytes\"",
                                   "\"dynamic_shared_memory\"")),
            "kernels[0]: missing key \"dynamic_shared_memory_bytes\"");
  EXPECT_EQ(parseError(replaceOnce(good, "\"offset_bytes\": 0,",
                                   "\"offset_bytes\": 0, \"stride\": 1,")),
            "kernels[0].args[0]: unknown key \"stride\"");
}

TEST(Manifest, RejectsBadTopLevelValues) {
  std::string good = tripleManifest();
  EXPECT_EQ(parseError(replaceOnce(good, "\"sm_90\"", "\"gfx90a\"")),
            "chip: expected an NVIDIA architecture such as \"sm_90\", got "
            "\"gfx90a\"");
  EXPECT_EQ(parseError(replaceOnce(good, "\"ptx\": \"triple.ptx\"",
                                   "\"ptx\": \"../x.ptx\"")),
            "ptx: expected a file name in the manifest's directory, got "
            "\"../x.ptx\"");
  EXPECT_EQ(parseError(replaceOnce(good, "\"function\": \"triple\"",
                                   "\"function\": \"\"")),
            "function: must not be empty");
  EXPECT_NE(parseError(replaceOnce(good, "f5756d69", "F5756D69"))
                .find("ptx_sha256: expected 64 lower-case hex digits"),
            std::string::npos);
  EXPECT_EQ(parseError(replaceOnce(good, "\"workspace_bytes\": 256",
                                   "\"workspace_bytes\": -1")),
            "workspace_bytes: expected an integer in [0, 1099511627775], got "
            "-1");
  EXPECT_EQ(parseError(replaceOnce(good, "\"workspace_bytes\": 256",
                                   "\"workspace_bytes\": 256.5")),
            "workspace_bytes: expected an integer in [0, 1099511627775], got "
            "256.5");
}

TEST(Manifest, ReadsTheOptionalInputScale) {
  std::string good = tripleManifest();
  Expected<Manifest> none = parseManifest(good);
  ASSERT_TRUE(static_cast<bool>(none)) << none.message();
  EXPECT_FALSE(none->inputScale.has_value());
  Expected<Manifest> m = parseManifest(
      replaceOnce(good, "\"workspace_bytes\": 256",
                  "\"input_scale\": 0.25, \"workspace_bytes\": 256"));
  ASSERT_TRUE(static_cast<bool>(m)) << m.message();
  EXPECT_EQ(m->inputScale, 0.25);
  for (const char *bad : {"0", "-1", "\"big\""})
    EXPECT_NE(parseError(replaceOnce(good, "\"workspace_bytes\": 256",
                                     std::string("\"input_scale\": ") + bad +
                                         ", \"workspace_bytes\": 256"))
                  .find("input_scale: expected a positive finite number"),
              std::string::npos)
        << bad;
}

TEST(Manifest, RejectsBadSignatures) {
  std::string good = tripleManifest();
  EXPECT_EQ(parseError(replaceOnce(good, "\"dtype\": \"f32\"}]",
                                   "\"dtype\": \"f64\"}]")),
            "signature.inputs[0].dtype: unsupported dtype \"f64\" (expected "
            "\"f16\", \"bf16\" or \"f32\")");
  EXPECT_EQ(parseError(replaceOnce(good, "[{\"shape\": [2, 3]",
                                   "[{\"shape\": [2, 0]")),
            "signature.inputs[0].shape[1]: expected an integer in [1, "
            "1099511627775], got 0");
  EXPECT_EQ(parseError(replaceOnce(
                good, "\"outputs\": [{\"shape\": [2, 3], \"dtype\": \"f32\"}]",
                "\"outputs\": []")),
            "signature.outputs: a function needs at least one output");
}

TEST(Manifest, RejectsBadKernels) {
  std::string good = tripleManifest();
  EXPECT_EQ(parseError(replaceOnce(good, "\"block\": [32, 1, 1]",
                                   "\"block\": [32, 64, 1]")),
            "kernels[0].block: 2048 threads per block, CUDA allows at most "
            "1024");
  EXPECT_EQ(parseError(replaceOnce(good, "\"grid\": [1, 1, 1]",
                                   "\"grid\": [0, 1, 1]")),
            "kernels[0].grid[0]: expected an integer in [1, 2147483647], got "
            "0");
  EXPECT_EQ(
      parseError(replaceOnce(good, "\"grid\": [1, 1, 1]", "\"grid\": [1, 1]")),
      "kernels[0].grid: expected an array of 3 integers [x, y, z], got "
      "[1, 1]");
  std::string noKernels =
      good.substr(0, good.find("\"kernels\"")) + "\"kernels\": []}";
  EXPECT_EQ(parseError(noKernels),
            "kernels: a bundle needs at least one kernel");
}

TEST(Manifest, RejectsArgsThatNameNoBuffer) {
  std::string good = tripleManifest();
  EXPECT_EQ(parseError(replaceOnce(good, "\"buffer\": \"input\", \"index\": 0",
                                   "\"buffer\": \"input\", \"index\": 1")),
            "kernels[0].args[0].index: input 1 does not exist (the function "
            "has 1 input)");
  EXPECT_EQ(parseError(replaceOnce(good, "\"buffer\": \"input\", \"index\": 0,",
                                   "\"buffer\": \"input\",")),
            "kernels[0].args[0]: missing key \"index\" (which input)");
  EXPECT_EQ(parseError(replaceOnce(good, "\"buffer\": \"input\"",
                                   "\"buffer\": \"constant\"")),
            "kernels[0].args[0].buffer: expected \"input\", \"output\" or "
            "\"workspace\", got \"constant\"");
  EXPECT_EQ(
      parseError(replaceOnce(good, "{\"buffer\": \"workspace\",",
                             "{\"buffer\": \"workspace\", \"index\": 1,")),
      "kernels[0].args[1].index: workspace 1 does not exist (the "
      "function has 1 workspace)");
}

TEST(Manifest, RejectsArgsThatDoNotFit) {
  std::string good = tripleManifest();
  // 6 floats from byte 8 end at byte 32 > 24.
  EXPECT_EQ(parseError(replaceOnce(good, "\"index\": 0, \"offset_bytes\": 0",
                                   "\"index\": 0, \"offset_bytes\": 8")),
            "kernels[0].args[0]: the view [2, 3] f32 with strides [3, 1] at "
            "offset 8 ends at byte 32, past the end of input 0 (24 bytes)");
  // Strides that reach past the buffer.
  EXPECT_EQ(parseError(replaceOnce(good, "\"strides\": [3, 1]",
                                   "\"strides\": [4, 1]")),
            "kernels[0].args[0]: the view [2, 3] f32 with strides [4, 1] at "
            "offset 0 ends at byte 28, past the end of input 0 (24 bytes)");
  EXPECT_EQ(parseError(replaceOnce(good, "\"workspace_bytes\": 256",
                                   "\"workspace_bytes\": 16")),
            "kernels[0].args[1]: the view [2, 3] f32 with strides [3, 1] at "
            "offset 0 ends at byte 24, past the end of workspace (16 bytes)");
  EXPECT_EQ(parseError(replaceOnce(good,
                                   "{\"buffer\": \"workspace\", "
                                   "\"offset_bytes\": 0",
                                   "{\"buffer\": \"workspace\", "
                                   "\"offset_bytes\": 2")),
            "kernels[0].args[1].offset_bytes: 2 is not a multiple of the f32 "
            "element size (4)");
  EXPECT_EQ(
      parseError(replaceOnce(good, "\"strides\": [3, 1]", "\"strides\": [1]")),
      "kernels[0].args[0].strides: 1 strides for a shape of rank 2");
  EXPECT_EQ(parseError(replaceOnce(good, "\"strides\": [3, 1]",
                                   "\"strides\": [3, -1]")),
            "kernels[0].args[0].strides[1]: expected an integer in [0, "
            "1099511627775], got -1");
  // Huge strides saturate instead of overflowing into a small extent.
  EXPECT_NE(parseError(replaceOnce(good, "\"strides\": [3, 1]",
                                   "\"strides\": [1099511627775, "
                                   "1099511627775]"))
                .find("past the end of input 0"),
            std::string::npos);
}

TEST(Manifest, RejectsArgDTypesOtherThanTheBuffers) {
  std::string good = tripleManifest();
  EXPECT_EQ(parseError(replaceOnce(good,
                                   "\"shape\": [2, 3], \"dtype\": \"f32\", "
                                   "\"strides\": [3, 1]},\n        "
                                   "{\"buffer\": \"workspace\"",
                                   "\"shape\": [2, 3], \"dtype\": \"f16\", "
                                   "\"strides\": [3, 1]},\n        "
                                   "{\"buffer\": \"workspace\"")),
            "kernels[0].args[0].dtype: f16, but input 0 is f32");
}

TEST(ManifestPtx, RejectsShaMismatch) {
  std::string ptx = triplePtx() + "\n// edited\n";
  std::string error = ptxError(tripleManifest(), ptx);
  EXPECT_EQ(error, "ptx_sha256: the manifest records " +
                       sha256Hex(triplePtx()) + " but triple.ptx hashes to " +
                       sha256Hex(ptx) +
                       " (the PTX changed after the bundle was written, or "
                       "the manifest belongs to another PTX)");
}

TEST(ManifestPtx, RejectsMissingEntry) {
  std::string manifest =
      replaceOnce(tripleManifest(), "\"triple_kernel1\"", "\"triple_kernel9\"");
  EXPECT_EQ(ptxError(manifest, triplePtx()),
            "kernels[1].name: no .entry \"triple_kernel9\" in triple.ptx "
            "(its entries: triple_kernel0, triple_kernel1)");
}

TEST(ManifestPtx, RejectsParameterCountMismatch) {
  std::string ptx =
      replaceOnce(triplePtx(), "\t.param .u64 triple_kernel1_param_2\n",
                  "\t.param .u64 triple_kernel1_param_2,\n"
                  "\t.param .u64 triple_kernel1_param_3\n");
  EXPECT_EQ(ptxError(withShaOf(tripleManifest(), ptx), ptx),
            "kernels[1]: .entry triple_kernel1 in triple.ptx takes 4 "
            "parameters but the manifest lists 3 args");
}

TEST(ManifestPtx, RejectsParametersThatAreNotPointers) {
  std::string ptx =
      replaceOnce(triplePtx(), ".param .u64 triple_kernel0_param_1",
                  ".param .align 8 .b8 triple_kernel0_param_1[16]");
  EXPECT_EQ(ptxError(withShaOf(tripleManifest(), ptx), ptx),
            "kernels[0]: parameter 1 of .entry triple_kernel0 is '.param "
            ".align 8 .b8 triple_kernel0_param_1[16]', not a 64-bit pointer "
            "(every argument is passed as one device pointer)");
  ptx = replaceOnce(triplePtx(), ".param .u64 triple_kernel0_param_0",
                    ".param .u32 triple_kernel0_param_0");
  EXPECT_NE(ptxError(withShaOf(tripleManifest(), ptx), ptx)
                .find("parameter 0 of .entry triple_kernel0 is '.param .u32"),
            std::string::npos);
}

TEST(ManifestPtx, RejectsAnotherTarget) {
  std::string ptx = replaceOnce(triplePtx(), ".target sm_90", ".target sm_80");
  EXPECT_EQ(ptxError(withShaOf(tripleManifest(), ptx), ptx),
            "chip: the manifest says sm_90 but triple.ptx targets sm_80");
}

TEST(ManifestPtx, RejectsTextThatIsNotPtx) {
  std::string ptx = "this is not PTX";
  EXPECT_EQ(ptxError(withShaOf(tripleManifest(), ptx), ptx),
            "triple.ptx: not PTX text (no .version directive)");
}

// A kernel entry deleted from the manifest or duplicated in it (issue 11):
// the bundle would skip a kernel or run one twice.
TEST(ManifestPtx, RejectsAKernelTheManifestNeverLaunches) {
  std::string manifest = tripleManifest();
  size_t begin = manifest.find("    {\n      \"name\": \"triple_kernel1\"");
  size_t end = manifest.find("    }\n  ]", begin);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  // Drop kernels[1] and the comma before it.
  std::string dropped = manifest.substr(0, manifest.rfind(',', begin)) + "\n" +
                        manifest.substr(end + 6);
  EXPECT_EQ(ptxError(dropped, triplePtx()),
            "kernels: .entry triple_kernel1 of triple.ptx is never launched "
            "(the manifest lists 1 kernel; one is missing)");
}

TEST(Manifest, RejectsAKernelListedTwice) {
  std::string manifest =
      replaceOnce(tripleManifest(), "\"triple_kernel1\"", "\"triple_kernel0\"");
  EXPECT_EQ(parseError(manifest),
            "kernels[1].name: \"triple_kernel0\" is already kernels[0] (each "
            "kernel is launched once)");
}

TEST(Manifest, ChipComputeCapability) {
  Manifest m;
  for (auto [chip, cc] :
       std::vector<std::pair<std::string, int>>{{"sm_90", 90},
                                                {"sm_90a", 90},
                                                {"sm_100a", 100},
                                                {"sm_", 0},
                                                {"sm_9x0", 0},
                                                {"sm_10000", 10000},
                                                {"sm_100000", 0},
                                                // Found by fuzz/manifest.cpp:
                                                // int overflow (UBSan).
                                                {"sm_8888888888", 0},
                                                {"sm_99999999999999999999", 0},
                                                {"compute_90", 0}}) {
    m.chip = chip;
    EXPECT_EQ(m.chipComputeCapability(), cc) << chip;
  }
}

} // namespace
