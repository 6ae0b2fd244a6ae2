/* rows_repeat.h — one check shared by the SIMD kernels' register tiles.
 *
 * combine_rows' destination rows may repeat a pointer (a negative drawn twice
 * is the same output row twice: kernels.h says each occurrence's terms are
 * added). A tile that loads several destination rows, accumulates and stores
 * them would store one occurrence's sum over the other's; tiles whose rows
 * repeat are therefore done one row at a time, which these kernels decide
 * with this check. */
#ifndef W2V_KERNELS_ROWS_REPEAT_H
#define W2V_KERNELS_ROWS_REPEAT_H

#include <stdbool.h>
#include <stddef.h>

static inline bool kernels_rows_repeat(float *const *rows, size_t n) {
    for (size_t a = 1; a < n; a++)
        for (size_t b = 0; b < a; b++)
            if (rows[a] == rows[b]) return true;
    return false;
}

#endif
