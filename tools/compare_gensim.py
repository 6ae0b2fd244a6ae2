#!/usr/bin/python3
"""compare_gensim.py — developer check (not a test): w2v's evaluation against gensim's.

Runs `w2v eval analogy` (3CosAdd and 3CosMul) and `w2v eval similarity` on a
word2vec vector file and compares them with gensim's
KeyedVectors.evaluate_word_analogies(restrict_vocab=N) and evaluate_word_pairs
(gensim 4.2's evaluate_word_analogies always uses 3CosAdd, so 3CosMul is checked
against a numpy transcription of most_similar_cosmul restricted to the first N
words). Prints the figures side by side with the time each took.

usage: /usr/bin/python3 tools/compare_gensim.py VECTORS [--w2v build/src/w2v]
           [--eval-dir /work/shared/data/eval] [--restrict 30000] [--binary]
"""
import argparse
import json
import subprocess
import sys
import time

import numpy as np
from gensim.models import KeyedVectors


def run_w2v(w2v, args):
    start = time.perf_counter()
    out = subprocess.run([w2v] + args + ["--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout), time.perf_counter() - start


def gensim_cosmul(wv, questions_path, restrict):
    """3CosMul with gensim's formula, candidates and vocabulary = the first `restrict` words."""
    keys = wv.index_to_key[:restrict]
    vocab = {}
    for i, k in enumerate(keys):
        vocab.setdefault(k.upper(), i)
    unit = wv.vectors[:restrict] / np.linalg.norm(wv.vectors[:restrict], axis=1)[:, None]
    correct = attempted = skipped = 0
    with open(questions_path) as f:
        for line in f:
            if line.startswith(":"):
                continue
            words = [w.upper() for w in line.split()]
            if len(words) != 4:
                continue
            if any(w not in vocab for w in words):
                skipped += 1
                continue
            a, b, c, d = (vocab[w] for w in words)
            cos = unit @ unit[[a, b, c]].T  # restrict x 3
            shifted = (1 + cos) / 2
            dists = shifted[:, 1] * shifted[:, 2] / (shifted[:, 0] + 0.000001)
            for i in np.argsort(-dists, kind="stable"):
                if keys[i].upper() not in (words[0], words[1], words[2]):
                    break
            attempted += 1
            correct += keys[i].upper() == words[3]
    return correct, attempted, skipped


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("vectors")
    p.add_argument("--w2v", default="build/src/w2v")
    p.add_argument("--eval-dir", default="/work/shared/data/eval")
    p.add_argument("--restrict", type=int, default=30000)
    p.add_argument("--binary", action="store_true", help="the vector file is binary")
    p.add_argument("--skip-cosmul", action="store_true")
    o = p.parse_args()
    questions = f"{o.eval_dir}/questions-words.txt"
    pair_files = [f"{o.eval_dir}/wordsim353.tsv", f"{o.eval_dir}/simlex999.txt"]

    start = time.perf_counter()
    wv = KeyedVectors.load_word2vec_format(o.vectors, binary=o.binary)
    print(f"gensim load: {time.perf_counter() - start:.2f} s ({len(wv)} x {wv.vector_size})")

    ok = True
    print(f"\n{'analogy, 3CosAdd':30} {'w2v':>22} {'gensim':>22}")
    ours, our_time = run_w2v(o.w2v, ["eval", "analogy", o.vectors, questions,
                                     "--restrict", str(o.restrict)])
    start = time.perf_counter()
    score, sections = wv.evaluate_word_analogies(questions, restrict_vocab=o.restrict)
    gensim_time = time.perf_counter() - start
    for ours_section, theirs in zip(ours["sections"] + [{"name": "total", "result": ours["total"]}],
                                    sections):
        r = ours_section["result"]
        gc, gt = len(theirs["correct"]), len(theirs["correct"]) + len(theirs["incorrect"])
        same = (r["correct"], r["attempted"]) == (gc, gt)
        ok &= same
        print(f"{ours_section['name'][:30]:30} {r['correct']:>8}/{r['attempted']:<6} "
              f"{100 * r['accuracy']:6.2f}% {gc:>8}/{gt:<6} {100 * gc / max(gt, 1):6.2f}%"
              f"{'' if same else '   <-- differs'}")
    print(f"{'skipped (OOV)':30} {ours['total']['skipped']:>15} {'':6} "
          f"{19544 - len(sections[-1]['correct']) - len(sections[-1]['incorrect']):>15}")
    print(f"{'time (s, w2v incl. load)':30} {our_time:>22.2f} {gensim_time:>22.2f}")

    if not o.skip_cosmul:
        ours, our_time = run_w2v(o.w2v, ["eval", "analogy", o.vectors, questions, "--restrict",
                                         str(o.restrict), "--method", "mul"])
        start = time.perf_counter()
        gc, gt, gs = gensim_cosmul(wv, questions, o.restrict)
        gensim_time = time.perf_counter() - start
        r = ours["total"]
        same = (r["correct"], r["attempted"], r["skipped"]) == (gc, gt, gs)
        ok &= same
        print(f"\n{'analogy, 3CosMul total':30} {r['correct']:>8}/{r['attempted']:<6} "
              f"{100 * r['accuracy']:6.2f}% {gc:>8}/{gt:<6} {100 * gc / max(gt, 1):6.2f}%"
              f"{'' if same else '   <-- differs'}")
        print(f"{'time (s, numpy reference)':30} {our_time:>22.2f} {gensim_time:>22.2f}")

    print(f"\n{'similarity':30} {'w2v rho / r / oov':>28} {'gensim rho / r / oov':>28}")
    ours, our_time = run_w2v(o.w2v, ["eval", "similarity", o.vectors] + pair_files)
    for path, r in zip(pair_files, ours["results"]):
        start = time.perf_counter()
        pearson, spearman, oov_ratio = wv.evaluate_word_pairs(path)
        gensim_time = time.perf_counter() - start
        g_oov = round(oov_ratio / 100 * (r["used"] + r["oov"]))
        same = (round(r["spearman"], 4) == round(spearman[0], 4)
                and round(r["pearson"], 4) == round(pearson[0], 4) and r["oov"] == g_oov)
        ok &= same
        name = path.rsplit("/", 1)[-1]
        print(f"{name:30} {r['spearman']:>10.4f} {r['pearson']:>8.4f} {r['oov']:>6}   "
              f"{spearman[0]:>10.4f} {pearson[0]:>8.4f} {g_oov:>6}"
              f"{'' if same else '   <-- differs'}  ({r['seconds']:.3f} s vs {gensim_time:.3f} s)")
    print(f"{'similarity time (s, w2v incl. load)':36} {our_time:.2f}")
    print("\nALL FIGURES AGREE" if ok else "\nSOME FIGURES DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
