#!/usr/bin/env bash
# bootstrap.sh — make a fresh Debian machine ready to build w2v: install the
# Debian packages it needs (only those missing; apt-get update once first) and
# configure the release build in ./build if it is not configured yet.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
    build-essential pkg-config meson ninja-build python3 # compiler and build system
    libjemalloc-dev                                      # the allocator
    libopenblas-dev                                      # BLAS for evaluation and PCA
    libcairo2-dev                                        # PNG plots
    libcmocka-dev                                        # unit tests
    libjansson-dev                                       # JSON parsing in the benchmark harness
    libxxhash-dev                                        # checkpoint and corpus checksums (header only)
    zlib1g-dev libzstd-dev                               # gzip and zstd corpora
    libopenmpi-dev openmpi-bin                           # several processes: mpirun -np N w2v train
    python3-gensim                                       # tests/install.sh: gensim loads the example's vectors
    groff-base                                           # tests/install.sh: the man page renders without warnings
    clang libclang-rt-dev                                # .ci/run: the ASan+UBSan build with the libFuzzer targets
)

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f build/build.ninja ]; then
    meson setup build --buildtype=release >/dev/null
fi
