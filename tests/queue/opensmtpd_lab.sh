#!/bin/bash
# A private OpenSMTPD (Debian's opensmtpd binaries, unpacked with
# `dpkg -x` from the .deb install-deps.sh test downloads, never installed) in a private mount
# namespace: its compiled-in paths (/var/spool/smtpd, /var/run/smtpd.sock,
# /var/lib/opensmtpd/empty, /etc/smtpd.conf is passed with -f) and its users
# (opensmtpd, opensmtpq in a bind-mounted /etc/passwd) are lab directories
# bind-mounted over /var/spool, /run and /var/lib inside the namespace only;
# a lab resolv.conf keeps its resolver on loopback.
#
#   opensmtpd_lab.sh up LAB      unpack, start smtpd, queue messages, wait for the attempts
#   opensmtpd_lab.sh ctl LAB ARGS  run the lab's smtpctl (e.g. "show queue") in the namespace
#   opensmtpd_lab.sh down LAB    stop what "up" started (by pid) and remove LAB
#
#   opensmtpd_lab.sh hold LAB SECONDS  start an SMTP session that stops in DATA
#                                for SECONDS: a message in incoming/ (2 recipients)
#
# After "up" smtpd still runs, with its relaying paused ("smtpctl pause mta"),
# and LAB/var_spool/smtpd holds 7 envelopes in 5 messages:
#   deferred: 2 recipients of a message refused with 452 (soft.example.test;
#             its third recipient was delivered); 1 refused at MAIL with 450
#             (rate.example.test); the bounce of a 550 (hard.example.test) to
#             its sender at rate.example.test, refused the same way;
#   queued (never tried): a 2-recipient and a null-sender message sent
#             after the pause (to a closed port).
# smtpd logs to LAB/smtpd.log. Everything listens on 127.0.0.1 only. Needs
# root, unshare/nsenter (util-linux), smtp-sink (postfix), python3, and
# Debian's opensmtpd .deb (install-deps.sh test; or OPENSMTPD_DEBS=dir).
set -euo pipefail

cmd=${1:?usage: opensmtpd_lab.sh up|ctl|hold|down LAB}
LAB=${2:?usage: opensmtpd_lab.sh up|ctl|hold|down LAB}
shift 2
SMTPD_UID=1997
SMTPQ_UID=1998
# shellcheck source=lab_lib.sh
. "$(dirname "$0")/lab_lib.sh"

in_ns() { # runs a command in the running smtpd's mount namespace
  nsenter -t "$(cat "$LAB/smtpd.pid")" -m "$@"
}

ctl() {
  in_ns "$LAB/root/usr/sbin/smtpctl" "$@"
}

send() { # send FROM RCPT...: through the lab's sendmail (smtpctl) and the local socket
  lab_message "$@" | in_ns "$LAB/root/usr/sbin/sendmail" -f "$@"
}

queue_has() { # queue_has N: `smtpctl show queue` lists N envelopes
  local out
  out=$(ctl show queue 2>/dev/null) || return 1
  [ "$(printf '%s\n' "$out" | grep -c '|')" = "$1" ]
}

tried() { # tried DOMAIN N: N envelopes for DOMAIN carry an error line on disk
  local files
  files=$(grep -rls "^rcpt: .*@$1\$" "$LAB/var_spool/smtpd/queue" 2>/dev/null) || return 1
  # shellcheck disable=SC2086
  [ "$(grep -ls "^errorline: " $files | wc -l)" -ge "$2" ]
}

gone() { # gone PID: the process has exited (a zombie counts)
  [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

up() {
  mkdir -p "$LAB/etc" "$LAB/var_spool/smtpd" "$LAB/run" "$LAB/var_lib/opensmtpd/empty"
  unpack_debs "${OPENSMTPD_DEBS:-}" opensmtpd
  local missing
  missing=$(ldd "$LAB/root/usr/sbin/smtpd" "$LAB/root/usr/sbin/smtpctl" | awk '/not found/ {print $1}' |
    sort -u | tr '\n' ' ')
  if [ -n "$missing" ]; then
    echo "opensmtpd needs libraries that are not installed: $missing(apt-get install libevent-2.1-7 libdb5.3 ...)" >&2
    return 1
  fi
  # smtpctl (also sendmail) must be setgid to the queue group, as the package's postinst makes it.
  chgrp "$SMTPQ_UID" "$LAB/root/usr/sbin/smtpctl"
  chmod 2555 "$LAB/root/usr/sbin/smtpctl"
  lab_user opensmtpd "$SMTPD_UID" /var/lib/opensmtpd/empty
  lab_user opensmtpq "$SMTPQ_UID" /var/lib/opensmtpd/empty
  chmod 711 "$LAB/var_spool/smtpd"
  # Off DNS: smtpd's resolver asks a loopback address where nothing listens (refused at once),
  # never this machine's resolver; the relays are IP literals.
  printf 'nameserver 127.53.0.1\n' >"$LAB/resolv.conf"
  ns_script "mount --bind \"$LAB/var_spool\" /var/spool" "mount --bind \"$LAB/run\" /run" \
    "mount --bind \"$LAB/var_lib\" /var/lib" "mount --bind \"$LAB/resolv.conf\" /etc/resolv.conf"

  local ok soft hard rate down
  ok=$(sink ok)
  soft=$(sink soft -r RCPT -b "452 4.2.2 Mailbox full, try later")
  hard=$(sink hard -f RCPT -B "550 5.1.1 User unknown")
  rate=$(sink rate -r MAIL -b "450 4.7.1 Rate limit exceeded, try again later")
  down=$(free_port)
  SMTP_PORT=$(free_port)
  echo "$SMTP_PORT" >"$LAB/smtp.port"
  cat >"$LAB/etc/smtpd.conf" <<CONF
listen on socket
listen on 127.0.0.1 port $SMTP_PORT
action "ok" relay host smtp://127.0.0.1:$ok helo lab.example.test
action "soft" relay host smtp://127.0.0.1:$soft helo lab.example.test
action "hard" relay host smtp://127.0.0.1:$hard helo lab.example.test
action "rate" relay host smtp://127.0.0.1:$rate helo lab.example.test
action "down" relay host smtp://127.0.0.1:$down helo lab.example.test
match from any for domain "ok.example.test" action "ok"
match from any for domain "soft.example.test" action "soft"
match from any for domain "hard.example.test" action "hard"
match from any for domain "rate.example.test" action "rate"
match from any for any action "down"
CONF
  chmod 644 "$LAB/etc/smtpd.conf"
  unshare -m "$LAB/ns.sh" "$LAB/root/usr/sbin/smtpd" -d -f "$LAB/etc/smtpd.conf" \
    >"$LAB/smtpd.log" 2>&1 &
  echo $! >"$LAB/unshare.pid"
  # The pid of smtpd itself (unshare execs ns.sh, which execs smtpd: same pid).
  cp "$LAB/unshare.pid" "$LAB/smtpd.pid"
  wait_for 20 ctl show stats >/dev/null 2>&1

  send s1@lab.example.test a@ok.example.test b@soft.example.test c@soft.example.test
  send s2@lab.example.test d@rate.example.test
  send s3@rate.example.test e@hard.example.test
  wait_for 40 tried soft.example.test 2
  # d@rate, and the bounce of e@hard to s3@rate.
  wait_for 40 tried rate.example.test 2
  ctl pause mta >/dev/null
  send s4@lab.example.test f@paused.example.test g@paused.example.test
  send '' h@paused.example.test
  wait_for 20 queue_has 7
}

hold() { # hold SECONDS: an SMTP session stopped in DATA; returns once it is there
  local seconds=$1
  /usr/bin/python3 - "$(cat "$LAB/smtp.port")" "$seconds" >"$LAB/hold.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
f = s.makefile("rwb")
def cmd(line):
    if line:
        f.write(line.encode() + b"\r\n")
        f.flush()
    while True:
        reply = f.readline()
        if reply[3:4] != b"-":
            return reply
for line in (None, "EHLO hold.example.test", "MAIL FROM:<p@lab.example.test>",
             "RCPT TO:<x@paused.example.test>", "RCPT TO:<y@paused.example.test>", "DATA"):
    print(cmd(line), flush=True)
f.write(b"Subject: held\r\n\r\nbody line\r\n" * 10)
f.flush()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
PY
  echo $! >"$LAB/hold.pid"
  wait_for 20 grep -qs held "$LAB/hold.out"
  wait_for 10 bash -c "[ \$(find '$LAB/var_spool/smtpd/incoming' -type f | wc -l) -ge 2 ]"
}

down() {
  [ -d "$LAB" ] || return 0
  if [ -f "$LAB/smtpd.pid" ]; then
    kill "$(cat "$LAB/smtpd.pid")" 2>/dev/null || true
    wait_for 10 gone "$(cat "$LAB/smtpd.pid")" || true
  fi
  lab_down "$LAB/hold.pid"
}

case $cmd in
  up) up ;;
  ctl) ctl "$@" ;;
  hold) hold "$@" ;;
  down) down ;;
  *)
    echo "usage: opensmtpd_lab.sh up|ctl|down LAB" >&2
    exit 2
    ;;
esac
