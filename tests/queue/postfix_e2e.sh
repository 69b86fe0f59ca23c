#!/bin/bash
# The Postfix queue collector against a real Postfix (Debian's postfix package):
# for short and for long queue ids, build a private instance with a frozen
# queue (postfix_lab.sh), scan it with queue_scan, and compare with
# `postqueue -j` (compare_postqueue.py). Cleans up after itself.
#
# usage: postfix_e2e.sh PATH/TO/queue_scan     (as root; exit 77 = skipped)
set -euo pipefail
SCAN=${1:?usage: postfix_e2e.sh PATH/TO/queue_scan}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (a private Postfix instance)"
  exit 77
fi
for tool in postfix postqueue postsuper sendmail smtp-sink; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    echo "FAIL: $tool not found; install Debian's postfix package" >&2
    exit 1
  fi
done
export PATH=$PATH:/usr/sbin

LAB=""
cleanup() {
  if [ -n "$LAB" ]; then
    "$HERE/postfix_lab.sh" down "$LAB/lab"
    rm -rf "$LAB"
  fi
  LAB=""
}
trap cleanup EXIT

rc=0
for long_ids in no yes; do
  echo "=== enable_long_queue_ids = $long_ids"
  LAB=$(mktemp -d /tmp/mailrep_postfix_e2e.XXXXXX)
  chmod 755 "$LAB"
  if ! LONG_IDS=$long_ids "$HERE/postfix_lab.sh" up "$LAB/lab"; then
    echo "FAIL: could not build the Postfix lab; its log:" >&2
    tail -50 "$LAB/lab/postfix.log" >&2 || true
    exit 1
  fi
  "$SCAN" postfix "$LAB/lab/spool" --threads 2 >"$LAB/scan.txt"
  postqueue -c "$LAB/lab/etc" -j >"$LAB/postqueue.json" 2>/dev/null
  /usr/bin/python3 "$HERE/compare_postqueue.py" "$LAB/scan.txt" "$LAB/postqueue.json" || rc=1
  if [ "$long_ids" = yes ] && ! grep -q '"queue_id": "[0-9A-Za-z]*z' "$LAB/postqueue.json"; then
    echo "FAIL: the lab did not produce long queue ids" >&2
    rc=1
  fi
  rm -rf "$LAB"/scan.txt "$LAB"/postqueue.json
  cleanup
done
exit $rc
