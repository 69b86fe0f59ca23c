#!/usr/bin/python3
"""Compares one `queue_scan sendmail` output with `mailq` on the same frozen queue.

usage: sendmail_compare_mailq.py SCAN_OUTPUT MAILQ_OUTPUT MAILQ_QQ_OUTPUT

`sendmail -bp` prints, per queue directory, "<id>[*X-] <size> <Www Mmm dd HH:MM> <sender>",
then an optional "(<status>)" line and the pending recipients, one per line;
`sendmail -bp -qQ` does the same for quarantined messages (plus "QUARANTINE:" lines).
Checks: messages, bytes (df sizes), pending recipients and the oldest arrival minute
of new + deferred equal mailq's; the quarantined ones equal mailq -qQ's; deferred
messages are those mailq shows a "(Deferred: ...)" status for; the lab's split,
destinations and reasons are as sendmail_lab.sh builds them.
"""
import re
import time
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scan_output import Report, read_scan  # noqa: E402

HEAD = re.compile(r"^(\w{8,})[*X-]?\s+(\d+)\s+\w{3} (\w{3})\s+(\d+) (\d\d:\d\d) (.*)$")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def read_mailq(path):
    messages = []
    with open(path) as f:
        for line in f:
            m = HEAD.match(line)
            if m:
                when = (MONTHS.index(m.group(3)), int(m.group(4)), m.group(5))
                messages.append({"size": int(m.group(2)), "when": when, "rcpts": 0,
                                 "deferred": False})
                continue
            text = line.strip()
            if not messages or not line.startswith((" ", "\t")) or not text:
                continue
            if "request" in text and ("Total requests" in text or text.endswith(")")):
                continue
            if text.startswith("("):
                messages[-1]["deferred"] |= text.startswith("(Deferred")
            elif not text.startswith("QUARANTINE:"):
                messages[-1]["rcpts"] += 1
    return messages


def minute(unix):
    t = time.localtime(unix)
    return (t.tm_mon - 1, t.tm_mday, time.strftime("%H:%M", t))


def main(scan_path, mailq_path, mailqq_path):
    ours = read_scan(scan_path)
    listed = read_mailq(mailq_path)
    quarantined = read_mailq(mailqq_path)

    report = Report("mailq")
    check = report.check
    q = ours["queue"]
    total = lambda key, names=("new", "deferred"): sum(q[n][key] for n in names)
    check("messages", total("messages"), len(listed))
    check("bytes", total("bytes"), sum(m["size"] for m in listed))
    check("pending recipients", total("recipients"), sum(m["rcpts"] for m in listed))
    check("deferred messages", q["deferred"]["messages"], sum(m["deferred"] for m in listed))
    oldest = min(q[n]["oldest"] for n in ("new", "deferred") if q[n]["oldest"] is not None)
    check("oldest arrival (minute)", minute(oldest), min(m["when"] for m in listed))
    check("quarantined messages", q["quarantined"]["messages"], len(quarantined))
    check("quarantined bytes", q["quarantined"]["bytes"], sum(m["size"] for m in quarantined))
    check("quarantined recipients", q["quarantined"]["recipients"],
          sum(m["rcpts"] for m in quarantined))
    # What sendmail_lab.sh builds.
    check("lab new/deferred/quarantined",
          [q[n]["messages"] for n in ("new", "deferred", "quarantined")], [2, 4, 1])
    report.check_common(
        ours, {"blocked.example.test": 2, "down.example.test": 1, "soft.example.test": 2},
        {"blocklist": 2, "connection": 1, "mailbox_full": 2})
    return report.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
