"""Asserts the delivery metrics of a running exporter against the Postfix lab.

usage: check_metrics.py METRICS_URL LOG EXPORTER POSTFIX_CONFIG_DIR ROTATED_LOG ROOTFS

ROOTFS is the exporter's --path.rootfs (LOG is below it); `check logs` gets it
too, so neither reads this machine's /etc/postfix.
"""
import gzip
import json
import re
import subprocess
import sys
import urllib.request

url, log, exporter, postfix_dir, rotated, rootfs = sys.argv[1:7]
source = log[len(rootfs):]  # the configured path, the label
text = urllib.request.urlopen(url, timeout=10).read().decode()
samples = {}
for line in text.splitlines():
    m = re.match(r'^([a-z_]+)\{(.*)\} (\S+)$', line)
    if m:
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
        samples.setdefault(m.group(1), []).append((labels, float(m.group(3))))


def total(name, **want):
    return sum(v for labels, v in samples.get(name, [])
               if all(labels.get(k) == w for k, w in want.items()))


failures = []


def expect(what, got, ok):
    print(f"{'ok  ' if ok else 'FAIL'} {what}: {got}")
    if not ok:
        failures.append(what)


D, R = "mailrep_deliveries_total", "mailrep_delivery_rejections_total"
expect("sent from 127.0.0.2 == 2", total(D, sending_ip="127.0.0.2", status="sent"),
       total(D, sending_ip="127.0.0.2", status="sent") == 2)
expect("sent from 127.0.0.1 >= 6 (2 batches x a + 2 notices)",
       total(D, sending_ip="127.0.0.1", status="sent"),
       total(D, sending_ip="127.0.0.1", status="sent") >= 6)
expect("no unknown sending_ip for smtp", total(D, sending_ip="unknown", status="sent"),
       total(D, sending_ip="unknown", status="sent") == 0)
expect("bounced == 4", total(D, status="bounced"), total(D, status="bounced") == 4)
expect("blocklist rejections == 2", total(R, reason="blocklist"),
       total(R, reason="blocklist") == 2)
expect("recipient_unknown == 2", total(R, reason="recipient_unknown"),
       total(R, reason="recipient_unknown") == 2)
expect("mailbox_full >= 2", total(R, reason="mailbox_full"), total(R, reason="mailbox_full") >= 2)
expect("connection >= 2", total(R, reason="connection"), total(R, reason="connection") >= 2)
# The error agent's "deferred transport" deferrals (defer_transports): outbound,
# with no connection, so no sending IP.
expect("error-agent deferrals >= 2", total(D, status="deferred", sending_ip="unknown"),
       total(D, status="deferred", sending_ip="unknown") >= 2)
expect("expired >= 1", total(D, status="expired"), total(D, status="expired") >= 1)
expect("cited zen.spamhaus.org == 2",
       total("mailrep_delivery_cited_blocklist_total", dnsbl="zen.spamhaus.org"),
       total("mailrep_delivery_cited_blocklist_total", dnsbl="zen.spamhaus.org") == 2)
expect("no malformed lines", total("mailrep_log_lines_total", result="malformed"),
       total("mailrep_log_lines_total", result="malformed") == 0)
expect("source up", total("mailrep_log_source_up", source=source),
       total("mailrep_log_source_up", source=source) == 1)
delay_count = total("mailrep_delivery_delay_seconds_count", mta="postfix", status="sent")
expect("delay histogram counts every sent delivery", delay_count,
       delay_count == total(D, status="sent"))

# check logs over the rotated and the current file must see the same outcomes.
out = subprocess.run([exporter, "check", "logs", rotated, log, "--format", "json",
                      "--postfix-config", postfix_dir, "--path.rootfs", rootfs],
                     capture_output=True, text=True)
report = json.loads(out.stdout)
by_key = {}
for d in report["deliveries"]:
    by_key[(d["sending_ip"], d["status"])] = by_key.get((d["sending_ip"], d["status"]), 0) + d["count"]
exported = {}
for labels, v in samples.get(D, []):
    k = (labels["sending_ip"], labels["status"])
    exported[k] = exported.get(k, 0) + v
expect("check logs agrees with /metrics", (by_key, exported),
       by_key == {k: int(v) for k, v in exported.items()})
expect("check logs exit code 1 (blocklist found)", out.returncode, out.returncode == 1)

# The same files with the HOSTNAME field removed (the raw /dev/log form a
# relay or a container passes on) must read the same.
hostless = []
for i, path in enumerate([rotated, log]):
    dst = f"{log}.hostless{i}"
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rt") if gz else open(path)) as src, open(dst, "w") as out_file:
        for line in src:
            out_file.write(re.sub(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \S+ ", r"\1 ", line))
    hostless.append(dst)
out2 = subprocess.run([exporter, "check", "logs", *hostless, "--format", "json",
                       "--postfix-config", postfix_dir], capture_output=True, text=True)
report2 = json.loads(out2.stdout)
by_key2 = {}
for d in report2["deliveries"]:
    k = (d["sending_ip"], d["status"])
    by_key2[k] = by_key2.get(k, 0) + d["count"]
expect("check logs reads the host-less copy the same", (by_key2, by_key), by_key2 == by_key)
expect("every host-less line recognised",
       (report2["lines"]["recognised"], report2["lines"]["non_empty"]),
       report2["lines"]["recognised"] == report2["lines"]["non_empty"] > 0)
sys.exit(1 if failures else 0)
