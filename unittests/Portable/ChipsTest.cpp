//===- ChipsTest.cpp - The one chip table ---------------------------------===//

#include "Mirage/Portable/Chips.h"
#include "Mirage/Search/CostModel.h"

#include "gtest/gtest.h"

#include <set>
#include <string>

using namespace mirage;
using namespace mirage::portable;

TEST(Chips, NamesAreUniqueAndFound) {
  std::set<std::string> names;
  for (const ChipInfo &chip : chips()) {
    EXPECT_TRUE(names.insert(chip.name).second) << chip.name;
    EXPECT_EQ(findChip(chip.name), &chip);
    // The name is sm_<compute capability>, maybe with a suffix.
    std::string prefix = "sm_" + std::to_string(chip.computeCapability);
    EXPECT_EQ(std::string(chip.name).compare(0, prefix.size(), prefix), 0)
        << chip.name;
    EXPECT_LE(std::string(chip.name).size(), prefix.size() + 1) << chip.name;
    EXPECT_EQ(chip.ampere, chip.computeCapability >= 80) << chip.name;
    EXPECT_GT(chip.sharedMemoryPerBlock, 0) << chip.name;
  }
  EXPECT_EQ(findChip("sm_91"), nullptr);
  EXPECT_EQ(findChip("h100"), nullptr);
  EXPECT_EQ(findChip(""), nullptr);
}

TEST(Chips, EveryGpuHasAChipOfTheTable) {
  ASSERT_GT(gpus().size(), 0u);
  for (const GpuInfo &gpu : gpus()) {
    EXPECT_EQ(findGpu(gpu.name), &gpu);
    EXPECT_NE(findChip(gpu.chip), nullptr) << gpu.name;
    EXPECT_EQ(&chipOf(gpu), findChip(gpu.chip));
  }
  EXPECT_EQ(findGpu("sm_90"), nullptr);
}

TEST(Chips, CostModelReadsTheTable) {
  for (const GpuInfo &gpu : gpus()) {
    std::optional<GpuParams> params = gpuParamsByName(gpu.name);
    ASSERT_TRUE(params) << gpu.name;
    EXPECT_EQ(params->numSMs, gpu.numSMs);
    EXPECT_EQ(params->dramBytesPerSecond, gpu.dramBytesPerSecond);
    EXPECT_EQ(params->sharedMemoryPerBlock, chipOf(gpu).sharedMemoryPerBlock);
  }
  // The H100 and H200 are Hopper parts: 227 KiB of shared memory per block.
  EXPECT_EQ(h100Params().sharedMemoryPerBlock, 232448);
  EXPECT_EQ(h200Params().sharedMemoryPerBlock, 232448);
  EXPECT_FALSE(gpuParamsByName("a100"));
}
