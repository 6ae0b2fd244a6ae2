/* huffman.c — building the Huffman tree of hierarchical softmax.
 *
 * The classic two-queue merge: leaves wait in one queue in ascending count,
 * inner nodes are created in ascending weight so they form a second sorted
 * queue by construction, and each merge takes the two lightest heads (a leaf
 * on ties, which keeps paths short and their lengths even). Nodes are
 * numbered leaves 0..V−1 (= word ids), inner nodes V..2V−2 in creation order,
 * so a parent's number is always above its children's: depths then come from
 * one pass downwards from the root, and paths from one walk up per word. */
#include "w2v/huffman.h"

#include "w2v/alloc.h"
#include "w2v/error.h"

#include <stdlib.h>
#include <string.h>

/* Ascending count; equal counts keep the vocabulary's order reversed (higher id first). */
static int compare_ascending(const void *a, const void *b, void *context) {
    const uint64_t *counts = context;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (counts[x] != counts[y]) return counts[x] < counts[y] ? -1 : 1;
    return x > y ? -1 : x < y;
}

/* Word ids in ascending count: reversed ids when the counts are already sorted descending. */
static uint32_t *leaves_ascending(const uint64_t *counts, uint32_t word_count) {
    uint32_t *order = w2v_xmalloc(word_count * sizeof *order);
    int sorted = 1;
    for (uint32_t w = 0; w < word_count; w++) {
        order[w] = word_count - 1 - w;
        if (w > 0 && counts[w] > counts[w - 1]) sorted = 0;
    }
    if (!sorted) qsort_r(order, word_count, sizeof *order, compare_ascending, (void *)counts);
    return order;
}

int w2v_huffman_build(struct w2v_huffman *tree, const uint64_t *counts, uint32_t word_count) {
    memset(tree, 0, sizeof *tree);
    if (word_count == 0) return w2v_error("cannot build a Huffman tree of an empty vocabulary");
    const uint32_t V = word_count, node_count = 2 * V - 1, root = 2 * V - 2;
    uint32_t *order = leaves_ascending(counts, V);
    uint64_t *inner_weight = w2v_xmalloc(V * sizeof *inner_weight);
    uint32_t *parent = w2v_xmalloc(node_count * sizeof *parent);
    uint8_t *branch = w2v_xmalloc(node_count);

    /* Merge: inner node i (node V + i) joins the two lightest heads of the queues. */
    uint32_t next_leaf = 0, next_inner = 0;
    for (uint32_t i = 0; i + 1 < V; i++) {
        for (uint8_t bit = 0; bit < 2; bit++) {
            uint32_t node;
            uint64_t weight;
            if (next_leaf < V &&
                (next_inner == i || counts[order[next_leaf]] <= inner_weight[next_inner])) {
                node = order[next_leaf++];
                weight = counts[node];
            } else {
                weight = inner_weight[next_inner];
                node = V + next_inner++;
            }
            inner_weight[i] = bit == 0 ? weight : inner_weight[i] + weight;
            parent[node] = V + i;
            branch[node] = bit;
        }
    }

    /* Depths from the root down (parents are numbered above their children). */
    uint32_t *depth = w2v_xmalloc(node_count * sizeof *depth);
    depth[root] = 0;
    for (uint32_t n = root; n-- > 0;) depth[n] = depth[parent[n]] + 1;

    /* The first word whose code is too long, if any: then no tree is built. */
    int status = 0;
    for (uint32_t w = 0; w < V && status == 0; w++)
        if (depth[w] > W2V_HUFFMAN_MAX_LENGTH)
            status = w2v_error("Huffman code of word %u is %u bits long (more than %d)", w,
                               depth[w], W2V_HUFFMAN_MAX_LENGTH);
    if (status == 0) {
        tree->word_count = V;
        tree->lengths = w2v_xmalloc(V * sizeof *tree->lengths);
        tree->offsets = w2v_xmalloc((V + 1ull) * sizeof *tree->offsets);
        uint64_t total = 0;
        for (uint32_t w = 0; w < V; w++) {
            tree->lengths[w] = (uint8_t)depth[w];
            if (depth[w] > tree->max_length) tree->max_length = depth[w];
            tree->offsets[w] = total;
            total += depth[w];
        }
        tree->offsets[V] = total;

        /* Paths: walk up from each leaf, filling its range from the end so it reads root first. */
        tree->codes = w2v_xmalloc((total ? total : 1) * sizeof *tree->codes);
        tree->points = w2v_xmalloc((total ? total : 1) * sizeof *tree->points);
        for (uint32_t w = 0; w < V; w++) {
            uint64_t position = tree->offsets[w] + tree->lengths[w];
            for (uint32_t node = w; node != root; node = parent[node]) {
                position--;
                tree->codes[position] = branch[node];
                tree->points[position] = parent[node] - V;
            }
        }
    }
    w2v_free(order);
    w2v_free(inner_weight);
    w2v_free(parent);
    w2v_free(branch);
    w2v_free(depth);
    return status;
}

void w2v_huffman_free(struct w2v_huffman *tree) {
    w2v_free(tree->lengths);
    w2v_free(tree->offsets);
    w2v_free(tree->codes);
    w2v_free(tree->points);
    memset(tree, 0, sizeof *tree);
}
