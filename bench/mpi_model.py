#!/usr/bin/env python3
"""mpi_model.py — a model of `mpirun -np N w2v train` scaling (issue 12).

From a measured per-node compute rate and w2v's synchronisation schedule,
predicts words/s and parallel efficiency for N = 1..64 nodes on a stated
network. Every rank pauses its workers while a sync runs (sync.c), so

  time per sync interval = S / R  +  t_sync(N)          (S: --sync-every words per rank,
                                                         R: one node's words/s)
  t_sync(N)  = 2 (N-1)/N * bytes / bandwidth  +  2 (N-1) * latency * messages   (ring allreduce)
  words/s(N) = N * S / (S / R + t_sync(N))

bytes per sync: the rows averaged (--sync-min-words M, doubled at every second,
fourth... sync, capped at the vocabulary; epoch ends: all rows, amortised over
the epoch) times the padded row (stride floats) times 2 matrices, plus the
3-word agreement. Usage:

  bench/mpi_model.py --rate 1.0e6 --vocab 71290 --dim 100 [--sync-every 100000]
      [--min-words 1024] [--epoch-words 9.8e6] [--bandwidth-gbit 100] [--latency-us 2]
      [--check N=WORDS_PER_SEC ...]   (measured points to set beside the prediction)
"""
import argparse
import math


def padded_stride(dim):
    return (dim + 15) // 16 * 16  # rows padded to whole 64-byte lines (alloc.h)


def mean_rows_per_sync(vocab, min_words, syncs=1 << 16):
    total = 0
    for n in range(1, syncs + 1):
        rows, k = min_words, n
        while k % 2 == 0 and rows < vocab:
            rows *= 2
            k //= 2
        total += min(rows, vocab)
    return total / syncs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rate", type=float, required=True, help="one node's training words/s")
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--sync-every", type=float, default=100000)
    p.add_argument("--min-words", type=int, default=1024)
    p.add_argument("--epoch-words", type=float, default=0, help="corpus words per epoch (epoch-end full syncs)")
    p.add_argument("--bandwidth-gbit", type=float, default=100)
    p.add_argument("--latency-us", type=float, default=2)
    p.add_argument("--check", action="append", default=[], help="N=measured words/s")
    a = p.parse_args()

    row_bytes = padded_stride(a.dim) * 4
    rows = mean_rows_per_sync(a.vocab, a.min_words)
    bytes_per_sync = 2 * rows * row_bytes + 24
    bandwidth = a.bandwidth_gbit * 1e9 / 8
    latency = a.latency_us * 1e-6
    messages = 3 + 2 * math.ceil(rows * row_bytes / (64 << 20))
    checks = dict(tuple(map(float, c.split("="))) for c in a.check)
    print(f"per sync: {rows:.0f} rows on average, {bytes_per_sync / 1e6:.2f} MB; "
          f"network {a.bandwidth_gbit:g} Gb/s, {a.latency_us:g} us")
    print(f"{'nodes':>5} {'words/s':>14} {'efficiency':>10} {'comm share':>10}  measured")
    for n in [1, 2, 4, 8, 16, 32, 64] + sorted(int(k) for k in checks if int(k) not in (1, 2, 4, 8, 16, 32, 64)):
        if n == 1:
            t_sync = 0.0
        else:
            t_sync = 2 * (n - 1) / n * bytes_per_sync / bandwidth + 2 * (n - 1) * latency * messages
            if a.epoch_words > 0:  # the epoch-end sync of every row, spread over the epoch's intervals
                full = 2 * (n - 1) / n * 2 * a.vocab * row_bytes / bandwidth
                t_sync += full * a.sync_every * n / a.epoch_words
        compute = a.sync_every / a.rate
        rate = n * a.sync_every / (compute + t_sync)
        measured = checks.get(float(n))
        m = f"{measured:,.0f} ({measured / rate:.2f}x model)" if measured else ""
        print(f"{n:>5} {rate:>14,.0f} {rate / (n * a.rate):>10.1%} {t_sync / (compute + t_sync):>10.1%}  {m}")


if __name__ == "__main__":
    main()
