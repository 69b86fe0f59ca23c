#!/bin/sh
# rootfs.sh BINARY ROOT: run by the image's build stage (Containerfile). Makes the
# directory ROOT (which must not exist yet) and fills it with what BINARY needs at run
# time and nothing else; ROOT is then the whole image:
#   /usr/bin/mailrep_exporter     BINARY, stripped
#   its shared libraries and the dynamic loader, at the paths ldd names
#   /etc/ssl/certs/ca-certificates.crt   CA bundle of the HTTPS fetcher (libcurl)
#   /usr/share/publicsuffix/public_suffix_list.dat   read by the DMARC checks
#                                 (collectors/auth/psl.h)
#   /etc/passwd, /etc/group       root and nobody/nogroup (65534), the image's user
#   /etc/nsswitch.conf            files for users; files, then DNS for host names
#   /tmp                          empty, mode 1777
#   /etc/os-release, /var/lib/dpkg/status.d/<package>, /usr/share/doc/<package>/copyright
#                                 the Debian release and the packages the files come
#                                 from, for image scanners, with their licences
# There is no shell, package manager or other program.
set -eu

binary=$1
root=$2
mkdir "$root"

install -D -m 0755 "$binary" "$root/usr/bin/mailrep_exporter"
strip --strip-unneeded "$root/usr/bin/mailrep_exporter"

# The libraries and, as an absolute first word, the loader. A missing one fails here.
libs=$(ldd "$binary" | awk '
  /not found/ { print "missing: " $0 > "/dev/stderr"; bad = 1 }
  $2 == "=>" && $3 ~ /^\// { print $3 }
  $1 ~ /^\// { print $1 }
  END { exit bad }')
files="/etc/ssl/certs/ca-certificates.crt /usr/share/publicsuffix/public_suffix_list.dat"
for f in $libs $files; do
  cp --parents -L "$f" "$root"
done

mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/dpkg/status.d"
chmod 1777 "$root/tmp"
printf '%s\n' 'root:x:0:0:root:/root:/usr/sbin/nologin' \
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >"$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$root/etc/nsswitch.conf"
cp -L /etc/os-release "$root/etc/os-release"

# package_of PATH: the Debian package that ships PATH (merged /usr: under either name).
package_of() {
  # Made by update-ca-certificates from that package's certificates; listed by none.
  if [ "$1" = /etc/ssl/certs/ca-certificates.crt ]; then
    echo ca-certificates
    return
  fi
  real=$(readlink -f "$1")
  for p in "$1" "$real" "${real#/usr}"; do
    if pkg=$(dpkg-query -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$pkg" ]; then
      echo "$pkg"
      return
    fi
  done
  echo "rootfs.sh: no Debian package ships $1" >&2
  exit 1
}
packages=""
for f in $libs $files; do
  pkg=$(package_of "$f")
  packages="$packages $pkg"
done
for pkg in $(printf '%s\n' $packages | sort -u); do
  dpkg-query -s "$pkg" >"$root/var/lib/dpkg/status.d/$pkg"
  if [ -f "/usr/share/doc/$pkg/copyright" ]; then
    install -D -m 0644 "/usr/share/doc/$pkg/copyright" "$root/usr/share/doc/$pkg/copyright"
  fi
done

# It starts in ROOT alone (no file of the build stage reachable).
chroot "$root" /usr/bin/mailrep_exporter --version
