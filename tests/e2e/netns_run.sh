#!/bin/sh
# netns_run.sh COMMAND [ARGS...]: runs an end-to-end test where it can reach
# nothing but loopback, and fails it if it tried to reach anything else.
#
# As root, with unshare(1) and ip(8), COMMAND runs in a fresh network
# namespace whose only interface is `lo` (up): a packet to any other address
# (the system resolver, 192.0.2.x, a public host) has no route and fails with
# ENETUNREACH instead of leaving the machine. The kernel counts every such
# attempt (Ip OutNoRoutes in /proc/net/snmp, Ip6OutNoRoutes in
# /proc/net/snmp6, both per namespace); when either is non-zero afterwards the
# test fails with exit 1, even if COMMAND itself passed, because a quiet DNS
# error inside the exporter is exactly the regression this guards against.
#
# Otherwise (not root, or namespaces unavailable, as in some containers)
# COMMAND runs directly and a note on stderr says so. COMMAND's exit code is
# passed through (77 stays a skip).
set -u

counter() {  # counter FILE NAME: value of NAME in /proc/net/snmp-style FILE
  awk -v name="$2" '
    $1 == "Ip:" && !header { for (i = 2; i <= NF; i++) col[$i] = i; header = 1; next }
    $1 == "Ip:" && header && (name in col) { print $col[name]; exit }
    $1 == name { print $2; exit }' "$1"
}

if [ "${MAILREP_NETNS_RUN_INSIDE:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null &&
     unshare --net true 2>/dev/null; then
    MAILREP_NETNS_RUN_INSIDE=1 exec unshare --net "$0" "$@"
  fi
  echo "netns_run.sh: no private network namespace (needs root, unshare and ip);" \
       "running without the loopback-only guard" >&2
  exec "$@"
fi

# Inside the new namespace. Children must not think they are the wrapper.
unset MAILREP_NETNS_RUN_INSIDE
ip link set lo up || { echo "netns_run.sh: cannot bring lo up" >&2; exit 1; }
"$@"
rc=$?
v4=$(counter /proc/net/snmp OutNoRoutes)
v6=$(counter /proc/net/snmp6 Ip6OutNoRoutes)
if [ "${v4:-0}" != 0 ] || [ "${v6:-0}" != 0 ]; then
  echo "netns_run.sh: FAIL: the test tried to send to non-loopback addresses" \
       "(${v4:-0} IPv4 and ${v6:-0} IPv6 packets without a route; tests may only use" \
       "127.0.0.0/8 and ::1)" >&2
  [ "$rc" = 0 ] || [ "$rc" = 77 ] && rc=1
fi
exit "$rc"
