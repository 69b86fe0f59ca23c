#!/usr/bin/python3
"""Compares one `postfix_showq_scan` output with `postqueue -j` on the same frozen queue.

usage: postfix_showq_compare.py SCAN_OUTPUT POSTQUEUE_JSON

Checks per queue (maildrop, incoming, active, deferred, hold): messages, bytes,
recipients and oldest arrival; the deferred destinations; the deferral reason
classes (by the lab's receiver per domain, as compare_postqueue.py); and that
no problems were counted. Unlike compare_postqueue.py it does not require the
corrupt queue (showq does not list it).
"""
import collections
import json
import sys

from compare_postqueue import LAB_MINIMUM, QUEUES, REASON_BY_DOMAIN, domain


def main(scan_path, postqueue_path):
    ours = {"queue": {}, "destination": {}, "reason": {}, "problem": {}, "source": {}}
    with open(scan_path) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "queue":
                ours["queue"][parts[1]] = dict(zip(parts[2::2], parts[3::2]))
            elif parts[0] != "source":
                ours[parts[0]][parts[1]] = int(parts[2])
    theirs = collections.defaultdict(list)
    with open(postqueue_path) as f:
        for line in f:
            if line.strip():
                message = json.loads(line)
                theirs[message["queue_name"]].append(message)

    failures = []

    def check(what, got, want):
        print(f"{'ok  ' if got == want else 'FAIL'} {what}: ours={got} postqueue={want}")
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
