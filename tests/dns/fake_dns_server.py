#!/usr/bin/python3
"""A misbehaving DNS responder for fault-injection tests (stdlib only).

Listens on UDP and TCP on one port of 127.0.0.1 (and ::1 with --ipv6), prints
"PORT <n>" on stdout once ready, and exits when stdin closes (so it never
outlives the test that started it). The first label of the query name picks
the behaviour; anything unknown gets NXDOMAIN:

  ok            A 127.0.0.2 / TXT "ok" / AAAA ::ffff:7f00:2
  nxdomain      NXDOMAIN with an SOA (negative TTL 30)
  nodata        NOERROR, no answer, SOA
  servfail      RCODE 2          refused     RCODE 5        formerr  RCODE 1
  timeout       never answers (UDP or TCP)
  truncated     TC over UDP and over TCP (truncated forever)
  tcponly       TC over UDP, the full answer only over TCP
  tcpclose      TC over UDP, then closes the TCP connection unanswered
  garbage       random bytes
  garbageid     the right query id followed by random bytes
  badrdata      a well-formed message whose A record has 3 bytes of RDATA
  wrongid       a correct answer with a different query id
  othername     the right question, the answer record for another name
  otherquestion the right id, but the question section names another name
  slow          a correct answer after 1.5 s
  noedns        FORMERR to a query carrying EDNS (an OPT record), else ok
  count         TXT (TTL 0): how many queries (UDP and TCP, "count" ones
                excepted) the server has received for names at or below the
                rest of the name: count.zen.test counts *.zen.test
"""

import argparse
import os
import random
import socket
import struct
import sys
import threading

SOA_TTL = 30

# Queries received per name suffix (a tuple of labels), for "count".
received = {}
received_lock = threading.Lock()


def count_received(labels):
    with received_lock:
        for i in range(len(labels) + 1):
            suffix = tuple(labels[i:])
            received[suffix] = received.get(suffix, 0) + 1


def parse_query(data):
    """Returns (id, flags, question_bytes, labels, qtype) or None."""
    if len(data) < 12:
        return None
    qid, flags, qdcount = struct.unpack(">HHH", data[:6])
    if qdcount != 1:
        return None
    pos = 12
    labels = []
    while True:
        if pos >= len(data):
            return None
        length = data[pos]
        if length == 0:
            pos += 1
            break
        if length & 0xC0 or pos + 1 + length > len(data):
            return None
        labels.append(data[pos + 1:pos + 1 + length].decode("latin-1").lower())
        pos += 1 + length
    if pos + 4 > len(data):
        return None
    qtype = struct.unpack(">H", data[pos:pos + 2])[0]
    return qid, flags, data[12:pos + 4], labels, qtype


def wire_name(labels):
    out = b""
    for label in labels:
        raw = label.encode("latin-1")
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def record(owner, rtype, ttl, rdata):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def message(qid, rcode, question, answers=(), authority=(), tc=False):
    flags = 0x8000 | 0x0400 | 0x0100 | rcode
    if tc:
        flags |= 0x0200
    header = struct.pack(">HHHHHH", qid, flags, 1, len(answers), len(authority), 0)
    return header + question + b"".join(answers) + b"".join(authority)


def soa(zone_labels):
    rdata = (wire_name(["ns"] + zone_labels) + wire_name(["hostmaster"] + zone_labels) +
             struct.pack(">IIIII", 1, 3600, 600, 86400, SOA_TTL))
    return record(wire_name(zone_labels), 6, 3600, rdata)


def good_answer(qid, question, labels, qtype):
    owner = wire_name(labels)
    if qtype == 16:
        rdata = b"\x02ok"
    elif qtype == 28:
        rdata = bytes(10) + b"\xff\xff\x7f\x00\x00\x02"
    else:
        qtype, rdata = 1, bytes([127, 0, 0, 2])
    return message(qid, 0, question, [record(owner, qtype, 60, rdata)])


def respond(data, transport):
    """Returns (reply bytes or None, delay seconds, close_connection)."""
    parsed = parse_query(data)
    if parsed is None:
        return None, 0, False
    qid, _, question, labels, qtype = parsed
    kind = labels[0] if labels else ""
    zone = labels[1:]
    if kind == "count":
        with received_lock:
            text = str(received.get(tuple(zone), 0)).encode()
        return message(qid, 0, question,
                       [record(wire_name(labels), 16, 0, bytes([len(text)]) + text)]), 0, False
    count_received(labels)
    if kind == "ok":
        return good_answer(qid, question, labels, qtype), 0, False
    if kind == "nxdomain":
        return message(qid, 3, question, authority=[soa(zone)]), 0, False
    if kind == "nodata":
        return message(qid, 0, question, authority=[soa(zone)]), 0, False
    if kind in ("servfail", "refused", "formerr"):
        rcode = {"servfail": 2, "refused": 5, "formerr": 1}[kind]
        return message(qid, rcode, question), 0, False
    if kind == "timeout":
        return None, 0, False
    if kind == "truncated":
        return message(qid, 0, question, tc=True), 0, False
    if kind == "tcponly":
        if transport == "udp":
            return message(qid, 0, question, tc=True), 0, False
        return good_answer(qid, question, labels, qtype), 0, False
    if kind == "tcpclose":
        if transport == "udp":
            return message(qid, 0, question, tc=True), 0, False
        return None, 0, True
    if kind == "garbage":
        return os.urandom(random.randint(1, 200)), 0, False
    if kind == "garbageid":
        return struct.pack(">H", qid) + os.urandom(random.randint(1, 200)), 0, False
    if kind == "badrdata":
        return message(qid, 0, question, [record(wire_name(labels), 1, 60, b"\x7f\x00\x00")]), 0, False
    if kind == "wrongid":
        return good_answer(qid ^ 0xFFFF, question, labels, qtype), 0, False
    if kind == "othername":
        return message(qid, 0, question,
                       [record(wire_name(["evil"] + zone), 1, 60, bytes([127, 0, 0, 2]))]), 0, False
    if kind == "otherquestion":
        other = ["evil"] + zone
        other_question = wire_name(other) + struct.pack(">HH", qtype, 1)
        return good_answer(qid, other_question, other, qtype), 0, False
    if kind == "noedns":
        if struct.unpack(">H", data[10:12])[0] > 0:
            return message(qid, 1, question), 0, False
        return good_answer(qid, question, labels, qtype), 0, False
    if kind == "slow":
        return good_answer(qid, question, labels, qtype), 1.5, False
    return message(qid, 3, question, authority=[soa(zone)]), 0, False


def serve_udp(sock):
    while True:
        data, peer = sock.recvfrom(4096)
        reply, delay, _ = respond(data, "udp")
        if reply is None:
            continue
        if delay:
            threading.Timer(delay, sock.sendto, (reply, peer)).start()
        else:
            sock.sendto(reply, peer)


def read_exact(conn, n):
    out = b""
    while len(out) < n:
        chunk = conn.recv(n - len(out))
        if not chunk:
            return None
        out += chunk
    return out


def serve_tcp_connection(conn):
    lock = threading.Lock()

    def send(reply):
        with lock:
            try:
                conn.sendall(struct.pack(">H", len(reply)) + reply)
            except OSError:
                pass

    with conn:
        while True:
            prefix = read_exact(conn, 2)
            if prefix is None:
                return
            data = read_exact(conn, struct.unpack(">H", prefix)[0])
            if data is None:
                return
            reply, delay, close = respond(data, "tcp")
            if close:
                return
            if reply is None:
                continue
            if delay:
                threading.Timer(delay, send, (reply,)).start()
            else:
                send(reply)


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_tcp_connection, args=(conn,), daemon=True).start()


def bind_all(addresses):
    """Binds UDP+TCP on one free port for every address; returns (port, socks)."""
    for _ in range(50):
        socks = []
        try:
            port = 0
            for family, address in addresses:
                udp = socket.socket(family, socket.SOCK_DGRAM)
                socks.append(udp)
                udp.bind((address, port))
                port = udp.getsockname()[1]
                tcp = socket.socket(family, socket.SOCK_STREAM)
                socks.append(tcp)
                tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                tcp.bind((address, port))
                tcp.listen(64)
            return port, socks
        except OSError:
            for s in socks:
                s.close()
    raise SystemExit("fake_dns_server: no free port")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ipv6", action="store_true", help="also listen on ::1")
    args = parser.parse_args()
    addresses = [(socket.AF_INET, "127.0.0.1")]
    if args.ipv6:
        addresses.append((socket.AF_INET6, "::1"))
    port, socks = bind_all(addresses)
    for s in socks:
        target = serve_udp if s.type == socket.SOCK_DGRAM else serve_tcp
        threading.Thread(target=target, args=(s,), daemon=True).start()
    print("PORT %d" % port, flush=True)
    sys.stdin.read()  # returns when the parent closes our stdin or dies
    os._exit(0)


if __name__ == "__main__":
    main()
