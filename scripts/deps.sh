#!/usr/bin/env bash
# deps.sh - checks for what the build and the tests need; installs the
# missing Debian packages when run as root, else says what to install.
# The list here and the one in .ci/run are the same.
set -euo pipefail
need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd cc || need+=(build-essential)
have_cmd clang || need+=(clang)
have_cmd wasm-ld || need+=(lld)
have_cmd wast2json || need+=(wabt)
[ -e /usr/include/wasm32-wasi/stdio.h ] || need+=(wasi-libc)
ls /usr/lib/llvm-14/lib/clang/14*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 || need+=(libclang-rt-14-dev-wasm32)
[ -e /usr/include/jansson.h ] || need+=(libjansson-dev)
[ -e /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -e /usr/include/curl/curl.h ] || need+=(libcurl4-openssl-dev)
[ -e /usr/include/openssl/sha.h ] || need+=(libssl-dev)
[ -e /usr/include/libfyaml.h ] || need+=(libfyaml-dev)
[ -e /usr/include/archive.h ] || need+=(libarchive-dev)
[ -e /usr/include/rnp/rnp.h ] || need+=(librnp-dev)
have_cmd gpg || need+=(gnupg)
have_cmd openssl || need+=(openssl)
have_cmd pkg-config || need+=(pkg-config)
have_cmd python3 || need+=(python3)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
else
    echo "deps: missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
fi
