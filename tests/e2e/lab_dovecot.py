"""Debian's Dovecot for end-to-end tests, unpacked, never installed.

An installed dovecot-core would start a system service on every address, so
the tests take the .debs `install-deps.sh test` downloads to
$MAILREP_LAB_DEBS (default /var/cache/mailrep-exporter/lab-debs), unpack them
with dpkg -x into LAB/root, and run Dovecot from a private mount namespace in
which an overlay lays that /usr over the host's (the binaries look for their
helpers and libraries at compiled-in /usr paths) and LAB/passwd, LAB/group
(copies of the host's plus the test's users) are /etc/passwd and /etc/group.
The config is always the test's own. Needs root and util-linux unshare.

  unpack(lab, packages)          dpkg -x each package's .deb into LAB/root;
                                 fails naming a missing one (tests never download)
  write_users(lab, users)        LAB/passwd and LAB/group: the host's plus
                                 (name, uid) users, each with its own group
  start(add_cleanup, lab, conf)  runs `dovecot -F -c conf` in the namespace;
                                 returns its Popen (stdout and stderr piped),
                                 stopped by a cleanup registered with add_cleanup
  stop(proc)                     SIGTERM, then SIGKILL after 10 s (any Popen)
"""

import os
import signal
import subprocess

import harness

DEBS_DIR = os.environ.get("MAILREP_LAB_DEBS", "/var/cache/mailrep-exporter/lab-debs")


def unpack(lab, packages):
    root = os.path.join(lab, "root")
    for pkg in packages:
        debs = [f for f in os.listdir(DEBS_DIR) if f.startswith(pkg + "_")]
        if not debs:
            raise AssertionError("no %s_*.deb in %s (bash exporter/scripts/install-deps.sh "
                                 "test downloads it)" % (pkg, DEBS_DIR))
        proc = harness.run(["dpkg", "-x", os.path.join(DEBS_DIR, debs[0]), root])
        if proc.returncode != 0:
            raise AssertionError("dpkg -x %s failed: %s" % (debs[0], proc.stderr))


def write_users(lab, users):
    with open("/etc/passwd", encoding="utf-8") as f:
        passwd = f.read()
    with open("/etc/group", encoding="utf-8") as f:
        group = f.read()
    for name, uid in users:
        passwd += "%s:x:%d:%d::/nonexistent:/usr/sbin/nologin\n" % (name, uid, uid)
        group += "%s:x:%d:\n" % (name, uid)
    harness.write_file(os.path.join(lab, "passwd"), passwd)
    harness.write_file(os.path.join(lab, "group"), group)


def start(add_cleanup, lab, conf):
    ns = harness.write_file(os.path.join(lab, "ns.sh"), "\n".join([
        "#!/bin/sh",
        "set -e",
        'mount --bind "%s/passwd" /etc/passwd' % lab,
        'mount --bind "%s/group" /etc/group' % lab,
        'mount -t overlay overlay -o "lowerdir=%s/root/usr:/usr" /usr' % lab,
        'exec "$@"']) + "\n", 0o755)
    # unshare execs ns.sh, which execs dovecot: one pid, stopped by SIGTERM.
    proc = harness.popen(["unshare", "-m", ns, "/usr/sbin/dovecot", "-F", "-c", conf],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    add_cleanup(stop, proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
