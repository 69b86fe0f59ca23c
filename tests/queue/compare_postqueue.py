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
import sys

QUEUES = ["maildrop", "incoming", "active", "deferred", "hold"]
# postfix_lab.sh: which receiver (and so which reason class) serves each domain.
REASON_BY_DOMAIN = {
    "soft.example.test": "mailbox",
    "soft2.example.test": "mailbox",
    "block.example.test": "blocklisted",
    "rate.example.test": "rate_limited",
    "down.example.test": "connection",
    "dns.example.test": "dns",
    "tls.example.test": "tls",
}
# The least each queue must hold after postfix_lab.sh up.
LAB_MINIMUM = {"maildrop": 1, "incoming": 2, "active": 2, "deferred": 10, "hold": 2}


def domain(address):
    return address.rsplit("@", 1)[1].lower() if "@" in address else "(none)"


def main(scan_path, postqueue_path):
    ours = {"queue": {}, "destination": {}, "reason": {}, "problem": {}}
    with open(scan_path) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "queue":
                fields = dict(zip(parts[2::2], parts[3::2]))
                ours["queue"][parts[1]] = fields
            else:
                ours[parts[0]][parts[1]] = int(parts[2])

    theirs = collections.defaultdict(list)
    with open(postqueue_path) as f:
        for line in f:
            if line.strip():
                message = json.loads(line)
                theirs[message["queue_name"]].append(message)

    failures = []

    def check(what, got, want):
        status = "ok  " if got == want else "FAIL"
        print(f"{status} {what}: ours={got} postqueue={want}")
        if got != want:
            failures.append(what)

    for q in QUEUES:
        messages = theirs.get(q, [])
        if len(messages) < LAB_MINIMUM[q]:
            failures.append(f"lab: {q} has {len(messages)} messages, want >= {LAB_MINIMUM[q]}")
        o = ours["queue"][q]
        check(f"{q} messages", int(o["messages"]), len(messages))
        check(f"{q} bytes", int(o["bytes"]), sum(m["message_size"] for m in messages))
        check(f"{q} recipients", int(o["recipients"]),
              sum(len(m["recipients"]) for m in messages))
        oldest = min((m["arrival_time"] for m in messages), default=None)
        check(f"{q} oldest arrival", None if o["oldest"] == "-" else int(o["oldest"]), oldest)
    check("corrupt messages", int(ours["queue"]["corrupt"]["messages"]), 1)

    destinations = collections.Counter()
    reasons = collections.Counter()
    for m in theirs.get("deferred", []):
        destinations.update({domain(r["address"]) for r in m["recipients"]})
        reasons.update({REASON_BY_DOMAIN[domain(r["address"])] for r in m["recipients"]
                        if r.get("delay_reason")})
    check("deferred destinations", dict(sorted(ours["destination"].items())),
          dict(sorted(destinations.items())))
    check("deferred reasons", {k: v for k, v in sorted(ours["reason"].items()) if v},
          dict(sorted(reasons.items())))
    if len(reasons) < 5:
        failures.append(f"lab: only {len(reasons)} reason classes in the deferred queue")
    check("scan problems", {k: v for k, v in ours["problem"].items() if v}, {})

    if failures:
        print("FAILED:", "; ".join(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
