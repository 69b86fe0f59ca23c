"""A real Prometheus scrapes real exporters: plain HTTP over IPv4 and IPv6,
HTTPS with basic auth, HTTPS with a verified client certificate; wrong
credentials and a missing client certificate must show up as up == 0."""

import os
import unittest

import yaml

import harness

USER = "prometheus"
PASSWORD = "correct horse battery staple"


class PrometheusScrapeTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        harness.require_tools(harness.PROMETHEUS)
        add = cls.addClassCleanup
        d = harness.make_tempdir(add)
        pki = harness.Pki(d)
        cls.pki = pki

        plain = harness.start_exporter(add, listen=["127.0.0.1:0", "[::1]:0"])

        basic_web = harness.write_file(os.path.join(d, "web-basic.yml"), yaml.safe_dump({
            "tls_server_config": {"cert_file": pki.server_cert, "key_file": pki.server_key},
            "basic_auth_users": {USER: harness.bcrypt_hash(PASSWORD)},
        }))
        basic = harness.start_exporter(add, ["--web.config.file=" + basic_web], scheme="https")

        cert_web = harness.write_file(os.path.join(d, "web-cert.yml"), yaml.safe_dump({
            "tls_server_config": {
                "cert_file": pki.server_cert,
                "key_file": pki.server_key,
                "client_auth_type": "RequireAndVerifyClientCert",
                "client_ca_file": pki.ca_cert,
            },
        }))
        cert = harness.start_exporter(add, ["--web.config.file=" + cert_web],
                                      listen=["127.0.0.1:0", "[::1]:0"], scheme="https")
        cls.exporters = {"plain": plain, "basic": basic, "cert": cert}

        def job(name, target, **extra):
            return dict({"job_name": name, "static_configs": [{"targets": [target]}]}, **extra)

        tls_ok = {"ca_file": pki.ca_cert}
        tls_client = dict(tls_ok, cert_file=pki.client_cert, key_file=pki.client_key)
        tls_rogue = dict(tls_ok, cert_file=pki.rogue_client_cert, key_file=pki.rogue_client_key)
        cls.expect_up = {
            "plain_v4": 1, "plain_v6": 1, "https_basic": 1, "https_cert_v4": 1,
            "https_cert_v6": 1, "https_wrong_password": 0, "https_no_auth": 0,
            "https_no_client_cert": 0, "https_untrusted_client_cert": 0,
        }
        scrape_configs = [
            job("plain_v4", plain.address("4")),
            job("plain_v6", plain.address("6")),
            job("https_basic", basic.address(), scheme="https", tls_config=tls_ok,
                basic_auth={"username": USER, "password": PASSWORD}),
            job("https_wrong_password", basic.address(), scheme="https", tls_config=tls_ok,
                basic_auth={"username": USER, "password": "wrong"}),
            job("https_no_auth", basic.address(), scheme="https", tls_config=tls_ok),
            job("https_cert_v4", cert.address("4"), scheme="https", tls_config=tls_client),
            job("https_cert_v6", cert.address("6"), scheme="https", tls_config=tls_client),
            job("https_no_client_cert", cert.address("4"), scheme="https", tls_config=tls_ok),
            job("https_untrusted_client_cert", cert.address("4"), scheme="https",
                tls_config=tls_rogue),
        ]
        cls.prom = harness.start_prometheus(add, harness.make_tempdir(add), scrape_configs)
        cls.targets = cls.prom.wait_scraped(list(cls.expect_up))

    def diagnostics(self, job):
        lines = ["%s: health=%s lastError=%r" % (t["scrapeUrl"], t["health"], t["lastError"])
                 for t in self.targets.get(job, [])]
        return "\n".join(lines)

    def test_up_per_job(self):
        up = {m["job"]: v for m, v in self.prom.query("up")}
        for job, want in self.expect_up.items():
            with self.subTest(job=job):
                self.assertEqual(up.get(job), want, self.diagnostics(job))

    def test_build_info_scraped_where_up(self):
        for job, want in self.expect_up.items():
            with self.subTest(job=job):
                result = self.prom.query('mailrep_build_info{job="%s"}' % job)
                if want:
                    self.assertEqual(len(result), 1, self.diagnostics(job))
                    labels, value = result[0]
                    self.assertEqual(value, 1)
                    self.assertTrue(labels.get("version"))
                    self.assertTrue(labels.get("revision"))
                else:
                    self.assertEqual(result, [])

    def test_scrapes_are_fast_and_nonempty(self):
        for job, want in self.expect_up.items():
            if not want:
                continue
            with self.subTest(job=job):
                samples = self.prom.query('scrape_samples_scraped{job="%s"}' % job)
                self.assertGreater(samples[0][1], 1)
                duration = self.prom.query('scrape_duration_seconds{job="%s"}' % job)
                self.assertLess(duration[0][1], 1.0)

    def test_failures_have_the_expected_cause(self):
        causes = {
            "https_wrong_password": "401",
            "https_no_auth": "401",
        }
        for job, cause in causes.items():
            with self.subTest(job=job):
                errors = " ".join(t["lastError"] for t in self.targets[job])
                self.assertIn(cause, errors)
        for job in ("https_no_client_cert", "https_untrusted_client_cert"):
            with self.subTest(job=job):
                for t in self.targets[job]:
                    self.assertNotIn("401", t["lastError"])
                    self.assertTrue(t["lastError"], "scrape failed without an error?")

    def test_urllib_and_curl_agree_with_prometheus(self):
        basic, cert, pki = self.exporters["basic"], self.exporters["cert"], self.pki
        ok = harness.client_context(pki.ca_cert)
        resp = harness.http_get(basic.url("/metrics"), context=ok, auth=(USER, PASSWORD))
        self.assertEqual(resp.status, 200)
        self.assertEqual(harness.http_get(basic.url("/metrics"), context=ok).status, 401)
        # /-/healthy never needs auth.
        self.assertEqual(harness.http_get(basic.url("/-/healthy"), context=ok).status, 200)
        proc = harness.curl(basic.url("/metrics"), "-f", "--cacert", pki.ca_cert, "-u",
                            "%s:%s" % (USER, PASSWORD))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("mailrep_build_info{", proc.stdout)

        with_cert = harness.client_context(pki.ca_cert, pki.client_cert, pki.client_key)
        for family in ("4", "6"):
            with self.subTest(family=family):
                self.assertEqual(
                    harness.http_get(cert.url("/metrics", family), context=with_cert).status,
                    200)
                proc = harness.curl(cert.url("/metrics", family), "-f", "--cacert",
                                    pki.ca_cert, "--cert", pki.client_cert, "--key",
                                    pki.client_key)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                proc = harness.curl(cert.url("/metrics", family), "-f", "--cacert",
                                    pki.ca_cert)
                self.assertNotEqual(proc.returncode, 0, "served without a client cert")


if __name__ == "__main__":
    harness.main()
