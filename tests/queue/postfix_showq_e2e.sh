#!/bin/bash
# The Postfix showq reader against a real Postfix (Debian's postfix package):
# build the private lab (postfix_lab.sh), start its master again with qmgr and
# pickup disabled (so the queue stays frozen while showq answers), then
#   1. as root, read showq (queue_scan postfix --showq) and compare with
#      `postqueue -j` (postfix_showq_compare.py);
#   2. as root without --showq, the spool is readable: the source must be "spool";
#   3. as nobody with group postdrop (setpriv), the spool is unreadable: the
#      scanner must choose showq by itself and agree with postqueue -j.
#
# usage: postfix_showq_e2e.sh PATH/TO/queue_scan   (as root; exit 77 = skipped)
set -euo pipefail
SCAN=${1:?usage: postfix_showq_e2e.sh PATH/TO/queue_scan}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab_lib.sh
. "$HERE/lab_lib.sh"

e2e_need_root "a private Postfix instance"
e2e_need_tools "; install Debian's postfix package" postfix postqueue postsuper sendmail smtp-sink \
  setpriv
e2e_lab_dir showq "$HERE/postfix_lab.sh"
e2e_lab_up "Postfix lab; its log:" 50 "$LAB/lab/postfix.log"
ETC=$LAB/lab/etc
SPOOL=$LAB/lab/spool
postconf -c "$ETC" -M# qmgr/unix pickup/unix
postfix -c "$ETC" start
for i in $(seq 1 50); do
  [ -S "$SPOOL/public/showq" ] && break
  sleep 0.2
done
# A copy nobody may execute, wherever the build tree is.
install -m 0755 "$SCAN" "$LAB/queue_scan"

rc=0
compare() {  # compare LABEL SCAN_OUTPUT WANT_SOURCE
  local label=$1 out=$2 want=$3
  echo "=== $label"
  postqueue -c "$ETC" -j >"$LAB/postqueue.json" 2>/dev/null
  if ! grep -qx "source $want" "$out"; then
    echo "FAIL: $label: source is $(grep '^source' "$out" || echo none), want $want" >&2
    rc=1
  fi
  /usr/bin/python3 "$HERE/postfix_showq_compare.py" "$out" "$LAB/postqueue.json" || rc=1
}

"$LAB/queue_scan" postfix "$SPOOL" --showq --print-source >"$LAB/root_showq.txt"
compare "root, --showq" "$LAB/root_showq.txt" showq

"$LAB/queue_scan" postfix "$SPOOL" --print-source >"$LAB/root_auto.txt"
compare "root, automatic (spool readable)" "$LAB/root_auto.txt" spool

if setpriv --reuid=nobody --regid=nogroup --groups=postdrop test -r "$SPOOL/deferred"; then
  echo "FAIL: nobody can read $SPOOL/deferred; the test needs it unreadable" >&2
  rc=1
fi
setpriv --reuid=nobody --regid=nogroup --groups=postdrop \
  "$LAB/queue_scan" postfix "$SPOOL" --print-source >"$LAB/nobody_auto.txt"
compare "nobody + postdrop, automatic (spool unreadable)" "$LAB/nobody_auto.txt" showq

exit $rc
