/* combine_tiles.h — how the SIMD kernels cut combine_rows into register tiles.
 *
 * The AVX2 and AVX-512 files each write one tile, nd ≤ 4 destination rows
 * accumulated in registers, in their own intrinsics; the cutting into tiles is
 * the same for both and lives here, once. The tile is passed as a function
 * constant and everything is inlined, so each tile height is its own unrolled
 * code, as if written out in the ISA's file.
 *
 * combine_rows' destination rows may repeat a pointer (a negative drawn twice
 * is the same output row twice: kernels.h says each occurrence's terms are
 * added). A tile that loads several destination rows, accumulates and stores
 * them would store one occurrence's sum over the other's; tiles whose rows
 * repeat are therefore done one row at a time. */
#ifndef W2V_KERNELS_COMBINE_TILES_H
#define W2V_KERNELS_COMBINE_TILES_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*kernels_combine_tile)(float *const *dst, size_t nd, const float *const *src,
                                     size_t n_src, const float *coef, size_t row_step,
                                     size_t col_step, size_t n);

static inline bool kernels_rows_repeat(float *const *rows, size_t n) {
    for (size_t a = 1; a < n; a++)
        for (size_t b = 0; b < a; b++)
            if (rows[a] == rows[b]) return true;
    return false;
}

/* kernels.h's combine_rows, destination rows four at a time through `tile`. */
static inline __attribute__((always_inline)) void
kernels_combine_by_tiles(kernels_combine_tile tile, float *const *dst_rows, size_t n_dst,
                         const float *const *src_rows, size_t n_src, const float *coef,
                         size_t row_step, size_t col_step, size_t n) {
    for (size_t i = 0; i < n_dst; i += 4) {
        const size_t nd = n_dst - i < 4 ? n_dst - i : 4;
        float *const *dst = dst_rows + i;
        const float *c = coef + i * row_step;
        if (kernels_rows_repeat(dst, nd)) {
            for (size_t r = 0; r < nd; r++)
                tile(dst + r, 1, src_rows, n_src, c + r * row_step, row_step, col_step, n);
            continue;
        }
        switch (nd) { /* constant tile heights, so the tile's row loops unroll */
        case 4:
            tile(dst, 4, src_rows, n_src, c, row_step, col_step, n);
            break;
        case 3:
            tile(dst, 3, src_rows, n_src, c, row_step, col_step, n);
            break;
        case 2:
            tile(dst, 2, src_rows, n_src, c, row_step, col_step, n);
            break;
        default:
            tile(dst, 1, src_rows, n_src, c, row_step, col_step, n);
            break;
        }
    }
}

#endif
