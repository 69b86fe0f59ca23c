#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds everything, and
# runs every unit, end-to-end and conformance test through ctest (the last line
# is ctest's summary). Safe to run again; reuses build/test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash exporter/scripts/install-deps.sh test
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
cmake --build build/test -j"$(nproc)"
cd build/test
exec ctest --output-on-failure -j"$(nproc)" --timeout 600
