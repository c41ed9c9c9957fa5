// The calibration kernels of bench/gpu/calibrate.py: small kernels of our
// own that measure what the cost model (docs/CostModel.md) assumes. Compiled
// on the GPU machine by NVRTC through CuPy; test/Bench/calibration-kernels.test
// compiles them here with nvcc for sm_90 (no GPU needed) so that a typo does
// not cost device time.
//
// Every kernel writes its result only under a condition that never holds at
// run time but that the compiler cannot decide, so no work is removed.

#define SINK_IF_UNLIKELY(value, sink)                                          \
  if ((value) == 0x9e3779b9u)                                                  \
    (sink)[0] = (value);

// Reads `chunk` 16-byte vectors per block from src + offset + blockIdx.x *
// chunk, with UNROLL independent loads per thread in flight before their
// first use: a block has blockDim.x * 16 * UNROLL bytes in flight. `chunk`
// is a multiple of blockDim.x * UNROLL (the host sees to it).
#define READ_KERNEL(UNROLL)                                                    \
  extern "C" __global__ void read_u##UNROLL(                                   \
      const uint4 *__restrict__ src, unsigned long long offset,                \
      unsigned long long chunk, unsigned int *sink) {                          \
    const uint4 *p = src + offset + blockIdx.x * chunk;                        \
    unsigned int acc = 0;                                                      \
    for (unsigned long long i = threadIdx.x; i < chunk;                        \
         i += (unsigned long long)blockDim.x * UNROLL) {                       \
      uint4 v[UNROLL];                                                         \
      _Pragma("unroll") for (int u = 0; u < UNROLL; ++u) v[u] =                \
          __ldcs(p + i + (unsigned long long)u * blockDim.x);                  \
      _Pragma("unroll") for (int u = 0; u < UNROLL; ++u) acc ^=                \
          v[u].x ^ v[u].y ^ v[u].z ^ v[u].w;                                   \
    }                                                                          \
    SINK_IF_UNLIKELY(acc, sink)                                                \
  }

READ_KERNEL(1)
READ_KERNEL(2)
READ_KERNEL(4)
READ_KERNEL(8)

// Nothing: the launch overhead.
extern "C" __global__ void empty_kernel() {}

// `iters` rounds of CHAINS independent mma.sync m16n8k16 (f16 inputs, f32
// accumulators) per warp: 2 * 16 * 8 * 16 = 4096 FLOPs each.
#define MMA_CHAINS 8
extern "C" __global__ void mma_m16n8k16(int iters, unsigned int *sink) {
  // Operands: small fp16 values that differ between lanes (never zeros,
  // which can run faster than real data).
  unsigned int lane = threadIdx.x & 31;
  unsigned int h = 0x3c00u | (lane & 7u);    // 1.0 plus a few ulps
  unsigned int g = 0x3800u | (lane >> 3);    // 0.5 plus a few ulps
  unsigned int a0 = h | (g << 16), a1 = g | (h << 16);
  unsigned int a2 = a0 ^ 0x00010001u, a3 = a1 ^ 0x00020002u;
  unsigned int b0 = g | (g << 16), b1 = h | (g << 16);
  float c[MMA_CHAINS][4];
#pragma unroll
  for (int k = 0; k < MMA_CHAINS; ++k)
    c[k][0] = c[k][1] = c[k][2] = c[k][3] = 0.0f;
  for (int i = 0; i < iters; ++i) {
#pragma unroll
    for (int k = 0; k < MMA_CHAINS; ++k)
      asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
                   "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
                   "{%0, %1, %2, %3};"
                   : "+f"(c[k][0]), "+f"(c[k][1]), "+f"(c[k][2]),
                     "+f"(c[k][3])
                   : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
  }
  float s = 0.0f;
#pragma unroll
  for (int k = 0; k < MMA_CHAINS; ++k)
    s += c[k][0] + c[k][1] + c[k][2] + c[k][3];
  unsigned int bits = __float_as_uint(s);
  SINK_IF_UNLIKELY(bits, sink)
}

// `iters` rounds of CHAINS independent fp32 FMAs per thread: 2 FLOPs each.
#define FMA_CHAINS 8
extern "C" __global__ void fma_f32(int iters, float x, unsigned int *sink) {
  float c[FMA_CHAINS];
#pragma unroll
  for (int k = 0; k < FMA_CHAINS; ++k)
    c[k] = threadIdx.x * 1e-3f + k;
  for (int i = 0; i < iters; ++i) {
#pragma unroll
    for (int k = 0; k < FMA_CHAINS; ++k)
      c[k] = fmaf(c[k], x, 0.5f);
  }
  float s = 0.0f;
#pragma unroll
  for (int k = 0; k < FMA_CHAINS; ++k)
    s += c[k];
  unsigned int bits = __float_as_uint(s);
  SINK_IF_UNLIKELY(bits, sink)
}
