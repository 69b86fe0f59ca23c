#!/bin/bash
# shellcheck disable=SC2119  # lab_lib functions with optional arguments
# A private Postfix instance with a known, frozen queue, for the queue tests.
#
#   postfix_lab.sh up LAB      build the instance in the empty directory LAB and fill its queue
#   postfix_lab.sh down LAB    stop everything "up" started (by pid) and remove LAB
#
# After "up" the instance is stopped, so the queue no longer changes:
#   deferred/  messages to five receivers that defer for different reasons
#              (mailbox full, blocklist, reputation rate limit, connection refused, DNS, TLS),
#              some with several recipients and domains, one with recipients in the
#              extracted segment (sendmail -t); all submitted by root (pickup uid=0)
#              except three by nobody (uid 65534) and one by daemon (uid 1);
#   hold/      two of those deferred messages, held with postsuper -h;
#   active/    two messages stuck at a receiver that never answers DATA;
#   incoming/  messages qmgr left there because the active queue was full;
#   maildrop/  one message submitted while the mail system was down;
#   corrupt/   one junk file.
# LONG_IDS=yes in the environment turns on enable_long_queue_ids.
# Everything listens on 127.0.0.1 only; no port 25. Needs root and Debian's postfix.
set -euo pipefail

cmd=${1:?usage: postfix_lab.sh up|down LAB}
LAB=${2:?usage: postfix_lab.sh up|down LAB}
# shellcheck source=lab_lib.sh
. "$(dirname "$0")/lab_lib.sh"

# Waits until `postqueue -j` shows exactly $2 messages in queue $1 (or times out).
wait_queue() {
  local queue=$1 want=$2 n
  for _ in $(seq 1 120); do
    n=$(postqueue -c "$LAB/etc" -j 2>/dev/null | grep -c "\"queue_name\": \"$queue\"" || true)
    [ "$n" -ge "$want" ] && return 0
    sleep 0.5
  done
  echo "postfix_lab: timed out waiting for $want messages in $queue (have $n)" >&2
  postqueue -c "$LAB/etc" -p >&2 || true
  return 1
}

send() {  # send FROM RCPT...
  lab_message "$@" | sendmail -C "$LAB/etc" -f "$@"
}

# send_as UID FROM RCPT...: `sendmail` run by another local user. Postfix lets
# a user other than root name a config directory only when the default
# main.cf lists it in alternate_config_directories: give the command one in a
# private mount namespace (the host's /etc/postfix is not touched).
send_as() {
  local uid=$1
  shift
  mkdir -p "$LAB/default-etc"
  printf 'alternate_config_directories = %s\n' "$LAB/etc" >"$LAB/default-etc/main.cf"
  lab_message "$@" | unshare -m /bin/sh -c '
    mount --bind "$1" /etc/postfix &&
    exec setpriv --reuid="$2" --regid=65534 --clear-groups sendmail -C "$3" -f "$4" "$5"' \
    send_as "$LAB/default-etc" "$uid" "$LAB/etc" "$@"
}

master_gone() {
  ! { [ -e "$LAB/spool/pid/master.pid" ] && kill -0 "$(cat "$LAB/spool/pid/master.pid" 2>/dev/null)" 2>/dev/null; }
}

up() {
  mkdir -p "$LAB"
  local soft block rate slow down
  soft=$(sink soft -r RCPT -b "452 4.2.2 <user> Mailbox full, try again later")
  block=$(sink block -r RCPT -b "450 4.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.1")
  rate=$(sink rate -r MAIL -b "451 4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address, temporarily rate limited")
  slow=$(sink slow -w 3600)
  down=$(free_port)  # nothing listens here: connection refused

  postfix_instance "$LAB/postfix.log" "$down"
  cat >>"$LAB/etc/main.cf" <<MAIN
queue_run_delay = 1h
minimal_backoff_time = 1h
maximal_backoff_time = 2h
qmgr_message_active_limit = 2
smtp_data_done_timeout = 3600s
smtp_data_init_timeout = 3600s
enable_long_queue_ids = ${LONG_IDS:-no}
MAIN
  cat >"$LAB/etc/transport" <<TR
soft.example.test     smtp:[127.0.0.1]:$soft
soft2.example.test    smtp:[127.0.0.1]:$soft
block.example.test    smtp:[127.0.0.1]:$block
rate.example.test     smtp:[127.0.0.1]:$rate
slow.example.test     smtp:[127.0.0.1]:$slow
down.example.test     smtp:[127.0.0.1]:$down
dns.example.test      retry:4.4.3 Host or domain name not found. Name service error for name=dns.example.test type=MX: Host not found, try again
tls.example.test      retry:4.7.5 TLS is required, but was not offered by host mx.tls.example.test[127.0.0.1]
TR
  postfix -c "$LAB/etc" start

  # Deferred: 18 messages, several destinations, reasons and submitters.
  send s1@lab.example.test a@soft.example.test
  send s1@lab.example.test b@soft.example.test c@soft2.example.test
  send s1@lab.example.test d@block.example.test
  send s1@lab.example.test e@block.example.test
  send s1@lab.example.test f@block.example.test g@soft.example.test
  send s1@lab.example.test h@rate.example.test
  send s1@lab.example.test i@rate.example.test
  send s1@lab.example.test j@down.example.test
  send s1@lab.example.test k@down.example.test l@down.example.test
  send s1@lab.example.test m@dns.example.test
  send s1@lab.example.test n@tls.example.test
  send "" o@soft.example.test
  send s2@lab.example.test p@down.example.test
  printf 'From: hdr@lab.example.test\nTo: q@soft.example.test, r@block.example.test\nSubject: -t\n\nbody\n' |
    sendmail -C "$LAB/etc" -t -f hdr@lab.example.test
  send_as 65534 nobody@users.example.test v1@soft.example.test
  send_as 65534 nobody@users.example.test v2@soft.example.test
  send_as 65534 nobody@users.example.test v3@block.example.test
  send_as 1 daemon@daemons.example.test w@soft.example.test
  wait_queue deferred 18

  # Hold two of them.
  local id
  for id in $(postqueue -c "$LAB/etc" -j | /usr/bin/python3 -c '
import json, sys
ids = sorted(m["queue_id"] for m in map(json.loads, sys.stdin)
             if any(r["address"].endswith("@down.example.test") for r in m["recipients"]))
print(" ".join(ids[:2]))'); do
    postsuper -c "$LAB/etc" -h "$id" 2>/dev/null
  done
  wait_queue hold 2

  # Active: two messages stuck at the receiver that never answers DATA (the active limit is 2).
  send s3@lab.example.test s1@slow.example.test
  send s3@lab.example.test s2@slow.example.test
  wait_queue active 2
  sleep 1
  # Incoming: the active queue is full, so these stay in incoming/.
  send s4@lab.example.test t1@soft.example.test
  send s4@lab.example.test t2@down.example.test
  wait_queue incoming 2

  postfix -c "$LAB/etc" stop
  wait_for 10 master_gone 2>/dev/null || true
  # Maildrop: submitted while the mail system is down.
  send s5@lab.example.test u@soft.example.test 2>/dev/null
  # Corrupt: a file qmgr would have rejected.
  printf 'junk' >"$LAB/spool/corrupt/0AAAAAAAAAA"
  chmod 0400 "$LAB/spool/corrupt/0AAAAAAAAAA"
}

down() {
  [ -d "$LAB" ] || return 0
  if [ -f "$LAB/etc/main.cf" ]; then
    postfix -c "$LAB/etc" stop >/dev/null 2>&1 || true
  fi
  lab_down
}

case $cmd in
  up) up ;;
  down) down ;;
  *) echo "usage: postfix_lab.sh up|down LAB" >&2; exit 2 ;;
esac
