#!/bin/bash
# A private Exim (Debian's exim4-daemon-light binary, unpacked with
# `apt-get download` + `dpkg -x`, run in a private mount namespace with a
# bind-mounted /etc/passwd that has its compiled-in user Debian-exim) with a
# known, frozen spool, for the queue tests.
#
#   exim_lab.sh up LAB      unpack Exim into LAB, queue messages, try delivery once
#   exim_lab.sh bp LAB      print `exim -bp` for the lab spool
#   exim_lab.sh down LAB    stop what "up" started (by pid) and remove LAB
#
# After "up" the spool LAB/spool holds: a message with two pending recipients;
# one with a delivered and a deferred (452) recipient; one deferred by a
# refused connection; a frozen one; one from the null sender. No daemon runs.
# Everything listens on 127.0.0.1 only. Needs root, apt access to Debian's
# archive (or EXIM_DEBS=dir with the .debs), libidn12, and smtp-sink (postfix).
set -euo pipefail

cmd=${1:?usage: exim_lab.sh up|bp|down LAB}
LAB=${2:?usage: exim_lab.sh up|bp|down LAB}
EXIM_UID=1999

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

exim() {  # runs the unpacked exim with the lab config in a private mount namespace
  unshare -m "$LAB/ns.sh" "$LAB/root/usr/sbin/exim4" -C "$LAB/etc/exim.conf" "$@"
}

sink() {  # sink NAME ARGS...: an smtp-sink on a free loopback port; prints the port
  local name=$1 port
  shift
  port=$(free_port)
  smtp-sink -u nobody "$@" "127.0.0.1:$port" 64 >"$LAB/sink-$name.out" 2>&1 &
  echo $! >"$LAB/sink-$name.pid"
  echo "$port"
}

send() {  # send FROM RCPT...
  local from=$1
  shift
  printf 'From: %s\nTo: %s\nSubject: lab %s\n\nhello\n' "$from" "$*" "$(date +%s%N)" |
    exim -odq -f "$from" "$@"
}

up() {
  mkdir -p "$LAB/debs" "$LAB/root" "$LAB/etc" "$LAB/spool" "$LAB/log"
  if [ -n "${EXIM_DEBS:-}" ]; then
    cp "$EXIM_DEBS"/exim4-daemon-light_*.deb "$EXIM_DEBS"/exim4-base_*.deb "$LAB/debs/"
  else
    (cd "$LAB/debs" && apt-get download exim4-daemon-light exim4-base >/dev/null 2>&1)
  fi
  for deb in "$LAB"/debs/*.deb; do dpkg -x "$deb" "$LAB/root"; done
  cp /etc/passwd "$LAB/passwd"
  cp /etc/group "$LAB/group"
  echo "Debian-exim:x:$EXIM_UID:$EXIM_UID::$LAB/spool:/usr/sbin/nologin" >>"$LAB/passwd"
  echo "Debian-exim:x:$EXIM_UID:" >>"$LAB/group"
  cat >"$LAB/ns.sh" <<NS
#!/bin/bash
mount --bind "$LAB/passwd" /etc/passwd
mount --bind "$LAB/group" /etc/group
exec "\$@"
NS
  chmod +x "$LAB/ns.sh"
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
}

down() {
  [ -d "$LAB" ] || return 0
  local f
  for f in "$LAB"/sink-*.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$LAB"
}

case $cmd in
  up) up ;;
  bp) exim -bp ;;
  down) down ;;
  *) echo "usage: exim_lab.sh up|bp|down LAB" >&2; exit 2 ;;
esac
