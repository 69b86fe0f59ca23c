#!/bin/bash
# The Postfix queue collector against a real Postfix (Debian's postfix package):
# for short and for long queue ids, build a private instance with a frozen
# queue (postfix_lab.sh), scan it with queue_scan, and compare with
# `postqueue -j` (compare_postqueue.py). With the exporter: its `check queue
# --by sender|submitter` must agree with postqueue -j's senders and pickup's
# uid= log lines (compare_postfix_submitters.py; the lab queues mail from
# root, nobody and daemon). Cleans up after itself.
#
# usage: postfix_e2e.sh PATH/TO/queue_scan [PATH/TO/mailrep_exporter]
#        (as root; exit 77 = skipped)
set -euo pipefail
SCAN=${1:?usage: postfix_e2e.sh PATH/TO/queue_scan [PATH/TO/mailrep_exporter]}
EXPORTER=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab_lib.sh
. "$HERE/lab_lib.sh"

e2e_need_root "a private Postfix instance"
e2e_need_tools "; install Debian's postfix package" postfix postqueue postsuper sendmail smtp-sink

rc=0
for long_ids in no yes; do
  echo "=== enable_long_queue_ids = $long_ids"
  e2e_lab_dir postfix "$HERE/postfix_lab.sh"
  LONG_IDS=$long_ids e2e_lab_up "Postfix lab; its log:" 50 "$LAB/lab/postfix.log"
  "$SCAN" postfix "$LAB/lab/spool" --threads 2 >"$LAB/scan.txt"
  postqueue -c "$LAB/lab/etc" -j >"$LAB/postqueue.json" 2>/dev/null
  /usr/bin/python3 "$HERE/compare_postqueue.py" "$LAB/scan.txt" "$LAB/postqueue.json" || rc=1
  if [ -n "$EXPORTER" ]; then
    for by in sender submitter; do
      "$EXPORTER" check queue --mta postfix --spool "$LAB/lab/spool" --by "$by" --format json \
        >"$LAB/by_$by.json"
    done
    /usr/bin/python3 "$HERE/compare_postfix_submitters.py" "$LAB/by_sender.json" \
      "$LAB/by_submitter.json" "$LAB/postqueue.json" "$LAB/lab/postfix.log" "$LAB/lab/spool" ||
      rc=1
    rm -f "$LAB"/by_*.json
  fi
  if [ "$long_ids" = yes ] && ! grep -q '"queue_id": "[0-9A-Za-z]*z' "$LAB/postqueue.json"; then
    echo "FAIL: the lab did not produce long queue ids" >&2
    rc=1
  fi
  rm -rf "$LAB"/scan.txt "$LAB"/postqueue.json
  e2e_cleanup
done
exit $rc
