#!/usr/bin/env bash
# Installs what the exporter needs, builds it, and runs it in the foreground on
# the embedded default config (or pass flags: run.sh --config.file=my.yml).
# Listens on :9825 unless --web.listen-address says otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash exporter/scripts/install-deps.sh build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release --target mailrep_exporter -j"$(nproc)"
echo "Starting build/release/exporter/mailrep_exporter; it logs the address it listens on." >&2
exec build/release/exporter/mailrep_exporter "$@"
