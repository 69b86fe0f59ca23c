#!/usr/bin/python3
"""Compares one `queue_scan opensmtpd` output with `smtpctl show queue` on the same spool.

usage: opensmtpd_compare_showq.py SCAN_OUTPUT SHOW_QUEUE_OUTPUT SMTPD_LOG

show queue prints one line per envelope:
  evpid|src|agent|flags|sender|rcpt|dest|ctime|ctime+ttl|lasttry|retry|runstate|timer|errorline
The evpid's first 8 hex digits are its msgid. A message is "deferred" when one of
its envelopes has failed (retry > 0), else "queued". Checks, per queue: messages,
recipients (envelopes), oldest arrival (smallest ctime), bytes (the size= smtpd
logged for each msgid); the deferred destinations (domains of failed envelopes'
dest, counted once per message); and what opensmtpd_lab.sh built: the incoming
message held in DATA, the deferral reasons, no scan problems.
"""
import collections
import re
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scan_output import Report, read_scan  # noqa: E402

SIZE = re.compile(r" smtp message msgid=([0-9a-f]{8}) size=(\d+) ")


def main(scan_path, showq_path, log_path):
    ours = read_scan(scan_path)

    messages = collections.defaultdict(list)
    with open(showq_path) as f:
        for line in f:
            fields = line.rstrip("\n").split("|", 13)
            if len(fields) < 13:
                continue
            messages[fields[0][:8]].append(
                {"dest": fields[6], "ctime": int(fields[7]), "retry": int(fields[10])})
    sizes = {}
    with open(log_path) as f:
        for line in f:
            m = SIZE.search(line)
            if m:
                sizes[m.group(1)] = int(m.group(2))

    theirs = {"queued": {"messages": 0, "recipients": 0, "bytes": 0, "oldest": None},
              "deferred": {"messages": 0, "recipients": 0, "bytes": 0, "oldest": None}}
    destinations = collections.Counter()
    for msgid, envelopes in messages.items():
        failed = [e for e in envelopes if e["retry"] > 0]
        q = theirs["deferred" if failed else "queued"]
        q["messages"] += 1
        q["recipients"] += len(envelopes)
        q["bytes"] += sizes[msgid]
        oldest = min(e["ctime"] for e in envelopes)
        q["oldest"] = oldest if q["oldest"] is None else min(q["oldest"], oldest)
        for domain in {e["dest"].rpartition("@")[2].lower() for e in failed}:
            destinations[domain] += 1

    report = Report("smtpctl")
    check = report.check
    for name in ("queued", "deferred"):
        q = ours["queue"][name]
        t = theirs[name]
        check(f"{name} messages", q["messages"], t["messages"])
        check(f"{name} recipients", q["recipients"], t["recipients"])
        check(f"{name} bytes (smtpd log sizes)", q["bytes"], t["bytes"])
        check(f"{name} oldest", q["oldest"], t["oldest"])
    # What opensmtpd_lab.sh builds.
    check("lab queued/deferred messages",
          [ours["queue"][n]["messages"] for n in ("queued", "deferred")], [2, 3])
    check("lab incoming (held in DATA)",
          [ours["queue"]["incoming"][k] for k in ("messages", "recipients")], [1, 2])
    check("lab corrupt/offline",
          [ours["queue"][n]["messages"] for n in ("corrupt", "offline")], [0, 0])
    report.check_common(ours, destinations, {"mailbox_full": 1, "rate_limit": 2})
    return report.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
