# Sourced by build.sh and podman.sh (bash). Puts buildah and podman on private storage and
# private configuration, so that building and running the image neither reads nor changes
# this machine's container set-up (/etc/containers, /var/lib/containers, /etc/cni) and can
# reach no container registry. Needs root (rootful podman).
#
#   MAILREP_IMAGE_CACHE           images, layers, the Debian base tarballs and the build
#                                 stage's ccache (default /var/cache/mailrep-exporter/image)
#   MAILREP_IMAGE_STORAGE_DRIVER  overlay (default), or vfs where the kernel cannot overlay
#
# Defines image_podman: podman with what these machines need (runc, cgroupfs, no default
# ulimits), so callers add nothing. buildah needs `--isolation chroot` (build.sh passes it).

image_cache=${MAILREP_IMAGE_CACHE:-/var/cache/mailrep-exporter/image}
image_driver=${MAILREP_IMAGE_STORAGE_DRIVER:-overlay}
# Run-time state (locks, container state) belongs in /run: gone at reboot, as podman expects.
# One directory per cache, so two caches never share locks.
image_state=/run/mailrep-exporter-image/$(printf '%s' "$image_cache" | md5sum | cut -c1-12)
image_conf=$image_cache/conf

if [ "$(id -u)" -ne 0 ]; then
  echo "$(basename "$0"): must run as root (rootful buildah and podman)" >&2
  exit 1
fi
mkdir -p "$image_conf" "$image_state" "$image_cache/networks"

# image_write_conf FILE: stdin to FILE, replaced only when it differs.
image_write_conf() {
  local tmp="$1.tmp.$$"
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

image_write_conf "$image_conf/storage.conf" <<EOF
[storage]
driver = "$image_driver"
graphroot = "$image_cache/storage-$image_driver"
runroot = "$image_state/storage"
EOF

# default_ulimits: the packaged containers.conf raises nofile, which this sandbox refuses.
image_write_conf "$image_conf/containers.conf" <<EOF
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "none"
tmp_dir = "$image_state/libpod"

[network]
network_config_dir = "$image_cache/networks"
EOF

# No search registries: a short image name never resolves to a registry.
image_write_conf "$image_conf/registries.conf" <<EOF
unqualified-search-registries = []
short-name-mode = "enforcing"
EOF

# Images may come from local storage and tarballs only (buildah build --signature-policy).
image_write_conf "$image_conf/policy.json" <<EOF
{
  "default": [{"type": "reject"}],
  "transports": {
    "containers-storage": {"": [{"type": "insecureAcceptAnything"}]},
    "tarball": {"": [{"type": "insecureAcceptAnything"}]},
    "oci-archive": {"": [{"type": "insecureAcceptAnything"}]},
    "docker-archive": {"": [{"type": "insecureAcceptAnything"}]}
  }
}
EOF

export CONTAINERS_STORAGE_CONF=$image_conf/storage.conf
export CONTAINERS_CONF=$image_conf/containers.conf
export CONTAINERS_REGISTRIES_CONF=$image_conf/registries.conf

image_podman() {
  podman --runtime-flag "root=$image_state/runc" "$@"
}
