"""Hostile HTTP clients against the real exporter on loopback: what a scrape
is guaranteed (README, "What a scrape is guaranteed").

  - /probe flood against a target whose DNS lookups time out (the exporter's
    dns server is a loopback UDP socket that never answers): /metrics latency
    stays low (p99 under 50 ms); probes beyond the slow-thread limit get 503.
  - slowloris and idle sockets from 127.0.0.2 (bound explicitly, so the
    per-client cap hits the attacker, not the scraper on 127.0.0.1): every
    scrape from 127.0.0.1 succeeds, and the attacker's sockets are refused
    beyond the cap and closed at the request-read deadline.
  - SIGTERM with probes in flight: the exporter exits (code 0) within 5 s.

Request loops are bounded in count and time. The flood runs in a separate
Python process so its threads do not hold the GIL against the scraper's
latency measurement.
"""

import json
import os
import resource
import select
import socket
import subprocess
import sys
import threading
import time
import unittest
import http.client

import yaml

import harness

PROBE_IP = "192.0.2.10"
ATTACKER = "127.0.0.2"
PER_IP_CAP = 32             # HttpServer::Options::max_connections_per_ip
READ_TIMEOUT_S = 10         # HttpServer::Options::request_read_timeout_seconds
SLOW_THREADS = 8            # HttpServer::Options::slow_threads

# Runs in its own process: `threads` clients send /probe requests until
# `seconds` pass or `max_requests` were sent; prints {status: count} as JSON.
FLOOD = r"""
import collections, http.client, json, sys, threading, time
host, port, path, threads, seconds, max_requests, timeout_header = sys.argv[1:8]
port, threads, seconds, max_requests = int(port), int(threads), float(seconds), int(max_requests)
deadline = time.monotonic() + seconds
counts = collections.Counter()
lock = threading.Lock()
sent = [0]
def client():
    conn = None
    while time.monotonic() < deadline:
        with lock:
            if sent[0] >= max_requests:
                return
            sent[0] += 1
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=40)
            conn.request("GET", path, headers={"X-Prometheus-Scrape-Timeout-Seconds": timeout_header})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException) as e:
            status = type(e).__name__
            conn = None
        with lock:
            counts[str(status)] += 1
        if status == 503:
            time.sleep(0.05)  # Retry-After says 1 s; an impatient client waits less
ts = [threading.Thread(target=client) for _ in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
print(json.dumps(counts))
"""


def silent_dns_server(add_cleanup):
    """A UDP socket on loopback that receives DNS queries and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    add_cleanup(sock.close)
    return "127.0.0.1:%d" % sock.getsockname()[1]


def start_flood(exporter, threads, seconds, max_requests, scrape_timeout):
    host, port = exporter.address().rsplit(":", 1)
    path = "/probe?module=ptr&target=" + PROBE_IP
    return harness.popen([sys.executable, "-c", FLOOD, host, port, path, str(threads),
                          str(seconds), str(max_requests), str(scrape_timeout)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def flood_counts(proc, timeout):
    out, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError("flood failed (%d): %s" % (proc.returncode, err.decode()))
    return json.loads(out)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


class Scraper:
    """GETs /metrics from 127.0.0.1 over one keep-alive connection (as
    Prometheus does), reconnecting after an error; records latency and
    outcome of each scrape."""

    def __init__(self, exporter, timeout=10):
        self.host, port = exporter.address().rsplit(":", 1)
        self.port = int(port)
        self.timeout = timeout
        self.conn = None
        self.latencies_ms = []
        self.failures = []

    def scrape(self):
        start = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout,
                                                       source_address=("127.0.0.1", 0))
            self.conn.request("GET", "/metrics")
            resp = self.conn.getresponse()
            body = resp.read()
            if resp.status != 200 or b"mailrep_build_info" not in body:
                self.failures.append("status %d" % resp.status)
                return False
        except (OSError, http.client.HTTPException) as e:
            self.failures.append(repr(e))
            self.conn = None
            return False
        finally:
            self.latencies_ms.append((time.monotonic() - start) * 1000)
        return True

    def close(self):
        if self.conn is not None:
            self.conn.close()


class HostileHttpTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 2048:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(2048, hard), hard))
        add = cls.addClassCleanup
        cls.dir = harness.make_tempdir(add, "mailrep-e2e-hostile-")
        dns = silent_dns_server(add)
        config = {
            "dns": {"servers": [dns], "timeout": "2s"},
            "senders": [{"ips": [PROBE_IP], "helo": "mail.example.com", "domains": []}],
            "collectors": {name: {"enabled": False} for name in
                           ("host", "dnsbl", "delivery", "spf", "dkim", "dmarc", "mta_sts")},
        }
        cls.config_file = harness.write_file(os.path.join(cls.dir, "mailrep.yml"),
                                             yaml.safe_dump(config, sort_keys=False))

    def start(self):
        return harness.start_exporter(self.addCleanup, ["--config.file=" + self.config_file])

    def test_metrics_stay_fast_under_a_probe_flood(self):
        exporter = self.start()
        scraper = Scraper(exporter)
        self.addCleanup(scraper.close)
        for _ in range(5):  # warm up the connection
            scraper.scrape()
        scraper.latencies_ms.clear()

        # Twice as many probers as slow threads; each probe waits ~2.5 s on DNS.
        flood = start_flood(exporter, threads=2 * SLOW_THREADS, seconds=8, max_requests=4000,
                            scrape_timeout=3)
        time.sleep(1.0)  # let the probes fill the slow threads
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(scraper.latencies_ms) < 500:
            scraper.scrape()
            time.sleep(0.01)
        counts = flood_counts(flood, 60)

        p50 = percentile(scraper.latencies_ms, 50)
        p99 = percentile(scraper.latencies_ms, 99)
        sys.stderr.write("probe flood %s; /metrics: %d scrapes, p50 %.1f ms, p99 %.1f ms, "
                         "max %.1f ms, failures %d\n" %
                         (dict(counts), len(scraper.latencies_ms), p50, p99,
                          max(scraper.latencies_ms), len(scraper.failures)))
        self.assertEqual(scraper.failures, [])
        self.assertGreaterEqual(len(scraper.latencies_ms), 100)
        self.assertLess(p99, 50.0, "/metrics p99 under the probe flood")
        # The flood really held the slow threads: probes ran (200, probe_success 0
        # after the DNS timeout) and the ones beyond the limit were refused at once.
        self.assertGreater(counts.get("200", 0), 0, counts)
        self.assertGreater(counts.get("503", 0), 0, counts)
        self.assertEqual(set(counts) - {"200", "503"}, set(), counts)

    def test_scrapes_succeed_under_slowloris_and_idle_sockets(self):
        exporter = self.start()
        host, port = exporter.address().rsplit(":", 1)
        port = int(port)
        attacker = []  # [socket, opened at, closed by server at (or None), slowloris?]

        def connect(slowloris):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(2)
            try:
                s.bind((ATTACKER, 0))
                s.connect((host, port))
                if slowloris:
                    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-a: ")
            except OSError:
                s.close()
                return
            s.setblocking(False)
            attacker.append([s, time.monotonic(), None, slowloris])

        def reap():
            """Notes attacker sockets the server closed; trickles one byte on the others."""
            now = time.monotonic()
            for entry in attacker:
                s, _, closed, slowloris = entry
                if closed is not None:
                    continue
                try:
                    readable, _, _ = select.select([s], [], [], 0)
                    if readable and s.recv(4096) == b"":
                        entry[2] = now
                    elif slowloris:
                        s.send(b"a")
                except OSError:
                    entry[2] = now

        self.addCleanup(lambda: [e[0].close() for e in attacker])
        for i in range(800):
            connect(slowloris=i < 300)  # 300 slowloris, 500 idle
            if i % 20 == 19:
                reap()  # the cap closes refused sockets at once: note when
        scraper = Scraper(exporter)
        self.addCleanup(scraper.close)
        ok = 0
        deadline = time.monotonic() + READ_TIMEOUT_S + 5
        scrapes = 0
        while time.monotonic() < deadline and scrapes < 60:
            # A fresh connection each time: a new client must get in, too.
            scraper.close()
            scraper.conn = None
            ok += scraper.scrape()
            scrapes += 1
            reap()
            time.sleep(0.25)
        reap()
        accepted = [e for e in attacker if e[2] is None or e[2] - e[1] > 3.0]
        still_open = [e for e in attacker if e[2] is None]
        sys.stderr.write("slowloris/idle from %s: %d sockets opened, %d held past 3 s, %d still "
                         "open after %.0f s more; scrapes from 127.0.0.1: %d/%d succeeded, p99 %.1f ms\n"
                         % (ATTACKER, len(attacker), len(accepted), len(still_open),
                            READ_TIMEOUT_S + 5, ok, scrapes,
                            percentile(scraper.latencies_ms, 99)))
        self.assertEqual(ok, scrapes, scraper.failures)
        self.assertGreaterEqual(scrapes, 30)
        self.assertGreaterEqual(len(attacker), 700, "could not open the attacker's sockets")
        # The per-client cap: the server held at most PER_IP_CAP of them.
        self.assertLessEqual(len(accepted), PER_IP_CAP, "per-client connection cap not applied")
        # The read deadline: none of those survives it (slack for the check interval).
        self.assertEqual(still_open, [], "connections outlived the request-read deadline")

    def test_sigterm_with_probes_in_flight_stops_within_5s(self):
        exporter = self.start()
        # Probes allowed 30 s each against a DNS server that never answers.
        flood = start_flood(exporter, threads=SLOW_THREADS, seconds=30, max_requests=SLOW_THREADS,
                            scrape_timeout=30)
        self.addCleanup(lambda: flood.kill() if flood.poll() is None else None)
        time.sleep(1.5)
        self.assertIsNone(flood.poll(), "the probes ended before SIGTERM")
        start = time.monotonic()
        code = exporter.stop()  # fails if the exporter takes more than 5 s
        elapsed = time.monotonic() - start
        sys.stderr.write("SIGTERM with %d probes in flight: exited %s after %.2f s\n" %
                         (SLOW_THREADS, code, elapsed))
        self.assertEqual(code, 0, exporter.stderr())
        self.assertLess(elapsed, harness.STOP_TIMEOUT_S)
        counts = flood_counts(flood, 30)
        self.assertEqual(sum(counts.values()), SLOW_THREADS, counts)


if __name__ == "__main__":
    harness.main()
