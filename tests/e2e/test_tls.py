"""TLS as configured and bounded basic-auth cost, checked from outside.

For each tls_server_config setting (cipher_suites, curve_preferences,
min_version, max_version) the real binary is started and `openssl s_client`
shows what is negotiated and what is refused. A reload that changes TLS is
reported failed (TLS is applied at start only). A wrong-password flood at the
highest bcrypt cost allowed leaves /-/healthy fast and SIGTERM effective, and
known and unknown users take the same time.
"""

import os
import re
import sys
import threading
import time

import harness
from test_web_config import PASSWORD, USER, WebConfigCase

MAX_COST = 12  # kMaxBcryptCost in exporter/http/basic_auth.h


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class TlsTest(WebConfigCase):

    def handshake(self, exporter, *args, family="4"):
        """Runs `openssl s_client -brief ARGS` against the exporter. Returns
        {"protocol", "cipher", "temp_key"} (OpenSSL names), or None when the
        handshake fails."""
        proc = harness.run([harness.OPENSSL, "s_client", "-connect", exporter.address(family),
                            "-CAfile", self.pki.ca_cert, "-verify_return_error", "-brief"]
                           + list(args), timeout=30, input_bytes=b"")
        out = proc.stdout + proc.stderr
        if proc.returncode != 0 or "CONNECTION ESTABLISHED" not in out:
            return None
        fields = dict(re.findall(r"^([A-Za-z ]+): (.*)$", out, re.M))
        return {"protocol": fields.get("Protocol version"),
                "cipher": fields.get("Ciphersuite"),
                "temp_key": fields.get("Server Temp Key") or fields.get("Peer Temp Key") or ""}

    def start_tls(self, name, **settings):
        path = self.write(name, {"tls_server_config": self.tls(**settings)})
        exporter = self.assert_accepted(path, "https")  # promtool accepts it too
        self.assertEqual(self.get(exporter).status, 200)
        return exporter

    def assert_negotiates(self, exporter, args, protocol, cipher=None, family="4"):
        got = self.handshake(exporter, *args, family=family)
        self.assertIsNotNone(got, "handshake with %s refused" % " ".join(args))
        self.assertEqual(got["protocol"], protocol, got)
        if cipher:
            self.assertEqual(got["cipher"], cipher, got)
        return got

    def assert_refused(self, exporter, args, family="4"):
        got = self.handshake(exporter, *args, family=family)
        self.assertIsNone(got, "handshake with %s succeeded: %s" % (" ".join(args), got))

    # -- TLS settings -----------------------------------------------------------

    def test_cipher_suites(self):
        # The hostile test's setting: one AES-128-GCM suite (the PKI is ECDSA).
        # Before, AES-256-GCM and ChaCha20 were negotiated as well.
        exporter = self.start_tls("one-suite.yml",
                                  cipher_suites=["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"])
        for family in ("4", "6"):
            with self.subTest(family=family):
                self.assert_negotiates(exporter, ["-tls1_2"], "TLSv1.2",
                                       "ECDHE-ECDSA-AES128-GCM-SHA256", family)
                for other in ("ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
                              "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA"):
                    self.assert_refused(exporter, ["-tls1_2", "-cipher", other], family)
                # TLS 1.3 keeps only the suite with the listed cipher.
                self.assert_negotiates(exporter, [], "TLSv1.3", "TLS_AES_128_GCM_SHA256", family)
                for other in ("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"):
                    self.assert_refused(exporter, ["-tls1_3", "-ciphersuites", other], family)

    def test_cipher_suites_with_tls13_names(self):
        exporter = self.start_tls("two-suites.yml", cipher_suites=[
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"])
        self.assert_negotiates(exporter, ["-tls1_2"], "TLSv1.2", "ECDHE-ECDSA-CHACHA20-POLY1305")
        self.assert_refused(exporter, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"])
        self.assert_negotiates(exporter, [], "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256")
        self.assert_refused(exporter, ["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"])

    def test_default_suites_are_gos(self):
        # No cipher_suites: Go's defaults, so no CCM (GnuTLS's NORMAL has it).
        exporter = self.start_tls("default-suites.yml")
        self.assert_negotiates(exporter, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA"],
                               "TLSv1.2", "ECDHE-ECDSA-AES256-SHA")
        self.assert_refused(exporter, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-CCM"])
        self.assert_refused(exporter, ["-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_SHA256"])

    def test_curve_preferences(self):
        exporter = self.start_tls("p384.yml", curve_preferences=["CurveP384"])
        for version in ("-tls1_2", "-tls1_3"):
            with self.subTest(version=version):
                # P-256 offered too: in TLS 1.2 a client must list its
                # server's ECDSA certificate curve (the PKI's is P-256).
                got = self.assert_negotiates(exporter,
                                             [version, "-groups", "X25519:P-384:P-256"],
                                             "TLSv1.%s" % version[-1])
                self.assertIn("secp384r1", got["temp_key"], got)
                self.assert_refused(exporter, [version, "-groups", "X25519:P-256"])

    def test_min_version_tls13(self):
        exporter = self.start_tls("min13.yml", min_version="TLS13")
        for family in ("4", "6"):
            with self.subTest(family=family):
                self.assert_negotiates(exporter, [], "TLSv1.3", family=family)
                self.assert_refused(exporter, ["-tls1_2"], family)

    def test_max_version_tls12(self):
        exporter = self.start_tls("max12.yml", max_version="TLS12")
        for family in ("4", "6"):
            with self.subTest(family=family):
                self.assert_negotiates(exporter, [], "TLSv1.2", family=family)
                self.assert_refused(exporter, ["-tls1_3"], family)

    def test_suites_gnutls_cannot_apply_exactly_are_refused_at_start(self):
        # promtool accepts these; applying them through GnuTLS would enable
        # suites that are not listed (or none for TLS 1.3), so the exporter
        # refuses to start and says which key and suites.
        cases = {
            "crossed.yml": (["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                             "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"],
                            ["would also enable", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                             "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]),
            "cbc-only.yml": (["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"], ["no TLS 1.3 suite"]),
        }
        for name, (suites, reasons) in cases.items():
            with self.subTest(file=name):
                path = self.write(name, {"tls_server_config": self.tls(cipher_suites=suites)})
                self.assertEqual(self.promtool(path).returncode, 0)
                out = self.assert_exporter_refuses(path)
                self.assertIn("tls_server_config.cipher_suites: ", out)
                for reason in reasons:
                    self.assertIn(reason, out)

    # -- reload -----------------------------------------------------------------

    def reload(self, exporter, auth=None):
        kwargs = {"auth": auth}
        if exporter.scheme == "https":
            kwargs["context"] = harness.client_context(self.pki.ca_cert)
        return harness.http_request(exporter.url("/-/reload"), method="POST", **kwargs)

    def reload_metrics(self, exporter):
        kwargs = {}
        if exporter.scheme == "https":
            kwargs["context"] = harness.client_context(self.pki.ca_cert)
        samples = harness.scrape(exporter.url("/metrics"), **kwargs)
        return {name: harness.find_samples(samples, name)[0].value
                for name in ("mailrep_config_last_reload_successful",
                             "mailrep_config_reload_failures_total")}

    def test_reload_turning_tls_on_is_reported_failed(self):
        path = self.write("reload-tls.yml", "")
        exporter = harness.start_exporter(self.addCleanup, ["--web.config.file=" + path])
        self.write("reload-tls.yml", {"tls_server_config": self.tls()})
        resp = self.reload(exporter)
        self.assertEqual(resp.status, 500, resp.text)
        self.assertIn("TLS turned on", resp.text)
        self.assertIn("restart", resp.text)
        self.assertEqual(self.reload_metrics(exporter),
                         {"mailrep_config_last_reload_successful": 0,
                          "mailrep_config_reload_failures_total": 1})
        harness.wait_until(lambda: "TLS turned on" in exporter.stderr(), 5,
                           what="the log to say why the reload failed")
        failed = [l for l in exporter.stderr().splitlines() if "TLS turned on" in l]
        self.assertIn("Reload failed", failed[0])
        # Still plain HTTP, as reported: the failure is not a silent plaintext.
        self.assertIsNone(self.handshake(exporter))
        # SIGHUP takes the same path.
        exporter.send_signal(1)
        harness.wait_until(
            lambda: self.reload_metrics(exporter)["mailrep_config_reload_failures_total"] == 2,
            10, what="the SIGHUP reload to fail too")
        # Back to the running settings: the reload succeeds.
        self.write("reload-tls.yml", "")
        self.assertEqual(self.reload(exporter).status, 200)
        self.assertEqual(self.reload_metrics(exporter)["mailrep_config_last_reload_successful"], 1)

    def test_reload_changing_tls_settings_or_files_is_reported_failed(self):
        with open(self.pki.server_cert, encoding="utf-8") as f:
            cert = harness.write_file(os.path.join(self.dir, "reload-server.crt"), f.read())
        settings = {"cert_file": cert, "key_file": self.pki.server_key}
        path = self.write("reload-suites.yml", {"tls_server_config": settings})
        exporter = harness.start_exporter(self.addCleanup, ["--web.config.file=" + path],
                                          scheme="https")
        # Users alone may change: the reload succeeds and TLS stays.
        self.write("reload-suites.yml", {"tls_server_config": settings,
                                         "basic_auth_users": {USER: self.hash}})
        self.assertEqual(self.reload(exporter).status, 200)
        self.assertEqual(self.get(exporter).status, 401)
        auth = (USER, PASSWORD)  # /-/reload is guarded too
        self.write("reload-suites.yml", {
            "tls_server_config": dict(settings, max_version="TLS12"),
            "basic_auth_users": {USER: self.hash}})
        resp = self.reload(exporter, auth)
        self.assertEqual(resp.status, 500, resp.text)
        self.assertIn("max_version", resp.text)
        self.assert_negotiates(exporter, [], "TLSv1.3")  # the running settings
        # A renewed certificate (same key, new serial) written over the old
        # one is a TLS change too.
        self.write("reload-suites.yml", {"tls_server_config": settings,
                                         "basic_auth_users": {USER: self.hash}})
        proc = harness.run([harness.OPENSSL, "x509", "-req", "-in", self.pki._path("server.csr"),
                            "-CA", self.pki.ca_cert, "-CAkey", self.pki.ca_key,
                            "-CAcreateserial", "-days", "2", "-extfile",
                            self.pki._path("server.ext"), "-out", cert])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        resp = self.reload(exporter, auth)
        self.assertEqual(resp.status, 500, resp.text)
        self.assertIn("contents of cert_file", resp.text)
        self.assertEqual(self.get(exporter, auth=auth).status, 200)

    # -- basic-auth cost ------------------------------------------------------------

    def test_bcrypt_cost_outside_bounds_refused_at_start(self):
        # promtool accepts any cost 4..31; the exporter only 10..12.
        for cost in (4, 9, 13, 31):
            with self.subTest(cost=cost):
                fake = self.hash.replace("$10$", "$%02d$" % cost, 1)
                path = self.write("cost%d.yml" % cost, {"basic_auth_users": {"carol": fake}})
                self.assertEqual(self.promtool(path).returncode, 0)
                out = self.assert_exporter_refuses(path)
                self.assertRegex(out, r'user \\?"carol\\?"')
                self.assertIn("bcrypt cost %d is outside 10..12" % cost, out)

    def start_with_max_cost_user(self, name):
        path = self.write(name, {"basic_auth_users": {
            USER: harness.bcrypt_hash(PASSWORD, cost=MAX_COST)}})
        return harness.start_exporter(self.addCleanup, ["--web.config.file=" + path])

    def timed_get(self, url, auth=None):
        start = time.monotonic()
        resp = harness.http_get(url, auth=auth, timeout=30)
        return resp.status, time.monotonic() - start

    def test_known_and_unknown_users_take_the_same_time(self):
        exporter = self.start_with_max_cost_user("timing.yml")
        url = exporter.url("/metrics")
        known, unknown = [], []
        for _ in range(5):
            status, seconds = self.timed_get(url, (USER, "wrong"))
            self.assertEqual(status, 401)
            known.append(seconds)
            status, seconds = self.timed_get(url, ("mallory", "wrong"))
            self.assertEqual(status, 401)
            unknown.append(seconds)
        k, u = percentile(known, 0.5), percentile(unknown, 0.5)
        sys.stderr.write("cost %d median: known user %.0f ms, unknown user %.0f ms\n" %
                         (MAX_COST, k * 1000, u * 1000))
        self.assertLess(max(k, u) / min(k, u), 1.5, (known, unknown))

    def test_wrong_password_flood_keeps_healthy_fast(self):
        exporter = self.start_with_max_cost_user("flood.yml")
        url = exporter.url("/metrics")
        stop = threading.Event()
        statuses = []

        def flood(user):
            while not stop.is_set():
                try:
                    statuses.append(harness.http_get(url, auth=(user, "wrong"), timeout=30).status)
                except OSError:
                    pass  # the exporter stopped under us (the SIGTERM below)

        threads = [threading.Thread(target=flood, args=(USER if i % 2 else "mallory",))
                   for i in range(8)]
        for t in threads:
            t.start()
        try:
            latencies = []
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                status, seconds = self.timed_get(exporter.url("/-/healthy"))
                self.assertEqual(status, 200)
                latencies.append(seconds)
                time.sleep(0.02)
            p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
            sys.stderr.write("flood at cost %d: %d wrong-password answers (%d x 429); "
                             "/-/healthy n=%d p50 %.1f ms p99 %.1f ms max %.1f ms\n" %
                             (MAX_COST, len(statuses), statuses.count(429), len(latencies),
                              p50 * 1000, p99 * 1000, max(latencies) * 1000))
            self.assertEqual(set(statuses) - {401, 429}, set())
            self.assertIn(429, statuses, "the bcrypt limit never engaged")
            # One bcrypt at cost 12 takes ~250 ms on an idle core: a p99 under
            # it means /-/healthy never waited for a password check.
            self.assertLess(p99, 0.2, sorted(latencies)[-5:])
            # SIGTERM works mid-flood (stop() fails after STOP_TIMEOUT_S).
            self.assertEqual(exporter.stop(), 0, exporter.stderr())
        finally:
            stop.set()
            for t in threads:
                t.join(60)


if __name__ == "__main__":
    harness.main()
