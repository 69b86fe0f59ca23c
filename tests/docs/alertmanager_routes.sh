#!/bin/bash
# The Alertmanager example is valid and routes each kind of alert where the
# README says: amtool check-config, then amtool config routes test per case.
# Needs Debian's prometheus-alertmanager (amtool).
set -euo pipefail
config=${1:?usage: alertmanager_routes.sh alerts/alertmanager.example.yml}
amtool=/usr/bin/amtool
[ -x "$amtool" ] || { echo "FAIL: $amtool missing (apt-get install prometheus-alertmanager)"; exit 1; }

"$amtool" check-config "$config"

failures=0
expect() {  # expect RECEIVER LABEL=VALUE...
  local want=$1
  shift
  local got
  got=$("$amtool" config routes test --config.file="$config" "$@")
  if [ "$got" = "$want" ]; then
    echo "ok   $* -> $got"
  else
    echo "FAIL $* -> $got (want $want)"
    failures=$((failures + 1))
  fi
}

expect mail-team-pager alertname=MailrepDNSBLListedMajor severity=critical ip=192.0.2.10 dnsbl=zen.spamhaus.org
expect mail-team-pager alertname=MailrepReceiversCitingBlocklist severity=critical
expect mail-team-pager alertname=MailrepSPFFail severity=critical domain=example.com ip=192.0.2.10
expect mail-team-pager alertname=MailrepExporterDown severity=critical
expect mail-team-tickets alertname=MailrepDNSBLListedMinor severity=warning ip=192.0.2.10
expect mail-team-tickets alertname=MailrepQueueDeferredGrowing severity=warning
expect mail-team-tickets alertname=SomethingElse

[ "$failures" -eq 0 ] || { echo "$failures routing case(s) failed"; exit 1; }
echo "alertmanager example: config valid, 7 routing cases as documented"
