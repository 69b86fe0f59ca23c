#!/usr/bin/python3
"""A misbehaving DNSBL for fault-injection tests (stdlib only).

Reuses tests/dns/fake_dns_server.py's sockets and message helpers, but picks
the behaviour from the label in front of "fault.test" rather than the first
label, so reversed-IP names work: every name under <kind>.fault.test gets

  timeout    no answer at all          servfail  RCODE 2
  refused    RCODE 5                   garbage   random bytes
  refusal    A 127.255.255.254 (Spamhaus' "public resolver" refusal code)
  parking    A 192.0.2.53 (a registrar parking page: outside 127/8)
  wildcard   A 127.0.0.2 for every name (an expired list that lists the world)
  tcponly    TC over UDP, A 127.0.0.2 only over TCP (1.0.0.127: NXDOMAIN)

Anything else gets NXDOMAIN. Prints "PORT <n>" when ready; exits when stdin
closes.
"""

import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dns"))
import fake_dns_server as fake  # noqa: E402


def a_answer(qid, question, labels, address):
    rdata = bytes(int(x) for x in address.split("."))
    return fake.message(qid, 0, question, [fake.record(fake.wire_name(labels), 1, 60, rdata)])


def respond(data, transport):
    parsed = fake.parse_query(data)
    if parsed is None:
        return None, 0, False
    qid, _, question, labels, qtype = parsed
    kind = ""
    if len(labels) >= 3 and labels[-2:] == ["fault", "test"]:
        kind = labels[-3]
    zone = labels[-3:] if len(labels) >= 3 else labels
    if kind == "timeout":
        return None, 0, False
    if kind in ("servfail", "refused"):
        return fake.message(qid, 2 if kind == "servfail" else 5, question), 0, False
    if kind == "garbage":
        return os.urandom(random.randint(1, 200)), 0, False
    if qtype == 1 and kind == "refusal":
        return a_answer(qid, question, labels, "127.255.255.254"), 0, False
    if qtype == 1 and kind == "parking":
        return a_answer(qid, question, labels, "192.0.2.53"), 0, False
    if qtype == 1 and kind == "wildcard":
        return a_answer(qid, question, labels, "127.0.0.2"), 0, False
    if qtype == 1 and kind == "tcponly":
        if labels[:4] == ["1", "0", "0", "127"]:
            return fake.message(qid, 3, question, authority=[fake.soa(zone)]), 0, False
        if transport == "udp":
            return fake.message(qid, 0, question, tc=True), 0, False
        return a_answer(qid, question, labels, "127.0.0.2"), 0, False
    return fake.message(qid, 3, question, authority=[fake.soa(zone)]), 0, False


if __name__ == "__main__":
    fake.respond = respond
    fake.main()
