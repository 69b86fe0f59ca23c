#!/bin/bash
# shellcheck disable=SC2119  # lab_lib functions with optional arguments
# A private Exim (Debian's exim4-daemon-light binary, unpacked with
# `dpkg -x` from the .debs install-deps.sh test downloads, run in a private mount namespace with a
# bind-mounted /etc/passwd that has its compiled-in user Debian-exim) with a
# known, frozen spool, for the queue tests.
#
#   exim_lab.sh up LAB      unpack Exim into LAB, queue messages, try delivery once
#   exim_lab.sh bp LAB      print `exim -bp` for the lab spool
#   exim_lab.sh down LAB    stop what "up" started (by pid) and remove LAB
#
# After "up" the spool LAB/spool holds: a message with two pending recipients;
# one with a delivered and a deferred (452) recipient; one deferred by a
# refused connection; a frozen one; one from the null sender (all five sent
# by root's local `exim`, U=root); three from alice, authenticated, and one
# from an unauthenticated client, not yet tried. No daemon runs.
# Everything listens on 127.0.0.1 only. Needs root, the exim4 .debs
# (install-deps.sh test; or EXIM_DEBS=dir), libidn12, and smtp-sink (postfix).
set -euo pipefail

cmd=${1:?usage: exim_lab.sh up|bp|down LAB}
LAB=${2:?usage: exim_lab.sh up|bp|down LAB}
EXIM_UID=1999
# shellcheck source=lab_lib.sh
. "$(dirname "$0")/lab_lib.sh"

exim() {  # runs the unpacked exim with the lab config in a private mount namespace
  unshare -m "$LAB/ns.sh" "$LAB/root/usr/sbin/exim4" -C "$LAB/etc/exim.conf" "$@"
}

send() {  # send FROM RCPT...
  lab_message "$@" | exim -odq -f "$@"
}

up() {
  mkdir -p "$LAB/etc" "$LAB/spool" "$LAB/log"
  unpack_debs "${EXIM_DEBS:-}" exim4-daemon-light exim4-base
  lab_user Debian-exim "$EXIM_UID" "$LAB/spool"
  ns_script
  chown "$EXIM_UID:$EXIM_UID" "$LAB/spool" "$LAB/log"
  chmod 750 "$LAB/spool" "$LAB/log"

  local ok soft down
  ok=$(sink ok)
  soft=$(sink soft -r RCPT -b "452 4.2.2 <user> Mailbox full, try again later")
  down=$(free_port)
  cat >"$LAB/etc/exim.conf" <<CONF
primary_hostname = lab.example.test
spool_directory = $LAB/spool
log_file_path = $LAB/log/%slog
exim_user = Debian-exim
exim_group = Debian-exim
never_users =
trusted_users = root
keep_environment =
begin routers
ok:
  driver = manualroute
  domains = ok.example.test
  route_list = * 127.0.0.1
  self = send
  transport = to_ok
soft:
  driver = manualroute
  domains = soft.example.test
  route_list = * 127.0.0.1
  self = send
  transport = to_soft
down:
  driver = manualroute
  route_list = * 127.0.0.1
  self = send
  transport = to_down
begin transports
to_ok:
  driver = smtp
  port = $ok
  allow_localhost
  hosts_try_chunking =
to_soft:
  driver = smtp
  port = $soft
  allow_localhost
  hosts_try_chunking =
to_down:
  driver = smtp
  port = $down
  allow_localhost
begin retry
* * F,1h,1h
CONF

  send s1@lab.example.test a@one.example.test b@two.example.test
  # Delivered + deferred, and connection refused: one queue run each.
  send s1@lab.example.test c@ok.example.test d@soft.example.test
  send s2@lab.example.test e@down.example.test
  local id
  # Deliver only the messages for ok/soft/down (not the first one): -R selects by recipient.
  exim -qff -R ok.example.test >/dev/null 2>&1 || true
  exim -qff -R down.example.test >/dev/null 2>&1 || true
  # Frozen.
  send s3@lab.example.test f@one.example.test
  id=$(exim -bp | awk '/^ *[0-9]+[mhd] / {last=$3} END {print last}')
  exim -Mf "$id" >/dev/null
  # Null sender.
  printf 'Subject: bounce\n\nnull sender\n' | exim -odq -f '<>' g@two.example.test
  # Other submitters than root's local `exim`: as a trusted caller, root may
  # set what an SMTP session would (-oMa client address, -oMr protocol,
  # -oMaa/-oMai authenticator and authenticated id, -oMas AUTH= sender), and
  # Exim writes them to the -H file and its log as for such a session.
  local n
  for n in 1 2 3; do
    lab_message alice@auth.example.test "h$n@one.example.test" |
      exim -odq -oMa 192.0.2.7.40312 -oMr esmtpsa -oMaa PLAIN -oMai alice \
        -oMas alice@auth.example.test -f alice@auth.example.test "h$n@one.example.test"
  done
  lab_message c@client.example.test i@two.example.test |
    exim -odq -oMa 192.0.2.9.5000 -oMr esmtp -f c@client.example.test i@two.example.test
}

case $cmd in
  up) up ;;
  bp) exim -bp ;;
  down) lab_down ;;
  *) echo "usage: exim_lab.sh up|bp|down LAB" >&2; exit 2 ;;
esac
