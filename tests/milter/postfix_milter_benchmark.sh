#!/bin/bash
# Benchmark (not a test): messages per second through a private Postfix with
# the exporter's milter off, on, and off again — same messages, same run.
# Each round submits N messages of about 50 kB HTML over C parallel SMTP
# connections to the lab's smtpd and times until smtp-sink has them all
# (status=sent in the Postfix log). Prints messages/s per round and on/off.
#
# usage: postfix_milter_benchmark.sh PATH/TO/mailrep_exporter [N] [C]
#        (as root, ideally under tests/e2e/netns_run.sh; loopback only)
set -euo pipefail
EXPORTER=${1:?usage: postfix_milter_benchmark.sh PATH/TO/mailrep_exporter [N] [C]}
N=${2:-500}
C=${3:-4}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=milter_lab.sh
. "$HERE/milter_lab.sh"
e2e_need_root "a private Postfix instance"
e2e_need_tools "; install postfix" postfix postconf smtp-sink

milter_lab "max_connections: 200"
postconf -c "$LAB/etc" -e "default_process_limit = 50" "smtpd_client_connection_count_limit = 0"
start_exporter
postfix -c "$LAB/etc" start
POSTFIX_UP=1

SENT=0
round() {  # round NAME: submit N messages, wait for them, print the rate
  local start end
  start=$(date +%s.%N)
  /usr/bin/python3 - "$SMTPD" "$N" "$C" <<'PY'
import smtplib, sys, threading
port, n, c = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
parts = ["From: news@lab.example.test", "To: r@ok.example.test", "Subject: bench",
         "Date: Tue, 08 Dec 2026 00:00:00 +0000", "MIME-Version: 1.0",
         "List-Unsubscribe: <https://lab.example.test/u>",
         "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
         "Content-Type: text/html; charset=utf-8"]
html = "".join(f"<p>Paragraph {i} about the offer and the details you asked for. "
               f"<a href=\"https://www.shop{i % 20}.example/item/{i}\">link</a></p>\r\n"
               for i in range(420))
def worker(k):
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as s:
        for i in range(k, n, c):
            msg = "\r\n".join(parts + [f"Message-ID: <{i}.{k}@lab.example.test>"]) + "\r\n\r\n" + html
            s.sendmail("news@lab.example.test", ["r@ok.example.test"], msg)
threads = [threading.Thread(target=worker, args=(k,)) for k in range(c)]
for t in threads: t.start()
for t in threads: t.join()
PY
  SENT=$((SENT + N))
  until [ "$(grep -c 'status=sent' "$LOG" 2>/dev/null || true)" -ge "$SENT" ]; do sleep 0.1; done
  end=$(date +%s.%N)
  /usr/bin/python3 -c "import sys; print(f'{sys.argv[1]:>11}: {int(sys.argv[2])} messages in {float(sys.argv[3]):6.2f} s = {int(sys.argv[2]) / float(sys.argv[3]):7.1f} messages/s')" \
    "$1" "$N" "$(echo "$end - $start" | bc)" | tee -a "$LAB/rates"
}
milters off
sleep 1
round "milter off"
milters on
sleep 1
round "milter on"
milters off
sleep 1
round "milter off"
/usr/bin/python3 - "$LAB/rates" <<'PY'
import re, sys
rates = [float(re.search(r"= *([0-9.]+) messages/s", l).group(1)) for l in open(sys.argv[1])]
off = (rates[0] + rates[2]) / 2
print(f"on / off: {rates[1] / off:.2f} (goal >= 0.8)")
PY
curl -sf "http://127.0.0.1:$WEB_PORT/metrics" | grep -E '^mailrep_milter_(messages_total\{stream="bulk",sender_domain="lab|messages_skipped)' || true
