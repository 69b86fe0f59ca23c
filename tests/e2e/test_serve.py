"""The exporter with its embedded default config: routes, both address
families, gzip, promtool lint of real output, and the one-shot CLI modes.
The default-config exporter reads the mail host of fixture_rootfs (a Postfix
with a queue and a log) through --path.rootfs, never this machine's files."""

import gzip
import json
import os
import signal
import socket
import unittest

import fixture_rootfs
import harness

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG_TESTDATA = os.path.join(HERE, "..", "..", "exporter", "config", "testdata")
READY_TIMEOUT_S = 90


def wait_ready(exporter):
    harness.wait_until(lambda: harness.http_get(exporter.url("/-/ready")).status == 200,
                       READY_TIMEOUT_S, 0.2, "/-/ready to return 200")


class DefaultConfigServeTest(unittest.TestCase):
    """One exporter on 127.0.0.1:0 and [::1]:0 shared by the route checks."""

    @classmethod
    def setUpClass(cls):
        root = fixture_rootfs.build(harness.make_tempdir(cls.addClassCleanup))
        cls.exporter = harness.start_exporter(cls.addClassCleanup, ["--path.rootfs=" + root],
                                              listen=["127.0.0.1:0", "[::1]:0"])

    def get(self, path, family="4", **kwargs):
        return harness.http_get(self.exporter.url(path, family), **kwargs)

    def test_binds_both_families(self):
        addrs = self.exporter.addresses
        self.assertEqual(len(addrs), 2, addrs)
        self.assertTrue(any(a.startswith("127.0.0.1:") for a in addrs), addrs)
        self.assertTrue(any(a.startswith("[::1]:") for a in addrs), addrs)
        for a in addrs:
            self.assertNotEqual(a.rsplit(":", 1)[1], "0", "port 0 not resolved in log")

    def test_metrics_over_ipv4_and_ipv6(self):
        for family in ("4", "6"):
            with self.subTest(family=family):
                resp = self.get("/metrics", family)
                self.assertEqual(resp.status, 200)
                ctype = resp.header("Content-Type") or ""
                self.assertTrue(ctype.startswith("text/plain"), ctype)
                self.assertIn("version=0.0.4", ctype)
                samples = harness.parse_exposition(resp.text)
                info = harness.find_samples(samples, "mailrep_build_info")
                self.assertEqual(len(info), 1, info)
                self.assertEqual(info[0].value, 1)
                self.assertTrue(info[0].labels.get("version"), info[0])
                self.assertTrue(info[0].labels.get("revision"), info[0])

    def test_curl_fetches_metrics_on_both_families(self):
        for family in ("4", "6"):
            with self.subTest(family=family):
                proc = harness.curl(self.exporter.url("/metrics", family), "-f")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertIn("mailrep_build_info{", proc.stdout)
                harness.parse_exposition(proc.stdout)

    def test_self_metrics_after_first_round(self):
        wait_ready(self.exporter)
        text, samples = harness.scrape_text(self.exporter.url("/metrics"))
        names = {s.name for s in samples}
        for name in ("mailrep_collector_success", "mailrep_collector_duration_seconds",
                     "mailrep_collector_last_success_timestamp_seconds",
                     "mailrep_config_last_reload_successful",
                     "mailrep_config_last_reload_success_timestamp_seconds",
                     "mailrep_host_info", "mailrep_mta_info"):
            self.assertIn(name, names)
        # Declared even on a machine whose only interface is lo (no samples then).
        self.assertIn("# TYPE mailrep_host_address_info gauge", text)
        mta = harness.find_samples(samples, "mailrep_mta_info")
        self.assertEqual([s.labels for s in mta], [{
            "mta": "postfix", "mta_instance": "default", "queue_directory": "/var/spool/postfix",
            "version": "3.7.11-0+deb12u1"}])
        host = harness.find_samples(samples, "mailrep_host_info")
        self.assertEqual([s.labels.get("fqdn") for s in host], [fixture_rootfs.FQDN_IN_HOSTS])
        self.assertTrue(any(n.startswith("mailrep_collector_errors_total") for n in names),
                        "mailrep_collector_errors_total missing")
        self.assertTrue(any(n.startswith("process_") for n in names), "no process_* metrics")
        reload_ok = harness.find_samples(samples, "mailrep_config_last_reload_successful")
        self.assertEqual([s.value for s in reload_ok], [1.0])
        host = harness.find_samples(samples, "mailrep_collector_success", collector="host")
        self.assertEqual([s.value for s in host], [1.0], "host collector did not succeed")
        for s in samples:
            for forbidden in ("zone", "instance", "job"):
                self.assertNotIn(forbidden, s.labels, s)

    def test_promtool_check_metrics_has_no_findings(self):
        wait_ready(self.exporter)
        body = self.get("/metrics").body
        proc = harness.run([harness.PROMTOOL, "check", "metrics"], input_bytes=body)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout + proc.stderr, "", "promtool findings")

    def test_landing_page_links_metrics(self):
        for family in ("4", "6"):
            with self.subTest(family=family):
                resp = self.get("/", family)
                self.assertEqual(resp.status, 200)
                self.assertIn("text/html", resp.header("Content-Type") or "")
                self.assertRegex(resp.text, r"""href=["']/metrics["']""")
                self.assertIn("mailrep", resp.text.lower())

    def test_healthy(self):
        for family in ("4", "6"):
            with self.subTest(family=family):
                self.assertEqual(self.get("/-/healthy", family).status, 200)

    def test_ready_eventually(self):
        wait_ready(self.exporter)
        self.assertEqual(self.get("/-/ready", "6").status, 200)

    def test_probe_rejects_bad_requests(self):
        for query in ("", "?module=no_such_module&target=example.com",
                      "?module=no_such_module"):
            with self.subTest(query=query):
                resp = self.get("/probe" + query)
                self.assertEqual(resp.status, 400, resp.text)
                self.assertIn("text/plain", resp.header("Content-Type") or "")
                self.assertTrue(resp.text.strip(), "400 without an explanation")

    def test_reload_needs_post(self):
        resp = self.get("/-/reload")
        self.assertEqual(resp.status, 405, resp.text)

    def test_unknown_path_is_404(self):
        self.assertEqual(self.get("/no/such/page").status, 404)

    def test_gzip_only_when_asked(self):
        plain = self.get("/metrics")
        self.assertIsNone(plain.header("Content-Encoding"))
        zipped = self.get("/metrics", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(zipped.status, 200)
        self.assertEqual(zipped.header("Content-Encoding"), "gzip")
        text = gzip.decompress(zipped.body).decode()
        self.assertIn("mailrep_build_info{", text)
        harness.parse_exposition(text)

    def test_version_matches_build_info(self):
        proc = harness.run_exporter(["--version"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout + proc.stderr
        self.assertIn("mailrep_exporter", out)
        info = harness.find_samples(harness.scrape(self.exporter.url("/metrics")),
                                    "mailrep_build_info")[0]
        self.assertIn(info.labels["version"], out)
        self.assertIn(info.labels["revision"], out)


class CommandLineTest(unittest.TestCase):
    """Modes that exit at once, and flags that change what is served."""

    def setUp(self):
        self.dir = harness.make_tempdir(self.addCleanup)

    def test_help(self):
        proc = harness.run_exporter(["--help"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout + proc.stderr
        for flag in ("--config.file", "--config.check", "--web.listen-address",
                     "--web.telemetry-path", "--web.config.file", "--log.level",
                     "--log.format", "--path.rootfs", "--version", "collector.host"):
            self.assertIn(flag, out)

    def test_unknown_flag_fails(self):
        proc = harness.run_exporter(["--no-such-flag"])
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("no-such-flag", proc.stdout + proc.stderr)

    def test_unknown_collector_fails(self):
        proc = harness.run_exporter(["--collector.no_such_collector"])
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("no_such_collector", proc.stdout + proc.stderr)

    def test_bad_log_level_fails(self):
        proc = harness.run_exporter(["--log.level=loud"])
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("loud", proc.stdout + proc.stderr)

    def test_config_check_embedded_default(self):
        proc = harness.run_exporter(["--config.check"])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_config_check_valid_file(self):
        path = harness.write_file(os.path.join(self.dir, "good.yml"),
                                  "collectors:\n  host:\n    enabled: true\n"
                                  "    interval: 30s\n")
        proc = harness.run_exporter(["--config.check", "--config.file=" + path])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_config_check_invalid_file_names_line(self):
        cases = {
            "unknown_top_key.yml": ("collectors:\n  host:\n    enabled: true\n"
                                    "bogus_key: 1\n", 4),
            "unknown_collector.yml": ("collectors:\n  host:\n    enabled: true\n"
                                      "  no_such_collector:\n    enabled: true\n", 4),
            "bad_duration.yml": ("collectors:\n  host:\n    interval: soon\n", 3),
            "bad_yaml.yml": ("collectors:\n  host: [\n", None),
        }
        for name, (text, line) in cases.items():
            with self.subTest(file=name):
                path = harness.write_file(os.path.join(self.dir, name), text)
                proc = harness.run_exporter(["--config.check", "--config.file=" + path])
                out = proc.stdout + proc.stderr
                self.assertEqual(proc.returncode, 1, out)
                self.assertIn(name, out)
                if line is not None:
                    self.assertRegex(out, r"%s:%d\b" % (name, line))

    def test_config_check_missing_file(self):
        path = os.path.join(self.dir, "absent.yml")
        proc = harness.run_exporter(["--config.check", "--config.file=" + path])
        self.assertEqual(proc.returncode, 1)
        self.assertIn("absent.yml", proc.stdout + proc.stderr)

    def test_config_check_invalid_corpus(self):
        if not os.path.isdir(CONFIG_TESTDATA):
            self.skipTest("no corpus at %s yet" % CONFIG_TESTDATA)
        files = sorted(f for f in os.listdir(CONFIG_TESTDATA) if f.startswith("invalid"))
        for name in files:
            with self.subTest(file=name):
                path = os.path.join(CONFIG_TESTDATA, name)
                proc = harness.run_exporter(["--config.check", "--config.file=" + path])
                out = proc.stdout + proc.stderr
                self.assertEqual(proc.returncode, 1, out)
                self.assertIn(name, out)

    def test_exporter_refuses_invalid_config_at_start(self):
        path = harness.write_file(os.path.join(self.dir, "bad.yml"), "bogus_key: 1\n")
        proc = harness.run_exporter(["--config.file=" + path,
                                     "--web.listen-address=127.0.0.1:0"])
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("bad.yml:1", proc.stdout + proc.stderr)

    def test_address_in_use_fails(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            addr = "127.0.0.1:%d" % s.getsockname()[1]
            proc = harness.run_exporter(["--web.listen-address=" + addr])
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(addr, proc.stdout + proc.stderr)
        # The reason, not the "port 0" libmicrohttpd was given with the sockaddr.
        self.assertIn("Address already in use", proc.stdout + proc.stderr)
        self.assertNotIn("port 0", proc.stdout + proc.stderr)

    def test_custom_telemetry_path(self):
        exporter = harness.start_exporter(self.addCleanup,
                                          ["--web.telemetry-path=/mailrep-metrics"])
        resp = harness.http_get(exporter.url("/mailrep-metrics"))
        self.assertEqual(resp.status, 200)
        self.assertIn("mailrep_build_info{", resp.text)
        landing = harness.http_get(exporter.url("/"))
        self.assertRegex(landing.text, r"""href=["']/mailrep-metrics["']""")

    def test_json_logs(self):
        exporter = harness.start_exporter(self.addCleanup, ["--log.format=json"])
        self.assertEqual(exporter.stop(), 0)
        for line in exporter.stderr().splitlines():
            if line.strip():
                self.assertIsInstance(json.loads(line), dict, line)

    def test_sigint_stops_cleanly(self):
        exporter = harness.start_exporter(self.addCleanup)
        self.assertEqual(exporter.stop(signal.SIGINT), 0, exporter.stderr())

    def test_disabled_collector_absent(self):
        exporter = harness.start_exporter(self.addCleanup, ["--no-collector.host"])
        wait_ready(exporter)
        samples = harness.scrape(exporter.url("/metrics"))
        self.assertEqual(
            harness.find_samples(samples, "mailrep_collector_success", collector="host"), [])
        self.assertEqual(harness.find_samples(samples, "mailrep_host_info"), [])


if __name__ == "__main__":
    harness.main()
