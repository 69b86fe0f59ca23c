#!/bin/bash
# The Exim queue collector against a real Exim (Debian's exim4-daemon-light
# binary, unpacked, in a private mount namespace): build a frozen spool
# (exim_lab.sh), scan it with queue_scan, compare with `exim -bp`
# (compare_exim_bp.py). With the exporter: its `check queue --by
# sender|submitter` must agree with exim -bp and the "<=" lines of Exim's log
# (compare_exim_submitters.py; local, authenticated and client submitters).
# Cleans up after itself.
#
# usage: exim_e2e.sh PATH/TO/queue_scan [PATH/TO/mailrep_exporter]
#        (as root; exit 77 = skipped)
# EXIM_DEBS=dir uses .debs from dir instead of those install-deps.sh test downloads.
set -euo pipefail
SCAN=${1:?usage: exim_e2e.sh PATH/TO/queue_scan [PATH/TO/mailrep_exporter]}
EXPORTER=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab_lib.sh
. "$HERE/lab_lib.sh"

e2e_need_root "a private Exim in a mount namespace"
e2e_need_tools " (util-linux, postfix, dpkg)" unshare smtp-sink dpkg
e2e_lab_dir exim "$HERE/exim_lab.sh"
e2e_lab_up "Exim lab (needs the exim4 .debs from install-deps.sh test, and libidn12)" 20 \
  "$LAB/lab/log/mainlog" "$LAB/lab/log/paniclog"

"$SCAN" exim "$LAB/lab/spool" >"$LAB/scan.txt"
"$HERE/exim_lab.sh" bp "$LAB/lab" >"$LAB/bp.txt"
/usr/bin/python3 "$HERE/compare_exim_bp.py" "$LAB/scan.txt" "$LAB/bp.txt"
if [ -n "$EXPORTER" ]; then
  for by in sender submitter; do
    "$EXPORTER" check queue --mta exim --spool "$LAB/lab/spool" --by "$by" --format json \
      >"$LAB/by_$by.json"
  done
  /usr/bin/python3 "$HERE/compare_exim_submitters.py" "$LAB/by_sender.json" \
    "$LAB/by_submitter.json" "$LAB/bp.txt" "$LAB/lab/log/mainlog"
fi
