#!/bin/bash
# The spamscore collector against a real SpamAssassin spamd (Debian 12's
# spamassassin, spamd and spamc, and the Perl modules they need, unpacked from
# the .debs that `install-deps.sh test` downloads, never installed: an
# installed spamd would start a system daemon).
#
# spamd runs on 127.0.0.1 with a private site config (no DNS, no Bayes, local
# tests only) and logs to its own file (--syslog=FILE). spamc sends it a
# clean message, the GTUBE test message and a header-less one; the exporter
# follows the log (missing at start) and its /metrics must show each verdict:
# actions, the score histogram, the threshold, allow-listed symbol hits and no
# parse error. Only loopback addresses are used. Cleans up after itself.
#
# usage: spamd_e2e.sh PATH/TO/mailrep_exporter     (as root; exit 77 = skipped)
set -euo pipefail
EXPORTER=${1:?usage: spamd_e2e.sh PATH/TO/mailrep_exporter}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../queue/lab_lib.sh
. "$HERE/../queue/lab_lib.sh"
e2e_need_root "spamd drops its privileges to nobody"
e2e_need_tools "; install perl" perl

e2e_lab_dir spamd
PIDS=()
cleanup() {
  kill_pidfiles "$LAB/spamd.pid"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  e2e_cleanup
}
trap cleanup EXIT

# The packages of exporter/scripts/install-deps.sh's spamd_debs list.
mapfile -t DEBS < <(sed -n 's/^spamd_debs+=(\(.*\))$/\1/p' \
  "$HERE/../../exporter/scripts/install-deps.sh" | tr ' ' '\n' | sed '/^$/d')
unpack_debs "" "${DEBS[@]}"
R=$LAB/root
mkdir -p "$LAB/etc" "$LAB/log"
cp "$R"/etc/spamassassin/*.pre "$LAB/etc/"
cat >"$LAB/etc/local.cf" <<'CF'
dns_available no
use_bayes 0
required_score 5.0
CF
chmod -R a+rX "$LAB"

# The exporter first: the log does not exist yet. Every other collector off.
WEB_PORT=$(free_port)
cat >"$LAB/exporter.yml" <<YML
collectors:
  spamscore:
    enabled: true
    interval: 1s
    timeout: 1s
    sources:
      - path: /log/spamd.log
        filter: spamassassin
    symbols: [GTUBE, MISSING_*]
YML
OFF=()
for c in $("$EXPORTER" --help 2>&1 | grep -o -- '--\[no-\]collector\.[a-z_]*' | sed 's/.*collector\.//'); do
  [ "$c" != spamscore ] && OFF+=("--no-collector.$c")
done
"$EXPORTER" --config.file="$LAB/exporter.yml" --web.listen-address="127.0.0.1:$WEB_PORT" \
  --path.rootfs="$LAB" "${OFF[@]}" >"$LAB/exporter.log" 2>&1 &
PIDS+=($!)

SPAMD_PORT=$(free_port)
perl -T -I"$R/usr/share/perl5" -I"$R/usr/lib/x86_64-linux-gnu/perl5/5.36" "$R/usr/sbin/spamd" \
  --local --nouser-config --listen-ip=127.0.0.1 --port="$SPAMD_PORT" --allowed-ips=127.0.0.1 \
  --configpath="$R/usr/share/spamassassin" --siteconfigpath="$LAB/etc" \
  --syslog="$LAB/log/spamd.log" --pidfile="$LAB/spamd.pid" --username=nobody --max-children=1 \
  >"$LAB/spamd.out" 2>&1 &
PIDS+=($!)
spamd_ready() { grep -q 'server successfully spawned child' "$LAB/log/spamd.log" 2>/dev/null; }
wait_for 90 spamd_ready || { tail -n 20 "$LAB/spamd.out" >&2; exit 1; }

spamc() { "$R/usr/bin/spamc" -d 127.0.0.1 -p "$SPAMD_PORT" -c >/dev/null || true; }
printf 'From: a@example.org\nTo: b@example.net\nSubject: lunch\nDate: Tue, 8 Dec 2026 00:25:00 +0000\nMessage-ID: <ham1@example.org>\n\nJust a note about lunch.\n' | spamc
printf 'From: a@example.org\nTo: b@example.net\nSubject: test\nMessage-ID: <gtube1@example.org>\n\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n' | spamc
printf 'Subject: x\n\nno headers much\n' | spamc
three_results() { [ "$(grep -c 'spamd: result: ' "$LAB/log/spamd.log")" -ge 3 ]; }
wait_for 30 three_results || { tail -n 20 "$LAB/log/spamd.log" >&2; exit 1; }

check() {
  /usr/bin/python3 - "http://127.0.0.1:$WEB_PORT/metrics" <<'PY'
import re, sys, urllib.request
text = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
def value(name, **labels):
    for line in text.splitlines():
        m = re.match(r'^([a-z_]+)(\{.*\})? (\S+)$', line)
        if not m or m.group(1) != name:
            continue
        got = dict(re.findall(r'([a-z_]+)="([^"]*)"', m.group(2) or ""))
        if all(got.get(k) == v for k, v in labels.items()):
            return float(m.group(3))
    return None
want = [
    (("mailrep_spam_messages_total",), dict(filter="spamassassin", action="spam"), 2),
    (("mailrep_spam_messages_total",), dict(filter="spamassassin", action="not_spam"), 1),
    (("mailrep_spam_score_count",), dict(filter="spamassassin"), 3),
    (("mailrep_spam_score_bucket",), dict(filter="spamassassin", le="0"), 1),
    (("mailrep_spam_score_bucket",), dict(filter="spamassassin", le="30"), 2),
    (("mailrep_spam_threshold",), dict(filter="spamassassin"), 5),
    (("mailrep_spam_symbol_hits_total",), dict(filter="spamassassin", symbol="GTUBE"), 1),
    (("mailrep_spam_symbol_hits_total",), dict(filter="spamassassin", symbol="MISSING_FROM"), 1),
    (("mailrep_spam_log_lines_total",), dict(source="/log/spamd.log", result="parsed"), 3),
    (("mailrep_spam_log_lines_total",), dict(source="/log/spamd.log", result="malformed"), 0),
    (("mailrep_spam_log_source_up",), dict(source="/log/spamd.log"), 1),
]
bad = [(n[0], l, v, value(n[0], **l)) for n, l, v in want if value(n[0], **l) != v]
if value("mailrep_spam_log_parse_errors_total") is not None:
    bad.append(("mailrep_spam_log_parse_errors_total", {}, "absent", "present"))
for b in bad:
    print("want %s%s = %s, got %s" % b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}
check_quietly() { check 2>/dev/null; }
if ! wait_for 20 check_quietly; then
  check || true
  grep 'spamd: result' "$LAB/log/spamd.log" >&2 || true
  tail -n 20 "$LAB/exporter.log" >&2
  echo "FAIL: the exporter's spam metrics do not match spamd's verdicts" >&2
  exit 1
fi
echo "PASS: spamd's three verdicts are in /metrics"
