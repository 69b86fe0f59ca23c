#!/bin/bash
# The delivery collector against a real Postfix (Debian's postfix package).
#
# A private Postfix instance (logging to its own maillog_file) relays to
# smtp-sink receivers on 127.0.0.1 that accept, reject with a Spamhaus
# blocklist text, reject an unknown user, defer with "mailbox full", plus a
# closed port. A second smtp service binds 127.0.0.2 under its own syslog_name.
# A third transport is in defer_transports, so Postfix's error agent defers
# its mail ("deferred transport"): an outbound deferral the collector counts.
# The exporter follows the log (missing at start, then rotated with `postfix
# logrotate` between two batches) and its /metrics must show the outcomes,
# sending IPs, classes and cited blocklist; `check logs` over both files must
# agree with it. Only loopback addresses are used. Cleans up after itself.
#
# usage: postfix_e2e.sh PATH/TO/mailrep_exporter     (as root; exit 77 = skipped)
set -euo pipefail
EXPORTER=${1:?usage: postfix_e2e.sh PATH/TO/mailrep_exporter}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../queue/lab_lib.sh
. "$HERE/../queue/lab_lib.sh"
e2e_need_root "a private Postfix instance"
e2e_need_tools "; install postfix" postfix postconf postsuper postqueue sendmail smtp-sink

e2e_lab_dir delivery
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
mkdir -p "$LAB/log"

# Receivers (each started here and killed by pid in cleanup).
OK=$(sink ok)
BLOCK=$(sink block -f RCPT -B "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.1")
UNKNOWN=$(sink unknown -f RCPT -B "550 5.1.1 <user> User unknown")
SOFT=$(sink soft -r RCPT -b "452 4.2.2 Mailbox full, try later")
DOWN=$(free_port)

postfix_instance "$LOG" "$OK"
cat >>"$LAB/etc/main.cf" <<MAIN
smtp_bind_address = 127.0.0.1
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 10s
MAIN
cat >"$LAB/etc/transport" <<TR
ip2.example.test      smtp_ip2:[127.0.0.1]:$OK
blocked.example.test  smtp:[127.0.0.1]:$BLOCK
unknown.example.test  smtp:[127.0.0.1]:$UNKNOWN
soft.example.test     smtp:[127.0.0.1]:$SOFT
down.example.test     smtp:[127.0.0.1]:$DOWN
held.example.test     held:[127.0.0.1]:$OK
TR
postconf -c "$LAB/etc" -M "smtp_ip2/unix = smtp_ip2 unix - - n - - smtp -o smtp_bind_address=127.0.0.2 -o syslog_name=postfix-ip2"
postconf -c "$LAB/etc" -M "held/unix = held unix - - n - - smtp"
postconf -c "$LAB/etc" -e "defer_transports = held"

# The exporter, with every other collector off; the log does not exist yet.
# Its paths are under --path.rootfs=$LAB, where MTA detection finds nothing,
# so this machine's /etc/postfix never adds sending IPs.
WEB_PORT=$(free_port)
cat >"$LAB/exporter.yml" <<YML
collectors:
  delivery:
    interval: 1s
    timeout: 1s
    sources:
      - path: ${LOG#"$LAB"}
        mta: postfix
    postfix_config_directories: [/etc]
YML
OFF=()
for c in $("$EXPORTER" --help 2>&1 | grep -o -- '--\[no-\]collector\.[a-z_]*' | sed 's/.*collector\.//'); do
  [ "$c" != delivery ] && OFF+=("--no-collector.$c")
done
"$EXPORTER" --config.file="$LAB/exporter.yml" --web.listen-address="127.0.0.1:$WEB_PORT" \
  --path.rootfs="$LAB" "${OFF[@]}" >"$LAB/exporter.log" 2>&1 &
PIDS+=($!)

postfix -c "$LAB/etc" start
POSTFIX_UP=1
send() {
  lab_message "$@" | sendmail -C "$LAB/etc" -f "$@"
}
batch() {
  send sender@lab.example.test a@ok.example.test
  send sender@lab.example.test b@ip2.example.test
  send sender@lab.example.test c@blocked.example.test
  send sender@lab.example.test u@unknown.example.test
  send sender@lab.example.test d@soft.example.test
  send sender@lab.example.test e@down.example.test
  send sender@lab.example.test h@held.example.test
}
wait_log() {  # wait_log PATTERN COUNT FILE...
  for _ in $(seq 1 60); do
    n=$(zcat -f "${@:3}" 2>/dev/null | grep -c -- "$1" || true)
    [ "$n" -ge "$2" ] && return 0
    sleep 0.5
  done
  echo "FAIL: waited for $2 x '$1' in the Postfix log" >&2
  tail -n 30 "${@:3}" >&2 || true
  return 1
}
batch
wait_log 'status=sent' 4 "$LOG"       # a, b and the two bounce notices
wait_log 'status=deferred' 2 "$LOG"
sleep 2
postfix -c "$LAB/etc" logrotate        # renames the log with a date suffix, reopens
sleep 1
batch
ROTATED=$(printf '%s\n' "$LAB"/log/postfix.log.* | sed -n 1p)
wait_log 'status=sent' 8 "$LOG" "$ROTATED"
wait_log 'status=deferred' 4 "$LOG" "$ROTATED"
wait_log 'postfix/error.*status=deferred (deferred transport)' 2 "$LOG" "$ROTATED"
postsuper -c "$LAB/etc" -e ALL deferred >/dev/null 2>&1
postqueue -c "$LAB/etc" -f
wait_log 'status=force-expired' 1 "$LOG"
sleep 3   # two collector runs

/usr/bin/python3 "$HERE/check_metrics.py" "http://127.0.0.1:$WEB_PORT/metrics" "$LOG" \
  "$EXPORTER" "$LAB/etc" "$ROTATED" "$LAB" || { tail -20 "$LAB/exporter.log" >&2; exit 1; }
