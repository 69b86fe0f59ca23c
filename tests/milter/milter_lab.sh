# shellcheck shell=bash
# Shared by the milter's Postfix e2e test and benchmark (sourced; bash):
# a private Postfix instance with an smtpd on a loopback port ($SMTPD),
# relaying to one smtp-sink receiver, its smtpd_milters and non_smtpd_milters
# pointing at the exporter's milter on 127.0.0.1:$MILTER with
# milter_default_action = accept, and the exporter with only the milter
# collector on. Root only; cleans up on exit.
#
#   milter_lab [EXTRA_MILTER_OPTION_LINE]   sets LAB, LOG, SMTPD, MILTER, WEB_PORT
#   start_exporter                          starts it, waits for mailrep_milter_up 1
#   metric_is NAME LABELS VALUE             the sample NAME{LABELS} is VALUE
#   milters on|off                          sets or clears the two milter lists, reloads
# shellcheck source=../queue/lab_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../queue/lab_lib.sh"

milter_lab() {
  e2e_lab_dir milter
  LOG=$LAB/log/postfix.log
  EXPORTER_PID=""
  POSTFIX_UP=0
  # shellcheck disable=SC2317  # called by the EXIT trap
  cleanup() {
    if [ "$POSTFIX_UP" = 1 ]; then postfix -c "$LAB/etc" stop >/dev/null 2>&1 || true; fi
    kill_pidfiles "$LAB"/sink-*.pid
    if [ -n "$EXPORTER_PID" ]; then kill "$EXPORTER_PID" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$LAB"
  }
  trap cleanup EXIT
  mkdir -p "$LAB/log"

  OK=$(sink ok)
  SMTPD=$(free_port)
  MILTER=$(free_port)
  postfix_instance "$LOG" "$OK"
  cat >>"$LAB/etc/main.cf" <<MAIN
smtp_bind_address = 127.0.0.1
mynetworks = 127.0.0.0/8
smtpd_milters = inet:127.0.0.1:$MILTER
non_smtpd_milters = inet:127.0.0.1:$MILTER
milter_default_action = accept
milter_connect_timeout = 5s
MAIN
  : >"$LAB/etc/transport"
  postconf -c "$LAB/etc" -M "127.0.0.1:$SMTPD/inet = 127.0.0.1:$SMTPD inet n - n - - smtpd"

  WEB_PORT=$(free_port)
  cat >"$LAB/exporter.yml" <<YML
collectors:
  milter:
    enabled: true
    interval: 1s
    timeout: 1s
    listen: inet:127.0.0.1:$MILTER
    $1
    sender_domains: [lab.example.test]
    lists: []
YML
  OFF=()
  for c in $("$EXPORTER" --help 2>&1 | grep -o -- '--\[no-\]collector\.[a-z_]*' | sed 's/.*collector\.//'); do
    if [ "$c" != milter ]; then OFF+=("--no-collector.$c"); fi
  done
}

start_exporter() {
  "$EXPORTER" --config.file="$LAB/exporter.yml" --web.listen-address="127.0.0.1:$WEB_PORT" \
    --path.rootfs="$LAB" "${OFF[@]}" >>"$LAB/exporter.log" 2>&1 &
  EXPORTER_PID=$!
  wait_for 20 metric_is mailrep_milter_up '' 1
}
# metric_is NAME LABELS VALUE: the sample NAME{LABELS} has VALUE.
metric_is() {
  local want=$1
  [ -z "$2" ] || want="$want{$2}"
  curl -sf "http://127.0.0.1:$WEB_PORT/metrics" 2>/dev/null | grep -qFx -- "$want $3"
}
milters() {
  local m=""
  [ "$1" = on ] && m="inet:127.0.0.1:$MILTER"
  postconf -c "$LAB/etc" -e "smtpd_milters = $m" "non_smtpd_milters = $m"
  if [ "$POSTFIX_UP" = 1 ]; then postfix -c "$LAB/etc" reload >/dev/null 2>&1; fi
}
