#!/bin/bash
# The OpenSMTPD queue reader against a real OpenSMTPD (Debian's opensmtpd
# binaries, unpacked, in a private mount namespace): build a queue with
# opensmtpd_lab.sh (smtpd keeps running, relaying paused), hold one SMTP session
# in DATA (a message in incoming/), scan the spool, and compare with
# `smtpctl show queue` and the sizes smtpd logged (opensmtpd_compare_showq.py).
# Cleans up after itself.
#
# usage: opensmtpd_e2e.sh PATH/TO/queue_scan   (as root; exit 77 = skipped)
# OPENSMTPD_DEBS=dir uses the .deb from dir instead of the one install-deps.sh test downloads.
set -euo pipefail
SCAN=${1:?usage: opensmtpd_e2e.sh PATH/TO/queue_scan}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab_lib.sh
. "$HERE/lab_lib.sh"

e2e_need_root "a private OpenSMTPD in a mount namespace"
e2e_need_tools " (util-linux, postfix, dpkg)" unshare nsenter smtp-sink dpkg
e2e_lab_dir opensmtpd "$HERE/opensmtpd_lab.sh"
e2e_lab_up "OpenSMTPD lab (needs the opensmtpd .deb from install-deps.sh test and its libraries:\
 libevent-2.1-7, libdb5.3, libssl3, libpam0g, zlib1g)" 30 "$LAB/lab/smtpd.log"

"$HERE/opensmtpd_lab.sh" hold "$LAB/lab" 60
# The queue does not move while relaying is paused; listing it before and after
# the scan proves that.
"$HERE/opensmtpd_lab.sh" ctl "$LAB/lab" show queue >"$LAB/showq-before.txt"
"$SCAN" opensmtpd "$LAB/lab/var_spool/smtpd" >"$LAB/scan.txt"
"$HERE/opensmtpd_lab.sh" ctl "$LAB/lab" show queue >"$LAB/showq.txt"
# (Field 13 is a timer: seconds to the next try, or since an attempt began.)
if ! cmp -s <(cut -d'|' -f1-12,14- "$LAB/showq-before.txt") \
  <(cut -d'|' -f1-12,14- "$LAB/showq.txt"); then
  echo "FAIL: the queue changed during the scan" >&2
  diff "$LAB/showq-before.txt" "$LAB/showq.txt" >&2 || true
  exit 1
fi
/usr/bin/python3 "$HERE/opensmtpd_compare_showq.py" "$LAB/scan.txt" "$LAB/showq.txt" \
  "$LAB/lab/smtpd.log"
