#!/usr/bin/env bash
# hostile.sh — w2v train on corpora nobody should feed it, held out of the
# test suite for their size: random bytes, NULs, one 300 MB line, a 100 MB
# token, mixed CRLF / CR / LF line ends, and a mail archive (headers, base64
# attachments, quoted-printable, HTML). Each must train or be refused with one
# line, exit 0 or 1, leave no temporary, and stay within a bounded memory.
# Prints a table: input, size, exit status, wall and CPU seconds, peak resident memory
# (GNU time's maximum RSS: mapped corpus pages included), what happened.
#
#   bench/hostile.sh [--w2v PATH] [--work DIR] [--scale F] [-- extra train flags]
#
# --scale shrinks every input (0.1: a 30 MB line, ...) for a quick run.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W2V=$HERE/../build/src/w2v
WORK=""
SCALE=1
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
    --w2v) W2V=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "hostile.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -x "$W2V" ] || { echo "hostile.sh: no w2v at $W2V (build first, or --w2v PATH)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "hostile.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/w2v-hostile-XXXXXX); trap 'rm -rf "$WORK"' EXIT; fi
mkdir -p "$WORK"
mb() { python3 -c "print(max(1, int($1 * $SCALE * 1048576)))"; }

# ---- the inputs ----
"$W2V" gen-corpus -o "$WORK/text.txt" --size "$(mb 40)" >/dev/null 2>&1
head -c "$(mb 50)" /dev/urandom >"$WORK/random.bin"
head -c "$(mb 50)" /dev/zero >"$WORK/nuls.bin"
python3 - "$WORK" "$(mb 300)" "$(mb 100)" <<'PY'
import base64, os, random, sys
work, line_bytes, token_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
text = open(os.path.join(work, "text.txt"), "rb").read()
words = text.split()
# one 300 MB line: the generated words, joined by spaces, no newline at all
with open(os.path.join(work, "one-line.txt"), "wb") as f:
    flat = b" ".join(words)
    written = 0
    while written < line_bytes:
        piece = flat[: line_bytes - written]
        f.write(piece + b" ")
        written += len(piece) + 1
# a 100 MB token in the middle of ordinary text
with open(os.path.join(work, "long-token.txt"), "wb") as f:
    f.write(text[: len(text) // 2] + b" ")
    chunk = b"x" * (1 << 20)
    for _ in range(max(1, token_bytes // len(chunk))):
        f.write(chunk)
    f.write(b" " + text[len(text) // 2 :])
# mixed line ends: every line ends in CRLF, LF or a lone CR at random
rng = random.Random(11)
with open(os.path.join(work, "mixed-crlf.txt"), "wb") as f:
    for line in text.split(b"\n"):
        f.write(line + rng.choice([b"\r\n", b"\n", b"\r"]))
# a mail archive: mbox headers, quoted replies, base64 attachments, HTML, QP
lines = text.split(b"\n")
with open(os.path.join(work, "mail.mbox"), "wb") as f:
    size, n = 0, 0
    while size < len(text):
        n += 1
        body = lines[(n * 7) % len(lines) : (n * 7) % len(lines) + 12]
        msg = [b"From sender%d@example.org Mon Jan  1 00:00:00 2024" % n,
               b"Received: from mx%d.example.net ([192.0.2.%d]) by mail.example.org" % (n, n % 255),
               b"Message-ID: <%d.%d@example.org>" % (n, rng.getrandbits(32)),
               b"Subject: =?UTF-8?B?" + base64.b64encode(b"re: " + body[0][:40]) + b"?=",
               b"Content-Type: multipart/mixed; boundary=\"b%d\"" % n, b"",
               b"--b%d" % n, b"Content-Type: text/plain; charset=utf-8",
               b"Content-Transfer-Encoding: quoted-printable", b""]
        msg += [l + b"=20" for l in body] + [b"> " + l for l in body[:4]]
        msg += [b"--b%d" % n, b"Content-Type: text/html", b"",
                b"<html><body><p>" + b"</p><p>".join(body[:4]) + b"</p></body></html>",
                b"--b%d" % n, b"Content-Type: application/octet-stream",
                b"Content-Transfer-Encoding: base64", b""]
        blob = base64.b64encode(rng.randbytes(3000))
        msg += [blob[i : i + 76] for i in range(0, len(blob), 76)] + [b"--b%d--" % n, b""]
        data = b"\n".join(msg) + b"\n"
        f.write(data)
        size += len(data)
PY

# ---- the runs ----
printf '%-14s %9s %5s %8s %8s %9s  %s\n' input size_MB exit wall_s cpu_s peak_MB outcome
for name in random.bin nuls.bin one-line.txt long-token.txt mixed-crlf.txt mail.mbox text.txt; do
    out=$WORK/out-${name%.*}
    mkdir -p "$out"
    set +e
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$W2V" train --train "$WORK/$name" --output "$out/v.txt" \
        --save-vocab "$out/vocab.txt" --threads 2 --iter 1 --dim 50 "${EXTRA[@]}" \
        >"$WORK/stdout" 2>"$WORK/stderr"
    status=$?
    set -e
    read -r wall user sys peak_kb < <(tail -1 "$WORK/time")
    errors=$(grep -c '^w2v: [^wn]' "$WORK/stderr" || true) # lines other than warning:/note:
    if [ "$status" -eq 0 ]; then
        outcome="trained: $(head -1 "$out/v.txt" | awk '{print $1 " words"}')"
        notes=$(grep -E '^w2v: (warning|note):' "$WORK/stderr" | head -2 | sed 's/^w2v: //' | tr '\n' ';' || true)
        [ -n "$notes" ] && outcome="$outcome; $notes"
    else
        outcome="refused: $(grep -v '^w2v: \(warning\|note\):' "$WORK/stderr" | tail -1)"
        [ "$errors" -gt 1 ] && outcome="$outcome (NOT one line: $errors)"
    fi
    if ls -a "$out" | grep -q '\.tmp\.'; then outcome="$outcome; TEMPORARY LEFT"; fi
    [ "$status" -gt 1 ] && outcome="$outcome; BAD EXIT STATUS"
    printf '%-14s %9.1f %5s %8s %8.2f %9.1f  %s\n' "$name" \
        "$(python3 -c "import os; print(os.path.getsize('$WORK/$name') / 1048576)")" \
        "$status" "$wall" "$(python3 -c "print($user + $sys)")" "$(python3 -c "print($peak_kb / 1024)")" "$outcome"
done
