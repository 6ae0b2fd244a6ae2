/* corpus.h — the training text, memory-mapped read-only.
 *
 * The file is never copied into the heap: tokenizing, counting and encoding
 * all read the mapping, and the kernel pages it in and out as needed, so a
 * corpus larger than memory still works. Chunks for parallel passes end just
 * after a newline, so sentences are never split between threads (a line longer
 * than the search window is split at a space instead, see corpus.c). */
#ifndef W2V_CORPUS_H
#define W2V_CORPUS_H

#include <stddef.h>

struct w2v_corpus {
    const char *data; /* size bytes, read-only */
    size_t size;
    const char *path;
};

/* Maps `path`. Missing, unreadable, non-regular and empty files are errors. */
int w2v_corpus_open(struct w2v_corpus *corpus, const char *path);

/* Maps `size` bytes of the open regular file `fd` (which may be closed after)
 * and tracks the mapping for the SIGBUS handler: a file that shrinks while
 * mapped ends the process with "corpus '<path>' changed while being read". */
int w2v_corpus_map(struct w2v_corpus *corpus, int fd, size_t size, const char *path);

/* Hands the mapping's SIGBUS tracking slot to the caller (who now owns the
 * mapping and untracks it); −1 if it has none. */
int w2v_corpus_take_tracking(const struct w2v_corpus *corpus);

/* Unmaps and untracks (what w2v_corpus_open or w2v_corpus_map made). */
void w2v_corpus_close(struct w2v_corpus *corpus);

/* Cuts the corpus into `chunk_count` ranges of about equal size; bounds gets
 * chunk_count + 1 offsets (bounds[0] = 0, bounds[chunk_count] = size). Each
 * inner bound lies just after a newline, or after a space if no newline is
 * near. Chunks may be empty. The result depends only on the file and
 * chunk_count. */
void w2v_corpus_split(const struct w2v_corpus *corpus, size_t chunk_count, size_t *bounds);

/* The same into a new array (free with w2v_free): what the parallel passes use. */
size_t *w2v_corpus_chunks(const struct w2v_corpus *corpus, size_t chunk_count);

#endif
