#!/usr/bin/env bash
# Builds the mailrep_exporter container image from this tree without any container
# registry, as root:
#   1. bootstraps Debian 12 with the build packages (install-deps.sh list, plus ccache)
#      from Debian's package registry with mmdebstrap, into a tarball cached under
#      $MAILREP_IMAGE_CACHE/base (the only step that needs the network);
#   2. imports it into private container storage (containers_env.sh);
#   3. builds exporter/image/Containerfile with buildah, tagged with the Helm chart's
#      default image, ghcr.io/mailrep/mailrep_exporter:<version of CMakeLists.txt>;
#   4. prints the image's uncompressed size and the build time.
# Run it again after a change: unchanged sources reuse the cached layers, changed ones
# recompile through ccache. Run podman on the result through podman.sh.
#
# Usage: build.sh [--base-only] [--offline] [--refresh-base] [--print-name]
#   --base-only     step 1 only (install-deps.sh test runs it, so tests need no network)
#   --offline       fail instead of bootstrapping when the base tarball is not cached
#   --refresh-base  bootstrap the base again (Debian security updates for the image)
#   --print-name    print the image name and exit
# MAILREP_IMAGE overrides the name; see containers_env.sh for the cache and storage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

base_only=0 offline=0 refresh=0 print_name=0
for arg in "$@"; do
  case "$arg" in
    --base-only) base_only=1 ;;
    --offline) offline=1 ;;
    --refresh-base) refresh=1 ;;
    --print-name) print_name=1 ;;
    *) echo "usage: build.sh [--base-only] [--offline] [--refresh-base] [--print-name]" >&2
       exit 2 ;;
  esac
done

version=$(sed -n 's/^project(mailrep_exporter VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
[ -n "$version" ] || { echo "build.sh: no project VERSION in CMakeLists.txt" >&2; exit 1; }
image=${MAILREP_IMAGE:-ghcr.io/mailrep/mailrep_exporter:$version}
if [ "$print_name" = 1 ]; then
  echo "$image"
  exit 0
fi

source "$here/containers_env.sh"
start=$(date +%s)

# -- 1. The Debian base of the build stage, named by what goes into it.
packages=($(bash "$repo/exporter/scripts/install-deps.sh" list) ccache)
sources="deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main"
key=$(printf '%s\n' "${packages[@]}" "$sources" | sha256sum | cut -c1-12)
base_tar=$image_cache/base/debian12-build-$key.tar
base_image=localhost/mailrep-exporter-build-base:$key
if [ ! -f "$base_tar" ] || [ "$refresh" = 1 ]; then
  if [ "$offline" = 1 ]; then
    echo "build.sh: $base_tar is not cached; run exporter/scripts/install-deps.sh test" \
         "(or build.sh --base-only) where deb.debian.org is reachable" >&2
    exit 1
  fi
  echo "== mmdebstrap: Debian 12 with ${packages[*]}" >&2
  mkdir -p "$image_cache/base"
  rm -rf "$image_cache"/base/*.tmp
  mmdebstrap --quiet --variant=essential --format=tar --include="$(IFS=,; echo "${packages[*]}")" \
    bookworm "$base_tar.tmp" - <<<"$sources"
  mv "$base_tar.tmp" "$base_tar"
  if image_podman image exists "$base_image"; then  # import the new one below
    image_podman untag "$base_image"
  fi
fi
for old in "$image_cache"/base/debian12-build-*.tar; do  # of an older package list
  [ "$old" = "$base_tar" ] || rm -f "$old"
done
[ "$base_only" = 0 ] || exit 0

# -- 2. Into the private storage.
if ! image_podman image exists "$base_image"; then
  echo "== importing $base_tar as $base_image" >&2
  # buildah, not `podman import`: podman 4.3's import has no --signature-policy and reads
  # /etc/containers/policy.json; buildah's tarball transport takes the private one.
  base_id=$(buildah pull --quiet --signature-policy "$image_conf/policy.json" "tarball:$base_tar")
  buildah tag "$base_id" "$base_image"
fi
for old in $(image_podman images --format '{{.Repository}}:{{.Tag}}' "${base_image%:*}"); do
  [ "$old" = "$base_image" ] || image_podman untag "$old"  # pruned below with its layers
done

# -- 3. The image.
revision=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
mkdir -p "$image_cache/ccache"
build_args=(--isolation chroot --pull=never --layers --force-rm
  --signature-policy "$image_conf/policy.json"
  --file "$here/Containerfile" --ignorefile "$here/containerignore"
  --build-arg BASE="$base_image" --build-arg VERSION="$version"
  --build-arg MAILREP_REVISION="$revision"
  --volume "$image_cache/ccache:/ccache")
echo "== buildah build $image (revision $revision)" >&2
# The build stage gets a name of its own, so the cached layers of the last build are
# kept and those of older builds, no longer named, are pruned.
buildah build "${build_args[@]}" --target build --tag localhost/mailrep-exporter-build-stage "$repo"
buildah build "${build_args[@]}" --tag "$image" "$repo"
image_podman image prune --force >/dev/null

# -- 4. Size and time.
size=$(image_podman image inspect --format '{{.Size}}' "$image")
echo "image $image: $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }')" \
     "uncompressed, built in $(($(date +%s) - start)) s"
