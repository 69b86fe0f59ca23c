#!/bin/bash
# Every tracked .cc/.h file is formatted as the repo's .clang-format says:
# clang-format --dry-run -Werror over `git ls-files`. Fix with
#   git ls-files '*.cc' '*.h' | xargs clang-format -i
# Needs clang-format (exporter/scripts/install-deps.sh test) and git.
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"
git ls-files -z -- '*.cc' '*.h' | xargs -0 clang-format --dry-run -Werror
