/* test_alloc.c — alloc.h's aligned allocations: small ones start on a cache
 * line and are zeroed; big ones (the embedding matrices) start on a huge page,
 * are zeroed, and carry the kernel's huge-page advice (the "hg" flag that
 * /proc/self/smaps shows for a mapping advised MADV_HUGEPAGE). */
#include "testing.h"

#include "w2v/alloc.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* The VmFlags line of the mapping in /proc/self/smaps that holds address, or "" if none. */
static void vm_flags_of(const void *address, char *flags, size_t size) {
    flags[0] = '\0';
    FILE *smaps = fopen("/proc/self/smaps", "r");
    if (!smaps) return;
    char line[512];
    int inside = 0;
    while (fgets(line, sizeof line, smaps)) {
        unsigned long start, end;
        if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, '-') < strchr(line, ' '))
            inside = (uintptr_t)address >= start && (uintptr_t)address < end;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(flags, size, "%s", line + 8);
            break;
        }
    }
    fclose(smaps);
}

static int all_zero(const unsigned char *bytes, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (bytes[i] != 0) return 0;
    return 1;
}

static void test_small_allocations_are_line_aligned_and_zero(void **state) {
    (void)state;
    for (size_t bytes = 1; bytes < 5000; bytes = bytes * 3 + 1) {
        unsigned char *p = w2v_alloc_aligned(bytes);
        assert_int_equal((uintptr_t)p % W2V_CACHE_LINE, 0);
        assert_true(all_zero(p, bytes));
        w2v_free(p);
    }
}

/* Fails unless the mapping around p[bytes / 2] carries the huge-page advice; skips without /proc. */
static void assert_huge_page_advice(const unsigned char *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
    char flags[512];
    vm_flags_of(p + bytes / 2, flags, sizeof flags);
    if (flags[0] == '\0') skip(); /* no /proc here */
    if (!strstr(flags, " hg")) fail_msg("no huge-page advice on the matrix: VmFlags:%s", flags);
#else
    (void)p, (void)bytes;
#endif
}

static void test_matrices_sit_on_advised_huge_pages(void **state) {
    (void)state;
    const size_t bytes = W2V_HUGE_PAGE * 3 + 12345; /* as a 59k × 112-float matrix rounds */
    unsigned char *p = w2v_alloc_aligned(bytes);
    assert_int_equal((uintptr_t)p % W2V_HUGE_PAGE, 0);
    assert_true(all_zero(p, bytes));
    assert_huge_page_advice(p, bytes);
    w2v_free(p);
}

/* The untouched allocation (the model's, written by the training threads) is
 * placed and advised as the zeroed one. */
static void test_untouched_matrices_are_placed_alike(void **state) {
    (void)state;
    unsigned char *small = w2v_alloc_aligned_untouched(100);
    assert_int_equal((uintptr_t)small % W2V_CACHE_LINE, 0);
    w2v_free(small);
    const size_t bytes = W2V_HUGE_PAGE * 2 + 777;
    unsigned char *p = w2v_alloc_aligned_untouched(bytes);
    assert_int_equal((uintptr_t)p % W2V_HUGE_PAGE, 0);
    memset(p, 0x5a, bytes); /* all of it is ours to write */
    assert_huge_page_advice(p, bytes);
    w2v_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_allocations_are_line_aligned_and_zero),
        cmocka_unit_test(test_matrices_sit_on_advised_huge_pages),
        cmocka_unit_test(test_untouched_matrices_are_placed_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
