#!/usr/bin/env bash
# podman.sh ARGS...: podman on the private storage and configuration that build.sh
# builds the image into (containers_env.sh), as root. For example:
#   bash exporter/image/podman.sh images
#   bash exporter/image/podman.sh run --rm --read-only --network host \
#     ghcr.io/mailrep/mailrep_exporter:0.1.0
#   bash exporter/image/podman.sh push ghcr.io/mailrep/mailrep_exporter:0.1.0 \
#     registry.example.com/mailrep_exporter:0.1.0
set -euo pipefail
source "$(dirname "$0")/containers_env.sh"
image_podman "$@"
