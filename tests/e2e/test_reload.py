"""Config reload through POST /-/reload and SIGHUP: a good file takes effect,
a bad one is refused with its error and the old config keeps serving, and a
reload keeps the collectors' state (counters, log positions, schedules)."""

import os
import re
import signal
import time
import unittest

import yaml

import fixture_rootfs
import harness
from local_nsd import LocalNsd

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



# A Postfix delivery line the delivery collector counts (shape from
# collectors/delivery/parsers_test.cc); `i` makes each queue ID unique.
def sent_line(i):
    return ("Dec  7 13:04:%02d mx postfix/smtp[4242]: %011X: to=<u%d@ok.example.test>, "
            "relay=127.0.0.1[127.0.0.1]:2525, delay=0.16, delays=0.06/0.08/0.01/0, "
            "dsn=2.0.0, status=sent (250 2.0.0 Ok)\n" % (i % 60, 0xC9DAA7836C + i, i))


DNSBL_ZONES = {"bl.test": ["2.0.0.127 IN A 127.0.0.2", "10.2.0.192 IN A 127.0.0.2"]}


def dnsbl_catalogue_list(zone):
    return {"zone": zone, "name": "E2E " + zone, "kinds": ["ip4"], "severity": "major",
            "queries_per_second": 100, "codes": [{"code": "127.0.0.2", "meaning": "listed"}],
            "errors": [{"code": "127.255.255.0/24", "meaning": "query refused"}]}


def all_collector_names():
    out = harness.run_exporter(["--help"]).stdout
    out = out.decode() if isinstance(out, bytes) else out
    return sorted(set(re.findall(r"--\[no-\]collector\.([a-z0-9_]+)", out)))


class ReloadKeepsStateTest(unittest.TestCase):
    """Issue #11: reloads (SIGHUP and POST /-/reload) while a Postfix log grows
    must neither lose nor re-count lines, must not reset counters, and must not
    re-run collectors (a DNSBL sweep every reload)."""

    LINES = 100_000
    BATCHES = 100
    RELOADS = 25  # 20 SIGHUP, 5 POST

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        cls.dir = harness.make_tempdir(add, "mailrep-e2e-reload-state-")
        # Logs live in the exporter's --path.rootfs; configs name them from that root.
        cls.rootfs = fixture_rootfs.build(cls.dir, mail=False)
        os.makedirs(os.path.join(cls.rootfs, "var", "log"), exist_ok=True)
        nsd_dir = os.path.join(cls.dir, "nsd")
        os.mkdir(nsd_dir)
        cls.nsd = LocalNsd(nsd_dir, DNSBL_ZONES)
        add(cls.nsd.stop)
        cls.nsd.start()
        # nozone.test is not served: NSD refuses it, so every sweep counts
        # lookup errors that a reload must not reset.
        cls.catalogue = harness.write_file(
            os.path.join(cls.dir, "catalogue.yml"),
            yaml.safe_dump({"lists": [dnsbl_catalogue_list("bl.test"),
                                      dnsbl_catalogue_list("nozone.test")]}, sort_keys=False))
        cls.others = [n for n in all_collector_names() if n not in ("dnsbl", "delivery")]
        assert "host" in cls.others, cls.others

    def setUp(self):
        self.log_in_root = "/var/log/mail-%s.log" % self._testMethodName
        self.log = self.rootfs + self.log_in_root
        self.config = os.path.join(self.dir, "mailrep-%s.yml" % self._testMethodName)
        self.written = 0

    def write_config(self, from_start, delivery_variant=0, dnsbl_interval="15m"):
        collectors = {name: {"enabled": False} for name in self.others}
        collectors["dnsbl"] = {"enabled": True, "interval": dnsbl_interval, "timeout": "10s",
                               "lists": ["bl.test", "nozone.test"],
                               "catalogue_file": self.catalogue}
        collectors["delivery"] = {
            "enabled": True, "interval": "1s",
            "sources": [{"path": self.log_in_root, "mta": "postfix", "from_start": from_start}],
            "read_postfix_config": False}
        if delivery_variant % 2:  # a real change of the delivery section
            collectors["delivery"]["providers"] = {"e2e": ["ok.example.test"]}
        config = {"dns": {"servers": [self.nsd.server()], "timeout": "1s"},
                  "senders": [{"ips": ["192.0.2.10"]}],
                  "collectors": collectors}
        harness.write_file(self.config, yaml.safe_dump(config, sort_keys=False))

    def append(self, n):
        with open(self.log, "a") as f:
            f.write("".join(sent_line(self.written + i) for i in range(n)))
        self.written += n

    def state(self):
        samples = harness.scrape(self.exporter.url("/metrics"))

        def total(name, **labels):
            return sum(s.value for s in harness.find_samples(samples, name, **labels))

        return {
            "delivered": total("mailrep_deliveries_total", status="sent"),
            "parsed": total("mailrep_log_lines_total", source=self.log_in_root, result="parsed"),
            "delivery_runs": total("mailrep_collector_runs_total", collector="delivery"),
            "dnsbl_runs": total("mailrep_collector_runs_total", collector="dnsbl"),
            "dnsbl_errors": total("mailrep_dnsbl_lookup_errors_total", dnsbl="nozone.test"),
            "reload_failures": total("mailrep_config_reload_failures_total"),
        }

    @staticmethod
    def falls(before, after):
        return ["%s %s -> %s" % (k, v, after[k]) for k, v in before.items() if after[k] < v]

    def assert_monotonic(self, before, after):
        self.assertEqual(self.falls(before, after), [], "counters fell")

    def start(self, from_start):
        self.write_config(from_start)
        self.append(1000)  # before start: counted only with from_start
        self.exporter = harness.start_exporter(
            self.addCleanup, ["--config.file=" + self.config, "--path.rootfs=" + self.rootfs])
        harness.wait_until(lambda: self.state()["dnsbl_runs"] == 1 and
                           self.state()["delivery_runs"] >= 1, 30, 0.2, "the first runs")
        return 1000 if from_start else 0  # lines counted so far

    def settle(self, expected):
        """Waits for `expected` parsed lines (at most 60 s: lost lines never
        come), then two more delivery runs; returns the state."""
        try:
            harness.wait_until(lambda: self.state()["parsed"] >= expected, 60, 0.2,
                               "%d parsed lines" % expected)
        except AssertionError:
            pass  # the caller's assertion says what was counted
        time.sleep(2.5)  # two more delivery runs: nothing more may come
        return self.state()

    def wait_counted(self, expected):
        end = self.settle(expected)
        self.assertEqual((end["parsed"], end["delivered"]), (expected, expected), end)
        return end

    def grow_log_while_reloading(self, from_start):
        """Appends LINES lines in BATCHES batches with RELOADS reloads spread
        over them (every other one changes the delivery section) and a log
        rotation halfway, scraping after each batch. Returns the counter falls
        seen."""
        previous = self.state()
        falls = []
        every = self.BATCHES // self.RELOADS
        reloads = 0
        for batch in range(self.BATCHES):
            if batch == self.BATCHES // 2:  # logrotate (rename) halfway
                os.rename(self.log, self.log + ".1")
            self.append(self.LINES // self.BATCHES)
            if batch % every == every - 1:
                reloads += 1
                self.write_config(from_start, delivery_variant=reloads)
                if reloads % 5 == 0:
                    resp = harness.http_request(self.exporter.url("/-/reload"), method="POST",
                                                data=b"")
                    self.assertEqual(resp.status, 200, resp.text)
                else:
                    self.exporter.send_signal(signal.SIGHUP)
            time.sleep(0.08)
            now = self.state()
            falls += self.falls(previous, now)
            previous = now
        self.assertEqual(reloads, self.RELOADS)
        self.assertEqual(previous["reload_failures"], 0)
        return falls

    def check_reloads_keep_state(self, from_start):
        counted_before = self.start(from_start)
        falls = self.grow_log_while_reloading(from_start)
        expected = counted_before + self.LINES
        end = self.settle(expected)
        print("\nfrom_start=%s: %d reloads; lines to count %d, parsed %d, deliveries %d; "
              "DNSBL sweeps %d (interval 15m); counter falls %d%s" % (
                  from_start, self.RELOADS, expected, end["parsed"], end["delivered"],
                  end["dnsbl_runs"], len(falls), (": " + "; ".join(falls[:3])) if falls else ""))
        self.assertEqual(falls, [], "counters fell across reloads")
        self.assertEqual((end["parsed"], end["delivered"]), (expected, expected), end)
        self.assertEqual(end["dnsbl_runs"], 1, "a reload re-ran the DNSBL sweep")

    def test_reloads_keep_counts_from_start(self):
        self.check_reloads_keep_state(True)

    def test_reloads_keep_counts_from_end(self):
        self.check_reloads_keep_state(False)

    def test_changing_one_collector_keeps_the_others(self):
        counted = self.start(False)
        self.append(500)
        before = self.wait_counted(counted + 500)
        self.assertGreater(before["dnsbl_errors"], 0, "nozone.test should fail its lookups")

        # Change only the DNSBL section (a shorter interval): delivery is kept
        # as it runs, and the new DNSBL collector adopts the error counters.
        self.write_config(False, dnsbl_interval="10s")
        resp = harness.http_request(self.exporter.url("/-/reload"), method="POST", data=b"")
        self.assertEqual(resp.status, 200, resp.text)
        self.append(500)
        harness.wait_until(lambda: self.state()["dnsbl_runs"] >= 2, 30, 0.2,
                           "the changed DNSBL collector's run within its new interval")
        after = self.wait_counted(counted + 1000)
        self.assert_monotonic(before, after)
        self.assertGreater(after["dnsbl_errors"], before["dnsbl_errors"],
                           "DNSBL lookup errors restarted at 0 instead of counting on")
        self.assertGreater(after["delivery_runs"], before["delivery_runs"])

        # And the other way round: a delivery change leaves the DNSBL state.
        runs = self.state()["dnsbl_runs"]
        self.write_config(False, delivery_variant=1, dnsbl_interval="10s")
        resp = harness.http_request(self.exporter.url("/-/reload"), method="POST", data=b"")
        self.assertEqual(resp.status, 200, resp.text)
        self.assertLessEqual(self.state()["dnsbl_runs"], runs + 1)
        self.append(500)
        final = self.wait_counted(counted + 1500)
        self.assert_monotonic(after, final)

    def test_empty_config_file_is_refused(self):
        self.start(False)
        for text in ("", "# everything commented out\n# collectors: {}\n"):
            with self.subTest(text=text):
                harness.write_file(self.config, text)
                resp = harness.http_request(self.exporter.url("/-/reload"), method="POST",
                                            data=b"")
                self.assertEqual(resp.status, 500, resp.text)
                self.assertIn("has no settings", resp.text)
                self.assertEqual(self.state()["reload_failures"], 1 + (text != ""))
        self.assertEqual(self.state()["delivery_runs"] > 0, True)

if __name__ == "__main__":
    harness.main()
