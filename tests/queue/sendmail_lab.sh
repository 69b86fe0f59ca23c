#!/bin/bash
# shellcheck disable=SC2016,SC2119  # sendmail.cf: literal $ macros; optional-argument helpers
# A private Sendmail (Debian's sendmail-bin 8.17 binary, unpacked with
# `dpkg -x` from the .debs install-deps.sh test downloads, never installed: it
# conflicts with postfix)
# with a known, frozen queue, for the queue tests. It runs as root in a
# private mount and UTS namespace (host name lab.example.test; bind-mounted
# /etc/passwd and /etc/group with Debian's smmta/smmsp users, and /etc/hosts,
# nsswitch.conf, resolv.conf that keep it off DNS) with a small hand-written sendmail.cf: its own
# queue directory, no daemon, no DNS, mailers that connect only to 127.0.0.1.
#
#   sendmail_lab.sh up LAB       unpack Sendmail into LAB, queue messages, run the queue once
#   sendmail_lab.sh mailq LAB    print `sendmail -bp` for the lab queue (all queue groups)
#   sendmail_lab.sh mailqq LAB   print `sendmail -bp -qQ` (the quarantined messages)
#   sendmail_lab.sh down LAB     stop what "up" started (by pid) and remove LAB
#
# After "up", LAB/mqueue is a queue root with the default queue group in
# qf/ df/ xf/ subdirectories and a queue group "slow" (Path=LAB/mqueue/slow*,
# i.e. slow1/ and slow2/, flat). It holds: a never-tried message with two
# recipients; one with a delivered and a deferred (452, mailbox) recipient; one
# deferred by a refused connection; one deferred by a 451 "blocked using" reply
# in group "slow"; one in "slow" with a 451 and a 452 recipient; one from the
# null sender; a quarantined one (hf).
# Needs root, the .debs install-deps.sh test downloads (or SENDMAIL_DEBS=dir with the
# sendmail-bin and libwrap0 .debs), and smtp-sink (postfix).
set -euo pipefail

cmd=${1:?usage: sendmail_lab.sh up|mailq|mailqq|down LAB}
LAB=${2:?usage: sendmail_lab.sh up|mailq|mailqq|down LAB}
# shellcheck source=lab_lib.sh
. "$(dirname "$0")/lab_lib.sh"

sm() {  # the unpacked sendmail with the lab config, in a private mount namespace
  LD_LIBRARY_PATH="$LAB/root/usr/lib/x86_64-linux-gnu" \
    unshare -m -u "$LAB/ns.sh" "$LAB/root/usr/libexec/sendmail/sendmail" -C "$LAB/etc/sendmail.cf" "$@"
}

send() {  # send FROM RCPT...: queue only (-odq), no delivery attempt
  lab_message "$@" | sm -odq -f "$@"
}

mailer() {  # mailer NAME PORT [EQUATES]: an SMTP mailer to 127.0.0.1:PORT
  printf 'M%s, P=[IPC], F=mDFMuXa, E=\\r\\n, L=990, T=DNS/RFC822/SMTP%s, A=TCP $h %s\n' \
    "$1" "${3:+, $3}" "$2"
}

route() {  # route DOMAIN MAILER: ruleset 0 line
  printf 'R$+ @ %s\t$#%s $@ [127.0.0.1] $: $1 @ %s\n' "$1" "$2" "$1"
}

up() {
  mkdir -p "$LAB/etc" "$LAB/run" "$LAB/mqueue"
  unpack_debs "${SENDMAIL_DEBS:-}" sendmail-bin libwrap0
  # Not setgid: the loader must honour LD_LIBRARY_PATH (libwrap0 is unpacked too).
  chmod g-s "$LAB/root/usr/libexec/sendmail/sendmail"
  lab_user smmta 1998 "$LAB/mqueue"
  lab_user smmsp 1997 "$LAB/mqueue"
  ns_script "mount --bind \"$LAB/etc/hosts\" /etc/hosts" \
    "mount --bind \"$LAB/etc/nsswitch.conf\" /etc/nsswitch.conf" \
    "mount --bind \"$LAB/etc/resolv.conf\" /etc/resolv.conf" "hostname lab.example.test"
  # No DNS: sendmail qualifies its host name at start; the lab's name is in its own hosts file.
  printf 'hosts files\naliases files\npasswd files\n' >"$LAB/etc/service.switch"
  printf '127.0.0.1 lab.example.test lab localhost\n' >"$LAB/etc/hosts"
  printf 'passwd: files\ngroup: files\nhosts: files\n' >"$LAB/etc/nsswitch.conf"
  printf 'nameserver 127.0.0.1\n' >"$LAB/etc/resolv.conf"
  : >"$LAB/etc/aliases"
  # The default queue group with qf/df/xf subdirectories; group "slow" in two flat directories.
  mkdir -p "$LAB/mqueue/qf" "$LAB/mqueue/df" "$LAB/mqueue/xf" "$LAB/mqueue/slow1" \
    "$LAB/mqueue/slow2"
  chmod -R 0700 "$LAB/mqueue"

  local ok soft blocked down
  ok=$(sink ok)
  soft=$(sink soft -r RCPT -b "452 4.2.2 <user> Mailbox full, try again later")
  blocked=$(sink blocked -r RCPT -b "451 4.7.1 Service unavailable; client host blocked using lab.dnsbl.example.test")
  down=$(free_port)
  {
    cat <<CF
V10/Berkeley
Dj lab.example.test
Dw lab
Dm example.test
Cw localhost lab.example.test
DZ8.17
De\$j Sendmail \$v/\$Z; \$b
O SmtpGreetingMessage=\$j Sendmail \$v/\$Z; \$b
O UnixFromLine=From \$g \$d
O OperatorChars=.:%@!^/[]+
O QueueDirectory=$LAB/mqueue
O PidFile=$LAB/run/sendmail.pid
O ServiceSwitchFile=$LAB/etc/service.switch
O AliasFile=$LAB/etc/aliases
O HostsFile=/etc/hosts
O DefaultUser=smmta:smmta
O LogLevel=9
O MinQueueAge=0
O QueueLA=100
O RefuseLA=100
O Timeout.queuereturn=5d
O Timeout.queuewarn=2d
O DontProbeInterfaces=true
O SuperSafe=True
O QueueFileMode=0600
O DeliveryMode=queueonly
Qmqueue, P=$LAB/mqueue
Qslow, P=$LAB/mqueue/slow*, F=f, I=1m
H?P?Return-Path: <\$g>
H?D?Date: \$a
H?F?From: \$g
H?M?Message-Id: <\$t.\$i@\$j>
Mlocal, P=/bin/true, F=lsDFMAw5:/|@qSPfhn9, T=DNS/RFC822/X-Unix, A=true
Mprog, P=/bin/sh, F=lsDFMoqeu9, T=X-Unix/X-Unix/X-Unix, A=sh -c \$u
CF
    mailer sink "$ok"
    mailer soft "$soft"
    mailer blocked "$blocked" "Q=slow"
    mailer down "$down"
    printf 'S3\nR$* < > $*\t$@ <@>\nR$* < $+ > $*\t$2\nS0\nR<@>\t$#local $: <@>\n'
    route ok.example.test sink
    route soft.example.test soft
    route blocked.example.test blocked
    route down.example.test down
    printf 'R$+ @ $+\t$#down $@ [127.0.0.1] $: $1 @ $2\n'
    printf 'R$*\t$#error $@ 5.1.2 $: "550 no route"\n'
  } >"$LAB/etc/sendmail.cf"

  send s1@lab.example.test c@ok.example.test d@soft.example.test
  send s2@lab.example.test e@down.example.test
  send s3@lab.example.test f@blocked.example.test
  # Two recipients, two reasons; the whole message goes to "slow" (its first recipient's group).
  send s5@lab.example.test x@blocked.example.test y@soft.example.test
  sm -q >/dev/null 2>&1 || true
  # Never tried.
  send s1@lab.example.test a@one.example.test b@two.example.test
  # Null sender.
  printf 'Subject: bounce\n\nnull sender\n' | sm -odq -f '<>' g@two.example.test
  # Quarantined.
  send s4@lab.example.test h@one.example.test
  local id
  id=$(sm -bp | awk '$0 ~ /s4@lab.example.test/ {print $1}')
  sm -Q"lab hold" -qI"$id" >/dev/null
}

case $cmd in
  up) up ;;
  mailq) sm -bp ;;
  mailqq) sm -bp -qQ ;;
  down) lab_down ;;
  *) echo "usage: sendmail_lab.sh up|mailq|mailqq|down LAB" >&2; exit 2 ;;
esac
