#!/usr/bin/python3
"""Compares one `sendmail_queue_dump` output with `mailq` on the same frozen queue.

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
import sys
import time

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
    ours = {"queue": {}, "destination": {}, "reason": {}, "problem": {}}
    with open(scan_path) as f:
        for line in f:
            parts = line.split()
            if parts[0] == "queue":
                ours["queue"][parts[1]] = {k: v for k, v in zip(parts[2::2], parts[3::2])}
            else:
                ours[parts[0]][parts[1]] = int(parts[2])
    listed = read_mailq(mailq_path)
    quarantined = read_mailq(mailqq_path)

    failures = []

    def check(what, got, want):
        print(f"{'ok  ' if got == want else 'FAIL'} {what}: ours={got} mailq={want}")
        if got != want:
            failures.append(what)

    q = ours["queue"]
    total = lambda key, names=("new", "deferred"): sum(int(q[n][key]) for n in names)
    check("messages", total("messages"), len(listed))
    check("bytes", total("bytes"), sum(m["size"] for m in listed))
    check("pending recipients", total("recipients"), sum(m["rcpts"] for m in listed))
    check("deferred messages", int(q["deferred"]["messages"]), sum(m["deferred"] for m in listed))
    oldest = min(int(q[n]["oldest"]) for n in ("new", "deferred") if q[n]["oldest"] != "-")
    check("oldest arrival (minute)", minute(oldest), min(m["when"] for m in listed))
    check("quarantined messages", int(q["quarantined"]["messages"]), len(quarantined))
    check("quarantined bytes", int(q["quarantined"]["bytes"]), sum(m["size"] for m in quarantined))
    check("quarantined recipients", int(q["quarantined"]["recipients"]),
          sum(m["rcpts"] for m in quarantined))
    # What sendmail_lab.sh builds.
    check("lab new/deferred/quarantined",
          [int(q[n]["messages"]) for n in ("new", "deferred", "quarantined")], [2, 4, 1])
    check("deferred destinations", dict(sorted(ours["destination"].items())),
          {"blocked.example.test": 2, "down.example.test": 1, "soft.example.test": 2})
    check("deferred reasons", {k: v for k, v in sorted(ours["reason"].items()) if v},
          {"blocklisted": 2, "connection": 1, "mailbox": 2})
    check("scan problems", {k: v for k, v in ours["problem"].items() if v}, {})
    if failures:
        print("FAILED:", "; ".join(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
