#!/usr/bin/python3
"""Compares `mailrep_exporter check queue --by sender|submitter --format json`
on the Postfix lab with what Postfix itself says: the sender of each queued
message from `postqueue -j`, and its submitter from pickup's log line
("<id>: uid=<N> from=<...>"), or, for a message still in maildrop/ (postdrop
does not log), from the file's owner. Exact counts per key: messages,
recipients, deferred and held.

usage: compare_postfix_submitters.py BY_SENDER.json BY_SUBMITTER.json POSTQUEUE.json
                                     POSTFIX.log SPOOL
"""
import json
import os
import re
import sys

PICKUP = re.compile(r"postfix/pickup\[\d+\]: ([0-9A-Za-z]+): uid=(\d+) from=<")


def expected(postqueue_path, log_path, spool):
    uids = {}
    with open(log_path, errors="replace") as f:
        for line in f:
            m = PICKUP.search(line)
            if m:
                uids[m.group(1)] = int(m.group(2))
    by_sender, by_submitter = {}, {}
    with open(postqueue_path) as f:
        for line in f:
            if not line.strip():
                continue
            msg = json.loads(line)
            queue = msg["queue_name"]
            qid = msg["queue_id"]
            if qid in uids:
                uid = uids[qid]
            elif queue == "maildrop":
                uid = os.stat(os.path.join(spool, "maildrop", qid)).st_uid
            else:
                raise SystemExit("FAIL: no pickup log line for %s in %s" % (qid, queue))
            pending = len(msg["recipients"])
            # postqueue prints the null sender as MAILER-DAEMON; we as <>.
            sender = msg["sender"]
            if sender in ("", "MAILER-DAEMON"):
                sender = "<>"
            for table, key in ((by_sender, sender),
                               (by_submitter, ("local", "uid=%d" % uid))):
                row = table.setdefault(key, {"messages": 0, "recipients": 0,
                                             "deferred": 0, "held": 0})
                row["messages"] += 1
                row["recipients"] += pending
                row["deferred"] += queue == "deferred"
                row["held"] += queue == "hold"
    return by_sender, by_submitter


def ours(path, submitter):
    with open(path) as f:
        rows = json.load(f)["rows"]
    table = {}
    for r in rows:
        key = (r["kind"], r["key"]) if submitter else r["key"]
        table[key] = {k: r[k] for k in ("messages", "recipients", "deferred", "held")}
    return table, rows


def main(by_sender_path, by_submitter_path, postqueue_path, log_path, spool):
    want_sender, want_submitter = expected(postqueue_path, log_path, spool)
    got_sender, _ = ours(by_sender_path, False)
    got_submitter, rows = ours(by_submitter_path, True)
    ok = True
    for what, want, got in (("sender", want_sender, got_sender),
                            ("submitter", want_submitter, got_submitter)):
        for key in sorted(set(want) | set(got), key=str):
            if want.get(key) != got.get(key):
                print("FAIL: by %s %s: postfix says %s, we say %s"
                      % (what, key, want.get(key), got.get(key)))
                ok = False
    if len(want_submitter) < 3:
        print("FAIL: the lab should have three submitters, has %s" % sorted(want_submitter))
        ok = False
    top = max(want_submitter.items(), key=lambda kv: kv[1]["messages"])[0]
    if rows and (rows[0]["kind"], rows[0]["key"]) != top:
        print("FAIL: top submitter %s, want %s" % (rows[0], top))
        ok = False
    if ok:
        print("ok: %d senders and %d submitters (%s) agree with postqueue -j and pickup's log"
              % (len(want_sender), len(want_submitter),
                 ", ".join("%s %d" % (k[1], v["messages"]) for k, v in sorted(want_submitter.items()))))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
