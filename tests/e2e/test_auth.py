"""Sender authentication end to end: a real NSD serves the senders' zones on
loopback, the real exporter checks SPF, Sender ID, DKIM, DMARC and PTR in the
background, a real Prometheus scrapes /metrics and /probe, and the `check`
commands ask the same server.

  good.test    SPF allows 192.0.2.10, DKIM key made by opendkim-genkey (its
               private key is the configured signing key), DMARC p=reject.
  broken.test  SPF includes a name that does not exist (permerror), DKIM key
               revoked (empty p=), no DMARC record.
  flaky.test   SPF includes outside.invalid, which NSD refuses to answer
               (REFUSED): a DNS error, so temperror, never pass or fail.
  2.0.192.in-addr.arpa  .10 -> mail.good.test (forward-confirmed),
               .11 -> 11-2-0-192.dyn.good.test (generic), .12 nothing.

Needs nsd and opendkim-tools besides the harness' tools. Every query goes to
the NSD on 127.0.0.1; host and dnsbl collectors are disabled. The exporter and
`check all` read the signing key as /etc/dkim/s1.private under their
--path.rootfs, a fixture_rootfs host without an MTA.
"""

import json
import os
import unittest

import yaml

import fixture_rootfs
import harness
from auth_zones import BARE_IP, GENERIC_IP, GOOD_IP, genkey, zones
from local_nsd import LocalNsd

CHECK_TIMEOUT_S = 60


class AuthEndToEndTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        d = harness.make_tempdir(add, "mailrep-e2e-auth-")
        cls.rootfs = fixture_rootfs.build(d, mail=False)
        os.makedirs(os.path.join(cls.rootfs, "etc", "dkim"))
        record, cls.key_file = genkey(os.path.join(cls.rootfs, "etc", "dkim"))
        nsd_dir = os.path.join(d, "nsd")
        os.mkdir(nsd_dir)
        cls.nsd = LocalNsd(nsd_dir, zones(record))
        add(cls.nsd.stop)
        cls.nsd.start()

        fast = {"interval": "2s", "timeout": "2s"}
        config = {
            "dns": {"servers": [cls.nsd.server()], "timeout": "1s"},
            "senders": [
                {"ips": [GOOD_IP], "helo": "mail.good.test", "domains": ["good.test"],
                 "dkim": [{"selector": "s1", "domain": "good.test",
                           "key_file": "/etc/dkim/s1.private"}]},
                {"ips": [GENERIC_IP, BARE_IP], "domains": ["broken.test", "flaky.test"],
                 "dkim": [{"selector": "s1", "domain": "broken.test"}]},
            ],
            "collectors": {"host": {"enabled": False}, "dnsbl": {"enabled": False},
                           "delivery": {"enabled": False}},
        }
        for name in ("spf", "dkim", "ptr", "dmarc", "mta_sts"):
            config["collectors"][name] = dict(fast)
        cls.config_file = harness.write_file(os.path.join(d, "mailrep.yml"),
                                             yaml.safe_dump(config, sort_keys=False))
        cls.exporter = harness.start_exporter(
            add, ["--config.file=" + cls.config_file, "--path.rootfs=" + cls.rootfs])

        scrape_configs = [
            {"job_name": "mailrep", "static_configs": [{"targets": [cls.exporter.address()]}]},
            {"job_name": "spf_probe", "metrics_path": "/probe",
             "params": {"module": ["spf"], "target": ["good.test"], "ip": [GOOD_IP]},
             "scrape_timeout": "1s",
             "static_configs": [{"targets": [cls.exporter.address()]}]},
        ]
        cls.prom = harness.start_prometheus(add, harness.make_tempdir(add), scrape_configs)
        cls.prom.wait_scraped(["mailrep", "spf_probe"])

    def diagnostics(self):
        return "exporter stderr:\n%s\nnsd log:\n%s" % (self.exporter.stderr()[-4000:],
                                                       self.nsd.log()[-2000:])

    def one_hot(self, metric, label, **selector):
        """The label value whose series is 1, polled until exactly one is."""
        matchers = ",".join('%s="%s"' % kv for kv in sorted(selector.items()))
        expr = '%s{%s,job="mailrep"} == 1' % (metric, matchers)
        last = []

        def check():
            last[:] = [self.prom.query(expr)]
            return len(last[0]) == 1

        try:
            harness.wait_until(check, CHECK_TIMEOUT_S, 0.5, "one state of " + expr)
        except AssertionError as e:
            raise AssertionError("%s\nlast: %s\n%s" % (e, last, self.diagnostics()))
        return last[0][0][0][label]

    def value(self, expr):
        result = []
        harness.wait_until(lambda: result.__setitem__(slice(None), self.prom.query(expr)) or
                           len(result) == 1, CHECK_TIMEOUT_S, 0.5, "one series for " + expr)
        return result[0][1]

    def check(self, *args):
        proc = harness.run_exporter(["check"] + list(args) +
                                    ["--dns-server", self.nsd.server(), "--format", "json"])
        return proc.returncode, json.loads(proc.stdout)

    # ------------------------------------------------------------------- SPF

    def test_spf_results_per_ip_and_domain(self):
        self.assertEqual(self.one_hot("mailrep_spf_result", "result", identity="mfrom",
                                      domain="good.test", ip=GOOD_IP), "pass")
        self.assertEqual(self.one_hot("mailrep_spf_result", "result", identity="mfrom",
                                      domain="broken.test", ip=GENERIC_IP), "permerror")
        self.assertEqual(self.one_hot("mailrep_spf_result", "result", identity="helo",
                                      domain="mail.good.test", ip=GOOD_IP), "pass")

    def test_dns_errors_are_temperror_never_a_verdict(self):
        for ip in (GENERIC_IP, BARE_IP):
            self.assertEqual(self.one_hot("mailrep_spf_result", "result", identity="mfrom",
                                          domain="flaky.test", ip=ip), "temperror")
        self.assertEqual(self.prom.query(
            'max_over_time(mailrep_spf_result{domain="flaky.test",result=~"pass|fail|softfail",'
            'job="mailrep"}[5m]) > 0'), [])

    def test_sender_id_falls_back_to_spf1(self):
        self.assertEqual(self.one_hot("mailrep_senderid_result", "result", domain="good.test",
                                      ip=GOOD_IP), "pass")
        self.assertEqual(self.value('mailrep_senderid_record_present{domain="good.test",'
                                    'job="mailrep"}'), 0)

    def test_spf_probe(self):
        self.assertEqual(self.value('up{job="spf_probe"}'), 1)
        self.assertEqual(self.value('probe_success{job="spf_probe"}'), 1)

    def test_check_spf_json(self):
        code, report = self.check("spf", "--ip", GOOD_IP, "--sender", "bounce@good.test")
        self.assertEqual((code, report["result"]), (0, "pass"))
        self.assertGreaterEqual(report["dns_lookups"], 0)
        code, report = self.check("spf", "--ip", GENERIC_IP, "--sender", "x@broken.test")
        self.assertEqual((code, report["result"]), (1, "permerror"))

    # ------------------------------------------------------------------ DKIM

    def test_dkim_key_matches_the_signing_key(self):
        self.assertEqual(self.one_hot("mailrep_dkim_key_status", "status", domain="good.test",
                                      selector="s1"), "valid")
        self.assertEqual(self.value('mailrep_dkim_key_bits{domain="good.test",job="mailrep"}'),
                         2048)
        self.assertEqual(self.one_hot("mailrep_dkim_signing_key_status", "status",
                                      domain="good.test", selector="s1"), "match")
        self.assertEqual(self.one_hot("mailrep_dkim_key_status", "status", domain="broken.test",
                                      selector="s1"), "revoked")

    def test_check_dkim_json(self):
        code, _ = self.check("dkim", "--domain", "good.test", "--selector", "s1", "--key",
                             self.key_file)
        self.assertEqual(code, 0)
        code, _ = self.check("dkim", "--domain", "broken.test", "--selector", "s1")
        self.assertEqual(code, 1)

    # ------------------------------------------------------------------- PTR

    def test_ptr_states(self):
        self.assertEqual(self.one_hot("mailrep_ptr_status", "status", ip=GOOD_IP), "ok")
        self.assertEqual(self.one_hot("mailrep_ptr_status", "status", ip=GENERIC_IP), "generic")
        self.assertEqual(self.one_hot("mailrep_ptr_status", "status", ip=BARE_IP), "missing")

    def test_check_ptr_json(self):
        code, _ = self.check("ptr", "--ip", GOOD_IP, "--helo", "mail.good.test")
        self.assertEqual(code, 0)
        code, _ = self.check("ptr", "--ip", BARE_IP)
        self.assertEqual(code, 1)

    # ----------------------------------------------------------------- DMARC

    def test_dmarc_policies(self):
        self.assertEqual(self.one_hot("mailrep_dmarc_status", "status", domain="good.test"),
                         "valid")
        self.assertEqual(self.one_hot("mailrep_dmarc_policy", "policy", domain="good.test"),
                         "reject")
        self.assertEqual(self.one_hot("mailrep_dmarc_status", "status", domain="broken.test"),
                         "missing")

    def test_check_dmarc_json(self):
        code, report = self.check("dmarc", "--domain", "good.test")
        self.assertEqual(code, 0, report)
        code, _ = self.check("dmarc", "--domain", "broken.test")
        self.assertEqual(code, 1)

    # --------------------------------------------------------------- MTA-STS

    def test_mta_sts_not_deployed(self):
        # No _mta-sts record: nothing is fetched, so no HTTPS leaves the machine.
        for domain in ("good.test", "broken.test"):
            self.assertEqual(self.one_hot("mailrep_mta_sts_status", "status", domain=domain),
                             "missing")

    # ------------------------------------------------------------- check all

    def test_check_all_reports_every_sender(self):
        proc = harness.run_exporter(["--config.file=" + self.config_file,
                                     "--path.rootfs=" + self.rootfs, "check", "all",
                                     "--format", "json"], timeout=120)
        self.assertEqual(proc.returncode, 1, proc.stderr)  # broken.test and the generic PTR
        report = json.loads(proc.stdout)
        text = json.dumps(report)
        for needle in (GOOD_IP, GENERIC_IP, "good.test", "broken.test", "s1"):
            self.assertIn(needle, text)

    # ------------------------------------------------------------ reference

    def test_every_family_is_documented(self):
        harness.wait_until(lambda: self.prom.query('mailrep_ptr_status{job="mailrep"}'),
                           CHECK_TIMEOUT_S, 0.5, "ptr results")
        samples = harness.scrape(self.exporter.url("/metrics"))  # checks the reference
        self.assertTrue(harness.find_samples(samples, "mailrep_spf_result"))


if __name__ == "__main__":
    harness.main()
