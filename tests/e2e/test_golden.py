"""The whole /metrics of a known world against a committed golden file
(tests/e2e/golden/metrics.txt), as node_exporter's e2e-output.txt.

The world: the exporter with --path.rootfs on fixture_rootfs.build() (Postfix
config, queue, log and dpkg status, an /etc/hosts naming this host) and a
loopback NSD serving fixture_world's zones (a DNSBL listing 192.0.2.10, SPF,
DKIM, DMARC and PTR for good.test and broken.test). Every collector runs once,
at start (interval 1h), and /metrics is scraped when /-/ready says the first
round is done. The scrape must pass harness.scrape's check against the metric
reference.

The comparison drops the series matched by DROPPED, replaces the label
values in NORMALISED_LABELS, writes the temporary directory as <tmp> and the
NSD's port as <nsd_port>, sorts the series of each family and keeps TYPE
lines (not HELP). On a mismatch the failure shows a unified diff.

Regenerate after a deliberate change of metrics (then review the diff):

    MAILREP_UPDATE_GOLDEN=1 python3 tests/e2e/test_golden.py build/dev/exporter/mailrep_exporter

(or MAILREP_UPDATE_GOLDEN=1 ctest -R e2e_golden in a build directory).
"""

import difflib
import os
import re
import unittest

import yaml

import fixture_rootfs
import harness
from auth_zones import GENERIC_IP, GOOD_IP, genkey, zones
from fixture_world import CATALOGUE, DNSBL_ZONE
from local_nsd import LocalNsd

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden", "metrics.txt")
UPDATE_ENV = "MAILREP_UPDATE_GOLDEN"
READY_TIMEOUT_S = 90

# Series left out of the golden file: their values change from run to run.
DROPPED = (
    r"process_.*",                                   # the exporter process: CPU, memory, fds
    r".*_duration_seconds(_bucket|_sum|_count)?",    # how long something took
    r".*_timestamp_seconds",                         # when something happened
    r"mailrep_queue_oldest_message_age_seconds",     # now - the fixture queue's arrival times
    r"mailrep_host_address_info",                    # this machine's network interfaces
    # cached, sent or joined to one in flight: timing
    r"mailrep_dns_(queries|queries_sent|cache_hits|rate_limited|queries_coalesced)_total",
)
# (family, label): the value written instead; they name this build or machine.
NORMALISED_LABELS = {
    ("mailrep_build_info", "version"): "<version>",
    ("mailrep_build_info", "revision"): "<revision>",
    ("mailrep_build_info", "goversion"): "<goversion>",
    ("mailrep_host_info", "hostname"): "<hostname>",
}

_DROPPED_RE = re.compile("(?:%s)$" % "|".join(DROPPED))
_SAMPLE_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+\S+)?$")
_LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def collector_names():
    """Every collector the binary knows, from the --[no-]collector.NAME flags."""
    out = harness.run_exporter(["--help"])
    names = sorted(set(re.findall(r"--\[no-\]collector\.([a-z0-9_]+)", out.stdout + out.stderr)))
    if not names:
        raise AssertionError("no --[no-]collector.NAME flags in --help:\n" + out.stdout)
    return names


def world_config(nsd, catalogue):
    once = {"interval": "1h"}  # the first round only: no counter moves during the test
    collectors = {name: dict(once) for name in collector_names()}
    collectors["dnsbl"].update(lists=["bl.test"], catalogue_file=catalogue)
    collectors["delivery"].update(sources=[
        {"path": "/var/log/mail.log", "mta": "postfix", "from_start": True}])
    return {
        "dns": {"servers": [nsd.server()], "timeout": "1s"},
        "senders": [
            {"ips": [GOOD_IP], "helo": "mail.good.test", "domains": ["good.test"],
             "dkim": [{"selector": "s1", "domain": "good.test",
                       "key_file": "/etc/dkim/s1.private"}]},  # under --path.rootfs
            {"ips": [GENERIC_IP], "domains": ["broken.test"],
             "dkim": [{"selector": "s1", "domain": "broken.test"}]},
        ],
        "collectors": collectors,
    }


def family_of(name, types):
    if name in types:
        return name
    for suffix in ("_bucket", "_sum", "_count", "_total", "_created"):
        if name.endswith(suffix) and name[:-len(suffix)] in types:
            return name[:-len(suffix)]
    return name


def normalise(text, replacements):
    """The golden form of an exposition: see the module docstring.
    `replacements` are (literal, placeholder) pairs applied to whole lines."""
    types, series = {}, {}
    for line in text.splitlines():
        for literal, placeholder in replacements:
            line = line.replace(literal, placeholder)
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(None, 3)
            types[name] = kind
            continue
        if not line.strip() or line.startswith("#"):
            continue
        m = _SAMPLE_RE.match(line)
        if not m:
            raise AssertionError("unparsable exposition line: %r" % line)
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        family = family_of(name, types)
        if _DROPPED_RE.match(name) or _DROPPED_RE.match(family):
            continue

        def label(lm):
            key = (family, lm.group(1))
            value = NORMALISED_LABELS.get(key, lm.group(2))
            return '%s="%s"' % (lm.group(1), value)

        labels = _LABEL_RE.sub(label, labels)
        series.setdefault(family, []).append("%s%s %s" % (name, labels, value))
    out = []
    for family in sorted(series):
        if family in types:
            out.append("# TYPE %s %s" % (family, types[family]))
        out.extend(sorted(series[family]))
    return "\n".join(out) + "\n"


class GoldenMetricsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        cls.dir = harness.make_tempdir(add, "mailrep-e2e-golden-")
        root = fixture_rootfs.build(cls.dir)
        os.makedirs(os.path.join(root, "etc", "dkim"))
        record, _ = genkey(os.path.join(root, "etc", "dkim"))
        nsd_dir = os.path.join(cls.dir, "nsd")
        os.mkdir(nsd_dir)
        cls.nsd = LocalNsd(nsd_dir, dict(zones(record), **DNSBL_ZONE))
        add(cls.nsd.stop)
        cls.nsd.start()
        catalogue = harness.write_file(os.path.join(cls.dir, "catalogue.yml"),
                                       yaml.safe_dump(CATALOGUE, sort_keys=False))
        config = harness.write_file(os.path.join(cls.dir, "mailrep.yml"),
                                    yaml.safe_dump(world_config(cls.nsd, catalogue),
                                                   sort_keys=False))
        cls.exporter = harness.start_exporter(
            add, ["--config.file=" + config, "--path.rootfs=" + root])
        harness.wait_until(
            lambda: harness.http_get(cls.exporter.url("/-/ready")).status == 200,
            READY_TIMEOUT_S, 0.2, "/-/ready to return 200")
        # One scrape; the family check of harness.scrape runs on it.
        cls.text, cls.samples = harness.scrape_text(cls.exporter.url("/metrics"))

    def test_every_collector_succeeded(self):
        failed = [s.labels for s in harness.find_samples(self.samples, "mailrep_collector_success")
                  if s.value != 1]
        self.assertEqual(failed, [], "collectors failed; exporter log:\n" + self.exporter.stderr())

    def test_matches_golden(self):
        got = normalise(self.text, [(self.dir, "<tmp>"),
                                    ("127.0.0.1:%d" % self.nsd.port, "127.0.0.1:<nsd_port>")])
        if os.environ.get(UPDATE_ENV) == "1":
            os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
            with open(GOLDEN, "w", encoding="utf-8") as f:
                f.write(got)
            print("\nwrote %s (%d series)" % (GOLDEN, series_count(got)))
            return
        try:
            with open(GOLDEN, encoding="utf-8") as f:
                want = f.read()
        except FileNotFoundError:
            want = ""
        if got != want:
            diff = "".join(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True),
                "tests/e2e/golden/metrics.txt (committed)", "/metrics now (normalised)"))
            self.fail("/metrics differs from the golden file; if the change is intended, "
                      "regenerate it and review its diff (README, Development):\n"
                      "  %s=1 python3 %s %s\n%s"
                      % (UPDATE_ENV, os.path.relpath(__file__), harness.exporter_binary(), diff))


def series_count(golden_text):
    return sum(1 for l in golden_text.splitlines() if l and not l.startswith("#"))


if __name__ == "__main__":
    harness.main()
