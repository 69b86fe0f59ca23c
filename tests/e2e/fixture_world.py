#!/usr/bin/python3
"""A small mail world for tests that need every collector to have data, such
as the dashboards' panel queries: a real NSD, a real Postfix queue and its
real log, and an exporter config that points every collector at them.

Usage: fixture_world.py -- COMMAND ARGS...

Builds the world, then runs COMMAND with every "{config}" in ARGS replaced by
the config file's path, and tears the world down when it ends; exits with its
status (1 when the world cannot be built, 77 when not root: Postfix needs it).

  NSD       bl.test lists 192.0.2.10 (and its RFC 5782 test point); the
            auth_zones.py zones: SPF, DKIM, DMARC and PTR for good.test and
            broken.test, checked from 192.0.2.10 and 192.0.2.11.
  Postfix   tests/queue/postfix_lab.sh: deferred (several destinations and
            reasons), hold, active, incoming, maildrop and corrupt messages,
            and the instance's maillog_file (sent, deferred and bounced lines).
  Reports   a directory with a DMARC aggregate report (Google's shape) and
            an ARF complaint about 192.0.2.10, and a TLS-RPT report, from
            collectors/reports/testdata (the reports collector).

Every address is loopback; no query leaves the machine (dns.servers is the
NSD, which every collector asks, MTA-STS's policy host included; the host
collector, which would read this machine's own addresses, is disabled).
Nothing of this machine's MTAs is read either: the other queue collectors
have no instances (rather than detecting this machine's spools) and the
delivery collector does not read Postfix configs for sending IPs (it would
read this machine's /etc/postfix), so every sending_ip is "unknown".
"""

import os
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from auth_zones import GENERIC_IP, GOOD_IP, genkey, zones  # noqa: E402
from local_nsd import LocalNsd  # noqa: E402

POSTFIX_LAB = os.path.join(HERE, "..", "queue", "postfix_lab.sh")
REPORTS_TESTDATA = os.path.join(HERE, "..", "..", "collectors", "reports", "testdata")
REPORTS = ("google_like_dmarc.xml", "arf_complaint.eml", "tlsrpt_report.json.gz")

DNSBL_ZONE = {
    "bl.test": [
        "2.0.0.127 IN A 127.0.0.2",
        "10.2.0.192 IN A 127.0.0.2",
        '10.2.0.192 IN TXT "listed for the fixture world"',
    ],
}

CATALOGUE = {"lists": [{
    "zone": "bl.test", "name": "Fixture list", "kinds": ["ip4"], "severity": "major",
    "queries_per_second": 100,
    "codes": [{"code": "127.0.0.2", "meaning": "fixture listing: spam source"}],
    "errors": [{"code": "127.255.255.0/24", "meaning": "query refused"}],
}]}

# Queue collectors that would otherwise look for this machine's spools.
OTHER_QUEUE_COLLECTORS = ("exim_queue", "sendmail_queue", "qmail_queue", "opensmtpd_queue")


def reports_dir(directory):
    """A directory of receivers' reports for the reports collector."""
    path = os.path.join(directory, "reports")
    os.mkdir(path)
    for name in REPORTS:
        shutil.copyfile(os.path.join(REPORTS_TESTDATA, name), os.path.join(path, name))
    return path


def config(directory, nsd, key_file, lab):
    fast = {"interval": "2s", "timeout": "2s"}
    catalogue = harness.write_file(os.path.join(directory, "catalogue.yml"),
                                   yaml.safe_dump(CATALOGUE, sort_keys=False))
    return {
        "dns": {"servers": [nsd.server()], "timeout": "1s"},
        "senders": [
            {"ips": [GOOD_IP], "helo": "mail.good.test", "domains": ["good.test"],
             "dkim": [{"selector": "s1", "domain": "good.test", "key_file": key_file}]},
            {"ips": [GENERIC_IP], "domains": ["broken.test"],
             "dkim": [{"selector": "s1", "domain": "broken.test"}]},
        ],
        "collectors": {
            "host": {"enabled": False},
            "mta_sts": dict(fast),
            "dnsbl": dict(fast, lists=["bl.test"], catalogue_file=catalogue),
            "spf": dict(fast), "dkim": dict(fast), "dmarc": dict(fast), "ptr": dict(fast),
            "postfix_queue": dict(fast, instances=[
                {"name": "default", "queue_directory": os.path.join(lab, "spool")}]),
            "delivery": dict(fast, read_postfix_config=False, sources=[
                {"path": os.path.join(lab, "postfix.log"), "mta": "postfix", "from_start": True}]),
            # Its timeout leaves 2 s of margin: with 2 s it would read nothing.
            "reports": {"interval": "5s", "timeout": "5s", "enabled": True,
                        "sources": [{"path": reports_dir(directory)}],
                        # The TLS-RPT report's policy domain, kept as a label.
                        "policy_domains": ["good.test", "example.com"],
                        "state_file": os.path.join(directory, "reports.state")},
            **{name: {"instances": []} for name in OTHER_QUEUE_COLLECTORS},
        },
    }


def main(argv):
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("SKIP: needs root (a private Postfix instance)")
        return 77
    cleanups = []
    try:
        d = harness.make_tempdir(lambda f, *a: cleanups.append(lambda: f(*a)), "mailrep-world-")
        os.chmod(d, 0o755)  # Postfix's daemons reach the lab below it
        record, key_file = genkey(d)
        os.mkdir(os.path.join(d, "nsd"))
        nsd = LocalNsd(os.path.join(d, "nsd"), dict(zones(record), **DNSBL_ZONE))
        cleanups.append(nsd.stop)
        nsd.start()

        lab = os.path.join(d, "postfix")
        os.mkdir(lab)
        cleanups.append(lambda: subprocess.run(["bash", POSTFIX_LAB, "down", lab],
                                               stdout=subprocess.DEVNULL, timeout=120))
        subprocess.run(["bash", POSTFIX_LAB, "up", lab], check=True, timeout=600)

        path = harness.write_file(os.path.join(d, "mailrep.yml"),
                                  yaml.safe_dump(config(d, nsd, key_file, lab), sort_keys=False))
        command = [a.replace("{config}", path) for a in argv[2:]]
        return subprocess.run(command).returncode
    except (AssertionError, subprocess.SubprocessError, OSError) as e:
        print("FAIL: fixture world: %s" % e, file=sys.stderr)
        return 1
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
