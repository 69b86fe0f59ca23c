"""A private NSD for end-to-end tests: authoritative for the given zones on
127.0.0.1:<free port>, in the foreground, with its config, zones, pid file
and state inside one directory, response rate limiting off. Needs Debian's
nsd; a missing nsd is a failure, never a skip.

    nsd = LocalNsd(directory, {"example.test": ["@ IN TXT \"v=spf1 -all\""]})
    add_cleanup(nsd.stop)
    nsd.start()
    config["dns"] = {"servers": [nsd.server()]}

or, in a new "nsd" subdirectory of a test's directory: start_local_nsd(add_cleanup, d, zones).
"""

import os
import random
import signal
import socket
import struct
import subprocess
import time

import harness

NSD = "/usr/sbin/nsd"
NSD_START_TIMEOUT_S = 15


def soa_query(origin):
    qid = random.randrange(1, 0xFFFF)
    name = b"".join(bytes([len(l)]) + l.encode() for l in origin.split(".")) + b"\0"
    return qid, struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + name + struct.pack(">HH", 6, 1)


def answers_soa(port, origin):
    """True when 127.0.0.1:port answers a SOA query for `origin` with NOERROR."""
    qid, query = soa_query(origin)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.3)
        s.sendto(query, ("127.0.0.1", port))
        try:
            data = s.recv(512)
        except socket.timeout:
            return False
    return len(data) >= 12 and struct.unpack(">H", data[:2])[0] == qid and data[3] & 0xF == 0


def free_udp_tcp_port():
    """A port free for both UDP and TCP on 127.0.0.1 (NSD binds both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind(("127.0.0.1", 0))
            port = u.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                try:
                    t.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise AssertionError("no port free for UDP and TCP on 127.0.0.1")


class LocalNsd:
    """A private NSD in the foreground on 127.0.0.1:<free port>, its config,
    zones, pid file and state inside `directory`, response rate limiting off."""

    def __init__(self, directory, zones):
        self.dir = directory
        self.zones = zones
        self.port = None
        self.proc = None

    def _write(self):
        for i, (origin, records) in enumerate(self.zones.items()):
            text = "\n".join([
                "$ORIGIN %s." % origin,
                "$TTL 300",
                "@ IN SOA ns hostmaster 1 3600 600 86400 60",
                "@ IN NS ns",
                "ns IN A 127.0.0.1",
            ] + records) + "\n"
            harness.write_file(os.path.join(self.dir, "zone%d.zone" % i), text)
        d = self.dir
        lines = [
            "server:",
            "  ip-address: 127.0.0.1@%d" % self.port,
            "  port: %d" % self.port,
            '  username: ""',
            '  chroot: ""',
            '  zonesdir: "%s"' % d,
            '  database: ""',
            '  pidfile: "%s/nsd.pid"' % d,
            '  xfrdfile: "%s/xfrd.state"' % d,
            '  zonelistfile: "%s/zone.list"' % d,
            '  logfile: "%s/nsd.log"' % d,
            "  server-count: 1",
            "  verbosity: 0",
            "  hide-version: yes",
            "  do-ip6: no",
            "  rrl-ratelimit: 0",
            "  rrl-whitelist-ratelimit: 0",
            "remote-control:",
            "  control-enable: no",
        ]
        for i, origin in enumerate(self.zones):
            lines += ["zone:", '  name: "%s"' % origin, '  zonefile: "zone%d.zone"' % i]
        self.config = harness.write_file(os.path.join(d, "nsd.conf"), "\n".join(lines) + "\n")

    def log(self):
        try:
            with open(os.path.join(self.dir, "nsd.log"), encoding="utf-8",
                      errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def start(self):
        if not os.access(NSD, os.X_OK):
            raise AssertionError("FAIL: %s missing (apt-get install nsd)" % NSD)
        first = next(iter(self.zones))
        for _ in range(5):  # the port can be taken between probe and bind
            self.port = free_udp_tcp_port()
            self._write()
            self.proc = harness.popen([NSD, "-d", "-c", self.config],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + NSD_START_TIMEOUT_S
            while time.monotonic() < deadline and self.proc.poll() is None:
                if answers_soa(self.port, first):
                    return self
                time.sleep(0.05)
            self.stop()
        raise AssertionError("nsd did not start; its log:\n" + self.log())

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def server(self):
        return "127.0.0.1:%d" % self.port


def start_local_nsd(add_cleanup, parent, zones):
    """A started LocalNsd in a new `parent`/nsd directory, stopped through
    `add_cleanup` (a TestCase's addCleanup or addClassCleanup)."""
    directory = os.path.join(parent, "nsd")
    os.mkdir(directory)
    nsd = LocalNsd(directory, zones)
    add_cleanup(nsd.stop)
    return nsd.start()
