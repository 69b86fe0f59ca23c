"""Config reload through POST /-/reload and SIGHUP: a good file takes effect,
a bad one is refused with its error and the old config keeps serving."""

import os
import signal
import time
import unittest

import harness

HOST_ON = "collectors:\n  host:\n    enabled: true\n"
HOST_OFF = "collectors:\n  host:\n    enabled: false\n"
# Each bad file has its error on line 4.
BAD_CONFIGS = {
    "unknown key": "collectors:\n  host:\n    enabled: false\nbogus_key: 1\n",
    "unknown collector option": ("collectors:\n  host:\n    enabled: true\n"
                                 "    no_such_option: 1\n"),
}
COLLECT_TIMEOUT_S = 60


class ReloadTest(unittest.TestCase):

    def setUp(self):
        self.dir = harness.make_tempdir(self.addCleanup)
        self.config = harness.write_file(os.path.join(self.dir, "config.yml"), HOST_ON)

    def start(self, *args):
        self.exporter = harness.start_exporter(self.addCleanup,
                                               ["--config.file=" + self.config] + list(args))
        return self.exporter

    def samples(self):
        return harness.scrape(self.exporter.url("/metrics"))

    def value(self, name, **labels):
        found = harness.find_samples(self.samples(), name, **labels)
        return found[0].value if len(found) == 1 else None

    def host_collected(self):
        return bool(harness.find_samples(self.samples(), "mailrep_collector_success",
                                         collector="host"))

    def reload_status(self):
        return self.value("mailrep_config_last_reload_successful")

    def reload_time(self):
        return self.value("mailrep_config_last_reload_success_timestamp_seconds")

    def post_reload(self):
        return harness.http_request(self.exporter.url("/-/reload"), method="POST", data=b"")

    def wait_host(self, present):
        harness.wait_until(lambda: self.host_collected() == present, COLLECT_TIMEOUT_S, 0.2,
                           "host collector %s" % ("to appear" if present else "to disappear"))

    def test_http_reload(self):
        self.start()
        self.wait_host(True)
        self.assertEqual(self.reload_status(), 1)
        first_reload = self.reload_time()
        self.assertGreater(first_reload, time.time() - 600)
        time.sleep(1.1)  # so the success timestamp must move

        harness.write_file(self.config, HOST_OFF)
        resp = self.post_reload()
        self.assertEqual(resp.status, 200, resp.text)
        self.assertFalse(self.host_collected(), "disabled collector still exported")
        self.assertEqual(self.reload_status(), 1)
        good_reload = self.reload_time()
        self.assertGreater(good_reload, first_reload)

        for name, text in BAD_CONFIGS.items():
            with self.subTest(bad=name):
                harness.write_file(self.config, text)
                resp = self.post_reload()
                self.assertIn(resp.status, (400, 500), resp.text)
                self.assertRegex(resp.text, r"config\.yml:4\b")
                self.assertEqual(self.reload_status(), 0)
                self.assertEqual(self.reload_time(), good_reload)
                self.assertFalse(self.host_collected(), "old config (host off) not kept")

        harness.write_file(self.config, HOST_ON)
        resp = self.post_reload()
        self.assertEqual(resp.status, 200, resp.text)
        self.assertEqual(self.reload_status(), 1)
        self.wait_host(True)

    def test_sighup_reload(self):
        self.start()
        self.wait_host(True)
        first_reload = self.reload_time()
        time.sleep(1.1)

        harness.write_file(self.config, HOST_OFF)
        self.exporter.send_signal(signal.SIGHUP)
        self.wait_host(False)
        harness.wait_until(lambda: self.reload_time() > first_reload, 10, 0.1,
                           "the reload timestamp to move")
        self.assertEqual(self.reload_status(), 1)
        good_reload = self.reload_time()

        for name, text in BAD_CONFIGS.items():
            with self.subTest(bad=name):
                harness.write_file(self.config, text)
                self.exporter.send_signal(signal.SIGHUP)
                harness.wait_until(lambda: self.reload_status() == 0, 10, 0.1,
                                   "mailrep_config_last_reload_successful 0")
                self.assertEqual(self.reload_time(), good_reload)
                self.assertFalse(self.host_collected(), "old config (host off) not kept")
                harness.write_file(self.config, HOST_OFF)  # back to good between cases
                self.exporter.send_signal(signal.SIGHUP)
                harness.wait_until(lambda: self.reload_status() == 1, 10, 0.1,
                                   "mailrep_config_last_reload_successful 1")
                good_reload = self.reload_time()
        self.assertIn("config.yml:4", self.exporter.stderr(), "reload error not logged")

        harness.write_file(self.config, HOST_ON)
        self.exporter.send_signal(signal.SIGHUP)
        self.wait_host(True)
        self.assertTrue(self.exporter.running())

    def test_reload_of_deleted_file_keeps_serving(self):
        self.start()
        self.wait_host(True)
        os.unlink(self.config)
        resp = self.post_reload()
        self.assertIn(resp.status, (400, 500), resp.text)
        self.assertIn("config.yml", resp.text)
        self.assertEqual(self.reload_status(), 0)
        self.assertTrue(self.host_collected())
        self.assertEqual(harness.http_get(self.exporter.url("/-/healthy")).status, 200)

    def test_flag_overrides_config_across_reload(self):
        self.start("--no-collector.host")
        harness.wait_until(
            lambda: harness.http_get(self.exporter.url("/-/ready")).status == 200,
            COLLECT_TIMEOUT_S, 0.2, "/-/ready")
        self.assertFalse(self.host_collected())
        self.assertEqual(self.post_reload().status, 200)
        time.sleep(0.5)
        self.assertFalse(self.host_collected(), "--no-collector.host lost on reload")


if __name__ == "__main__":
    harness.main()
