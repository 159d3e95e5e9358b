#!/usr/bin/env bash
# Builds vigil-collector, the compiled eBPF collector of the Vigil agent (libbpf + CO-RE), into OUTDIR:
#   OUTDIR/vmlinux.h                 kernel types, dumped from /sys/kernel/btf/vmlinux
#   OUTDIR/vigil-collector.bpf.o     the BPF programs (clang -target bpf)
#   OUTDIR/vigil-collector.skel.h    the bpftool skeleton of that object (embeds it)
#   OUTDIR/vigil-collector           the loader, linked with libbpf (and libcrypto for the settle looks' hashes)
# Needs clang, bpftool, libbpf-dev (and libelf, zlib) and a kernel with BTF. With libssl-dev, the settle looks
# hash the files they report (without it the agent hashes them). Nothing is written outside OUTDIR.
# Usage: build.sh OUTDIR   (exit 2 when a tool or file is missing)
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out=$1
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

missing() {
  echo "build.sh: missing $1" >&2
  exit 2
}
command -v clang >/dev/null 2>&1 || missing "clang"
command -v bpftool >/dev/null 2>&1 || missing "bpftool"
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || missing "a C compiler ($cc)"
[[ -f /usr/include/bpf/libbpf.h ]] || missing "/usr/include/bpf/libbpf.h (libbpf-dev)"
[[ -f /sys/kernel/btf/vmlinux ]] || missing "/sys/kernel/btf/vmlinux (kernel BTF)"

case "$(uname -m)" in
  x86_64) arch=x86 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    echo "build.sh: unsupported architecture $(uname -m)" >&2
    exit 2
    ;;
esac

mkdir -p "$out"
bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$out/vmlinux.h"
clang -g -O2 -Wall -target bpf "-D__TARGET_ARCH_${arch}" -I"$out" \
  -c "$src/vigil-collector.bpf.c" -o "$out/vigil-collector.bpf.o"
bpftool gen skeleton "$out/vigil-collector.bpf.o" name vigil_collector_bpf >"$out/vigil-collector.skel.h"
crypto=()
if [[ -f /usr/include/openssl/evp.h ]]; then crypto=(-DVIGIL_HASH -lcrypto); fi
"$cc" -O2 -Wall -Wextra -I"$out" "$src/vigil-collector.c" "$src/settle.c" "$src/leaf.c" -o "$out/vigil-collector" \
  -lbpf -lelf -lz "${crypto[@]}"
