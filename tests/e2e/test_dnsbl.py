"""The DNSBL collector end to end: a real NSD serves two test blocklists on
loopback, the real exporter sweeps them in the background, a real Prometheus
scrapes /metrics and /probe, and `check dnsbl` asks the same server.

  bl.test    lists 127.0.0.2 (its RFC 5782 test point) and 192.0.2.10 (code
             127.0.0.2); 192.0.2.11 and 127.0.0.1 are not listed.
  wild.test  answers 127.0.0.2 for every name, like a lapsed list domain: it
             must be reported unhealthy and never produce a listing.

DnsblMirrorEndToEndTest: mirror.test is a local mirror (an rbldnsd ip4set
file listing 192.0.2.10 with code 127.0.0.3). The NSD serves a mirror.test
that says otherwise (192.0.2.11 listed, no test point), so an answer that
came from DNS would show; and the exporter's own DNS counters stay at zero.

Needs nsd (Debian) besides the harness' tools. Every query goes to the NSD on
127.0.0.1: dns.servers names it, and the other collectors that might look
names up (host, spf, dkim, ptr) are disabled.
"""

import json
import os
import unittest

import yaml

import fixture_rootfs
import harness
from local_nsd import start_local_nsd

SWEEP_TIMEOUT_S = 60

LISTED_IP = "192.0.2.10"
CLEAN_IP = "192.0.2.11"
OUTSIDE_IP = "203.0.113.9"
MEANING = "e2e test listing: spam source"

ZONES = {
    "bl.test": [
        "2.0.0.127 IN A 127.0.0.2",
        '2.0.0.127 IN TXT "RFC 5782 test point"',
        "10.2.0.192 IN A 127.0.0.2",
        '10.2.0.192 IN TXT "listed for the e2e test"',
    ],
    "wild.test": [
        "* IN A 127.0.0.2",
    ],
}

CATALOGUE = {
    "lists": [
        {
            "zone": "bl.test",
            "name": "E2E test list",
            "kinds": ["ip4"],
            "severity": "major",
            "queries_per_second": 100,
            "delist_url": "https://bl.test/lookup",
            "codes": [
                {"code": "127.0.0.2", "meaning": MEANING},
                {"code": "127.0.0.3", "meaning": "e2e test listing: policy"},
            ],
            "errors": [{"code": "127.255.255.0/24", "meaning": "query refused"}],
        },
        {
            "zone": "wild.test",
            "name": "E2E lapsed list (wildcards everything)",
            "kinds": ["ip4"],
            "severity": "minor",
            "queries_per_second": 100,
            "codes": [{"code": "127.0.0.2", "meaning": "listed"}],
            "errors": [{"code": "127.255.255.0/24", "meaning": "query refused"}],
        },
    ],
}


class DnsblEndToEndTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        d = harness.make_tempdir(add, "mailrep-e2e-dnsbl-")
        cls.nsd = start_local_nsd(add, d, ZONES)

        catalogue = harness.write_file(os.path.join(d, "catalogue.yml"),
                                       yaml.safe_dump(CATALOGUE, sort_keys=False))
        config = {
            "dns": {"servers": [cls.nsd.server()], "timeout": "1s"},
            "senders": [{"ips": [LISTED_IP, CLEAN_IP], "domains": []}],
            "collectors": {
                "dnsbl": {
                    "interval": "2s",
                    "timeout": "2s",
                    "lists": ["bl.test", "wild.test"],
                    "catalogue_file": catalogue,
                },
                "host": {"enabled": False},
                "spf": {"enabled": False},
                "dkim": {"enabled": False},
                "ptr": {"enabled": False},
            },
        }
        cls.config_file = harness.write_file(os.path.join(d, "mailrep.yml"),
                                             yaml.safe_dump(config, sort_keys=False))
        cls.exporter = harness.start_exporter(add, ["--config.file=" + cls.config_file])

        scrape_configs = [
            {"job_name": "mailrep", "static_configs": [{"targets": [cls.exporter.address()]}]},
            {"job_name": "dnsbl_probe", "metrics_path": "/probe",
             "params": {"module": ["dnsbl"], "target": [LISTED_IP]},
             "scrape_timeout": "1s",
             "static_configs": [{"targets": [cls.exporter.address()]}]},
        ]
        cls.prom = harness.start_prometheus(add, harness.make_tempdir(add), scrape_configs)
        cls.prom.wait_scraped(["mailrep", "dnsbl_probe"])

    def diagnostics(self):
        return "exporter stderr:\n%s\nnsd log:\n%s" % (self.exporter.stderr()[-4000:],
                                                       self.nsd.log()[-2000:])

    def query_until(self, expr, predicate, what):
        """Polls Prometheus for `expr` until predicate(result) holds (a sweep
        runs every 2 s, Prometheus scrapes every 1 s); returns the result."""
        last = []

        def check():
            last[:] = [self.prom.query(expr)]
            return predicate(last[0])

        try:
            harness.wait_until(check, SWEEP_TIMEOUT_S, 0.5, what)
        except AssertionError as e:
            raise AssertionError("%s\nlast result of %s: %s\n%s" %
                                 (e, expr, last, self.diagnostics()))
        return last[0]

    def single_value(self, expr):
        result = self.query_until(expr, lambda r: len(r) == 1, "one series for " + expr)
        return result[0][1]

    # ----------------------------------------------------------- via Prometheus

    def test_listed_ip_is_listed_on_the_healthy_list(self):
        self.query_until('mailrep_dnsbl_listed{ip="%s",dnsbl="bl.test",job="mailrep"}' % LISTED_IP,
                         lambda r: len(r) == 1 and r[0][1] == 1, "192.0.2.10 listed on bl.test")
        self.assertEqual(
            self.single_value('mailrep_dnsbl_listed_lists{ip="%s",job="mailrep"}' % LISTED_IP), 1)
        self.assertEqual(
            self.single_value('mailrep_dnsbl_list_healthy{dnsbl="bl.test",job="mailrep"}'), 1)

    def test_clean_ip_is_not_listed(self):
        self.query_until('mailrep_dnsbl_last_check_timestamp_seconds{ip="%s",job="mailrep"}' %
                         CLEAN_IP, lambda r: len(r) == 1 and r[0][1] > 0,
                         "a completed check of 192.0.2.11")
        self.assertEqual(
            self.single_value('mailrep_dnsbl_listed{ip="%s",dnsbl="bl.test",job="mailrep"}' %
                              CLEAN_IP), 0)
        self.assertEqual(
            self.single_value('mailrep_dnsbl_listed_lists{ip="%s",job="mailrep"}' % CLEAN_IP), 0)
        self.assertEqual(
            self.prom.query('mailrep_dnsbl_listing_info{ip="%s",job="mailrep"}' % CLEAN_IP), [])

    def test_wildcard_list_is_unhealthy_and_lists_nothing(self):
        self.query_until('mailrep_dnsbl_list_healthy{dnsbl="wild.test",job="mailrep"}',
                         lambda r: len(r) == 1 and r[0][1] == 0, "wild.test unhealthy")
        # Both IPs are present from the first run, and 0: the list answers
        # 127.0.0.2 (a listing code) for them, but it is unhealthy.
        listed = self.query_until('mailrep_dnsbl_listed{dnsbl="wild.test",job="mailrep"}',
                                  lambda r: len(r) == 2, "wild.test series for both IPs")
        self.assertEqual(sorted((m["ip"], v) for m, v in listed),
                         [(LISTED_IP, 0), (CLEAN_IP, 0)])
        self.assertEqual(
            self.prom.query('mailrep_dnsbl_listing_info{dnsbl="wild.test",job="mailrep"}'), [])
        # Never listed at any point Prometheus saw.
        self.assertEqual(
            self.prom.query('max_over_time(mailrep_dnsbl_listed{dnsbl="wild.test",'
                            'job="mailrep"}[5m]) > 0'), [])

    def test_listing_info_carries_code_and_meaning(self):
        result = self.query_until(
            'mailrep_dnsbl_listing_info{ip="%s",dnsbl="bl.test",job="mailrep"}' % LISTED_IP,
            lambda r: len(r) == 1, "listing_info for 192.0.2.10 on bl.test")
        labels, value = result[0]
        self.assertEqual(value, 1)
        self.assertEqual(labels["code"], "127.0.0.2")
        self.assertEqual(labels["meaning"], MEANING)

    def test_prometheus_scrapes_the_probe(self):
        self.assertEqual(self.single_value('up{job="dnsbl_probe"}'), 1)
        self.assertEqual(self.single_value('probe_success{job="dnsbl_probe"}'), 1)
        self.assertEqual(
            self.single_value('mailrep_dnsbl_listed{job="dnsbl_probe",ip="%s",dnsbl="bl.test"}' %
                              LISTED_IP), 1)

    def test_scrapes_stay_fast_and_healthy(self):
        self.assertEqual(self.single_value('up{job="mailrep"}'), 1)
        self.assertLess(self.single_value('scrape_duration_seconds{job="mailrep"}'), 0.5)
        self.query_until('mailrep_collector_success{collector="dnsbl",job="mailrep"}',
                         lambda r: len(r) == 1 and r[0][1] == 1, "a successful dnsbl run")

    # ---------------------------------------------------------------- /probe

    def probe(self, target):
        return harness.http_get(self.exporter.url("/probe?module=dnsbl&target=" + target),
                                headers={"X-Prometheus-Scrape-Timeout-Seconds": "5"})

    def test_probe_of_listed_sender(self):
        resp = self.probe(LISTED_IP)
        self.assertEqual(resp.status, 200, resp.text)
        samples = harness.parse_exposition(resp.text)

        def value(name, **labels):
            found = harness.find_samples(samples, name, **labels)
            self.assertEqual(len(found), 1, "%s %s in:\n%s" % (name, labels, resp.text))
            return found[0]

        self.assertEqual(value("probe_success").value, 1)
        self.assertGreater(value("probe_duration_seconds").value, 0)
        self.assertEqual(value("mailrep_dnsbl_listed", ip=LISTED_IP, dnsbl="bl.test").value, 1)
        info = value("mailrep_dnsbl_listing_info", ip=LISTED_IP, dnsbl="bl.test")
        self.assertEqual((info.labels["code"], info.labels["meaning"]), ("127.0.0.2", MEANING))
        self.assertEqual(value("mailrep_dnsbl_list_healthy", dnsbl="bl.test").value, 1)
        self.assertEqual(value("mailrep_dnsbl_list_healthy", dnsbl="wild.test").value, 0)
        self.assertEqual(
            harness.find_samples(samples, "mailrep_dnsbl_listing_info", dnsbl="wild.test"), [])
        for s in harness.find_samples(samples, "mailrep_dnsbl_listed", dnsbl="wild.test"):
            self.assertEqual(s.value, 0, s)
        self.assertEqual(value("mailrep_dnsbl_listed_lists", ip=LISTED_IP).value, 1)

    def test_probe_of_clean_sender(self):
        resp = self.probe(CLEAN_IP)
        self.assertEqual(resp.status, 200, resp.text)
        samples = harness.parse_exposition(resp.text)
        self.assertEqual([s.value for s in harness.find_samples(samples, "probe_success")], [1])
        self.assertEqual([s.value for s in harness.find_samples(
            samples, "mailrep_dnsbl_listed", ip=CLEAN_IP, dnsbl="bl.test")], [0])
        self.assertEqual(harness.find_samples(samples, "mailrep_dnsbl_listing_info"), [])

    def test_probe_outside_allowed_targets_is_forbidden(self):
        resp = self.probe(OUTSIDE_IP)
        self.assertEqual(resp.status, 403, resp.text)
        self.assertNotIn("probe_success", resp.text)

    def test_probe_of_garbage_is_a_bad_request(self):
        for target in ("garbage", "192.0.2.10/32", "not..a.name"):
            with self.subTest(target=target):
                resp = self.probe(target)
                self.assertEqual(resp.status, 400, resp.text)

    # ---------------------------------------------------------- check dnsbl

    def check(self, *args):
        # Global flags go before the command; the command takes its own after.
        return harness.run_exporter(["--config.file=" + self.config_file, "check", "dnsbl"] +
                                    list(args) + ["--dns-server", self.nsd.server()])

    def test_check_command_json_for_listed_ip(self):
        proc = self.check(LISTED_IP, "--list", "bl.test", "--format", "json")
        self.assertEqual(proc.returncode, 1, "stdout:\n%s\nstderr:\n%s" % (proc.stdout,
                                                                          proc.stderr))
        report = json.loads(proc.stdout)
        self.assertEqual(report["target"], LISTED_IP)
        self.assertEqual(len(report["lists"]), 1, report)
        row = report["lists"][0]
        for key in ("list", "status", "codes", "meanings", "error"):
            self.assertIn(key, row)
        self.assertEqual(row["list"], "bl.test")
        self.assertEqual(row["status"], "listed")
        self.assertEqual(row["codes"], ["127.0.0.2"])
        self.assertEqual(row["meanings"], [MEANING])
        self.assertEqual(row["error"], "")

    def test_check_command_with_the_configured_lists(self):
        # No --list: the config's lists (both), listed rows first.
        proc = self.check(LISTED_IP, "--format", "json")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        rows = json.loads(proc.stdout)["lists"]
        self.assertEqual([(r["list"], r["status"]) for r in rows],
                         [("bl.test", "listed"), ("wild.test", "unhealthy")])
        self.assertEqual(rows[1]["codes"], [])

        proc = self.check(CLEAN_IP, "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        rows = {r["list"]: r["status"] for r in json.loads(proc.stdout)["lists"]}
        self.assertEqual(rows, {"bl.test": "clean", "wild.test": "unhealthy"})

    def test_check_command_text_names_the_meaning(self):
        proc = self.check(LISTED_IP, "--list", "bl.test")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("LISTED", proc.stdout)
        self.assertIn(MEANING, proc.stdout)
        self.assertIn("https://bl.test/lookup", proc.stdout)


MIRROR_ZONE = "mirror.test"
MIRROR_MEANING = "e2e mirror listing"

MIRROR_CATALOGUE = {
    "lists": [{
        "zone": MIRROR_ZONE,
        "name": "E2E mirrored list",
        "kinds": ["ip4"],
        "severity": "major",
        "queries_per_second": 100,
        "codes": [
            {"code": "127.0.0.2", "meaning": "e2e test point"},
            {"code": "127.0.0.3", "meaning": MIRROR_MEANING},
        ],
        "errors": [{"code": "127.255.255.0/24", "meaning": "query refused"}],
    }],
}

# rbldnsd ip4set: the RFC 5782 test point (default value 127.0.0.2) and the
# listed sender with its own value and TXT.
MIRROR_DATA = """# e2e mirror of mirror.test
127.0.0.2
:127.0.0.3:Listed by the e2e mirror: $
192.0.2.10
"""


class DnsblMirrorEndToEndTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        d = harness.make_tempdir(add, "mailrep-e2e-dnsbl-mirror-")
        cls.nsd = start_local_nsd(add, d, {
            MIRROR_ZONE: ["11.2.0.192 IN A 127.0.0.3"],  # what DNS would (wrongly) say
        })
        catalogue = harness.write_file(os.path.join(d, "catalogue.yml"),
                                       yaml.safe_dump(MIRROR_CATALOGUE, sort_keys=False))
        # The mirror's file is read under --path.rootfs, like every file the
        # collectors read: a rootfs of a host without an MTA, plus the file.
        cls.rootfs = fixture_rootfs.build(d, mail=False)
        mirror_file = "/var/lib/rbldnsd/mirror.ip4set"
        os.makedirs(os.path.join(cls.rootfs, "var", "lib", "rbldnsd"), exist_ok=True)
        harness.write_file(cls.rootfs + mirror_file, MIRROR_DATA)
        config = {
            "dns": {"servers": [cls.nsd.server()], "timeout": "1s"},
            "senders": [{"ips": [LISTED_IP, CLEAN_IP], "domains": []}],
            "collectors": {
                "dnsbl": {
                    "interval": "2s",
                    "timeout": "2s",
                    "lists": [MIRROR_ZONE],
                    "catalogue_file": catalogue,
                    "mirrors": [{"zone": MIRROR_ZONE, "file": mirror_file, "format": "ip4set"}],
                },
                "host": {"enabled": False},
                "spf": {"enabled": False},
                "dkim": {"enabled": False},
                "ptr": {"enabled": False},
            },
        }
        cls.config_file = harness.write_file(os.path.join(d, "mailrep.yml"),
                                             yaml.safe_dump(config, sort_keys=False))
        cls.exporter = harness.start_exporter(add, ["--config.file=" + cls.config_file,
                                                    "--path.rootfs=" + cls.rootfs])

    def scrape_until(self, predicate, what):
        """Scrapes /metrics until predicate(samples) holds; returns the samples."""
        last = []

        def check():
            last[:] = [harness.scrape(self.exporter.url("/metrics"))]
            return predicate(last[0])

        try:
            harness.wait_until(check, SWEEP_TIMEOUT_S, 0.5, what)
        except AssertionError as e:
            raise AssertionError("%s\nexporter stderr:\n%s" % (e, self.exporter.stderr()[-4000:]))
        return last[0]

    def test_listing_comes_from_the_file_with_no_dns_query(self):
        def values(samples, name, **labels):
            return [s.value for s in harness.find_samples(samples, name, **labels)]

        samples = self.scrape_until(
            lambda s: values(s, "mailrep_dnsbl_listed", ip=LISTED_IP, dnsbl=MIRROR_ZONE) == [1],
            "192.0.2.10 listed on the mirrored list")
        # Let a few more sweeps run: none of them may send a query.
        samples = self.scrape_until(
            lambda s: [v for v in values(s, "mailrep_collector_runs_total", collector="dnsbl")
                       if v >= 3], "three dnsbl runs")
        info = harness.find_samples(samples, "mailrep_dnsbl_listing_info", ip=LISTED_IP,
                                    dnsbl=MIRROR_ZONE)
        self.assertEqual([(i.labels["code"], i.labels["meaning"]) for i in info],
                         [("127.0.0.3", MIRROR_MEANING)])
        self.assertEqual(values(samples, "mailrep_dnsbl_listed", ip=CLEAN_IP, dnsbl=MIRROR_ZONE),
                         [0], "DNS says 192.0.2.11 is listed: the answer must not come from DNS")
        self.assertEqual(values(samples, "mailrep_dnsbl_list_healthy", dnsbl=MIRROR_ZONE), [1])
        self.assertEqual(values(samples, "mailrep_dnsbl_mirror_last_load_success",
                                dnsbl=MIRROR_ZONE), [1])
        self.assertEqual(values(samples, "mailrep_dnsbl_mirror_entries", dnsbl=MIRROR_ZONE), [2])
        self.assertEqual(values(samples, "mailrep_dnsbl_mirror_load_failures_total",
                                dnsbl=MIRROR_ZONE), [0])
        age = values(samples, "mailrep_dnsbl_mirror_age_seconds", dnsbl=MIRROR_ZONE)
        self.assertEqual(len(age), 1)
        self.assertLess(age[0], 600)
        for s in harness.find_samples(samples, "mailrep_dnsbl_lookup_errors_total",
                                      dnsbl=MIRROR_ZONE):
            self.assertEqual(s.value, 0, s)
        # Zero queries: the DNS engine was never started and counted none.
        self.assertIn(values(samples, "mailrep_dns_queries_total"), ([], [0]))
        self.assertIn(values(samples, "mailrep_dns_engines"), ([], [0]))

    def test_probe_answers_from_the_file(self):
        resp = harness.http_get(
            self.exporter.url("/probe?module=dnsbl&target=" + LISTED_IP),
            headers={"X-Prometheus-Scrape-Timeout-Seconds": "5"})
        self.assertEqual(resp.status, 200, resp.text)
        samples = harness.parse_exposition(resp.text)
        self.assertEqual([s.value for s in harness.find_samples(samples, "probe_success")], [1])
        self.assertEqual([s.value for s in harness.find_samples(
            samples, "mailrep_dnsbl_listed", ip=LISTED_IP, dnsbl=MIRROR_ZONE)], [1])
        resp = harness.http_get(
            self.exporter.url("/probe?module=dnsbl&target=" + CLEAN_IP),
            headers={"X-Prometheus-Scrape-Timeout-Seconds": "5"})
        self.assertEqual([s.value for s in harness.find_samples(
            harness.parse_exposition(resp.text), "mailrep_dnsbl_listed", ip=CLEAN_IP,
            dnsbl=MIRROR_ZONE)], [0], resp.text)
        samples = harness.scrape(self.exporter.url("/metrics"))
        self.assertIn([s.value for s in harness.find_samples(samples, "mailrep_dns_queries_total")],
                      ([], [0]))

    def test_check_command_answers_from_the_file(self):
        proc = harness.run_exporter(["--config.file=" + self.config_file,
                                     "--path.rootfs=" + self.rootfs, "check", "dnsbl",
                                     LISTED_IP, "--format", "json",
                                     "--dns-server", self.nsd.server()])
        self.assertEqual(proc.returncode, 1, "stdout:\n%s\nstderr:\n%s" % (proc.stdout,
                                                                          proc.stderr))
        rows = json.loads(proc.stdout)["lists"]
        self.assertEqual([(r["list"], r["status"], r["codes"]) for r in rows],
                         [(MIRROR_ZONE, "listed", ["127.0.0.3"])])
        proc = harness.run_exporter(["--config.file=" + self.config_file,
                                     "--path.rootfs=" + self.rootfs, "check", "dnsbl",
                                     CLEAN_IP, "--format", "json",
                                     "--dns-server", self.nsd.server()])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual([r["status"] for r in json.loads(proc.stdout)["lists"]], ["clean"])


if __name__ == "__main__":
    harness.main()
