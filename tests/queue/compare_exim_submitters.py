#!/usr/bin/python3
"""Compares `mailrep_exporter check queue --by sender|submitter --format json`
on the Exim lab with what Exim itself says: each queued message (`exim -bp`:
id, sender, frozen) and its submitter from the "<=" line of Exim's main log
(A=<authenticator>:<id> for an authenticated session, else the client's
[address] for SMTP, else U=<login> for a local submission). Exact counts per
key: messages, and held (frozen).

usage: compare_exim_submitters.py BY_SENDER.json BY_SUBMITTER.json EXIM_BP MAINLOG
"""
import json
import re
import sys

HEAD = re.compile(r"^\s*\d+[smhdw]\s+\S+\s+(\S+)\s+<(.*)>(\s+\*\*\* frozen \*\*\*)?\s*$")
ARRIVAL = re.compile(r"^\S+ \S+ (\S+) <= ")


def submitter(line):
    m = re.search(r" A=[^: ]+:(\S+)", line)
    if m:
        return ("sasl", m.group(1))
    m = re.search(r" H=.*?\[([0-9A-Fa-f.:]+)\]", line)
    if m:
        return ("client", m.group(1))
    m = re.search(r" U=(\S+)", line)
    if m:
        return ("local", m.group(1))
    return ("unknown", "(unknown)")


def main(by_sender_path, by_submitter_path, bp_path, log_path):
    who = {}
    with open(log_path, errors="replace") as f:
        for line in f:
            m = ARRIVAL.match(line)
            if m:
                who[m.group(1)] = submitter(line)
    want_sender, want_submitter = {}, {}
    with open(bp_path) as f:
        for line in f:
            m = HEAD.match(line)
            if not m:
                continue
            qid, sender, frozen = m.group(1), m.group(2) or "<>", bool(m.group(3))
            if qid not in who:
                raise SystemExit("FAIL: no <= log line for %s" % qid)
            for table, key in ((want_sender, sender), (want_submitter, who[qid])):
                row = table.setdefault(key, {"messages": 0, "held": 0})
                row["messages"] += 1
                row["held"] += frozen
    ok = True
    tops = {}
    for what, path, want in (("sender", by_sender_path, want_sender),
                             ("submitter", by_submitter_path, want_submitter)):
        with open(path) as f:
            rows = json.load(f)["rows"]
        got = {((r["kind"], r["key"]) if what == "submitter" else r["key"]):
               {"messages": r["messages"], "held": r["held"]} for r in rows}
        tops[what] = rows[0] if rows else None
        for key in sorted(set(want) | set(got), key=str):
            if want.get(key) != got.get(key):
                print("FAIL: by %s %s: exim says %s, we say %s"
                      % (what, key, want.get(key), got.get(key)))
                ok = False
    kinds = {k[0] for k in want_submitter}
    if kinds != {"local", "sasl", "client"}:
        print("FAIL: the lab should have local, sasl and client submitters: %s" % sorted(kinds))
        ok = False
    top = max(want_submitter.items(), key=lambda kv: kv[1]["messages"])[0]
    if tops["submitter"] is None or (tops["submitter"]["kind"], tops["submitter"]["key"]) != top:
        print("FAIL: top submitter %s, want %s" % (tops["submitter"], top))
        ok = False
    if ok:
        print("ok: %d senders and %d submitters (%s) agree with exim -bp and its log"
              % (len(want_sender), len(want_submitter),
                 ", ".join("%s:%s %d" % (k[0], k[1], v["messages"])
                           for k, v in sorted(want_submitter.items()))))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
