"""Who is sending: submitter attribution from a real Postfix, through the
exporter, to a firing alert in a real Prometheus.

  Dovecot     Debian's dovecot-core (2.3), unpacked with dpkg -x from the
              .debs `install-deps.sh test` downloads (never installed), run
              as in test_reports_imap.py: a private mount namespace puts the
              unpacked /usr over the host's and a lab copy of /etc/passwd.
              Its config is the test's own: no mail protocol at all, only the
              auth service, passwd-file users, its client socket in the lab.
  Postfix     a private instance (tests/queue/lab_lib.sh postfix_instance:
              config, queue and log in the lab) with a submission smtpd on
              127.0.0.1:<free port> (syslog_name postfix/submission) that
              authenticates through that socket (smtpd_sasl_type = dovecot)
              and relays only for authenticated clients. Everything it sends
              goes to an smtp-sink on 127.0.0.1 (its relayhost).
  Submitters  SASL: "webshop" sends a burst of BURST messages, "alice" and
              "bob" a few; local: three users of the lab's passwd copy run
              sendmail (pickup logs uid=N) a few times each.
  exporter    the delivery collector alone, following the Postfix log, with
              submitters enabled and labels: name.
  Prometheus  scrapes the exporter every second and evaluates a copy of
              alerts/mailrep.rules.yml every second. TEST-ONLY CHANGE: in that
              copy MailrepSubmitterVolumeSpike's `for: 10m` is set to 0s by
              this test (rules_for_test()); everything else is as shipped. The
              promtool unit tests (alerts/mailrep.rules_test.yml) cover the
              hold; here the point is the path from real log lines to the
              alert. With a fresh exporter the 24h window holds what the 1h
              one does, so "five times the hourly average of the day" holds.

Proves: mailrep_submitter_messages{window="1h"} (and "24h") is topped by
sasl/webshop with exactly BURST, the other SASL users and the local users
(submitter "uid=N") have exactly what they sent, nothing is unknown; the
alert fires for webshop and for no one else. If the binary has `check trace`
(exit 0 of `check trace --help`), it must name sasl/webshop as the submitter
of one of webshop's messages, found by Message-ID; otherwise that test is
skipped, saying so.

Needs root (exit 77 otherwise: mount namespaces, a private Postfix), Debian's
postfix (smtp-sink), util-linux unshare and setpriv, prometheus, and the
.debs in $MAILREP_LAB_DEBS (default /var/cache/mailrep-exporter/lab-debs).
"""

import json
import os
import smtplib
import socket
import subprocess
import sys
import time
import unittest
import uuid

import yaml

import harness
import lab_dovecot

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
LAB_LIB = os.path.join(REPO, "tests", "queue", "lab_lib.sh")
RULES = os.path.join(REPO, "alerts", "mailrep.rules.yml")
# dovecot-core and the libraries it needs that a Debian 12 host with the
# test packages lacks (as test_reports_imap.py; no dovecot-imapd here).
PACKAGES = ("dovecot-core", "libexttextcat-2.0-0", "liblua5.4-0", "libwrap0")
ALERT = "MailrepSubmitterVolumeSpike"

BURST = 300  # webshop's messages: >= 200, the alert's floor
SASL_USERS = {"webshop": BURST, "alice": 4, "bob": 2}
PASSWORDS = {"webshop": "webshop-Secret-41d9", "alice": "alice-Secret-0b7e",
             "bob": "bob-Secret-c25a"}
# Dovecot's users (name, uid) and the local submitters (name, uid, messages),
# all in the lab's copy of /etc/passwd only.
DOVECOT_USERS = (("mailrep-dovecot", 5190), ("mailrep-dovenull", 5191))
LOCAL_USERS = (("carol", 5301, 3), ("dave", 5302, 5), ("erin", 5303, 1))
TOTAL = sum(SASL_USERS.values()) + sum(n for _, _, n in LOCAL_USERS)
SINK_DOMAIN = "dest.example.test"  # every recipient; relayed to the sink


def rules_for_test():
    """alerts/mailrep.rules.yml with ALERT's `for:` set to 0s (and nothing
    else changed): the shipped 10m is more than a test can wait."""
    with open(RULES, encoding="utf-8") as f:
        rules = yaml.safe_load(f)
    found = 0
    for group in rules["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") == ALERT:
                rule["for"] = "0s"
                found += 1
    if found != 1:
        raise AssertionError("%s: expected one %s, found %d" % (RULES, ALERT, found))
    return rules


def lab_lib(lab, *lines):
    """Runs shell `lines` with tests/queue/lab_lib.sh sourced and LAB=lab."""
    script = "set -euo pipefail\nexport PATH=$PATH:/usr/sbin:/sbin\n. %s\n%s\n" % (
        LAB_LIB, "\n".join(lines))
    proc = harness.run(["bash", "-c", script], env=harness.child_env({"LAB": lab}))
    if proc.returncode != 0:
        raise AssertionError("lab_lib failed (%s):\n%s%s" % (lines, proc.stdout, proc.stderr))
    return proc.stdout


class SaslDovecot:
    """A private Dovecot whose only service is auth: its client socket is
    `socket`, owned by postfix (smtpd connects to it). Stopped by a cleanup."""

    def __init__(self, add_cleanup, lab):
        self.dir = os.path.join(lab, "dovecot")
        for d in ("run", "state"):
            os.makedirs(os.path.join(self.dir, d))
        lab_dovecot.unpack(lab, PACKAGES)
        users = harness.write_file(os.path.join(self.dir, "users"), "".join(
            "%s:{PLAIN}%s:::::\n" % (u, pw) for u, pw in PASSWORDS.items()), 0o640)
        os.chown(users, 0, DOVECOT_USERS[0][1])  # read by Dovecot's auth process
        self.socket = os.path.join(self.dir, "auth-postfix")
        self.log = os.path.join(self.dir, "dovecot.log")
        self.conf = harness.write_file(os.path.join(self.dir, "dovecot.conf"), "\n".join([
            "base_dir = %s/run" % self.dir,
            "state_dir = %s/state" % self.dir,
            "log_path = %s" % self.log,
            "protocols = none",
            "listen = 127.0.0.1",
            "ssl = no",
            # The SMTP sessions are plaintext, on loopback.
            "disable_plaintext_auth = no",
            "auth_mechanisms = plain login",
            "default_internal_user = mailrep-dovecot",
            "default_internal_group = mailrep-dovecot",
            "default_login_user = mailrep-dovenull",
            "passdb {",
            "  driver = passwd-file",
            "  args = scheme=PLAIN username_format=%%u %s" % users,
            "}",
            "userdb {",
            "  driver = static",
            "  args = uid=mailrep-dovecot gid=mailrep-dovecot home=/nonexistent",
            "}",
            "service auth {",
            "  unix_listener %s {" % self.socket,
            "    mode = 0660",
            "    user = postfix",
            "    group = postfix",
            "  }",
            "}",
        ]) + "\n")
        self.proc = lab_dovecot.start(add_cleanup, lab, self.conf)
        try:
            harness.wait_until(self._listening, 20, what="Dovecot's auth socket " + self.socket)
        except AssertionError:
            lab_dovecot.stop(self.proc)
            raise AssertionError("Dovecot did not start:\n%s\n%s" %
                                 (self.proc.stdout.read().decode(errors="replace"),
                                  self.log_text()))

    def _listening(self):
        if self.proc.poll() is not None:
            raise AssertionError("Dovecot exited with %s" % self.proc.returncode)
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.socket)
            return True

    def log_text(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


class PostfixLab:
    """A private Postfix (lab_lib.sh postfix_instance) relaying everything to
    an smtp-sink on 127.0.0.1, with a SASL submission smtpd on
    127.0.0.1:`port`. Its log is `log`; stopped by a cleanup."""

    def __init__(self, add_cleanup, lab, dovecot):
        self.lab = lab
        self.log = os.path.join(lab, "log", "postfix.log")
        os.makedirs(os.path.dirname(self.log))
        sink_port = harness.free_port()
        self.sink = harness.popen(["smtp-sink", "-u", "nobody", "127.0.0.1:%d" % sink_port,
                                   "64"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        add_cleanup(lab_dovecot.stop, self.sink)  # any Popen
        self.port = harness.free_port()
        self.etc = os.path.join(lab, "etc")
        restrictions = "permit_sasl_authenticated,reject"
        lab_lib(lab, 'postfix_instance "%s" %d' % (self.log, sink_port),
                ': >"$LAB/etc/transport"',
                'cat >>"$LAB/etc/main.cf" <<MAIN\nsmtp_bind_address = 127.0.0.1\nMAIN',
                'postconf -c "$LAB/etc" -M "127.0.0.1:%d/inet = 127.0.0.1:%d inet n - n - - '
                'smtpd -o syslog_name=postfix/submission -o smtpd_sasl_auth_enable=yes '
                '-o smtpd_sasl_type=dovecot -o smtpd_sasl_path=%s '
                '-o smtpd_client_restrictions=%s -o smtpd_relay_restrictions=%s"' %
                (self.port, self.port, dovecot.socket, restrictions, restrictions))
        # A default main.cf that lets other users name this config directory
        # (sendmail -C), bind-mounted over /etc/postfix for them only.
        self.default_etc = os.path.join(lab, "default-etc")
        os.makedirs(self.default_etc)
        harness.write_file(os.path.join(self.default_etc, "main.cf"),
                           "alternate_config_directories = %s\n" % self.etc)
        proc = harness.run(["postfix", "-c", self.etc, "start"])
        if proc.returncode != 0:
            raise AssertionError("postfix start failed:\n%s%s" % (proc.stdout, proc.stderr))
        add_cleanup(self.stop)
        harness.wait_until(self._listening, 20, what="Postfix submission on port %d" % self.port)

    def _listening(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=1):
            return True

    def stop(self):
        harness.run(["postfix", "-c", self.etc, "stop"])

    def log_text(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def submit(self, user, messages):
        """Sends `messages` [(message_id, from, rcpt)] in one SMTP session
        authenticated as `user`."""
        with smtplib.SMTP("127.0.0.1", self.port, "client.example.test", timeout=30) as smtp:
            smtp.login(user, PASSWORDS[user])
            for message_id, sender, rcpt in messages:
                smtp.sendmail(sender, [rcpt], message(message_id, sender, rcpt))

    def sendmail_as(self, name, uid, message_id, sender, rcpt):
        """Runs sendmail as local user `name` (uid) of the lab's passwd copy,
        in a private mount namespace (its own /etc/passwd, /etc/group and the
        default-etc above as /etc/postfix)."""
        script = ('mount --bind "$1/passwd" /etc/passwd && mount --bind "$1/group" /etc/group &&'
                  ' mount --bind "$1/default-etc" /etc/postfix &&'
                  ' exec setpriv --reuid="$2" --regid="$2" --clear-groups'
                  ' sendmail -C "$1/etc" -f "$3" "$4"')
        proc = harness.run(["unshare", "-m", "/bin/sh", "-c", script, "sendmail_as", self.lab,
                            str(uid), sender, rcpt],
                           input_bytes=message(message_id, sender, rcpt).encode())
        if proc.returncode != 0:
            raise AssertionError("sendmail as %s failed: %s%s" % (name, proc.stdout, proc.stderr))


def message(message_id, sender, rcpt):
    return ("From: %s\r\nTo: %s\r\nSubject: lab\r\nMessage-ID: %s\r\n\r\nhello\r\n" %
            (sender, rcpt, message_id))


class SubmittersEndToEndTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        add = cls.addClassCleanup
        started = time.monotonic()
        cls.lab = harness.make_tempdir(add, "mailrep-submitters-e2e-")
        os.chmod(cls.lab, 0o755)  # Postfix's and Dovecot's users traverse it
        # Dovecot's users and the local submitters, for the namespaces only.
        lab_dovecot.write_users(cls.lab, DOVECOT_USERS + tuple((n, u) for n, u, _ in LOCAL_USERS))
        cls.dovecot = SaslDovecot(add, cls.lab)
        cls.postfix = PostfixLab(add, cls.lab, cls.dovecot)

        # The exporter: its rootfs is the lab (no MTA detected there), the
        # log is followed from its start (it exists once Postfix logs).
        config = {"collectors": {"delivery": {
            "interval": "1s", "timeout": "1s",
            "sources": [{"path": "/log/postfix.log", "mta": "postfix"}],
            "postfix_config_directories": ["/etc"],
            "submitters": {"enabled": True, "top": 20, "labels": "name"},
        }}}
        config_file = harness.write_file(os.path.join(cls.lab, "exporter.yml"),
                                         yaml.safe_dump(config, sort_keys=False))
        cls.exporter = harness.start_exporter(add, ["--config.file=" + config_file,
                                                    "--path.rootfs=" + cls.lab] +
                                              harness.only_collector("delivery"))

        prom_dir = os.path.join(cls.lab, "prometheus")
        os.mkdir(prom_dir)
        rules_file = harness.write_file(
            os.path.join(prom_dir, "mailrep.rules.for-test.yml"),
            "# A copy of alerts/mailrep.rules.yml written by tests/e2e/test_submitters.py:\n"
            "# TEST-ONLY: %s has for: 0s here (10m as shipped).\n" % ALERT +
            yaml.safe_dump(rules_for_test(), sort_keys=False))
        cls.prom = harness.Prometheus(prom_dir, [
            {"job_name": "mailrep", "static_configs": [{"targets": [cls.exporter.address()]}]},
        ])
        with open(cls.prom.config_file, encoding="utf-8") as f:
            prom_config = yaml.safe_load(f)
        prom_config["rule_files"] = [rules_file]
        harness.write_file(cls.prom.config_file, yaml.safe_dump(prom_config, sort_keys=False))
        add(cls.prom.stop)
        cls.prom.start()

        # The mail: local users through sendmail, then SASL users over SMTP.
        cls.message_ids = {}
        token = uuid.uuid4().hex[:12]
        for name, uid, count in LOCAL_USERS:
            for i in range(count):
                mid = "<local-%s-%d.%s@lab.example.test>" % (name, i, token)
                cls.postfix.sendmail_as(name, uid, mid, "%s@lab.example.test" % name,
                                        "to-%s-%d@%s" % (name, i, SINK_DOMAIN))
                cls.message_ids.setdefault(name, []).append(mid)
        for user, count in SASL_USERS.items():
            batch = []
            for i in range(count):
                mid = "<sasl-%s-%d.%s@lab.example.test>" % (user, i, token)
                batch.append((mid, "%s@shop.example.test" % user,
                              "to-%s-%d@%s" % (user, i, SINK_DOMAIN)))
                cls.message_ids.setdefault(user, []).append(mid)
            cls.postfix.submit(user, batch)
        cls.sent_at = time.monotonic()

        try:
            harness.wait_until(lambda: cls.postfix.log_text().count("status=sent") >= TOTAL, 60,
                               0.5, "%d status=sent lines in the Postfix log" % TOTAL)
            cls.samples = harness.wait_until(cls._all_counted, 20, 0.5,
                                             "the exporter to count %d messages" % TOTAL)
            cls.alerts = harness.wait_until(cls._alert_firing, 30, 0.5,
                                            "%s to fire in Prometheus" % ALERT)
        except AssertionError as e:
            raise AssertionError("%s\n%s" % (e, cls._diagnostics()))
        sys.stderr.write("setup: %.1f s (mail delivered and counted %.1f s after the last "
                         "submission)\n" % (time.monotonic() - started,
                                            time.monotonic() - cls.sent_at))

    @classmethod
    def _diagnostics(cls):
        log = cls.postfix.log_text().splitlines()
        return ("Postfix log (%d lines, last 30):\n%s\nDovecot log:\n%s\nexporter stderr:\n%s" %
                (len(log), "\n".join(log[-30:]), cls.dovecot.log_text()[-3000:],
                 cls.exporter.stderr()[-3000:]))

    @classmethod
    def _submitters(cls, samples, window):
        return {(s.labels["submitter_kind"], s.labels["submitter"]): s.value
                for s in harness.find_samples(samples, "mailrep_submitter_messages",
                                              window=window) if s.value}

    @classmethod
    def _all_counted(cls):
        samples = harness.scrape(cls.exporter.url("/metrics"))
        counted = cls._submitters(samples, "1h")
        return samples if sum(counted.values()) >= TOTAL else None

    @classmethod
    def _alert_firing(cls):
        alerts = [a for a in cls.prom.api("/api/v1/alerts")["alerts"]
                  if a["labels"].get("alertname") == ALERT]
        return alerts if any(a["state"] == "firing" for a in alerts) else None

    def expected(self):
        want = {("sasl", user): float(n) for user, n in SASL_USERS.items()}
        want.update({("local", "uid=%d" % uid): float(n) for _, uid, n in LOCAL_USERS})
        return want

    # ------------------------------------------------------------------ tests

    def test_the_burst_user_tops_the_hour_with_its_exact_count(self):
        counted = self._submitters(self.samples, "1h")
        top = max(counted.items(), key=lambda kv: kv[1])
        self.assertEqual(top, (("sasl", "webshop"), float(BURST)), counted)
        self.assertEqual(counted, self.expected())

    def test_the_day_window_holds_the_same_counts(self):
        self.assertEqual(self._submitters(self.samples, "24h"), self.expected())

    def test_prometheus_fires_the_spike_for_the_burst_user_only(self):
        firing = [a["labels"] for a in self.alerts if a["state"] == "firing"]
        self.assertEqual([(l["submitter_kind"], l["submitter"]) for l in firing],
                         [("sasl", "webshop")], firing)
        self.assertEqual(firing[0]["job"], "mailrep")
        self.assertEqual(firing[0]["severity"], "warning")
        # Prometheus saw every submitter, so the others were evaluated and
        # stayed quiet.
        seen = self.prom.query('mailrep_submitter_messages{job="mailrep",window="1h"}')
        self.assertEqual({(l["submitter_kind"], l["submitter"]): v for l, v in seen if v},
                         self.expected())
        others = [a["labels"] for a in self.prom.api("/api/v1/alerts")["alerts"]
                  if a["labels"].get("alertname") == ALERT and
                  a["labels"].get("submitter") != "webshop"]
        self.assertEqual(others, [])

    def test_postfix_authenticated_through_dovecot(self):
        log = self.postfix.log_text()
        for user, n in SASL_USERS.items():
            self.assertEqual(log.count("sasl_username=%s\n" % user), n, user)
        self.assertNotIn("SASL authentication failed", log)
        for pw in PASSWORDS.values():
            self.assertNotIn(pw, log)
            self.assertNotIn(pw, self.exporter.stderr())

    def test_check_trace_names_the_burst_user(self):
        help_run = harness.run_exporter(["check", "trace", "--help"])
        if help_run.returncode != 0:
            said = (help_run.stderr.strip().splitlines() or [""])[0]
            self.skipTest("`mailrep_exporter check trace` is not in this binary yet (`check "
                          "trace --help` exited %d: %s): the trace assertion is skipped" %
                          (help_run.returncode, said))
        mid = self.message_ids["webshop"][BURST // 2]
        proc = harness.run_exporter(["check", "trace", mid, "--logs", self.postfix.log,
                                     "--format", "json"])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        trace = json.loads(proc.stdout)
        self.assertEqual(trace["submitter"], {"kind": "sasl", "name": "webshop"}, trace)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("SKIP: needs root (a private Postfix and mount namespaces for Dovecot)")
        sys.exit(77)
    harness.main()
