#!/bin/bash
# A complaint joined to our own logs (issue #15, "An e2e joining a complaint
# to our logs"), against a real Postfix (Debian's postfix package).
#
# A private Postfix instance (logging to its own maillog_file) relays to an
# smtp-sink receiver on 127.0.0.1, from 127.0.0.1 (main.cf smtp_bind_address)
# and, for one transport, from 127.0.0.2 under its own syslog_name, as
# tests/delivery/postfix_e2e.sh does. The exporter runs the delivery collector
# on the log and the reports collector on a Maildir. The test sends a message
# each way, reads the Message-ID of the one sent from 127.0.0.2 back from the
# Postfix log (cleanup's message-id= of the queue id whose postfix-ip2/smtp
# line says status=sent), and drops into the Maildir an ARF complaint quoting
# it (no Source-IP, no Received field; the domain part in other case, which
# RFC 5322 allows) and one quoting a Message-ID we never sent. /metrics must
# count the first on ip="127.0.0.2" by="message_id", the second on
# ip="unknown" by="none". Only loopback addresses are used. Cleans up.
#
# usage: complaint_join_e2e.sh PATH/TO/mailrep_exporter   (as root; exit 77 = skipped)
set -euo pipefail
EXPORTER=${1:?usage: complaint_join_e2e.sh PATH/TO/mailrep_exporter}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../queue/lab_lib.sh
. "$HERE/../queue/lab_lib.sh"
e2e_need_root "a private Postfix instance"
e2e_need_tools "; install postfix" postfix postconf sendmail smtp-sink curl

e2e_lab_dir complaint_join
LOG=$LAB/log/postfix.log
PIDS=()
POSTFIX_UP=0
cleanup() {
  if [ "$POSTFIX_UP" = 1 ]; then postfix -c "$LAB/etc" stop >/dev/null 2>&1 || true; fi
  kill_pidfiles "$LAB"/sink-*.pid
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$LAB"
}
trap cleanup EXIT
mkdir -p "$LAB/log" "$LAB/maildir/new" "$LAB/maildir/cur" "$LAB/maildir/tmp"

OK=$(sink ok)
postfix_instance "$LOG" "$OK"
cat >>"$LAB/etc/main.cf" <<MAIN
smtp_bind_address = 127.0.0.1
MAIN
cat >"$LAB/etc/transport" <<TR
ip2.example.test      smtp_ip2:[127.0.0.1]:$OK
TR
postconf -c "$LAB/etc" -M "smtp_ip2/unix = smtp_ip2 unix - - n - - smtp -o smtp_bind_address=127.0.0.2 -o syslog_name=postfix-ip2"

# The exporter: delivery and reports only. Paths are under --path.rootfs=$LAB
# (MTA detection finds nothing there, so this machine's Postfix adds nothing);
# the reports state file is the exporter's own.
WEB_PORT=$(free_port)
cat >"$LAB/exporter.yml" <<YML
collectors:
  delivery:
    interval: 1s
    timeout: 1s
    sources:
      - path: ${LOG#"$LAB"}
        mta: postfix
        from_start: true
    postfix_config_directories: [/etc]
  reports:
    enabled: true
    interval: 5s
    timeout: 4s
    sources: [{path: /maildir}]
    state_file: $LAB/reports.state
YML
OFF=()
for c in $("$EXPORTER" --help 2>&1 | grep -o -- '--\[no-\]collector\.[a-z_]*' | sed 's/.*collector\.//'); do
  [ "$c" != delivery ] && [ "$c" != reports ] && OFF+=("--no-collector.$c")
done
"$EXPORTER" --config.file="$LAB/exporter.yml" --web.listen-address="127.0.0.1:$WEB_PORT" \
  --path.rootfs="$LAB" "${OFF[@]}" >"$LAB/exporter.log" 2>&1 &
PIDS+=($!)

metrics() { curl -sf "http://127.0.0.1:$WEB_PORT/metrics" || true; }
fail() {
  echo "FAIL: $*" >&2
  tail -n 20 "$LOG" >&2 2>/dev/null || true
  tail -n 20 "$LAB/exporter.log" >&2 || true
  metrics | grep -E 'complaint|message_ids|mailrep_reports_' >&2 || true
  exit 1
}

postfix -c "$LAB/etc" start
POSTFIX_UP=1
STAMP=$(date +%s%N)
send() {  # send RCPT MESSAGE-ID
  printf 'From: sender@lab.example.test\nTo: %s\nSubject: lab %s\nMessage-ID: %s\n\nhello\n' \
    "$1" "$STAMP" "$2" | sendmail -C "$LAB/etc" -f sender@lab.example.test "$1"
}
send a@ok.example.test "<one.$STAMP@Lab.Example.Test>"
send b@ip2.example.test "<Two.$STAMP@Lab.Example.Test>"
for _ in $(seq 1 60); do
  [ "$(grep -c 'status=sent' "$LOG" 2>/dev/null || true)" -ge 2 ] && break
  sleep 0.5
done
[ "$(grep -c 'status=sent' "$LOG" 2>/dev/null || true)" -ge 2 ] || fail "Postfix did not send both"

# The Message-ID of the message sent from 127.0.0.2, as the log tells it.
QID=$(sed -n 's/.* postfix-ip2\/smtp\[[0-9]*\]: \([0-9A-Za-z]*\): to=.*status=sent.*/\1/p' "$LOG" | head -n 1)
[ -n "$QID" ] || fail "no postfix-ip2/smtp status=sent line"
MSGID=$(sed -n "s/.* postfix\/cleanup\[[0-9]*\]: $QID: message-id=\(<[^>]*>\).*/\1/p" "$LOG" | head -n 1)
[ "$MSGID" = "<Two.$STAMP@Lab.Example.Test>" ] || fail "cleanup logged '$MSGID' for $QID"

# The complaint may only arrive once the delivery collector has indexed the
# message (a complaint is read once).
for _ in $(seq 1 30); do
  metrics | grep -qE '^mailrep_delivery_message_ids [2-9]' && break
  sleep 0.5
done
metrics | grep -qE '^mailrep_delivery_message_ids [2-9]' || fail "the Message-ID index did not fill"

complaint() {  # complaint FILE ORIGINAL-MESSAGE-ID
  cat >"$LAB/maildir/tmp/$1" <<ARF
From: <feedback@fbl.example.net>
Date: Mon, 07 Dec 2026 08:15:00 +0000
Subject: Complaint about message from 127.0.0.2
To: <fbl@lab.example.test>
Message-ID: <arf-$1-$STAMP@fbl.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
    boundary="arf_boundary"

--arf_boundary
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report.

--arf_boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Arrival-Date: Mon, 07 Dec 2026 08:00:00 +0000
Reporting-MTA: dns; mx.fbl.example.net

--arf_boundary
Content-Type: text/rfc822-headers

From: sender@lab.example.test
To: redacted@fbl.example.net
Subject: lab
Message-ID: $2

--arf_boundary--
ARF
  mv "$LAB/maildir/tmp/$1" "$LAB/maildir/new/$1"
}
# The domain part in lower case: the same Message-ID by RFC 5322.
complaint "1.lab" "${MSGID%@*}@lab.example.test>"
complaint "2.lab" "<never-sent.$STAMP@lab.example.test>"

want() {  # want SERIES-REGEX: one line of /metrics matches
  for _ in $(seq 1 40); do
    metrics | grep -qE "$1" && return 0
    sleep 0.5
  done
  fail "no /metrics line matches: $1"
}
want '^mailrep_complaints_total\{ip="127\.0\.0\.2",provider="[a-z]+",feedback_type="abuse"\} 1$'
want '^mailrep_complaints_attributed_total\{by="message_id"\} 1$'
want '^mailrep_complaints_total\{ip="unknown",provider="[a-z]+",feedback_type="abuse"\} 1$'
want '^mailrep_complaints_attributed_total\{by="none"\} 1$'
if metrics | grep -qE '^mailrep_complaints_total\{ip="127\.0\.0\.1"'; then
  fail "the complaint was counted on 127.0.0.1"
fi
echo "PASS: the complaint about $QID ($MSGID) counted on 127.0.0.2 by message_id"
