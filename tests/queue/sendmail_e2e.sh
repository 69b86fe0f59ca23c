#!/bin/bash
# The Sendmail queue reader against a real Sendmail (Debian's sendmail-bin
# binary, unpacked, in a private mount namespace): build a frozen queue with
# queue groups and a quarantined message (sendmail_lab.sh), scan it with
# queue_scan sendmail, compare with `sendmail -bp` and `sendmail -bp -qQ`
# (sendmail_compare_mailq.py). Cleans up after itself.
#
# usage: sendmail_e2e.sh PATH/TO/queue_scan     (as root; exit 77 = skipped)
# SENDMAIL_DEBS=dir uses .debs from dir instead of `apt-get download`.
set -euo pipefail
SCAN=${1:?usage: sendmail_e2e.sh PATH/TO/queue_scan}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (a private Sendmail in a mount namespace)"
  exit 77
fi
export PATH=$PATH:/usr/sbin
for tool in unshare smtp-sink dpkg; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL: $tool not found (util-linux, postfix, dpkg)" >&2
    exit 1
  fi
done

LAB=$(mktemp -d /tmp/mailrep_sendmail_e2e.XXXXXX)
chmod 755 "$LAB"
cleanup() {
  "$HERE/sendmail_lab.sh" down "$LAB/lab" || true
  rm -rf "$LAB"
}
trap cleanup EXIT

if ! "$HERE/sendmail_lab.sh" up "$LAB/lab"; then
  echo "FAIL: could not build the Sendmail lab (needs apt access to Debian's sendmail-bin and libwrap0)" >&2
  exit 1
fi
"$SCAN" sendmail "$LAB/lab/mqueue" >"$LAB/scan.txt"
"$HERE/sendmail_lab.sh" mailq "$LAB/lab" >"$LAB/mailq.txt"
"$HERE/sendmail_lab.sh" mailqq "$LAB/lab" >"$LAB/mailq_qQ.txt"
/usr/bin/python3 "$HERE/sendmail_compare_mailq.py" "$LAB/scan.txt" "$LAB/mailq.txt" "$LAB/mailq_qQ.txt"
