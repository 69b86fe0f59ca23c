"""Hostile input end to end: strings from DNS, logs and the config that are
not valid UTF-8 must never make /metrics unparseable.

A real NSD serves hostile.test, whose SPF record carries the bytes 0xFF and
0xFE (zone-file escapes \\255 \\254), and a PTR name for 192.0.2.20 with a
0xFF byte in a label. A Postfix delivery log carries invalid UTF-8 (a lone
0xFF, a truncated sequence, an overlong form, a surrogate) in the recipient,
relay and reply fields, and the log's own path (the `source` label, from the
config) holds a 0xFF byte. Then the scraped text must be valid UTF-8, pass
`promtool check metrics`, carry U+FFFD where the bad bytes were and count the
repairs, and a real Prometheus must scrape it with up == 1 (before the fix it
failed with "invalid UTF-8 label value" and up == 0).

Needs nsd besides the harness' tools. Every query goes to the NSD on
127.0.0.1; the host, dnsbl, dkim and mta_sts collectors are disabled.
"""

import os
import unittest

import yaml

import fixture_rootfs
import harness
from local_nsd import start_local_nsd

HOSTILE_IP = "192.0.2.20"
REPLACEMENT = "\ufffd"
WAIT_S = 60

ZONES = {
    "hostile.test": [
        '@ IN TXT "v=spf1 ip4:192.0.2.20 \\255\\254 -all"',
        'mail IN A 192.0.2.20',
        '_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:d\\255@hostile.test"',
    ],
    "2.0.192.in-addr.arpa": [
        "20 IN PTR ma\\255il.hostile.test.",
    ],
}

# Postfix lines whose fields hold invalid UTF-8 (a lone 0xFF, a truncated
# three-byte sequence, an overlong '/', a UTF-16 surrogate) and control
# characters (NUL, ESC).
LOG = (
    b"Nov 27 13:39:50 lab postfix/smtp[1]: AAAAA1: to=<a\xff@ex\xe2\x82ample.net>, "
    b"relay=mx.ex\xc0\xafample.net[192.0.2.5]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, "
    b"status=sent (250 2.0.0 OK \xed\xa0\x80)\n"
    b"Nov 27 13:39:53 lab postfix/smtp[1]: AAAAA2: to=<c@\xff.example.net>, "
    b"relay=mx.\xff.net[192.0.2.5]:25, delay=2, delays=0/0/0/2, dsn=5.7.1, status=bounced "
    b"(host said: 554 5.7.1 Service unavailable; Client host [192.0.2.20] blocked using "
    b"zen.spam\xffhaus.org)\n"
    b"Nov 27 13:39:55 lab postfix/smtp[1]: AAAAA3: to=<d@ex\x00ample.net>, "
    b"relay=mx\x1b[31m.example.net[192.0.2.5]:25, delay=2, delays=0/0/0/2, dsn=4.0.0, "
    b"status=deferred (host said: 451 \x00\x1b[2J try later)\n"
)


class HostileInputTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        d = harness.make_tempdir(add, "mailrep-e2e-hostile-")
        cls.nsd = start_local_nsd(add, d, ZONES)

        # The log lives in the exporter's --path.rootfs; the config names it
        # as seen from that root.
        rootfs = fixture_rootfs.build(d, mail=False)
        log_path = b"/logs-\xff/mail.log"
        os.mkdir(os.fsencode(rootfs) + os.path.dirname(log_path))
        with open(os.fsencode(rootfs) + log_path, "wb") as f:
            f.write(LOG)

        fast = {"interval": "2s", "timeout": "2s"}
        config = {
            "dns": {"servers": [cls.nsd.server()], "timeout": "1s"},
            "senders": [{"ips": [HOSTILE_IP], "helo": "mail.hostile.test",
                         "domains": ["hostile.test"]}],
            "collectors": {
                "host": {"enabled": False}, "dnsbl": {"enabled": False},
                "dkim": {"enabled": False}, "mta_sts": {"enabled": False},
                "spf": dict(fast), "ptr": dict(fast), "dmarc": dict(fast),
                "delivery": dict(fast, sources=[{"path": "LOG_PATH", "mta": "postfix",
                                                 "from_start": True}]),
            },
        }
        # The log path goes into the file as raw bytes, 0xFF included.
        text = yaml.safe_dump(config, sort_keys=False).encode().replace(b"LOG_PATH", log_path)
        cls.config_file = os.path.join(d, "mailrep.yml")
        with open(cls.config_file, "wb") as f:
            f.write(text)
        cls.exporter = harness.start_exporter(
            add, ["--config.file=" + cls.config_file, "--path.rootfs=" + rootfs])

        try:
            cls.body = harness.wait_until(cls.fetch_when_collected, WAIT_S, 0.5,
                                          "the hostile SPF record and log lines in /metrics")
        except AssertionError as e:
            last = harness.http_get(cls.exporter.url("/metrics")).text
            wanted = [l for l in last.splitlines()
                      if l.startswith(("mailrep_spf", "mailrep_ptr", "mailrep_deliver",
                                       "mailrep_log", "mailrep_collector_success"))]
            raise AssertionError("%s\nlast /metrics:\n%s\nexporter stderr:\n%s"
                                 % (e, "\n".join(wanted), cls.exporter.stderr()[-3000:]))
        cls.prom = harness.start_prometheus(add, harness.make_tempdir(add), [
            {"job_name": "mailrep", "static_configs": [{"targets": [cls.exporter.address()]}]}])
        cls.targets = cls.prom.wait_scraped(["mailrep"])

    @classmethod
    def fetch_when_collected(cls):
        resp = harness.http_get(cls.exporter.url("/metrics"))
        if resp.status != 200:
            return None
        text = resp.text
        wanted = [  # what the collectors export from the hostile input'mailrep_spf_record_info{domain="hostile.test"',
                  'mailrep_ptr_status{ip="192.0.2.20"',
                  'mailrep_deliveries_total{',
                  'mailrep_delivery_rejections_total{']
        return resp.body if all(w in text for w in wanted) else None

    def diagnostics(self):
        return "exporter stderr:\n%s\nnsd log:\n%s" % (self.exporter.stderr()[-4000:],
                                                       self.nsd.log()[-2000:])

    def test_exposition_is_valid_utf8(self):
        try:
            self.body.decode("utf-8", "strict")
        except UnicodeDecodeError as e:
            self.fail("invalid UTF-8 at byte %d: %r" % (e.start,
                                                         self.body[e.start - 80:e.start + 20]))
        for byte in range(0x20):
            if byte not in (0x09, 0x0A):
                self.assertNotIn(bytes([byte]), self.body, "control character %#x" % byte)

    def test_promtool_check_metrics_parses_it(self):
        proc = harness.run([harness.PROMTOOL, "check", "metrics"], input_bytes=self.body)
        output = proc.stdout + proc.stderr
        self.assertNotIn("error while linting", output)
        self.assertEqual(proc.returncode, 0, output)

    def test_bad_bytes_become_replacement_characters_and_are_counted(self):
        samples = harness.parse_exposition(self.body.decode("utf-8"))
        records = harness.find_samples(samples, "mailrep_spf_record_info", domain="hostile.test")
        self.assertEqual([s.labels["record"] for s in records],
                         ["v=spf1 ip4:192.0.2.20 %s%s -all" % (REPLACEMENT, REPLACEMENT)],
                         self.diagnostics())
        sources = {s.labels["source"] for s in harness.find_samples(samples,
                                                                    "mailrep_log_source_up")}
        self.assertTrue(any("logs-" + REPLACEMENT in s for s in sources), sources)
        repaired = harness.find_samples(samples, "mailrep_exposition_repaired_strings_total")
        self.assertEqual(len(repaired), 1)
        self.assertGreaterEqual(repaired[0].value, 2)

    def test_prometheus_scrapes_it_up(self):
        target = self.targets["mailrep"][0]
        self.assertEqual(target["health"], "up", target["lastError"])
        self.assertEqual(self.prom.query('up{job="mailrep"}')[0][1], 1.0)
        stored = self.prom.query('mailrep_spf_record_info{domain="hostile.test"}')
        self.assertEqual(len(stored), 1, stored)
        self.assertIn(REPLACEMENT, stored[0][0]["record"])


if __name__ == "__main__":
    harness.main()
