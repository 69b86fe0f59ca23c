#!/usr/bin/python3
"""Compares one `queue_scan exim` output with `exim -bp` on the same frozen spool.

usage: compare_exim_bp.py SCAN_OUTPUT EXIM_BP_OUTPUT

exim -bp prints, per message, "<age> <size> <id> <sender>[ *** frozen ***]" then
its recipients, delivered ones marked "D". Checks: message count, total bytes,
frozen messages and pending recipients equal ours; the lab's split into new /
deferred / frozen (exim_lab.sh) and the deferred destinations are as built.
"""
import re
import sys

HEAD = re.compile(r"^\s*\d+[smhdw]\s+(\d+(?:\.\d+[KM])?)\s+(\S+)\s+<(.*)>(\s+\*\*\* frozen \*\*\*)?\s*$")


def size(text):
    if text[-1] in "KM":  # exim -bp abbreviates large sizes; the lab's are small
        raise SystemExit(f"unexpected abbreviated size {text}")
    return int(text)


def main(scan_path, bp_path):
    ours = {"queue": {}, "destination": {}, "reason": {}, "problem": {}}
    with open(scan_path) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "queue":
                ours["queue"][parts[1]] = {k: v for k, v in zip(parts[2::2], parts[3::2])}
            else:
                ours[parts[0]][parts[1]] = int(parts[2])

    messages = []
    with open(bp_path) as f:
        for line in f:
            m = HEAD.match(line)
            if m:
                messages.append({"size": size(m.group(1)), "frozen": bool(m.group(4)), "pending": 0})
            elif line.strip() and messages and not line.lstrip().startswith("D "):
                messages[-1]["pending"] += 1

    failures = []

    def check(what, got, want):
        print(f"{'ok  ' if got == want else 'FAIL'} {what}: ours={got} exim={want}")
        if got != want:
            failures.append(what)

    q = ours["queue"]
    total = lambda key: sum(int(q[name][key]) for name in ("new", "deferred", "frozen"))
    check("messages", total("messages"), len(messages))
    check("bytes", total("bytes"), sum(m["size"] for m in messages))
    check("pending recipients", total("recipients"), sum(m["pending"] for m in messages))
    check("frozen messages", int(q["frozen"]["messages"]), sum(m["frozen"] for m in messages))
    check("frozen bytes", int(q["frozen"]["bytes"]), sum(m["size"] for m in messages if m["frozen"]))
    # What exim_lab.sh builds.
    check("lab new/deferred/frozen", [int(q[n]["messages"]) for n in ("new", "deferred", "frozen")],
          [2, 2, 1])
    check("deferred destinations", dict(sorted(ours["destination"].items())),
          {"down.example.test": 1, "soft.example.test": 1})
    check("deferred reasons", {k: v for k, v in sorted(ours["reason"].items()) if v},
          {"connection": 1, "mailbox": 1})
    check("scan problems", {k: v for k, v in ours["problem"].items() if v}, {})
    if failures:
        print("FAILED:", "; ".join(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
