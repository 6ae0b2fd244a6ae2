/* train.c — train word vectors with the w2v library, as `w2v train` does.
 *
 * Build it against an installed w2v and run it:
 *
 *   cc train.c -o train $(pkg-config --cflags --libs w2v)
 *   ./train corpus.txt vectors.txt
 *
 * CORPUS is plain text: whitespace-separated words, one sentence per line.
 * The program trains skip-gram with negative sampling at the library's
 * defaults (dim 100, window 5, 5 epochs, min-count 5, one thread per CPU) and
 * writes OUTPUT in word2vec's text format, which word2vec.c's tools and
 * gensim's KeyedVectors.load_word2vec_format read. OUTPUT is written
 * atomically: it is either the complete file or left as it was.
 *
 * Exit status: 0 done, 1 error (one line on stderr), 2 usage. */
#include <w2v/w2v.h>

#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s CORPUS OUTPUT\n", argv[0]);
        return 2;
    }
    const char *corpus_path = argv[1], *output_path = argv[2];

    /* Everything is zeroed first so the cleanup below is safe from any step. */
    struct w2v_atomic_file output = {0};
    struct w2v_pipeline pipeline = {0};
    struct w2v_model model = {0};
    struct w2v_train_report report;
    struct w2v_vectors vectors = {0};
    int status = 1;

    /* 1. Open the output first: an unwritable path fails now, not after
     *    training. The data goes to a temporary beside OUTPUT. */
    if (w2v_atomic_open(&output, output_path) != 0) goto done;

    /* 2. Corpus → vocabulary → id stream. Options start at their documented
     *    defaults; set only what differs. */
    struct w2v_pipeline_options input;
    w2v_pipeline_options_default(&input);
    input.train_path = corpus_path;
    if (w2v_pipeline_open(&pipeline, &input) != 0) goto done;

    /* 3. Train. Any field of the configuration may be changed here, e.g.
     *    config.model = W2V_MODEL_CBOW, config.dim = 300, config.quiet = true
     *    (progress lines on stderr are on by default). */
    struct w2v_train_config config;
    w2v_train_config_default(&config);
    if (w2v_train(&model, &pipeline.encoded, &pipeline.vocab, &config, &report) != 0) goto done;

    /* 4. Write the input vectors with their words, then rename the temporary
     *    over OUTPUT. A write error (disk full…) surfaces at the commit. */
    w2v_train_vectors_view(&model, &pipeline.vocab, &vectors);
    w2v_vectors_write_stream(output.fp, &vectors, false);
    if (w2v_atomic_commit(&output) != 0) goto done;
    printf("%u words, dim %u, %.0f words/s, final loss %f\n", pipeline.vocab.size, config.dim,
           report.words_per_sec, report.loss);
    status = 0;

done:
    if (status != 0) fprintf(stderr, "train: %s\n", w2v_last_error());
    if (output.fp) w2v_atomic_abort(&output); /* not committed: remove the temporary */
    w2v_train_vectors_free(&vectors);
    w2v_model_free(&model);
    w2v_pipeline_close(&pipeline);
    return status;
}
