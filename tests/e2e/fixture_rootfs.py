"""Root filesystems for the exporter's --path.rootfs, so that what the host,
queue and delivery collectors read comes from the test and never from this
machine (its /etc/postfix, /var/spool, /var/log/mail.log or /etc/hosts).

    root = fixture_rootfs.build(directory)               # the mail host below
    root = fixture_rootfs.build(directory, mail=False)   # a host without an MTA

Both worlds have an etc/hosts naming this machine's hostname (gethostname,
which no rootfs can change) as FQDN_IN_HOSTS, so the host collector's FQDN is
known and it never asks DNS. Both also have etc/resolv.conf naming
LOOPBACK_NAMESERVER, a loopback address where no resolver listens, so a query
on the system's resolvers fails at once (ECONNREFUSED) and never leaves the
machine. The exporter does not read it through --path.rootfs (its resolvers
belong to its own network, not to the monitored host): the harness passes it
as --dns.resolv-conf. The mail host adds, from tests/e2e/fixtures/rootfs:

  etc/postfix/      main.cf (queue /var/spool/postfix, smtp bound to
                    192.0.2.10) and master.cf (transport out2 logging as
                    postfix-out2, bound to 192.0.2.11)
  var/lib/dpkg/status  postfix 3.7.11-0+deb12u1 installed
  var/log/mail.log  ten Postfix lines: sent, bounced (one citing
                    zen.spamhaus.org), deferred, expired, one non-delivery

and a Postfix queue assembled here from the files a real Postfix wrote
(tests/queue/fixtures/postfix; git keeps neither modes nor empty directories):
maildrop 1, incoming 1 (+1 still being written), deferred 4 (three with
defer logs), hold 1, corrupt 1. Its arrival times are fixed (November 2026),
so queue ages grow with the clock.
"""

import os
import shutil
import socket

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC_TREE = os.path.join(HERE, "fixtures", "rootfs")
QUEUE_FIXTURES = os.path.join(HERE, "..", "queue", "fixtures", "postfix")

FQDN_IN_HOSTS = "mx.fixture.test"

# Not 127.0.0.53/54 (systemd-resolved's stubs, which forward off the machine).
LOOPBACK_NAMESERVER = "127.53.0.1"

POSTFIX_QUEUE_DIRS = ("active", "bounce", "corrupt", "defer", "deferred", "flush", "hold",
                      "incoming", "maildrop", "pid", "private", "public", "saved", "trace")

# (fixture file, path under var/spool/postfix, mode): as in
# collectors/queue/postfix_queue_collector_test.cc's lab queue.
POSTFIX_QUEUE_FILES = (
    ("maildrop_07E08A722A7", "maildrop/07E08A722A7", 0o744),
    ("incoming_E81BAA72173", "incoming/E81BAA72173", 0o700),
    ("incoming_E81BAA72173", "incoming/E9CD5A72174", 0o600),  # still being written
    ("deferred_two_domains_B99EEA720AC", "deferred/B/B99EEA720AC", 0o700),
    ("deferred_two_reasons_BF991A720B7", "deferred/B/BF991A720B7", 0o700),
    ("deferred_extracted_rcpts_D6386A72114", "deferred/D/D6386A72114", 0o700),
    ("deferred_null_sender_D2306A72104", "deferred/D/D2306A72104", 0o700),  # no defer log
    ("defer_B99EEA720AC", "defer/B/B99EEA720AC", 0o600),
    ("defer_BF991A720B7", "defer/B/BF991A720B7", 0o600),
    ("defer_D6386A72114", "defer/D/D6386A72114", 0o600),
    ("deferred_two_domains_B99EEA720AC", "hold/B99EEA720AD", 0o700),
)
POSTFIX_CORRUPT_FILE = ("corrupt/0AAAAAAAAAA", b"junk", 0o400)


def hosts_text():
    # This host's line first: the first line naming the hostname decides,
    # even when the hostname is "localhost".
    return ("127.0.1.1\t%s %s\n"
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n" % (FQDN_IN_HOSTS, socket.gethostname()))


def resolv_conf_text():
    return ("# Tests only: nothing listens here, so every query is refused at once.\n"
            "nameserver %s\n" % LOOPBACK_NAMESERVER)


def _write(path, data, mode):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def _postfix_queue(spool):
    for name in POSTFIX_QUEUE_DIRS:
        os.makedirs(os.path.join(spool, name), exist_ok=True)
    for fixture, path, mode in POSTFIX_QUEUE_FILES:
        with open(os.path.join(QUEUE_FIXTURES, fixture), "rb") as f:
            _write(os.path.join(spool, path), f.read(), mode)
    path, data, mode = POSTFIX_CORRUPT_FILE
    _write(os.path.join(spool, path), data, mode)


def build(directory, mail=True):
    """Builds the world in `directory`/rootfs (which must not exist yet) and
    returns that path, for --path.rootfs."""
    root = os.path.join(directory, "rootfs")
    if mail:
        shutil.copytree(STATIC_TREE, root)
        _postfix_queue(os.path.join(root, "var", "spool", "postfix"))
    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
    _write(os.path.join(root, "etc", "hosts"), hosts_text().encode(), 0o644)
    _write(os.path.join(root, "etc", "resolv.conf"), resolv_conf_text().encode(), 0o644)
    return root
