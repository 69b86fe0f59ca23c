#!/usr/bin/python3
"""Compares one `queue_scan postfix` output with `postqueue -j` on the same frozen queue.

usage: compare_postqueue.py SCAN_OUTPUT POSTQUEUE_JSON

Checks, per queue (maildrop, incoming, active, deferred, hold): message count,
bytes, pending recipients and oldest arrival time; the deferred queue's
destinations (messages per recipient domain); and the deferral reasons,
classified by the lab's receiver per domain (postfix_lab.sh). Also checks that
the lab produced every queue it promises, so a broken lab cannot pass.
"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scan_output import Report, read_scan  # noqa: E402

QUEUES = ["maildrop", "incoming", "active", "deferred", "hold"]
# postfix_lab.sh: which receiver (and so which reason class) serves each domain.
REASON_BY_DOMAIN = {
    "soft.example.test": "mailbox_full",
    "soft2.example.test": "mailbox_full",
    "block.example.test": "blocklist",
    "rate.example.test": "reputation",
    "down.example.test": "connection",
    "dns.example.test": "dns",
    "tls.example.test": "tls",
}
# The least each queue must hold after postfix_lab.sh up.
LAB_MINIMUM = {"maildrop": 1, "incoming": 2, "active": 2, "deferred": 10, "hold": 2}


def domain(address):
    return address.rsplit("@", 1)[1].lower() if "@" in address else "(none)"


def read_postqueue(path):
    """`postqueue -j` output: {queue name: [message dict]}."""
    theirs = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            if line.strip():
                message = json.loads(line)
                theirs[message["queue_name"]].append(message)
    return theirs


def compare(scan, theirs, report):
    """Checks every queue of QUEUES, the deferred destinations and reasons, and the lab."""
    for q in QUEUES:
        messages = theirs.get(q, [])
        if len(messages) < LAB_MINIMUM[q]:
            report.fail(f"lab: {q} has {len(messages)} messages, want >= {LAB_MINIMUM[q]}")
        o = scan["queue"][q]
        report.check(f"{q} messages", o["messages"], len(messages))
        report.check(f"{q} bytes", o["bytes"], sum(m["message_size"] for m in messages))
        report.check(f"{q} recipients", o["recipients"],
                     sum(len(m["recipients"]) for m in messages))
        oldest = min((m["arrival_time"] for m in messages), default=None)
        report.check(f"{q} oldest arrival", o["oldest"], oldest)

    destinations = collections.Counter()
    reasons = collections.Counter()
    for m in theirs.get("deferred", []):
        destinations.update({domain(r["address"]) for r in m["recipients"]})
        reasons.update({REASON_BY_DOMAIN[domain(r["address"])] for r in m["recipients"]
                        if r.get("delay_reason")})
    report.check_common(scan, destinations, reasons)
    if len(reasons) < 5:
        report.fail(f"lab: only {len(reasons)} reason classes in the deferred queue")


def main(scan_path, postqueue_path):
    scan = read_scan(scan_path)
    report = Report("postqueue")
    compare(scan, read_postqueue(postqueue_path), report)
    report.check("corrupt messages", scan["queue"]["corrupt"]["messages"], 1)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
