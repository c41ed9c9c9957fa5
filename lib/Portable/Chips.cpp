//===- Chips.cpp - The one table of NVIDIA chips ----------------*- C++ -*-===//

#include "Mirage/Portable/Chips.h"

#include <cstdlib>

using namespace mirage::portable;

// The shared-memory limits are those of the CUDA programming guide's table;
// sm_88 and sm_110 follow their families (consumer Ampere and datacenter
// Blackwell).
static constexpr ChipInfo kChips[] = {
    {"sm_75", 75, "+ptx70", 65536, false},
    {"sm_80", 80, "+ptx70", 166912, true},
    {"sm_86", 86, "+ptx71", 101376, true},
    {"sm_87", 87, "+ptx74", 166912, true},
    {"sm_88", 88, "+ptx90", 101376, true},
    {"sm_89", 89, "+ptx78", 101376, true},
    {"sm_90", 90, "+ptx80", 232448, true},
    {"sm_90a", 90, "+ptx80", 232448, true},
    {"sm_100", 100, "+ptx86", 232448, true},
    {"sm_100a", 100, "+ptx86", 232448, true},
    {"sm_100f", 100, "+ptx88", 232448, true},
    {"sm_103", 103, "+ptx88", 232448, true},
    {"sm_103a", 103, "+ptx88", 232448, true},
    {"sm_103f", 103, "+ptx88", 232448, true},
    {"sm_110", 110, "+ptx90", 232448, true},
    {"sm_110a", 110, "+ptx90", 232448, true},
    {"sm_110f", 110, "+ptx90", 232448, true},
    {"sm_120", 120, "+ptx87", 101376, true},
    {"sm_120a", 120, "+ptx87", 101376, true},
    {"sm_120f", 120, "+ptx88", 101376, true},
    {"sm_121", 121, "+ptx88", 101376, true},
    {"sm_121a", 121, "+ptx88", 101376, true},
    {"sm_121f", 121, "+ptx88", 101376, true},
};

static constexpr GpuInfo kGpus[] = {
    // NVIDIA H100 SXM5 datasheet: 132 SMs, 3.35 TB/s HBM3, 989 TFLOPS dense
    // fp16 tensor, 67 TFLOPS fp32, 227 KiB shared memory per block (sm_90).
    // One SM draws about 4% of the bandwidth (~130 GB/s); a launch costs
    // ~2.5 µs.
    {"h100", "sm_90", 132, 3.35e12, 989e12, 67e12, 0.04, 2.5e-6},
    // NVIDIA H200 SXM: the H100's compute with 4.8 TB/s HBM3e.
    {"h200", "sm_90", 132, 4.8e12, 989e12, 67e12, 0.03, 2.5e-6},
};

TableRef<ChipInfo> mirage::portable::chips() {
  return {kChips, sizeof(kChips) / sizeof(kChips[0])};
}

TableRef<GpuInfo> mirage::portable::gpus() {
  return {kGpus, sizeof(kGpus) / sizeof(kGpus[0])};
}

const ChipInfo *mirage::portable::findChip(std::string_view name) {
  for (const ChipInfo &chip : kChips)
    if (name == chip.name)
      return &chip;
  return nullptr;
}

const GpuInfo *mirage::portable::findGpu(std::string_view name) {
  for (const GpuInfo &gpu : kGpus)
    if (name == gpu.name)
      return &gpu;
  return nullptr;
}

const ChipInfo &mirage::portable::chipOf(const GpuInfo &gpu) {
  const ChipInfo *chip = findChip(gpu.chip);
  // Every GPU's chip is in the table (PortableTests: Chips.*).
  if (!chip)
    std::abort();
  return *chip;
}
