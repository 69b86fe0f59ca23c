#!/usr/bin/python3
"""Compares one `queue_scan exim` output with `exim -bp` on the same frozen spool.

usage: compare_exim_bp.py SCAN_OUTPUT EXIM_BP_OUTPUT

exim -bp prints, per message, "<age> <size> <id> <sender>[ *** frozen ***]" then
its recipients, delivered ones marked "D". Checks: message count, total bytes,
frozen messages and pending recipients equal ours; the lab's split into new /
deferred / frozen (exim_lab.sh) and the deferred destinations are as built.
"""
import re
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scan_output import Report, read_scan  # noqa: E402

HEAD = re.compile(r"^\s*\d+[smhdw]\s+(\d+(?:\.\d+[KM])?)\s+(\S+)\s+<(.*)>(\s+\*\*\* frozen \*\*\*)?\s*$")


def size(text):
    if text[-1] in "KM":  # exim -bp abbreviates large sizes; the lab's are small
        raise SystemExit(f"unexpected abbreviated size {text}")
    return int(text)


def main(scan_path, bp_path):
    ours = read_scan(scan_path)

    messages = []
    with open(bp_path) as f:
        for line in f:
            m = HEAD.match(line)
            if m:
                messages.append({"size": size(m.group(1)), "frozen": bool(m.group(4)), "pending": 0})
            elif line.strip() and messages and not line.lstrip().startswith("D "):
                messages[-1]["pending"] += 1

    report = Report("exim")
    check = report.check
    q = ours["queue"]
    total = lambda key: sum(q[name][key] for name in ("new", "deferred", "frozen"))
    check("messages", total("messages"), len(messages))
    check("bytes", total("bytes"), sum(m["size"] for m in messages))
    check("pending recipients", total("recipients"), sum(m["pending"] for m in messages))
    check("frozen messages", q["frozen"]["messages"], sum(m["frozen"] for m in messages))
    check("frozen bytes", q["frozen"]["bytes"], sum(m["size"] for m in messages if m["frozen"]))
    # What exim_lab.sh builds.
    check("lab new/deferred/frozen", [q[n]["messages"] for n in ("new", "deferred", "frozen")],
          [6, 2, 1])
    report.check_common(ours, {"down.example.test": 1, "soft.example.test": 1},
                        {"connection": 1, "mailbox_full": 1})
    return report.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
