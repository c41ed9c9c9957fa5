/* The driver of a mixed module compiled for the device check
 * (bench/gpu/make_mixed.sh): the module's @main, renamed mirage_mixed_main
 * in its object, prints its results with printMemrefF32, which this file
 * gives in the format of MLIR's runner utilities (the numbers after
 * "data =", 6 significant digits), so that
 * test/Conversion/Inputs/compare-memref-prints.py compares them with the
 * upstream lowering's output. No LLVM or MLIR library is needed. */
#include <stdint.h>
#include <stdio.h>

void mirage_mixed_main(void);

static void printLevel(const float *data, const int64_t *sizes,
                       const int64_t *strides, int64_t rank, int64_t dim,
                       int64_t offset) {
  if (dim == rank) {
    printf("%g", data[offset]);
    return;
  }
  printf("[");
  for (int64_t i = 0; i < sizes[dim]; ++i) {
    if (i && dim + 1 == rank)
      printf(",   ");
    else if (i)
      printf(", \n%*s", (int)dim + 1, "");
    printLevel(data, sizes, strides, rank, dim + 1,
               offset + i * strides[dim]);
  }
  printf("]");
}

/* The unranked memref: its rank and a pointer to the ranked descriptor
 * {allocated, aligned, offset, sizes[rank], strides[rank]}. */
void printMemrefF32(int64_t rank, void *descriptor) {
  const float *aligned = ((float *const *)descriptor)[1];
  const int64_t *fields = (const int64_t *)descriptor + 2;
  int64_t offset = fields[0];
  const int64_t *sizes = fields + 1, *strides = fields + 1 + rank;
  printf("Unranked Memref base@ = %p rank = %lld offset = %lld sizes = [",
         (const void *)aligned, (long long)rank, (long long)offset);
  for (int64_t i = 0; i < rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)sizes[i]);
  printf("] strides = [");
  for (int64_t i = 0; i < rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)strides[i]);
  printf("] data = \n");
  printLevel(aligned, sizes, strides, rank, 0, offset);
  printf("\n");
}

int main(void) {
  mirage_mixed_main();
  return 0;
}
