"""The reports collector's IMAP source against a real Dovecot.

Dovecot is Debian's dovecot-core and dovecot-imapd (2.3), unpacked with
dpkg -x from the .debs `install-deps.sh test` downloads, never installed (an
installed one would start a system IMAP server on every address). It runs
from a private mount namespace in which an overlay puts the unpacked /usr over
the host's (the binaries look for their helpers and libraries at compiled-in
/usr paths) and a copy of /etc/passwd names its users. Its config is the
test's own: IMAPS only, on 127.0.0.1 at a free port, with a certificate from
the test's CA (harness.Pki), passwd-file users and Maildirs in the lab
directory.

The exporter reads two mailboxes: "dmarc" (after_read: seen) and "moved"
(after_read: move:Done). Checked:
  - the four report mails in dmarc (DMARC gzip, TLS-RPT, ARF, not a report)
    are counted once each and then have \\Seen in Dovecot; later runs add
    nothing; the moved box's report lands in Done, counted once;
  - no password reaches the exporter's log;
  - after a restart on the same state file nothing is counted again, not
    even a message a person marked unread meanwhile (the state remembers the
    message: it is only marked again); the same report mailed again counts
    as result="duplicate", and one more report is the only one counted.
Alone, a wrong password: a counted `login` source error, the run itself
successful, the password in no log line.

Needs root (exit 77 otherwise: the mount namespace), util-linux unshare, and
the .debs in $MAILREP_LAB_DEBS (default /var/cache/mailrep-exporter/lab-debs).
"""

import email.mime.application
import email.mime.multipart
import email.mime.text
import gzip
import imaplib
import os
import shutil
import socket
import ssl
import sys
import unittest

import harness
import lab_dovecot

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "..", "collectors", "reports", "testdata")
# dovecot-core's libraries a Debian 12 host with the test packages lacks.
PACKAGES = ("dovecot-core", "dovecot-imapd", "libexttextcat-2.0-0", "liblua5.4-0", "libwrap0")
# Users Dovecot runs as, added to the namespace's /etc/passwd only.
USERS = (("mailrep-dovecot", 5190), ("mailrep-dovenull", 5191), ("mailrep-vmail", 5192))
VMAIL_UID = 5192
PASSWORDS = {"dmarc": "dmarc-Secret-7f3a", "moved": "moved-Secret-91c2"}
WRONG_PASSWORD = "not-The-Password-5d1e"
RUN_SECONDS = 4  # the collector's interval and timeout


def testdata(name):
    with open(os.path.join(TESTDATA, name), "rb") as f:
        return f.read()


def fresh_dmarc_mail(report_id):
    """A DMARC aggregate report mail (gzip attachment) with its own report id."""
    xml = testdata("google_like_dmarc.xml").decode()
    start = xml.index("<report_id>") + len("<report_id>")
    xml = xml[:start] + report_id + xml[xml.index("</report_id>"):]
    msg = email.mime.multipart.MIMEMultipart()
    msg["From"] = "noreply-dmarc-support@google.com"
    msg["To"] = "dmarc@example.com"
    msg["Subject"] = "Report domain: example.com Submitter: google.com Report-ID: " + report_id
    msg["Message-ID"] = "<%s@google.com>" % report_id
    msg.attach(email.mime.text.MIMEText("DMARC aggregate report"))
    part = email.mime.application.MIMEApplication(gzip.compress(xml.encode()), "gzip")
    part.add_header("Content-Disposition", "attachment",
                    filename="google.com!example.com!%s.xml.gz" % report_id)
    msg.attach(part)
    return msg.as_bytes()


class Dovecot:
    """A private Dovecot on 127.0.0.1 (IMAPS only), stopped by a cleanup."""

    def __init__(self, add_cleanup, lab, pki):
        self.lab = lab
        self.pki = pki
        self.port = harness.free_port()
        lab_dovecot.unpack(lab, PACKAGES)
        lab_dovecot.write_users(lab, USERS)
        for d in ("run", "state", "mail", "home"):
            os.makedirs(os.path.join(lab, d))
        for d in ("mail", "home"):
            os.chown(os.path.join(lab, d), VMAIL_UID, VMAIL_UID)
        users = harness.write_file(os.path.join(lab, "users"), "".join(
            "%s:{PLAIN}%s:::::\n" % (user, pw) for user, pw in PASSWORDS.items()), 0o640)
        os.chown(users, 0, USERS[0][1])  # read by Dovecot's auth process
        self.conf = harness.write_file(os.path.join(lab, "dovecot.conf"), self._config())
        self.log = os.path.join(lab, "dovecot.log")
        self.proc = lab_dovecot.start(add_cleanup, lab, self.conf)
        try:
            harness.wait_until(self._listening, 20, what="Dovecot listening on port %d" %
                               self.port)
        except AssertionError:
            self.stop()
            raise AssertionError("Dovecot did not start:\n%s\n%s" %
                                 (self.proc.stdout.read().decode(errors="replace"),
                                  self.log_text()))

    def _config(self):
        lab = self.lab
        return "\n".join([
            "base_dir = %s/run" % lab,
            "state_dir = %s/state" % lab,
            "log_path = %s/dovecot.log" % lab,
            "protocols = imap",
            "listen = 127.0.0.1",
            "ssl = required",
            "ssl_cert = <%s" % self.pki.server_cert,
            "ssl_key = <%s" % self.pki.server_key,
            "ssl_min_protocol = TLSv1.2",
            "disable_plaintext_auth = yes",
            "auth_mechanisms = plain login",
            "default_internal_user = mailrep-dovecot",
            "default_internal_group = mailrep-dovecot",
            "default_login_user = mailrep-dovenull",
            "mail_location = maildir:%s/mail/%%u" % lab,
            "passdb {",
            "  driver = passwd-file",
            "  args = scheme=PLAIN username_format=%%u %s/users" % lab,
            "}",
            "userdb {",
            "  driver = static",
            "  args = uid=%d gid=%d home=%s/home/%%u" % (VMAIL_UID, VMAIL_UID, lab),
            "}",
            "service imap-login {",
            "  inet_listener imap {",
            "    port = 0",
            "  }",
            "  inet_listener imaps {",
            "    address = 127.0.0.1",
            "    port = %d" % self.port,
            "    ssl = yes",
            "  }",
            "}",
        ]) + "\n"

    def _listening(self):
        if self.proc.poll() is not None:
            raise AssertionError("Dovecot exited with %s" % self.proc.returncode)
        with socket.create_connection(("127.0.0.1", self.port), timeout=1):
            return True

    def log_text(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        lab_dovecot.stop(self.proc)

    def login(self, user):
        context = ssl.create_default_context(cafile=self.pki.ca_cert)
        imap = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        imap.login(user, PASSWORDS[user])
        return imap

    def deliver(self, user, message, mailbox="INBOX"):
        imap = self.login(user)
        try:
            typ, data = imap.append(mailbox, None, None, message)
            if typ != "OK":
                raise AssertionError("APPEND failed: %r" % data)
        finally:
            imap.logout()

    def create(self, user, mailbox):
        imap = self.login(user)
        try:
            typ, data = imap.create(mailbox)
            if typ != "OK":
                raise AssertionError("CREATE failed: %r" % data)
        finally:
            imap.logout()

    def flags(self, user, mailbox="INBOX"):
        """{uid: set of flags} of the mailbox, read-only (EXAMINE)."""
        imap = self.login(user)
        try:
            typ, data = imap.select(mailbox, readonly=True)
            if typ != "OK":
                raise AssertionError("EXAMINE %s failed: %r" % (mailbox, data))
            if int(data[0]) == 0:
                return {}
            typ, data = imap.uid("FETCH", "1:*", "(FLAGS)")
            out = {}
            for line in data:
                text = line.decode()
                uid = int(text.split("UID ", 1)[1].split()[0].rstrip(")"))
                out[uid] = set(text.split("FLAGS (", 1)[1].split(")", 1)[0].split())
            return out
        finally:
            imap.logout()

    def set_unseen(self, user, uid):
        imap = self.login(user)
        try:
            imap.select("INBOX")
            typ, data = imap.uid("STORE", str(uid), "-FLAGS", "(\\Seen)")
            if typ != "OK":
                raise AssertionError("STORE failed: %r" % data)
        finally:
            imap.logout()


class ReportsImapTest(unittest.TestCase):

    def setUp(self):
        self.lab = harness.make_tempdir(self.addCleanup, "mailrep-imap-e2e-")
        os.chmod(self.lab, 0o755)  # Dovecot's users traverse it
        self.pki = harness.Pki(harness.make_tempdir(self.addCleanup, "mailrep-imap-pki-"))
        os.chmod(self.pki.dir, 0o755)
        self.dovecot = Dovecot(self.addCleanup, self.lab, self.pki)
        self.addCleanup(self._dump_on_failure)
        self.root = harness.fixture_rootfs.build(
            harness.make_tempdir(self.addCleanup, "mailrep-imap-root-"), mail=False)
        etc = os.path.join(self.root, "etc", "mailrep")
        os.makedirs(etc)
        for user, pw in PASSWORDS.items():
            harness.write_file(os.path.join(etc, user + ".pass"), pw + "\n", 0o600)
        harness.write_file(os.path.join(etc, "wrong.pass"), WRONG_PASSWORD + "\n", 0o600)
        shutil.copy(self.pki.ca_cert, os.path.join(etc, "ca.pem"))
        self.state = os.path.join(self.lab, "reports.state")
        self.off = harness.only_collector("reports")
        self.exporter = None

    def write_config(self, *sources):
        """The exporter's config: the reports collector alone, reading the
        (user, mailbox, password file, after_read) `sources`."""
        url = "imaps://127.0.0.1:%d/" % self.dovecot.port
        lines = ["collectors:", "  reports:", "    enabled: true",
                 "    interval: %ds" % RUN_SECONDS, "    timeout: %ds" % RUN_SECONDS,
                 "    state_file: " + self.state, "    sources:"]
        for user, mailbox, pass_file, after_read in sources:
            lines += ["      - imap:",
                      "          url: " + url + mailbox,
                      "          username: " + user,
                      "          password_file: /etc/mailrep/" + pass_file,
                      "          ca_file: /etc/mailrep/ca.pem",
                      "          after_read: '%s'" % after_read]
        self.config = harness.write_file(os.path.join(self.lab, "exporter.yml"),
                                         "\n".join(lines) + "\n")

    def _dump_on_failure(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        failed = result is not None and (result.failures or result.errors)
        if failed:
            sys.stderr.write("--- dovecot.log\n%s\n" % self.dovecot.log_text())
            if self.exporter is not None:
                sys.stderr.write("--- exporter stderr\n%s\n" % self.exporter.stderr())

    def start_exporter(self):
        self.exporter = harness.start_exporter(
            self.addCleanup,
            ["--config.file=" + self.config, "--path.rootfs=" + self.root] + self.off)
        return self.exporter

    def scrape(self):
        # Also fails on a family or HELP text --help-metrics does not document.
        return harness.scrape(self.exporter.url("/metrics"))

    def value(self, samples, name, **labels):
        found = harness.find_samples(samples, name, **labels)
        return sum(s.value for s in found) if found else None

    def runs(self, samples):
        return self.value(samples, "mailrep_collector_runs_total", collector="reports") or 0

    def wait_runs(self, count):
        """Waits until `count` more runs have finished; returns the samples."""
        start = self.runs(self.scrape())
        return harness.wait_until(
            lambda: (lambda s: s if self.runs(s) >= start + count else None)(self.scrape()),
            RUN_SECONDS * (count + 3), interval=0.5, what="%d reports runs" % count)

    def source_errors(self, samples):
        return {s.labels["reason"]: s.value for s in harness.find_samples(
            samples, "mailrep_reports_source_errors_total", source_kind="imap") if s.value}

    def counted(self, samples):
        """{(kind, result): n} of mailrep_reports_total."""
        return {(s.labels["kind"], s.labels["result"]): s.value
                for s in harness.find_samples(samples, "mailrep_reports_total") if s.value}

    def test_counted_once_marked_and_not_recounted_after_restart(self):
        for name in ("dmarc_gzip_report.eml", "tlsrpt_plain_json_labelled_gzip.eml",
                     "arf_complaint.eml", "not_a_report.eml"):
            self.dovecot.deliver("dmarc", testdata(name))
        self.dovecot.create("moved", "Done")
        self.dovecot.deliver("moved", fresh_dmarc_mail("imap-e2e-moved-1"))

        self.write_config(("dmarc", "INBOX", "dmarc.pass", "seen"),
                          ("moved", "INBOX", "moved.pass", "move:Done"))
        self.start_exporter()
        samples = self.wait_runs(2)
        self.assertEqual(self.counted(samples), {
            ("dmarc", "ok"): 2, ("tlsrpt", "ok"): 1, ("arf", "ok"): 1,
            ("unknown", "invalid"): 1})
        self.assertEqual(self.value(samples, "mailrep_reports_invalid_total",
                                    reason="not_a_report"), 1)
        self.assertEqual(self.value(samples, "mailrep_reports_backlog_files"), 0)
        self.assertEqual(self.value(samples, "mailrep_collector_errors_total",
                                    collector="reports"), 0)
        self.assertEqual(self.source_errors(samples), {})

        flags = self.dovecot.flags("dmarc")
        self.assertEqual(len(flags), 4, flags)
        for uid, f in flags.items():
            self.assertIn("\\Seen", f, "uid %d: %s" % (uid, f))
        self.assertEqual(self.dovecot.flags("moved"), {})
        moved = self.dovecot.flags("moved", "Done")
        self.assertEqual(len(moved), 1, moved)
        self.assertIn("\\Seen", next(iter(moved.values())))

        # More runs add nothing.
        samples = self.wait_runs(2)
        self.assertEqual(self.counted(samples)[("dmarc", "ok")], 2)
        self.assertEqual(sum(self.counted(samples).values()), 5)

        log = self.exporter.stderr()
        for secret in PASSWORDS.values():
            self.assertNotIn(secret, log)
        self.assertEqual(self.exporter.stop(), 0)

        # A person marks the DMARC mail unread; the exporter restarts on the
        # same state, which remembers the message: it is marked read again,
        # not fetched, not counted.
        dmarc_uid = min(flags)
        self.dovecot.set_unseen("dmarc", dmarc_uid)
        self.start_exporter()
        samples = self.wait_runs(2)
        self.assertEqual(self.counted(samples), {})
        self.assertIn("\\Seen", self.dovecot.flags("dmarc")[dmarc_uid])

        # The same report mailed again (a new message) is a duplicate; one
        # more report is the only one counted.
        self.dovecot.deliver("dmarc", testdata("dmarc_gzip_report.eml"))
        self.dovecot.deliver("dmarc", testdata("dmarc_zip_report.eml"))
        samples = self.wait_runs(2)
        self.assertEqual(self.counted(samples), {("dmarc", "duplicate"): 1, ("dmarc", "ok"): 1})
        receivers = {s.labels["receiver"] for s in harness.find_samples(
            samples, "mailrep_dmarc_report_messages_total") if s.value}
        self.assertEqual(receivers, {"outlook"})
        flags = self.dovecot.flags("dmarc")
        self.assertEqual(len(flags), 6)
        self.assertTrue(all("\\Seen" in f for f in flags.values()), flags)
        self.assertEqual(self.source_errors(samples), {})
        for secret in PASSWORDS.values():
            self.assertNotIn(secret, self.exporter.stderr())

    def test_a_refused_login_is_counted_never_fatal_and_never_logs_the_password(self):
        # Alone: Dovecot slows every later login from the address after a
        # failure (its auth penalty), which would slow the other test's runs.
        self.dovecot.deliver("dmarc", testdata("arf_complaint.eml"))
        self.write_config(("dmarc", "INBOX", "wrong.pass", "seen"))
        self.start_exporter()
        samples = self.wait_runs(1)
        self.assertEqual(self.source_errors(samples), {"login": 1})
        self.assertEqual(self.value(samples, "mailrep_collector_errors_total",
                                    collector="reports"), 0)
        self.assertEqual(self.counted(samples), {})
        self.assertEqual([f for f in self.dovecot.flags("dmarc").values() if "\\Seen" in f], [])
        log = self.exporter.stderr()
        self.assertIn("reason=login", log)
        self.assertNotIn(WRONG_PASSWORD, log)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("SKIP: needs root (a private mount namespace for the unpacked Dovecot)")
        sys.exit(77)
    harness.main()
