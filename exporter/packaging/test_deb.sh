#!/usr/bin/env bash
# End-to-end test of the Debian package, on this machine (as root):
#   1. configure and build mailrep_exporter in its own build tree (never the
#      caller's, which may be building concurrently) with prefix /usr;
#   2. cpack -G DEB, and check the package's files, conffiles, Depends and
#      maintainer scripts;
#   3. install it with apt-get (dependencies from the shlibdeps Depends),
#      run the installed /usr/bin/mailrep_exporter --version and
#      --config.check on the shipped config, verify the systemd unit;
#   4. purge the package and check its files are gone.
# Usage: test_deb.sh <source dir> <work dir> [<build dir>]
# A given build dir configured with prefix /usr (as tests/run.sh does) is
# packaged as it is, saving a second build.
set -euo pipefail

src=$(cd "$1" && pwd)
work=$2
pkg=mailrep-exporter
apt_opts=(-y -qq -o DPkg::Lock::Timeout=600)

fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "must run as root (installs a package)"
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
  fail "$pkg is already installed on this machine; not touching it"
fi

mkdir -p "$work"
build="${3:-}"
if [ -n "$build" ] && grep -qx 'CMAKE_INSTALL_PREFIX:PATH=/usr' "$build/CMakeCache.txt" 2>/dev/null \
   && [ -x "$build/exporter/mailrep_exporter" ]; then
  echo "== packaging the existing build in $build"
else
  build="$work/build"
  echo "== configure and build in $build"
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >"$work/configure.log" 2>&1 \
    || { cat "$work/configure.log"; fail "configure"; }
  cmake --build "$build" --target mailrep_exporter -j"$(nproc)" >"$work/build.log" 2>&1 \
    || { tail -50 "$work/build.log"; fail "build"; }
fi

echo "== cpack"
rm -rf "$work/cpack"
(cd "$build" && cpack -G DEB --config CPackConfig.cmake -B "$work/cpack") >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack"; }
debs=("$work/cpack"/${pkg}_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb, got: ${debs[*]}"
deb=${debs[0]}
echo "built $(basename "$deb")"

echo "== package contents"
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/mailrep_exporter ./lib/systemd/system/mailrep_exporter.service \
         ./etc/mailrep_exporter/mailrep_exporter.yml ./etc/default/mailrep_exporter; do
  grep -qx "$f" <<<"$contents" || fail "$f missing from the package:"$'\n'"$contents"
done
control=$(mktemp -d)
trap 'rm -rf "$control"' EXIT
dpkg-deb -e "$deb" "$control"
grep -qx /etc/mailrep_exporter/mailrep_exporter.yml "$control/conffiles" || fail "conffiles"
grep -qx /etc/default/mailrep_exporter "$control/conffiles" || fail "conffiles"
for s in postinst prerm postrm; do [ -x "$control/$s" ] || fail "$s not executable"; done
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# Every shared library the binary needs must come from a package in Depends.
dep_names=$(sed 's/([^)]*)//g; s/|/,/g' <<<"$depends" | tr ',' '\n' | awk '{print $1}')
for soname in $(objdump -p "$build/exporter/mailrep_exporter" | awk '$1 == "NEEDED" {print $2}'); do
  # awk reads to the end: an early exit would SIGPIPE ldconfig and, under
  # pipefail, fail the assignment (and the test) at random.
  path=$(ldconfig -p | awk -v s="$soname" '$1 == s && p == "" {p = $NF} END {print p}')
  [ -n "$path" ] || fail "cannot find $soname"
  owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null) \
    || fail "no package owns $path"
  owner=${owner%%:*}
  names="$owner $(dpkg-query -W -f='${Provides}' "$owner" | sed 's/([^)]*)//g; s/,/ /g')"
  found=""
  for name in $names; do
    grep -qxF "$name" <<<"$dep_names" && found=$name
  done
  [ -n "$found" ] || fail "Depends lacks $owner (for $soname)"
done
[ "$(dpkg-deb -f "$deb" Package)" = "$pkg" ] || fail "package name"

echo "== install"
cleanup() {
  apt-get purge "${apt_opts[@]}" "$pkg" >/dev/null 2>&1 || dpkg --purge "$pkg" >/dev/null 2>&1 || true
  rm -rf "$control"
}
trap cleanup EXIT
DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" --no-install-recommends "$deb" \
  >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "apt-get install"; }
dpkg-query -W -f='${Status}\n' "$pkg" | grep -q "install ok installed" || fail "not installed"
getent passwd mailrep_exporter >/dev/null || fail "postinst did not create the mailrep_exporter user"
id -nG mailrep_exporter | grep -qw adm || fail "mailrep_exporter is not in group adm"

echo "== run the installed binary"
version=$(/usr/bin/mailrep_exporter --version)
echo "$version"
grep -q "^mailrep_exporter, version " <<<"$version" || fail "--version output"
/usr/bin/mailrep_exporter --config.check --config.file=/etc/mailrep_exporter/mailrep_exporter.yml \
  || fail "--config.check of the shipped config"
# The unit's ExecStart as written, run as the unprivileged user.
runuser -u mailrep_exporter -- /usr/bin/mailrep_exporter --config.check \
  --config.file=/etc/mailrep_exporter/mailrep_exporter.yml >/dev/null \
  || fail "--config.check as user mailrep_exporter"
unit=/lib/systemd/system/mailrep_exporter.service
grep -q '^ExecStart=/usr/bin/mailrep_exporter --config.file=/etc/mailrep_exporter/mailrep_exporter.yml' \
  "$unit" || fail "unit ExecStart"
for directive in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
                 CapabilityBoundingSet= 'ExecReload=/bin/kill -HUP $MAINPID'; do
  grep -qxF "$directive" "$unit" || fail "unit lacks $directive"
done
if command -v systemd-analyze >/dev/null; then
  # Offline verification: unknown keys, bad values, a missing ExecStart binary.
  systemd-analyze verify "$unit" >"$work/verify.log" 2>&1 || true
  if grep -F mailrep_exporter "$work/verify.log"; then
    fail "systemd-analyze verify reports problems in the unit"
  fi
fi

echo "== purge"
apt-get purge "${apt_opts[@]}" "$pkg" >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
trap 'rm -rf "$control"' EXIT
[ ! -e /usr/bin/mailrep_exporter ] || fail "/usr/bin/mailrep_exporter left after purge"
[ ! -e "$unit" ] || fail "$unit left after purge"
[ ! -e /etc/mailrep_exporter/mailrep_exporter.yml ] || fail "conffile left after purge"
echo "PASS: $(basename "$deb") builds, installs, runs and purges"
