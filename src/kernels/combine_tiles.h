/* combine_tiles.h — how the SIMD kernels cut combine_rows and update_block into
 * register tiles.
 *
 * The AVX2 and AVX-512 files each write one tile (combine_rows: nd ≤ 4
 * destination rows accumulated in registers; update_block: up to 8 output rows,
 * one register wide) in their own intrinsics; the cutting into tiles is the
 * same for both and lives here, once. The tile is passed as a function
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

/* One update_block tile (kernels.h): the nt output rows out[0..nt-1] (g's
 * columns from g[0], row stride n_out) against every input, over the chunk of
 * one register at element k. first: the inputs' updates start from zero, else
 * from scratch, where the tile leaves them. */
typedef void (*kernels_update_tile)(float *const *in_rows, size_t n_in, float *const *out,
                                    size_t nt, const float *g, size_t n_out, size_t k, size_t n,
                                    float *scratch, bool first);
/* Adds the inputs' updates in scratch to their rows' chunk at element k, in order. */
typedef void (*kernels_update_apply)(float *const *in_rows, size_t n_in, size_t k, size_t n,
                                     const float *scratch);

/* kernels.h's update_block: chunk by chunk of `width` elements, the outputs
 * `most` (≤ 8) at a time through `tile`, then the inputs through `apply` once
 * every output has given its terms. */
static inline __attribute__((always_inline)) void
kernels_update_by_tiles(kernels_update_tile tile, size_t most, size_t width,
                        kernels_update_apply apply, float *const *in_rows, size_t n_in,
                        float *const *out_rows, size_t n_out, const float *g, size_t n,
                        float *scratch) {
    if (n_out == 0 || n_in == 0) return;
    for (size_t k = 0; k < n; k += width) {
        for (size_t j = 0; j < n_out; j += most) {
            const size_t nt = n_out - j < most ? n_out - j : most;
            float *const *out = out_rows + j;
            const bool first = j == 0;
            switch (nt) { /* constant tile heights, so the tile's row loops unroll */
            case 8:
                if (most >= 8) tile(in_rows, n_in, out, 8, g + j, n_out, k, n, scratch, first);
                break;
            case 7:
                if (most >= 7) tile(in_rows, n_in, out, 7, g + j, n_out, k, n, scratch, first);
                break;
            case 6:
                if (most >= 6) tile(in_rows, n_in, out, 6, g + j, n_out, k, n, scratch, first);
                break;
            case 5:
                if (most >= 5) tile(in_rows, n_in, out, 5, g + j, n_out, k, n, scratch, first);
                break;
            case 4:
                tile(in_rows, n_in, out, 4, g + j, n_out, k, n, scratch, first);
                break;
            case 3:
                tile(in_rows, n_in, out, 3, g + j, n_out, k, n, scratch, first);
                break;
            case 2:
                tile(in_rows, n_in, out, 2, g + j, n_out, k, n, scratch, first);
                break;
            default:
                tile(in_rows, n_in, out, 1, g + j, n_out, k, n, scratch, first);
                break;
            }
        }
        apply(in_rows, n_in, k, n, scratch);
    }
}

#endif
