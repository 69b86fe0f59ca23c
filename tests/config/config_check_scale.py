#!/usr/bin/env python3
"""Times `mailrep_exporter --config.check` on a config with many sender IPs.

Validation must grow linearly with the number of senders' addresses: the
DNSBL collector once re-read and re-parsed the whole file for every address
(4 s at 1,000 addresses, 22 s at 2,000). This generates 10,000 addresses
(100 senders of 100 addresses each, in 10.0.0.0/8), runs the check, prints
the time and fails over LIMIT_S, a bound loose enough for a loaded 2-core
machine (an idle one takes well under a second).

Usage: config_check_scale.py MAILREP_EXPORTER [ADDRESSES]
"""

import os
import subprocess
import sys
import tempfile
import time

LIMIT_S = 5.0


def write_config(path, addresses):
    per_sender = 100
    lines = ["senders:"]
    for start in range(0, addresses, per_sender):
        lines.append("  - ips:")
        for n in range(start, min(start + per_sender, addresses)):
            lines.append("      - 10.%d.%d.%d" % (n >> 16 & 255, n >> 8 & 255, n & 255))
    lines += ["collectors:", "  dnsbl:", "    enabled: true", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    binary = sys.argv[1]
    addresses = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    with tempfile.TemporaryDirectory(prefix="mailrep-scale-") as tmp:
        config = os.path.join(tmp, "mailrep.yml")
        write_config(config, addresses)
        started = time.monotonic()
        run = subprocess.run([binary, "--config.file=" + config, "--config.check"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=120)
        seconds = time.monotonic() - started
    print("--config.check with %d sender addresses: %.3f s (exit %d)"
          % (addresses, seconds, run.returncode))
    if run.returncode != 0:
        print(run.stdout)
        return 1
    if seconds > LIMIT_S:
        print("FAIL: slower than %.1f s" % LIMIT_S)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
