# shellcheck shell=bash
# Helpers shared by the MTA labs (*_lab.sh) and their end-to-end tests (*_e2e.sh,
# tests/delivery/postfix_e2e.sh). Source it; it defines functions only.
#
# Lab side (LAB is the lab directory; every process started is recorded in a
# LAB/*.pid file so "down" can stop it by pid):
#   free_port                 prints a free TCP port on 127.0.0.1
#   sink NAME ARGS...         starts smtp-sink ARGS on a free loopback port; prints the port
#   lab_message FROM RCPT...  prints a small test message from FROM to RCPT...
#   wait_for SECONDS CMD...   polls CMD until it succeeds; fails after SECONDS
#   kill_pidfiles FILE...     kills the pid in each FILE that exists
#   lab_down [PIDFILE...]     kills the sinks and the PIDFILEs' processes, removes LAB
#   unpack_debs DIR PKG...    unpacks Debian packages PKG into LAB/root, from DIR's
#                             PKG_*.deb, DIR defaulting to the .debs that
#                             `install-deps.sh test` downloaded ($MAILREP_LAB_DEBS, else
#                             /var/cache/mailrep-exporter/lab-debs); fails naming a
#                             missing one (tests never download)
#   lab_user NAME UID HOME    adds user and group NAME (UID) to LAB/passwd, LAB/group
#                             (copies of /etc/passwd, /etc/group) unless already there
#   ns_script LINE...         writes LAB/ns.sh: bind-mounts LAB/passwd and LAB/group,
#                             runs LINE..., then execs its arguments
#   postfix_instance LOG RELAY_PORT
#                             a private Postfix config in LAB/etc (queue LAB/spool, data
#                             LAB/data, log LOG, relayhost 127.0.0.1:RELAY_PORT, transport
#                             map LAB/etc/transport, no chroot, no smtpd); callers append
#                             to LAB/etc/main.cf
#
# Test side:
#   e2e_need_root WHY         exits 77 (skipped) unless root
#   e2e_need_tools HINT TOOL...
#                             adds /usr/sbin:/sbin to PATH; fails unless every TOOL is there
#   e2e_lab_dir NAME [LAB_SCRIPT]
#                             sets LAB to a new mode-755 /tmp/mailrep_NAME_e2e.XXXXXX, which
#                             e2e_cleanup (also run on exit) removes after
#                             "LAB_SCRIPT down LAB/lab"
#   e2e_lab_up WHAT LINES LOG...
#                             runs "LAB_SCRIPT up LAB/lab"; on failure prints
#                             "FAIL: could not build the WHAT" and the last LINES of each LOG

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

sink() {
  local name=$1 port
  shift
  port=$(free_port)
  smtp-sink -u nobody "$@" "127.0.0.1:$port" 64 >"$LAB/sink-$name.out" 2>&1 &
  echo $! >"$LAB/sink-$name.pid"
  echo "$port"
}

lab_message() {
  local from=$1
  shift
  printf 'From: %s\nTo: %s\nSubject: lab %s\n\nhello\n' "$from" "$*" "$(date +%s%N)"
}

wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "timed out waiting for: $*" >&2
      return 1
    fi
    sleep 0.5
  done
}

kill_pidfiles() {
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
}

lab_down() {
  [ -d "$LAB" ] || return 0
  kill_pidfiles "$LAB"/sink-*.pid "$@"
  rm -rf "$LAB"
}

unpack_debs() {
  local dir=${1:-${MAILREP_LAB_DEBS:-/var/cache/mailrep-exporter/lab-debs}} pkg deb
  shift
  mkdir -p "$LAB/debs" "$LAB/root"
  for pkg in "$@"; do
    if ! compgen -G "$dir/${pkg}_*.deb" >/dev/null; then
      echo "no ${pkg}_*.deb in $dir (bash exporter/scripts/install-deps.sh test downloads it)" >&2
      return 1
    fi
    cp "$dir/${pkg}"_*.deb "$LAB/debs/"
  done
  for deb in "$LAB"/debs/*.deb; do dpkg -x "$deb" "$LAB/root"; done
}

lab_user() {
  [ -f "$LAB/passwd" ] || cp /etc/passwd "$LAB/passwd"
  [ -f "$LAB/group" ] || cp /etc/group "$LAB/group"
  grep -q "^$1:" "$LAB/passwd" || echo "$1:x:$2:$2::$3:/usr/sbin/nologin" >>"$LAB/passwd"
  grep -q "^$1:" "$LAB/group" || echo "$1:x:$2:" >>"$LAB/group"
}

ns_script() {
  {
    echo '#!/bin/bash'
    echo "mount --bind \"$LAB/passwd\" /etc/passwd"
    echo "mount --bind \"$LAB/group\" /etc/group"
    printf '%s\n' "$@"
    echo 'exec "$@"'
  } >"$LAB/ns.sh"
  chmod +x "$LAB/ns.sh"
}

postfix_instance() {
  mkdir -p "$LAB/etc" "$LAB/spool" "$LAB/data"
  chown postfix:postfix "$LAB/data"
  cp /etc/postfix/master.cf.proto "$LAB/etc/master.cf"
  cp /etc/postfix/dynamicmaps.cf "$LAB/etc/" 2>/dev/null || true
  cp -r /etc/postfix/dynamicmaps.cf.d "$LAB/etc/" 2>/dev/null || true
  cat >"$LAB/etc/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $LAB/spool
data_directory = $LAB/data
maillog_file = $1
maillog_file_prefixes = /tmp, $LAB
myhostname = lab.example.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
relayhost = [127.0.0.1]:$2
transport_maps = texthash:$LAB/etc/transport
alias_maps =
alias_database =
smtp_dns_support_level = disabled
MAIN
  postconf -c "$LAB/etc" -F '*/*/chroot = n'
  postconf -c "$LAB/etc" -M# smtp/inet
}

e2e_need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "SKIP: needs root ($1)"
    exit 77
  fi
}

e2e_need_tools() {
  local hint=$1 tool
  shift
  export PATH=$PATH:/usr/sbin:/sbin
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "FAIL: $tool not found$hint" >&2
      exit 1
    fi
  done
}

E2E_LAB_SCRIPT=""
e2e_lab_dir() {
  E2E_LAB_SCRIPT=${2:-}
  LAB=$(mktemp -d "/tmp/mailrep_$1_e2e.XXXXXX")
  chmod 755 "$LAB"
  trap e2e_cleanup EXIT
}

e2e_cleanup() {
  if [ -n "${LAB:-}" ]; then
    if [ -n "$E2E_LAB_SCRIPT" ]; then "$E2E_LAB_SCRIPT" down "$LAB/lab" || true; fi
    rm -rf "$LAB"
  fi
  LAB=""
}

e2e_lab_up() {
  local what=$1 lines=$2
  shift 2
  if ! "$E2E_LAB_SCRIPT" up "$LAB/lab"; then
    echo "FAIL: could not build the $what" >&2
    if [ $# -gt 0 ]; then tail -n "$lines" "$@" >&2 2>/dev/null || true; fi
    exit 1
  fi
}
