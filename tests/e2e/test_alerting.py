"""Paging end to end: a blocklisting travels exporter -> Prometheus rules ->
Alertmanager -> webhook through the real components, all on loopback.

  NSD           bl.test (from test_dnsbl) lists 192.0.2.10 with code 127.0.0.2
                and its RFC 5782 test point; 192.0.2.11 is not listed.
  exporter      senders 192.0.2.10 and 192.0.2.11, dnsbl every 2 s over bl.test
                (severity major in the catalogue); the other collectors that
                could look names up are disabled.
  Prometheus    scrapes the exporter every second, evaluates a copy of
                alerts/mailrep.rules.yml every second and sends to:
  Alertmanager  alerts/alertmanager.example.yml with the receivers' URLs
                pointed at a webhook receiver this test runs (/pager, /tickets).

Proves: the pager receives a firing MailrepDNSBLListedMajor for 192.0.2.10 on
bl.test, severity critical, with a runbook_url; nothing anywhere says the
clean 192.0.2.11 is listed and nothing pages about it; MailrepExporterDown
never fires.

Needs prometheus-alertmanager and nsd (Debian) besides the harness' tools.
"""

import http.server
import json
import os
import re
import signal
import subprocess
import threading
import time
import unittest

import yaml

import harness
from local_nsd import LocalNsd
from test_dnsbl import CATALOGUE, CLEAN_IP, LISTED_IP, ZONES

ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
RULES = os.path.join(REPO, "alerts", "mailrep.rules.yml")
AM_EXAMPLE = os.path.join(REPO, "alerts", "alertmanager.example.yml")

ZONE = "bl.test"
PAGE_TIMEOUT_S = 60
# After the page: more than enough rule evaluations (1 s), Alertmanager group
# waits and intervals (1 s) and DNSBL sweeps (2 s) for a wrong alert to show.
SETTLE_S = 6
MAJOR = "MailrepDNSBLListedMajor"
DOWN = "MailrepExporterDown"


class WebhookReceiver:
    """Records every JSON body Alertmanager POSTs, with its path, on a thread
    serving 127.0.0.1:<kernel-chosen port>."""

    def __init__(self):
        self.posts = []  # [(path, payload)]
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = {"unparsable": body.decode("utf-8", "replace")}
                with receiver.lock:
                    receiver.posts.append((self.path, payload))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def alerts(self, path=None):
        """Every alert received as (path, alert dict), optionally on one path."""
        with self.lock:
            posts = list(self.posts)
        return [(p, a) for p, payload in posts if path is None or p == path
                for a in payload.get("alerts", [])]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Alertmanager:
    """A real Alertmanager on 127.0.0.1:<free port>, no cluster gossip, its
    storage in `directory`."""

    def __init__(self, directory, config):
        self.dir = directory
        self.config_file = harness.write_file(os.path.join(directory, "alertmanager.yml"),
                                              yaml.safe_dump(config, sort_keys=False))
        self.proc = None
        self.port = None
        self._log = None

    def start(self):
        for _ in range(3):  # the free port can be taken between probe and bind
            self.port = harness.free_port()
            self.proc = harness.popen([
                ALERTMANAGER, "--config.file=" + self.config_file,
                "--storage.path=" + os.path.join(self.dir, "data"),
                "--web.listen-address=127.0.0.1:%d" % self.port,
                "--cluster.listen-address=",
                "--log.level=debug",
            ], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.dir)
            self._log = harness._LineCollector(self.proc.stderr)
            try:
                harness.wait_until(self._ready, 60, 0.2, "Alertmanager /-/ready")
                return self
            except AssertionError:
                retry = self.proc.poll() is not None and "address already in use" in self.log()
                self.stop()
                if not retry:
                    raise AssertionError("Alertmanager did not become ready:\n" + self.log())
        raise AssertionError("Alertmanager could not bind a port:\n" + self.log())

    def _ready(self):
        try:
            return harness.http_get(self.url("/-/ready")).status == 200
        except OSError:
            return False

    def address(self):
        return "127.0.0.1:%d" % self.port

    def url(self, path):
        return "http://%s%s" % (self.address(), path)

    def log(self):
        return self._log.text() if self._log else ""

    def alerts(self):
        """The active alerts Alertmanager holds (API v2)."""
        return json.loads(harness.http_get(self.url("/api/v2/alerts")).text)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class AlertingPrometheus(harness.Prometheus):
    """harness.Prometheus that can load a new config. The test starts it with
    --rules.alert.resend-delay=1s (firing alerts resent every second instead
    of every minute), because it loads its rules by a reload, which also
    resets Prometheus' list of Alertmanagers until service discovery refills
    it (up to 5 s): an alert fired in that gap is dropped, and the default
    resend delay would make the page a minute late."""

    def reload(self, config):
        """Writes `config` as prometheus.yml and reloads it (SIGHUP); waits
        until the reload is logged as complete, failing on a rejected one."""
        harness.write_file(self.config_file, yaml.safe_dump(config, sort_keys=False))
        done = len(self._completed())
        self.proc.send_signal(signal.SIGHUP)
        harness.wait_until(lambda: len(self._completed()) > done, 20, 0.1,
                           "Prometheus to reload its configuration")

    def _completed(self):
        lines = self.log().splitlines()
        if any("Error reloading config" in l for l in lines):
            raise AssertionError("Prometheus rejected its configuration:\n" + self.log())
        return [l for l in lines if "Completed loading of configuration file" in l]


def alertmanager_config(webhook):
    """The shipped example with its receivers pointed at `webhook`."""
    with open(AM_EXAMPLE, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    urls = 0
    for receiver in config["receivers"]:
        for hook in receiver.get("webhook_configs", []):
            path = "/" + hook["url"].rstrip("/").rsplit("/", 1)[-1]
            if path not in ("/pager", "/tickets"):
                raise AssertionError("unexpected webhook URL in %s: %s" % (AM_EXAMPLE,
                                                                          hook["url"]))
            hook["url"] = webhook.url(path)
            urls += 1
    if urls != 2:
        raise AssertionError("%s: expected 2 webhook URLs, found %d" % (AM_EXAMPLE, urls))

    # The example waits 10-30 s before a group's first notification and 5 m
    # between updates; a test cannot. Routing, grouping and inhibition stay
    # as shipped; only these timers shrink to 1 s.
    def shorten(route):
        for key in ("group_wait", "group_interval"):
            if key in route or route is config["route"]:
                route[key] = "1s"
        for child in route.get("routes", []):
            shorten(child)

    shorten(config["route"])
    return config


def rules_without_for():
    """The shipped rules with every `for:` set to 0s. The promtool unit tests
    (alerts/mailrep.rules_test.yml) cover the hold durations; this test covers
    the path from a listing to a page, which would otherwise take 20 minutes."""
    with open(RULES, encoding="utf-8") as f:
        rules = yaml.safe_load(f)
    for group in rules["groups"]:
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = "0s"
    return rules


class AlertingEndToEndTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not os.access(ALERTMANAGER, os.X_OK):
            raise AssertionError("FAIL: %s missing (apt-get install prometheus-alertmanager)"
                                 % ALERTMANAGER)
        add = cls.addClassCleanup
        d = harness.make_tempdir(add, "mailrep-e2e-alerting-")
        for sub in ("nsd", "alertmanager", "prometheus"):
            os.mkdir(os.path.join(d, sub))

        cls.nsd = LocalNsd(os.path.join(d, "nsd"), {ZONE: ZONES[ZONE]})
        add(cls.nsd.stop)
        cls.nsd.start()

        lists = [l for l in CATALOGUE["lists"] if l["zone"] == ZONE]
        if len(lists) != 1 or lists[0]["severity"] != "major":
            raise AssertionError("test_dnsbl.CATALOGUE has no major %s: %s" % (ZONE, lists))
        catalogue = harness.write_file(os.path.join(d, "catalogue.yml"),
                                       yaml.safe_dump({"lists": lists}, sort_keys=False))
        collectors = {
            "dnsbl": {"interval": "2s", "timeout": "2s", "lists": [ZONE],
                      "catalogue_file": catalogue},
        }
        for name in ("host", "spf", "dkim", "ptr", "dmarc", "mta_sts"):  # they look names up
            collectors[name] = {"enabled": False}
        config = {
            "dns": {"servers": [cls.nsd.server()], "timeout": "1s"},
            "senders": [{"ips": [LISTED_IP, CLEAN_IP], "domains": []}],
            "collectors": collectors,
        }
        config_file = harness.write_file(os.path.join(d, "mailrep.yml"),
                                         yaml.safe_dump(config, sort_keys=False))
        cls.exporter = harness.start_exporter(add, ["--config.file=" + config_file])

        cls.webhook = WebhookReceiver()
        add(cls.webhook.stop)
        cls.am = Alertmanager(os.path.join(d, "alertmanager"), alertmanager_config(cls.webhook))
        add(cls.am.stop)
        cls.am.start()

        prom_dir = os.path.join(d, "prometheus")
        rules_file = harness.write_file(os.path.join(prom_dir, "mailrep.rules.yml"),
                                        yaml.safe_dump(rules_without_for(), sort_keys=False))
        cls.prom = AlertingPrometheus(prom_dir, [
            {"job_name": "mailrep", "static_configs": [{"targets": [cls.exporter.address()]}]},
        ], extra_args=["--rules.alert.resend-delay=1s"])
        with open(cls.prom.config_file, encoding="utf-8") as f:
            prom_config = yaml.safe_load(f)
        prom_config["alerting"] = {
            "alertmanagers": [{"static_configs": [{"targets": [cls.am.address()]}]}],
        }
        harness.write_file(cls.prom.config_file, yaml.safe_dump(prom_config, sort_keys=False))
        add(cls.prom.stop)
        cls.prom.start()
        cls.prom.wait_scraped(["mailrep"])

        # Rules load only now, by a SIGHUP reload: evaluated before the first
        # scrape, absent(up) in MailrepExporterDown is true, and with for: 0s
        # it would page (a real Prometheus rides that out with for: 5m).
        prom_config["rule_files"] = [rules_file]
        cls.prom.reload(prom_config)
        expected = {g["name"] for g in rules_without_for()["groups"]}
        harness.wait_until(
            lambda: {g["name"] for g in cls.prom.api("/api/v1/rules")["groups"]} == expected,
            20, 0.2, "Prometheus to load the rule groups %s" % sorted(expected))

        cls.page = cls._wait_for_page()
        time.sleep(SETTLE_S)

    @classmethod
    def _diagnostics(cls):
        prom_log = [l for l in cls.prom.log().splitlines()
                    if re.search(r"notif|error|warn", l, re.IGNORECASE)]
        return ("webhook posts:\n%s\nPrometheus alerts:\n%s\nPrometheus Alertmanagers:\n%s\n"
                "exporter stderr:\n%s\nAlertmanager log:\n%s\nPrometheus log (notifier, "
                "errors):\n%s" %
                (json.dumps(cls.webhook.posts, indent=1)[-4000:],
                 json.dumps(cls.prom.api("/api/v1/alerts"), indent=1)[-3000:],
                 json.dumps(cls.prom.api("/api/v1/alertmanagers")),
                 cls.exporter.stderr()[-2000:], cls.am.log()[-4000:],
                 "\n".join(prom_log)[-4000:]))

    @classmethod
    def _wait_for_page(cls):
        def paged():
            for _, alert in cls.webhook.alerts("/pager"):
                labels = alert.get("labels", {})
                if (alert.get("status") == "firing" and labels.get("alertname") == MAJOR and
                        labels.get("ip") == LISTED_IP):
                    return alert
            return None

        try:
            return harness.wait_until(paged, PAGE_TIMEOUT_S, 0.2,
                                      "a %s page for %s" % (MAJOR, LISTED_IP))
        except AssertionError as e:
            raise AssertionError("%s\n%s" % (e, cls._diagnostics()))

    # ------------------------------------------------------------------ tests

    def test_pager_gets_the_major_listing(self):
        labels = self.page["labels"]
        self.assertEqual(labels["alertname"], MAJOR)
        self.assertEqual(labels["ip"], LISTED_IP)
        self.assertEqual(labels["dnsbl"], ZONE)
        self.assertEqual(labels["severity"], "critical")
        self.assertEqual(labels["job"], "mailrep")
        self.assertEqual(labels["instance"], self.exporter.address())
        annotations = self.page["annotations"]
        self.assertRegex(annotations.get("runbook_url", ""),
                         r"^alerts/runbooks/mailrepdnsbllistedmajor\.md$")
        self.assertTrue(os.path.isfile(os.path.join(REPO, annotations["runbook_url"])),
                        annotations["runbook_url"])
        # The templated annotations name the IP and the list.
        self.assertIn(LISTED_IP, annotations.get("description", ""))
        self.assertIn(ZONE, annotations.get("description", ""))
        self.assertTrue(annotations.get("summary"))

    def test_major_listing_is_not_a_ticket(self):
        # Routed to the pager by its own route, never to the default tickets.
        tickets = [a for _, a in self.webhook.alerts("/tickets")
                   if a["labels"].get("alertname") == MAJOR]
        self.assertEqual(tickets, [])

    def test_clean_ip_was_checked_and_is_not_listed(self):
        # The negatives below mean something only if the clean IP was swept
        # and its 0 reached the rules.
        result = self.prom.query('mailrep_dnsbl_listed{job="mailrep",ip="%s",dnsbl="%s"}'
                                 % (CLEAN_IP, ZONE))
        self.assertEqual([v for _, v in result], [0], result)
        self.assertEqual(self.prom.query('max_over_time(mailrep_dnsbl_listed{job="mailrep",'
                                         'ip="%s"}[5m]) > 0' % CLEAN_IP), [])

    def test_no_alert_names_the_clean_ip_as_listed(self):
        listed = re.compile(r"Listed")
        received = [(p, a["labels"]) for p, a in self.webhook.alerts()
                    if a["labels"].get("ip") == CLEAN_IP and
                    listed.search(a["labels"].get("alertname", ""))]
        self.assertEqual(received, [])
        in_prometheus = [a["labels"] for a in self.prom.api("/api/v1/alerts")["alerts"]
                         if a["labels"].get("ip") == CLEAN_IP]
        self.assertEqual(in_prometheus, [])
        in_am = [a["labels"] for a in self.am.alerts() if a["labels"].get("ip") == CLEAN_IP]
        self.assertEqual(in_am, [])
        self.assertEqual(self.prom.query('count_over_time(ALERTS{ip="%s"}[5m])' % CLEAN_IP), [])

    def test_nothing_pages_about_the_clean_ip(self):
        pages = [a["labels"] for _, a in self.webhook.alerts("/pager")
                 if CLEAN_IP in json.dumps(a)]
        self.assertEqual(pages, [])

    def test_exporter_down_never_fires(self):
        self.assertEqual(self.prom.query('up{job="mailrep"}')[0][1], 1)
        self.assertEqual(
            self.prom.query('count_over_time(ALERTS{alertname="%s"}[5m])' % DOWN), [])
        self.assertEqual([a for a in self.am.alerts() if a["labels"]["alertname"] == DOWN], [])
        self.assertEqual([a for _, a in self.webhook.alerts()
                          if a["labels"].get("alertname") == DOWN], [])

    def test_alertmanager_holds_the_listing_alert(self):
        held = [a for a in self.am.alerts()
                if a["labels"].get("alertname") == MAJOR and a["labels"].get("ip") == LISTED_IP]
        self.assertEqual(len(held), 1, held)
        self.assertEqual(held[0]["status"]["state"], "active")
        self.assertEqual([r["name"] for r in held[0]["receivers"]], ["mail-team-pager"])


if __name__ == "__main__":
    harness.main()
