/* fuzz_prepared.c — the prepared-corpus reader (w2v_prepared_load) on any
 * bytes. The checksums would stop nearly every mutation at the door, so for
 * inputs long enough to hold a lead and a trailer the target writes the
 * magic, the version, the byte-order mark and the file size, zeroes the
 * trailer's padding, then recomputes both checksums: the fuzzer's bytes reach the section checks, the id and
 * sentence-start checks and the vocabulary rebuild. An accepted file must
 * give ids inside the vocabulary (decoded from its codes, ending exactly at
 * code_bytes, every index entry where the codes are) and sentence starts
 * from 0 to the token count, in order. */
#include "w2v/prepared.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const size_t lead = W2V_PREPARED_LEAD_BYTES, trailer = W2V_PREPARED_TRAILER_BYTES;
    unsigned char *file = aligned_alloc(64, (size + 63) / 64 * 64 + 64); /* as a mapping is */
    memcpy(file, data, size);
    if (size >= lead + trailer) {
        memcpy(file, W2V_PREPARED_MAGIC, 8);
        uint32_t version = W2V_PREPARED_VERSION;
        memcpy(file + 8, &version, sizeof version);
        struct w2v_prepared_header h;
        memcpy(&h, file + size - trailer, sizeof h);
        h.byte_order = 0x0102030405060708ull;
        h.file_size = size;
        h.data_checksum = w2v_prepared_checksum(file, size - trailer);
        h.header_checksum = 0;
        h.header_checksum = w2v_prepared_checksum(&h, sizeof h);
        memcpy(file + size - trailer, &h, sizeof h);
        memset(file + size - trailer + sizeof h, 0, trailer - sizeof h); /* zero padding */
    }
    struct w2v_prepared_header header;
    struct w2v_vocab vocab;
    struct w2v_encoded_corpus encoded;
    if (w2v_prepared_load(file, size, "fuzz", true, &header, &vocab, &encoded) == 0) {
        const uint8_t *codes = encoded.codes;
        for (uint64_t i = 0; i < encoded.token_count; i++) {
            if (i % W2V_IDCODE_INDEX_STRIDE == 0 && w2v_encoded_seek(&encoded, i) != codes) abort();
            if (w2v_idcode_get(&codes) >= vocab.size) abort();
        }
        if (codes != encoded.codes + encoded.code_bytes) abort();
        if (encoded.sentence_starts[0] != 0 ||
            encoded.sentence_starts[encoded.sentence_count] != encoded.token_count)
            abort();
        for (uint64_t s = 0; s < encoded.sentence_count; s++)
            if (encoded.sentence_starts[s] >= encoded.sentence_starts[s + 1]) abort();
        w2v_vocab_free(&vocab);
    }
    free(file);
    return 0;
}
