#!/bin/bash
# The observe-only milter against a real Postfix (Debian's postfix package).
#
# A private Postfix instance with an smtpd on a loopback port relays to an
# smtp-sink receiver; smtpd_milters and non_smtpd_milters point at the
# exporter's milter (inet on 127.0.0.1) with milter_default_action = accept.
# Messages submitted by SMTP (python smtplib) and by sendmail(1) must be
# counted exactly, by stream and sender domain, with the one-click problem of
# the bulk one and the one over max_message_bytes skipped. Then the exporter
# is stopped: mail must still be delivered (Postfix logs that the milter is
# unreachable) and, the exporter started again, it counts anew and says it is
# up. Only loopback addresses are used. Cleans up after itself.
#
# usage: postfix_milter_e2e.sh PATH/TO/mailrep_exporter     (as root; exit 77 = skipped)
set -euo pipefail
EXPORTER=${1:?usage: postfix_milter_e2e.sh PATH/TO/mailrep_exporter}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=milter_lab.sh
. "$HERE/milter_lab.sh"
e2e_need_root "a private Postfix instance"
e2e_need_tools "; install postfix" postfix postconf sendmail smtp-sink

milter_lab "max_message_bytes: 4096"
wait_sent() {  # wait_sent COUNT: COUNT deliveries to the sink in the log
  for _ in $(seq 1 60); do
    n=$(grep -c 'status=sent' "$LOG" 2>/dev/null || true)
    [ "$n" -ge "$1" ] && return 0
    sleep 0.5
  done
  echo "FAIL: waited for $1 deliveries, saw ${n:-0}" >&2
  tail -n 30 "$LOG" >&2 || true
  return 1
}
smtp_send() {  # smtp_send FROM KIND
  /usr/bin/python3 - "$SMTPD" "$1" "$2" <<'PY'
import smtplib, sys, time
port, sender, kind = int(sys.argv[1]), sys.argv[2], sys.argv[3]
headers = [f"From: {sender}", "To: r@ok.example.test", "Subject: lab",
           "Date: Tue, 08 Dec 2026 00:00:00 +0000", f"Message-ID: <{time.time_ns()}@lab.example.test>"]
body = "hello https://example.com/\r\n"
if kind == "bulk":
    headers += ["Precedence: bulk", "List-Unsubscribe: <https://lab.example.test/u>"]
if kind == "big":
    body += ("x" * 70 + "\r\n") * 100
msg = "\r\n".join(headers) + "\r\n\r\n" + body
with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
    s.sendmail(sender, ["r1@ok.example.test", "r2@ok.example.test"], msg)
PY
}
local_send() {  # local_send FROM
  printf 'From: %s\nTo: r@ok.example.test\nSubject: lab\nDate: Tue, 08 Dec 2026 00:00:00 +0000\nMessage-ID: <%s@lab.example.test>\n\nhello\n' \
    "$1" "$(date +%s%N)" | sendmail -C "$LAB/etc" -f "$1" r@ok.example.test
}
fail() {
  echo "FAIL: $*" >&2
  curl -sf "http://127.0.0.1:$WEB_PORT/metrics" | grep '^mailrep_milter' >&2 || true
  tail -n 20 "$LAB/exporter.log" "$LOG" >&2 || true
  exit 1
}

start_exporter
postfix -c "$LAB/etc" start
POSTFIX_UP=1

# By SMTP: two transactional, one bulk without one-click, one over the budget.
smtp_send sender@lab.example.test plain
smtp_send sender@lab.example.test plain
smtp_send news@lab.example.test bulk
smtp_send sender@lab.example.test big
# By sendmail(1): two from the configured domain, one from elsewhere.
local_send sender@lab.example.test
local_send sender@lab.example.test
local_send someone@elsewhere.test
wait_sent 7

T='stream="transactional",sender_domain="lab.example.test"'
wait_for 20 metric_is mailrep_milter_messages_total "$T" 4 || fail "4 transactional messages"
# The snapshot is the collector's last run (every second): wait for each.
seen() { wait_for 10 metric_is "$@"; }
seen mailrep_milter_messages_total 'stream="bulk",sender_domain="lab.example.test"' 1 ||
  fail "1 bulk message"
seen mailrep_milter_messages_total 'stream="transactional",sender_domain="other"' 1 ||
  fail "1 message from another domain"
seen mailrep_milter_messages_skipped_total 'reason="too_large"' 1 || fail "1 skipped message"
seen mailrep_milter_unsubscribe_problems_total 'problem="no_one_click"' 1 ||
  fail "the bulk message's missing one-click"
seen mailrep_milter_recipients_total '' 9 || fail "9 recipients (3 x 2 by SMTP, 3 local)"
seen mailrep_milter_format_problems_total 'problem="date_missing"' 0 || fail "no format problem"
if curl -sf "http://127.0.0.1:$WEB_PORT/metrics" | grep -q 'elsewhere\|example\.com'; then
  fail "an address or link domain in the metrics"
fi
if grep -q 'elsewhere\|example\.com' "$LAB/exporter.log"; then
  fail "an address or link domain in the exporter's log"
fi

# The milter down: mail still flows.
kill "$EXPORTER_PID"
wait "$EXPORTER_PID" || true
EXPORTER_PID=""
smtp_send sender@lab.example.test plain
local_send sender@lab.example.test
wait_sent 9
grep -qi "milter.*127.0.0.1:$MILTER.*refused" "$LOG" ||
  fail "Postfix did not log the unreachable milter"

# Back up: counting starts again.
start_exporter
smtp_send sender@lab.example.test plain
wait_sent 10
wait_for 20 metric_is mailrep_milter_messages_total "$T" 1 || fail "counting after restart"
echo "PASS: milter counted 7 messages exactly; mail flowed while it was down"
