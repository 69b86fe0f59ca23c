#!/bin/bash
# The delivery collector against a real Postfix (Debian's postfix package).
#
# A private Postfix instance (logging to its own maillog_file) relays to
# smtp-sink receivers on 127.0.0.1 that accept, reject with a Spamhaus
# blocklist text, reject an unknown user, defer with "mailbox full", plus a
# closed port. A second smtp service binds 127.0.0.2 under its own syslog_name.
# The exporter follows the log (missing at start, then rotated with `postfix
# logrotate` between two batches) and its /metrics must show the outcomes,
# sending IPs, classes and cited blocklist; `check logs` over both files must
# agree with it. Only loopback addresses are used. Cleans up after itself.
#
# usage: postfix_e2e.sh PATH/TO/mailrep_exporter     (as root; exit 77 = skipped)
set -euo pipefail
EXPORTER=${1:?usage: postfix_e2e.sh PATH/TO/mailrep_exporter}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: needs root (a private Postfix instance)"
  exit 77
fi
export PATH=$PATH:/usr/sbin
for tool in postfix postconf postsuper postqueue sendmail smtp-sink; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found; install postfix" >&2; exit 1; }
done

LAB=$(mktemp -d /tmp/mailrep_delivery_e2e.XXXXXX)
chmod 755 "$LAB"
LOG=$LAB/log/postfix.log
PIDS=()
POSTFIX_UP=0
cleanup() {
  [ "$POSTFIX_UP" = 1 ] && postfix -c "$LAB/etc" stop >/dev/null 2>&1 || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$LAB"
}
trap cleanup EXIT
mkdir -p "$LAB/etc" "$LAB/spool" "$LAB/data" "$LAB/log"
chown postfix:postfix "$LAB/data"

# Receivers (each started here and killed by pid in cleanup).
PORT_BASE=$((20000 + RANDOM % 20000))
OK=$PORT_BASE BLOCK=$((PORT_BASE + 1)) UNKNOWN=$((PORT_BASE + 2)) SOFT=$((PORT_BASE + 3))
DOWN=$((PORT_BASE + 4))
smtp-sink -u nobody 127.0.0.1:$OK 64 >"$LAB/sink-ok.out" 2>&1 & PIDS+=($!)
smtp-sink -u nobody -f RCPT -B "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.1" \
  127.0.0.1:$BLOCK 64 >"$LAB/sink-block.out" 2>&1 & PIDS+=($!)
smtp-sink -u nobody -f RCPT -B "550 5.1.1 <user> User unknown" \
  127.0.0.1:$UNKNOWN 64 >"$LAB/sink-unknown.out" 2>&1 & PIDS+=($!)
smtp-sink -u nobody -r RCPT -b "452 4.2.2 Mailbox full, try later" \
  127.0.0.1:$SOFT 64 >"$LAB/sink-soft.out" 2>&1 & PIDS+=($!)

cp /etc/postfix/master.cf.proto "$LAB/etc/master.cf"
cp /etc/postfix/dynamicmaps.cf "$LAB/etc/" 2>/dev/null || true
cp -r /etc/postfix/dynamicmaps.cf.d "$LAB/etc/" 2>/dev/null || true
cat >"$LAB/etc/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $LAB/spool
data_directory = $LAB/data
maillog_file = $LOG
maillog_file_prefixes = /tmp
myhostname = lab.example.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
relayhost = [127.0.0.1]:$OK
transport_maps = texthash:$LAB/etc/transport
alias_maps =
alias_database =
smtp_dns_support_level = disabled
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
TR
P="postconf -c $LAB/etc"
$P -F '*/*/chroot = n'
$P -M# smtp/inet
$P -M "smtp_ip2/unix = smtp_ip2 unix - - n - - smtp -o smtp_bind_address=127.0.0.2 -o syslog_name=postfix-ip2"

# The exporter, with every other collector off; the log does not exist yet.
WEB_PORT=$((PORT_BASE + 10))
cat >"$LAB/exporter.yml" <<YML
collectors:
  delivery:
    interval: 1s
    timeout: 1s
    sources:
      - path: $LOG
        mta: postfix
    postfix_config_directories: [$LAB/etc]
YML
OFF=()
for c in $("$EXPORTER" --help 2>&1 | grep -o -- '--\[no-\]collector\.[a-z_]*' | sed 's/.*collector\.//'); do
  [ "$c" != delivery ] && OFF+=("--no-collector.$c")
done
"$EXPORTER" --config.file="$LAB/exporter.yml" --web.listen-address=127.0.0.1:$WEB_PORT \
  "${OFF[@]}" >"$LAB/exporter.log" 2>&1 &
PIDS+=($!)

postfix -c "$LAB/etc" start
POSTFIX_UP=1
send() {
  local from=$1; shift
  printf 'From: %s\nTo: %s\nSubject: lab %s\n\nhello\n' "$from" "$*" "$(date +%s%N)" |
    sendmail -C "$LAB/etc" -f "$from" "$@"
}
batch() {
  send sender@lab.example.test a@ok.example.test
  send sender@lab.example.test b@ip2.example.test
  send sender@lab.example.test c@blocked.example.test
  send sender@lab.example.test u@unknown.example.test
  send sender@lab.example.test d@soft.example.test
  send sender@lab.example.test e@down.example.test
}
wait_for() {  # wait_for PATTERN COUNT FILE...
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
wait_for 'status=sent' 4 "$LOG"       # a, b and the two bounce notices
wait_for 'status=deferred' 2 "$LOG"
sleep 2
postfix -c "$LAB/etc" logrotate        # renames the log with a date suffix, reopens
sleep 1
batch
ROTATED=$(ls "$LAB"/log/postfix.log.* | sed -n 1p)
wait_for 'status=sent' 8 "$LOG" "$ROTATED"
wait_for 'status=deferred' 4 "$LOG" "$ROTATED"
postsuper -c "$LAB/etc" -e ALL deferred >/dev/null 2>&1
postqueue -c "$LAB/etc" -f
wait_for 'status=force-expired' 1 "$LOG"
sleep 3   # two collector runs

/usr/bin/python3 "$HERE/check_metrics.py" "http://127.0.0.1:$WEB_PORT/metrics" "$LOG" \
  "$EXPORTER" "$LAB/etc" "$ROTATED" || { tail -20 "$LAB/exporter.log" >&2; exit 1; }
