#!/usr/bin/env bash
# CI stage: the unit tests of the threaded parts under ThreadSanitizer: the
# scheduler and snapshot store (core_test), the HTTP server (http_test), the
# DNS engine (dns_test) and the HTTP(S) fetcher (http_fetch_test). Built with
# clang in build/tsan (only these four binaries; Debug: -O0 compiles fastest and keeps asserts, and the tests are
# short), each run TSAN_REPEAT times (default 3, to give interleavings more
# chances) within TSAN_TEST_SECONDS (default 240). Any report fails the
# stage. tests/tsan.supp holds suppressions for third-party code only, each
# with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${TSAN_TEST_SECONDS:-240}"
repeat="${TSAN_REPEAT:-3}"
build="${TSAN_BUILD_DIR:-build/tsan}"
targets=(core_test http_test dns_test http_fetch_test)
started=$SECONDS

if [[ "${TSAN_SKIP_DEPS:-0}" != 1 ]]; then bash exporter/scripts/install-deps.sh test; fi
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug \
  -DMAILREP_TSAN=ON "${launcher[@]}" >/dev/null
cmake --build "$build" --target "${targets[@]}" -j"$(nproc)"
echo "tsan: built in $((SECONDS - started))s" >&2

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 history_size=4 suppressions=$PWD/tests/tsan.supp"
export MAILREP_SOURCE_DIR="$PWD"
failed=0
for target in "${targets[@]}"; do
  binary=$(find "$build" -type f -executable -name "$target" | sed -n 1p)
  log="$build/$target.log"
  t0=$SECONDS
  if timeout --kill-after=10 "$seconds" "$binary" --gtest_brief=1 --gtest_repeat="$repeat" >"$log" 2>&1; then
    echo "tsan: $target passed in $((SECONDS - t0))s" >&2
  else
    rc=$?
    grep -n -A40 "WARNING: ThreadSanitizer" "$log" | head -n 120 >&2 || tail -n 60 "$log" >&2
    echo "tsan: $target failed (exit $rc$([[ $rc == 124 ]] && echo ", timed out after ${seconds}s"))" >&2
    failed=1
  fi
done
echo "tsan: stage took $((SECONDS - started))s" >&2
exit "$failed"
