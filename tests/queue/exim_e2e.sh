#!/bin/bash
# The Exim queue collector against a real Exim (Debian's exim4-daemon-light
# binary, unpacked, in a private mount namespace): build a frozen spool
# (exim_lab.sh), scan it with queue_scan, compare with `exim -bp`
# (compare_exim_bp.py). Cleans up after itself.
#
# usage: exim_e2e.sh PATH/TO/queue_scan     (as root; exit 77 = skipped)
# EXIM_DEBS=dir uses .debs from dir instead of `apt-get download`.
set -euo pipefail
SCAN=${1:?usage: exim_e2e.sh PATH/TO/queue_scan}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (a private Exim in a mount namespace)"
  exit 77
fi
export PATH=$PATH:/usr/sbin
for tool in unshare smtp-sink dpkg; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL: $tool not found (util-linux, postfix, dpkg)" >&2
    exit 1
  fi
done

LAB=$(mktemp -d /tmp/mailrep_exim_e2e.XXXXXX)
chmod 755 "$LAB"
cleanup() {
  "$HERE/exim_lab.sh" down "$LAB/lab" || true
  rm -rf "$LAB"
}
trap cleanup EXIT

if ! "$HERE/exim_lab.sh" up "$LAB/lab"; then
  echo "FAIL: could not build the Exim lab (needs apt access to Debian's exim4 packages and libidn12)" >&2
  tail -20 "$LAB/lab/log/mainlog" "$LAB/lab/log/paniclog" >&2 2>/dev/null || true
  exit 1
fi
"$SCAN" exim "$LAB/lab/spool" >"$LAB/scan.txt"
"$HERE/exim_lab.sh" bp "$LAB/lab" >"$LAB/bp.txt"
/usr/bin/python3 "$HERE/compare_exim_bp.py" "$LAB/scan.txt" "$LAB/bp.txt"
