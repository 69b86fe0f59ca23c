#!/bin/bash
# The Sendmail queue reader against a real Sendmail (Debian's sendmail-bin
# binary, unpacked, in a private mount namespace): build a frozen queue with
# queue groups and a quarantined message (sendmail_lab.sh), scan it with
# queue_scan sendmail, compare with `sendmail -bp` and `sendmail -bp -qQ`
# (sendmail_compare_mailq.py). Cleans up after itself.
#
# usage: sendmail_e2e.sh PATH/TO/queue_scan     (as root; exit 77 = skipped)
# SENDMAIL_DEBS=dir uses .debs from dir instead of those install-deps.sh test downloads.
set -euo pipefail
SCAN=${1:?usage: sendmail_e2e.sh PATH/TO/queue_scan}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab_lib.sh
. "$HERE/lab_lib.sh"

e2e_need_root "a private Sendmail in a mount namespace"
e2e_need_tools " (util-linux, postfix, dpkg)" unshare smtp-sink dpkg
e2e_lab_dir sendmail "$HERE/sendmail_lab.sh"
e2e_lab_up "Sendmail lab (needs the sendmail-bin and libwrap0 .debs from install-deps.sh test)" 0

"$SCAN" sendmail "$LAB/lab/mqueue" >"$LAB/scan.txt"
"$HERE/sendmail_lab.sh" mailq "$LAB/lab" >"$LAB/mailq.txt"
"$HERE/sendmail_lab.sh" mailqq "$LAB/lab" >"$LAB/mailq_qQ.txt"
/usr/bin/python3 "$HERE/sendmail_compare_mailq.py" "$LAB/scan.txt" "$LAB/mailq.txt" "$LAB/mailq_qQ.txt"
