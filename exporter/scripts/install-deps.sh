#!/usr/bin/env bash
# Installs the Debian 12 packages mailrep_exporter needs, and only the missing
# ones, so it is cheap to run again.
#   install-deps.sh build   what building and running the exporter needs
#   install-deps.sh test    that, plus what the test suite starts (Prometheus,
#                           promtool, nsd, postfix, clang for sanitizers/fuzzing)
set -euo pipefail

build=(cmake make g++ pkg-config git ca-certificates
       prometheus-cpp-dev libc-ares-dev libspdlog-dev libcurl4-openssl-dev libyaml-cpp-dev
       libssl-dev libcrypt-dev zlib1g-dev libmicrohttpd-dev libgnutls28-dev
       libpsl-dev publicsuffix libsystemd-dev libgtest-dev libgmock-dev)
test=(prometheus curl openssl python3 python3-yaml python3-bcrypt
      clang libclang-rt-14-dev clang-format
      unzip dpkg-dev adduser nsd python3-spf opendkim-tools postfix libidn12
      systemd-journal-remote prometheus-alertmanager python3-dkim python3-nacl)
test+=(iproute2)  # tests/e2e/netns_run.sh: `ip link set lo up` in a test's network namespace

case "${1:-build}" in
  build) wanted=("${build[@]}") ;;
  test) wanted=("${build[@]}" "${test[@]}") ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
# helm comes from the npm registry (tests only); any npm on PATH will do.
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null; then
  missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
# Tests run their own private Postfix; the system one stays unconfigured and stopped.
echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
