#!/bin/bash
# Regenerates the log-shape samples in this folder from messages.txt with the
# real tools that write each shape (see README.md). Not run by the tests: the
# outputs are committed. Needs util-linux `logger`, systemd-journal-remote,
# journalctl, python3, and for the last two shapes daemontools' multilog and
# moreutils' ts. Stamps vary per run; the tests only rely on the shapes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill "${listener:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
messages() { grep -v '^#' "$here/messages.txt"; }

# 1-3: logger to a unix datagram socket we own, as programs write to /dev/log.
python3 - "$work/sock" "$work/received" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "wb", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")  # one datagram, one line
PY
listener=$!
while [ ! -S "$work/sock" ]; do sleep 0.1; done
: >"$work/received"
for shape in devlog rfc3164 rfc5424; do
  before=$(wc -l <"$work/received")
  flag=()
  [ "$shape" = devlog ] || flag=("--$shape")
  while IFS='|' read -r tag pid msg; do
    logger -u "$work/sock" -t "$tag" --id="$pid" "${flag[@]}" -- "$msg"
  done < <(messages)
  n=$(messages | wc -l)
  while [ "$(wc -l <"$work/received")" -lt "$((before + n))" ]; do sleep 0.1; done
  tail -n +"$((before + 1))" "$work/received" >"$here/logger_$shape.log"
done

# 4-9: a journal file written by systemd-journal-remote from export format,
# printed by journalctl in each short format.
t=1795786192123456
while IFS='|' read -r tag pid msg; do
  printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=0123456789abcdef0123456789abcdef\n' \
    "$t" "$((t - 1795786000000000))"
  printf '_HOSTNAME=lab\nSYSLOG_IDENTIFIER=%s\n_PID=%s\nMESSAGE=%s\n\n' "$tag" "$pid" "$msg"
  t=$((t + 1000))
done < <(messages) >"$work/export"
/lib/systemd/systemd-journal-remote --output="$work/lab.journal" "$work/export" 2>/dev/null
for o in short short-iso short-precise short-full short-unix short-iso-precise; do
  TZ=UTC journalctl --file="$work/lab.journal" -o "$o" >"$here/journalctl_${o//-/_}.log"
done

# 10: daemontools' TAI64N stamp (what `multilog t` writes) on the raw
# /dev/log lines; 11: an extra ISO stamp, as a relay or moreutils' `ts`
# prepends, on the RFC 3164 lines; 12: qmail-send's own lines (the notqmail
# lab sample, qmail_send.txt) under multilog.
tai64n <"$here/logger_devlog.log" >"$here/tai64n_devlog.log"
TZ=UTC ts '%Y-%m-%dT%H:%M:%.S%z' <"$here/logger_rfc3164.log" >"$here/ts_rfc3164.log"
grep -v '^#' "$here/qmail_send.txt" | tai64n >"$here/tai64n_qmail_send.log"
