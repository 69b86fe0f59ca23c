"""--web.config.file: every file promtool check web-config accepts starts an
exporter that serves with that TLS/auth/header setup; every file it rejects
stops the exporter at start with a message naming the file."""

import os
import ssl
import subprocess
import unittest

import yaml

import harness

USER, PASSWORD = "alice", "s3cret pass"


class WebConfigCase(unittest.TestCase):
    """Helpers for tests that start the exporter with a web config (also used
    by test_tls.py): a class-wide PKI and bcrypt hash, files in a temp dir."""

    @classmethod
    def setUpClass(cls):
        cls.dir = harness.make_tempdir(cls.addClassCleanup)
        cls.pki = harness.Pki(cls.dir)
        cls.hash = harness.bcrypt_hash(PASSWORD)

    def write(self, name, content):
        text = content if isinstance(content, str) else yaml.safe_dump(content)
        return harness.write_file(os.path.join(self.dir, name), text)

    def tls(self, **extra):
        return dict({"cert_file": self.pki.server_cert, "key_file": self.pki.server_key},
                    **extra)

    def promtool(self, path):
        return harness.run([harness.PROMTOOL, "check", "web-config", path])

    def start(self, path, scheme):
        return harness.start_exporter(self.addCleanup, ["--web.config.file=" + path],
                                      listen=["127.0.0.1:0", "[::1]:0"], scheme=scheme,
                                      cwd="/")

    def assert_accepted(self, path, scheme):
        proc = self.promtool(path)
        self.assertEqual(proc.returncode, 0, "promtool rejects %s: %s" % (path, proc.stdout))
        return self.start(path, scheme)

    def get(self, exporter, path="/metrics", family="4", **kwargs):
        if exporter.scheme == "https":
            kwargs.setdefault("context", harness.client_context(self.pki.ca_cert))
        return harness.http_get(exporter.url(path, family), **kwargs)

    def assert_tls_refused(self, exporter, context, family="4", path="/metrics"):
        """The TLS handshake fails (as in Go: for a bad TLS version, or in TLS 1.3
        on the first read), or the server answers 403 without content: the
        exporter checks client certificates after the handshake."""
        try:
            resp = harness.http_get(exporter.url(path, family), context=context)
        except OSError:
            return
        self.assertEqual(resp.status, 403, "%s served %d to an unacceptable TLS client" %
                         (path, resp.status))
        self.assertNotIn("mailrep_", resp.text)

    def assert_exporter_refuses(self, path):
        """The exporter exits non-zero at start, naming the file; returns its output."""
        try:
            proc = harness.run_exporter(
                ["--web.config.file=" + path, "--web.listen-address=127.0.0.1:0"], timeout=15)
        except subprocess.TimeoutExpired:
            self.fail("exporter started with rejected web config %s" % path)
        out = proc.stdout + proc.stderr
        self.assertNotEqual(proc.returncode, 0, out)
        self.assertIn(os.path.basename(path), out)
        self.assertNotIn('msg="Listening on"', out)
        return out


class WebConfigTest(WebConfigCase):

    # -- accepted --------------------------------------------------------------

    def test_empty_file_is_plain_http(self):
        exporter = self.assert_accepted(self.write("empty.yml", ""), "http")
        for family in ("4", "6"):
            self.assertEqual(self.get(exporter, family=family).status, 200)

    def test_http_server_config_only(self):
        path = self.write("http2.yml", {"http_server_config": {"http2": False}})
        exporter = self.assert_accepted(path, "http")
        self.assertEqual(self.get(exporter).status, 200)

    def test_basic_auth_without_tls(self):
        path = self.write("basic.yml", {"basic_auth_users": {USER: self.hash}})
        exporter = self.assert_accepted(path, "http")
        for family in ("4", "6"):
            with self.subTest(family=family):
                self.assertEqual(self.get(exporter, family=family).status, 401)
                resp = self.get(exporter, family=family, auth=(USER, PASSWORD))
                self.assertEqual(resp.status, 200)
                self.assertIn("mailrep_build_info{", resp.text)
                self.assertEqual(self.get(exporter, family=family, auth=(USER, "nope")).status,
                                 401)
                self.assertEqual(self.get(exporter, family=family, auth=("bob", PASSWORD)).status,
                                 401)
                self.assertEqual(self.get(exporter, "/-/healthy", family).status, 200)
                self.assertEqual(self.get(exporter, "/", family).status, 401)
        www = self.get(exporter).header("WWW-Authenticate") or ""
        self.assertTrue(www.lower().startswith("basic"), www)

    def test_tls(self):
        path = self.write("tls.yml", {"tls_server_config": self.tls()})
        exporter = self.assert_accepted(path, "https")
        for family in ("4", "6"):
            with self.subTest(family=family):
                resp = self.get(exporter, family=family)
                self.assertEqual(resp.status, 200)
                self.assertIn("mailrep_build_info{", resp.text)
                proc = harness.curl(exporter.url("/metrics", family), "-f", "--cacert",
                                    self.pki.ca_cert)
                self.assertEqual(proc.returncode, 0, proc.stderr)
        # Plain HTTP to the TLS port does not get metrics.
        try:
            resp = harness.http_get(exporter.url("/metrics", scheme="http"))
            self.assertNotEqual(resp.status, 200)
        except OSError:
            pass

    def test_tls_paths_relative_to_web_config(self):
        rel = {"cert_file": os.path.basename(self.pki.server_cert),
               "key_file": os.path.basename(self.pki.server_key)}
        path = self.write("tls-relative.yml", {"tls_server_config": rel})
        exporter = self.assert_accepted(path, "https")  # started with cwd=/
        self.assertEqual(self.get(exporter).status, 200)

    def test_tls13_minimum(self):
        path = self.write("tls13.yml", {"tls_server_config": self.tls(min_version="TLS13")})
        exporter = self.assert_accepted(path, "https")
        self.assertEqual(self.get(exporter).status, 200)
        old = harness.client_context(self.pki.ca_cert)
        old.maximum_version = ssl.TLSVersion.TLSv1_2
        self.assert_tls_refused(exporter, old)

    def test_tls12_maximum(self):
        path = self.write("tls12max.yml", {"tls_server_config": self.tls(max_version="TLS12")})
        exporter = self.assert_accepted(path, "https")
        ctx = harness.client_context(self.pki.ca_cert)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        self.assert_tls_refused(exporter, ctx)
        ctx = harness.client_context(self.pki.ca_cert)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        self.assertEqual(self.get(exporter, context=ctx).status, 200)

    def test_client_certificate_required(self):
        path = self.write("mtls.yml", {"tls_server_config": self.tls(
            client_auth_type="RequireAndVerifyClientCert", client_ca_file=self.pki.ca_cert)})
        exporter = self.assert_accepted(path, "https")
        pki = self.pki
        good = harness.client_context(pki.ca_cert, pki.client_cert, pki.client_key)
        for family in ("4", "6"):
            with self.subTest(family=family):
                self.assertEqual(self.get(exporter, family=family, context=good).status, 200)
                self.assert_tls_refused(exporter, harness.client_context(pki.ca_cert), family)
                rogue = harness.client_context(pki.ca_cert, pki.rogue_client_cert,
                                               pki.rogue_client_key)
                self.assert_tls_refused(exporter, rogue, family)
        # /-/healthy skips basic auth, never the TLS handshake.
        self.assert_tls_refused(exporter, harness.client_context(pki.ca_cert), path="/-/healthy")

    def test_verify_client_cert_if_given(self):
        path = self.write("mtls-optional.yml", {"tls_server_config": self.tls(
            client_auth_type="VerifyClientCertIfGiven", client_ca_file=self.pki.ca_cert)})
        exporter = self.assert_accepted(path, "https")
        pki = self.pki
        self.assertEqual(self.get(exporter).status, 200)
        good = harness.client_context(pki.ca_cert, pki.client_cert, pki.client_key)
        self.assertEqual(self.get(exporter, context=good).status, 200)
        rogue = harness.client_context(pki.ca_cert, pki.rogue_client_cert, pki.rogue_client_key)
        self.assert_tls_refused(exporter, rogue)

    def test_tls_with_basic_auth_and_headers(self):
        headers = {"X-Frame-Options": "deny", "X-Content-Type-Options": "nosniff",
                   "Strict-Transport-Security": "max-age=31536000"}
        path = self.write("full.yml", {
            "tls_server_config": self.tls(),
            "basic_auth_users": {USER: self.hash},
            "http_server_config": {"headers": headers},
        })
        exporter = self.assert_accepted(path, "https")
        for route, auth, status in (("/metrics", (USER, PASSWORD), 200), ("/metrics", None, 401),
                                    ("/", (USER, PASSWORD), 200), ("/-/healthy", None, 200)):
            with self.subTest(route=route, auth=bool(auth)):
                resp = self.get(exporter, route, auth=auth)
                self.assertEqual(resp.status, status)
                for name, value in headers.items():
                    self.assertEqual(resp.header(name), value, name)

    # -- rejected --------------------------------------------------------------

    def rejected_cases(self):
        pki = self.pki
        return {
            "unknown-top-key.yml": {"bogus": 1},
            "unknown-tls-key.yml": {"tls_server_config": self.tls(bogus=1)},
            "not-a-mapping.yml": "- just\n- a list\n",
            "bad-yaml.yml": "tls_server_config: [\n",
            "missing-cert-file.yml": {"tls_server_config": {
                "cert_file": os.path.join(self.dir, "absent.crt"), "key_file": pki.server_key}},
            "cert-without-key.yml": {"tls_server_config": {"cert_file": pki.server_cert}},
            "key-mismatch.yml": {"tls_server_config": {"cert_file": pki.server_cert,
                                                       "key_file": pki.client_key}},
            "bad-client-auth-type.yml": {"tls_server_config": self.tls(
                client_auth_type="Sometimes")},
            "bad-min-version.yml": {"tls_server_config": self.tls(min_version="TLS99")},
            "missing-client-ca.yml": {"tls_server_config": self.tls(
                client_auth_type="RequireAndVerifyClientCert",
                client_ca_file=os.path.join(self.dir, "absent-ca.crt"))},
            "rc4-suite.yml": {"tls_server_config": self.tls(
                cipher_suites=["TLS_RSA_WITH_RC4_128_SHA"])},
            "3des-suite.yml": {"tls_server_config": self.tls(
                cipher_suites=["TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"])},
            "plaintext-password.yml": {"basic_auth_users": {USER: "plaintext"}},
            "forbidden-header.yml": {"http_server_config": {"headers": {"Authorization": "x"}}},
            "bad-frame-options.yml": {"http_server_config": {
                "headers": {"X-Frame-Options": "always"}}},
        }

    def test_rejected_by_promtool_and_exporter(self):
        for name, content in self.rejected_cases().items():
            with self.subTest(file=name):
                path = self.write(name, content)
                proc = self.promtool(path)
                self.assertEqual(proc.returncode, 1,
                                 "case invalid: promtool accepts %s" % name)
                self.assert_exporter_refuses(path)

    def test_missing_web_config_file(self):
        self.assert_exporter_refuses(os.path.join(self.dir, "no-such-web.yml"))


if __name__ == "__main__":
    harness.main()
