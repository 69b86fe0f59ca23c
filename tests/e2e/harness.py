"""End-to-end harness: the real mailrep_exporter, a real Prometheus, real curl.

Everything runs on loopback (127.0.0.1, ::1) with ports the kernel picks.
Every process a test starts is stopped, and every temporary directory removed,
by unittest cleanups even when the test fails; children also get SIGKILL from
the kernel if this Python process dies first (PR_SET_PDEATHSIG).

Entry point for a test file:

    if __name__ == "__main__":
        harness.main()

The exporter binary is argv[1] (as ctest passes it) or $MAILREP_EXPORTER.
Set MAILREP_E2E_KEEP=1 to keep temporary directories for debugging.

Every exporter started here reads its files under --path.rootfs: the test's
own, or else a host without an MTA (fixture_rootfs.build(mail=False)), so no
test sees this machine's /etc/postfix, /var/spool or /var/log/mail.log.
The exporter prefixes the rootfs to the config paths it reads as host files
(delivery sources and postfix_config_directories, queue instances, DKIM
key_file, MTA-STS ca_file): a test that configures one builds its own rootfs
(fixture_rootfs.build), puts the file inside and configures the path as seen
from that root (test_auth.py, test_golden.py). Web config, catalogue and
--config.file paths are not prefixed.

Every exporter started or run here also gets --dns.resolv-conf (unless the
test passes one): its rootfs's etc/resolv.conf, which names a loopback
address where nothing listens, so the default config (dns.servers: [], the
system's resolvers) sends no DNS query off loopback. ctest runs each test
under netns_run.sh, which fails it if anything tried to.

Needs (Debian 12): prometheus (prometheus, promtool), curl, openssl,
python3-yaml, python3-bcrypt. A missing tool is a test failure, never a skip.
"""

import atexit
import base64
import ctypes
import dataclasses
import gzip
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

try:
    import bcrypt
    import yaml
except ImportError as e:
    sys.exit("FAIL: %s (apt-get install python3-yaml python3-bcrypt)" % e)

import fixture_rootfs  # noqa: E402

PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
CURL = "/usr/bin/curl"
OPENSSL = "/usr/bin/openssl"

# Which Debian package provides each tool, for the failure message.
_TOOL_PACKAGES = {PROMETHEUS: "prometheus", PROMTOOL: "prometheus", CURL: "curl",
                  OPENSSL: "openssl"}

STOP_TIMEOUT_S = 5.0  # the exporter's contract for SIGTERM/SIGINT
START_TIMEOUT_S = 20.0
HTTP_TIMEOUT_S = 10.0

_exporter_binary = None


def exporter_binary():
    """The exporter under test; main() sets it."""
    if _exporter_binary is None:
        raise AssertionError("exporter binary not set: run through harness.main()")
    return _exporter_binary


def main():
    """Takes the binary from argv[1] or $MAILREP_EXPORTER, then runs unittest."""
    global _exporter_binary
    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        _exporter_binary = argv.pop(1)
    else:
        _exporter_binary = os.environ.get("MAILREP_EXPORTER")
    if not _exporter_binary:
        sys.exit("usage: %s <path/to/mailrep_exporter> [unittest args] "
                 "(or set MAILREP_EXPORTER)" % argv[0])
    _exporter_binary = os.path.abspath(_exporter_binary)
    if not os.access(_exporter_binary, os.X_OK):
        sys.exit("exporter binary %s is missing or not executable" % _exporter_binary)
    require_tools(OPENSSL, CURL, PROMTOOL, PROMETHEUS)
    # ctest stops a test that times out with a signal; clean up before dying.
    signal.signal(signal.SIGTERM, _abort)
    signal.signal(signal.SIGINT, _abort)
    unittest.main(argv=argv, verbosity=2)


def _abort(signum, frame):
    for proc in list(_live_processes):
        if proc.poll() is None:
            proc.kill()
    for path in list(_temp_dirs):
        shutil.rmtree(path, ignore_errors=True)
    sys.stderr.write("aborted by signal %d; children killed, temp dirs removed\n" % signum)
    os._exit(128 + signum)


def require_tools(*paths):
    missing = [p for p in paths if not os.access(p, os.X_OK)]
    if missing:
        packages = sorted({_TOOL_PACKAGES.get(p, "?") for p in missing})
        sys.exit("FAIL: required tools missing: %s (apt-get install %s)" %
                 (" ".join(missing), " ".join(packages)))


# ---------------------------------------------------------------------------
# Processes and temporary files


_live_processes = set()  # for _abort; finished ones are harmless
_temp_dirs = set()
_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def child_env(extra=None):
    """os.environ without proxy settings (all traffic is loopback)."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(extra or {})
    return env


def popen(argv, **kwargs):
    """subprocess.Popen whose child dies when this process dies."""
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    kwargs.setdefault("env", child_env())
    proc = subprocess.Popen(argv, preexec_fn=_die_with_parent, **kwargs)
    _live_processes.add(proc)
    return proc


def run(argv, timeout=60, input_bytes=None, **kwargs):
    """Runs a command to completion; returns CompletedProcess with text output."""
    kwargs.setdefault("env", child_env())
    if input_bytes is None:
        kwargs.setdefault("stdin", subprocess.DEVNULL)
    proc = subprocess.run(argv, input=input_bytes, capture_output=True, timeout=timeout,
                          preexec_fn=_die_with_parent, **kwargs)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def make_tempdir(add_cleanup, name="mailrep-e2e-"):
    """A fresh directory, removed through `add_cleanup` (a TestCase's
    addCleanup or addClassCleanup)."""
    path = tempfile.mkdtemp(prefix=name)
    if os.environ.get("MAILREP_E2E_KEEP"):
        sys.stderr.write("keeping %s\n" % path)
        return path
    _temp_dirs.add(path)
    add_cleanup(_remove_tempdir, path)
    return path


def _remove_tempdir(path):
    shutil.rmtree(path, ignore_errors=True)
    _temp_dirs.discard(path)


_no_mta_rootfs = None


def no_mta_rootfs():
    """A rootfs (built once per process, removed at exit) of a host without
    an MTA: what an exporter reads when its test gives no --path.rootfs."""
    global _no_mta_rootfs
    if _no_mta_rootfs is None:
        path = make_tempdir(lambda f, *a: atexit.register(f, *a), "mailrep-e2e-rootfs-")
        _no_mta_rootfs = fixture_rootfs.build(path, mail=False)
    return _no_mta_rootfs


def write_file(path, text, mode=0o644):
    """Writes atomically (temp file + rename): a reader sees old or new, never half."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return path


def free_port(host="127.0.0.1"):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, interval=0.1, what="condition"):
    """Polls `predicate` until it returns a truthy value, which is returned."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, ValueError, KeyError) as e:
            last_error = e
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.0fs waiting for %s%s" %
                                 (timeout, what,
                                  " (last error: %r)" % last_error if last_error else ""))
        time.sleep(interval)


class _LineCollector:
    """Reads a pipe on a thread and keeps its lines for waiting and reporting."""

    def __init__(self, stream):
        self._lines = []
        self._eof = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            with self._cond:
                self._lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        stream.close()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def lines(self):
        with self._cond:
            return list(self._lines)

    def text(self):
        return "\n".join(self.lines())

    def wait_lines(self, predicate, count, timeout):
        """Waits for `count` lines matching `predicate`; returns them, or the
        matches so far on EOF or timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [l for l in self._lines if predicate(l)]
                remaining = deadline - time.monotonic()
                if len(found) >= count or self._eof or remaining <= 0:
                    return found
                self._cond.wait(remaining)

    def join(self, timeout):
        self._thread.join(timeout)


# ---------------------------------------------------------------------------
# Logs


def parse_log_line(line):
    """A logfmt or JSON log line as a dict of strings; {} if it is neither."""
    line = line.strip()
    if line.startswith("{"):
        try:
            obj = json.loads(line)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in obj.items()} if isinstance(obj, dict) else {}
    fields = {}
    for m in re.finditer(r'([A-Za-z0-9_.\-]+)=("(?:[^"\\]|\\.)*"|\S*)', line):
        value = m.group(2)
        if value.startswith('"'):
            value = re.sub(r'\\(.)', r'\1', value[1:-1])
        fields[m.group(1)] = value
    return fields


def is_listen_line(line):
    fields = parse_log_line(line)
    return fields.get("msg") == "Listening on" and "address" in fields


# ---------------------------------------------------------------------------
# The exporter


class Exporter:
    """One running mailrep_exporter.

    `listen` is the list of --web.listen-address values (default 127.0.0.1:0);
    without --path.rootfs in `args`, the exporter gets no_mta_rootfs();
    without --dns.resolv-conf, the loopback one of resolv_conf_args();
    start() waits for one "Listening on" log line per address and records the
    bound host:port values in `addresses`, in the order they were logged.
    """

    def __init__(self, args=(), listen=("127.0.0.1:0",), scheme="http", cwd=None):
        self.args = [exporter_binary()] + ["--web.listen-address=" + a for a in listen]
        self.args += list(args)
        if not any(a.startswith("--path.rootfs") for a in self.args):
            self.args.append("--path.rootfs=" + no_mta_rootfs())
        self.args += resolv_conf_args(self.args)
        self.listen = list(listen)
        self.scheme = scheme
        self.cwd = cwd
        self.addresses = []
        self.proc = None
        self._stderr = None
        self._stdout = None

    def start(self):
        self.proc = popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=self.cwd)
        self._stderr = _LineCollector(self.proc.stderr)
        self._stdout = _LineCollector(self.proc.stdout)
        lines = self._stderr.wait_lines(is_listen_line, len(self.listen), START_TIMEOUT_S)
        if len(lines) < len(self.listen):
            self.kill()
            raise AssertionError(
                "exporter did not log 'Listening on' for %d address(es) within %.0fs "
                "(exit code %s)\ncommand: %s\nstderr:\n%s" %
                (len(self.listen), START_TIMEOUT_S, self.proc.returncode,
                 " ".join(self.args), self.stderr()))
        self.addresses = [parse_log_line(l)["address"] for l in lines[:len(self.listen)]]
        return self

    def address(self, family=None):
        """The first bound address, or the first IPv4 ("4") / IPv6 ("6") one."""
        for a in self.addresses:
            if family is None or (family == "6") == a.startswith("["):
                return a
        raise AssertionError("no IPv%s address among %s" % (family, self.addresses))

    def url(self, path="/", family=None, scheme=None):
        return "%s://%s%s" % (scheme or self.scheme, self.address(family), path)

    def stderr(self):
        return self._stderr.text() if self._stderr else ""

    def stdout(self):
        return self._stdout.text() if self._stdout else ""

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, signum):
        self.proc.send_signal(signum)

    def stop(self, signum=signal.SIGTERM):
        """Sends `signum` and returns the exit code; fails if the exporter takes
        longer than STOP_TIMEOUT_S to exit (it is then killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError("exporter did not exit within %.0fs of signal %d\n"
                                     "stderr:\n%s" % (STOP_TIMEOUT_S, signum, self.stderr()))
        self._stderr.join(2)
        self._stdout.join(2)
        return self.proc.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop_clean(self):
        """stop() and require exit code 0; the default cleanup."""
        was_running = self.running()
        code = self.stop()
        if was_running and code != 0:
            raise AssertionError("exporter exited with %s after SIGTERM\nstderr:\n%s" %
                                 (code, self.stderr()))


def start_exporter(add_cleanup, args=(), listen=("127.0.0.1:0",), scheme="http", cwd=None):
    """Starts an exporter whose clean stop (SIGTERM, exit 0 within 5 s) is
    checked by a cleanup registered through `add_cleanup`."""
    exporter = Exporter(args, listen, scheme, cwd)
    add_cleanup(exporter.kill)
    exporter.start()
    add_cleanup(exporter.stop_clean)
    return exporter


def run_exporter(args, timeout=30):
    """Runs the exporter to completion (--version, --config.check, bad flags,
    check commands), on the loopback resolv.conf of resolv_conf_args()."""
    return run([exporter_binary()] + resolv_conf_args(args) + list(args), timeout=timeout)


def only_collector(name):
    """The --no-collector.X flags that leave only collector `name` on (the
    names from the binary's --[no-]collector.NAME flags)."""
    proc = run_exporter(["--help"])
    names = set()
    for word in (proc.stdout + proc.stderr).split():
        if word.startswith("--[no-]collector."):
            names.add(word[len("--[no-]collector."):].split("=")[0])
    return ["--no-collector." + n for n in sorted(names) if n != name]


def resolv_conf_args(args):
    """[] when `args` has --dns.resolv-conf, else that flag naming the
    etc/resolv.conf of the --path.rootfs in `args` (fixture_rootfs writes one)
    or of no_mta_rootfs(): no resolver listens at its loopback address."""
    if any(a.startswith("--dns.resolv-conf") for a in args):
        return []
    root = no_mta_rootfs()
    for i, a in enumerate(args):
        if a.startswith("--path.rootfs="):
            root = a.split("=", 1)[1]
        elif a == "--path.rootfs" and i + 1 < len(args):
            root = args[i + 1]
    path = os.path.join(root, "etc", "resolv.conf")
    if not os.path.exists(path):
        path = os.path.join(no_mta_rootfs(), "etc", "resolv.conf")
    return ["--dns.resolv-conf=" + path]


# ---------------------------------------------------------------------------
# HTTP


@dataclasses.dataclass
class Response:
    status: int
    headers: object  # email.message.Message; case-insensitive get()
    body: bytes

    @property
    def text(self):
        body = self.body
        if self.headers.get("Content-Encoding", "") == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name)


def client_context(ca_file=None, cert_file=None, key_file=None):
    """A TLS client context verifying the server against `ca_file`, optionally
    presenting a client certificate."""
    ctx = ssl.create_default_context(cafile=ca_file)
    if cert_file:
        ctx.load_cert_chain(cert_file, key_file)
    return ctx


def basic_auth_header(user, password):
    token = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    return "Basic " + token


def http_request(url, method="GET", headers=None, data=None, context=None, auth=None,
                 timeout=HTTP_TIMEOUT_S):
    """One request; returns a Response for every HTTP status (no exception on
    4xx/5xx). Never uses a proxy; never decompresses (see Response.text)."""
    handlers = [urllib.request.ProxyHandler({})]
    if context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, method=method)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if auth is not None:
        request.add_header("Authorization", basic_auth_header(*auth))
    try:
        with opener.open(request, timeout=timeout) as resp:
            return Response(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as e:
        body = e.read()
        return Response(e.code, e.headers, body)


def http_get(url, **kwargs):
    return http_request(url, **kwargs)


def curl(url, *args, timeout=30):
    """Runs `curl -sS --noproxy * -g ARGS URL`; returns CompletedProcess."""
    return run([CURL, "-sS", "--noproxy", "*", "-g", "--max-time", "10"] + list(args) + [url],
               timeout=timeout)


# ---------------------------------------------------------------------------
# Prometheus text exposition


@dataclasses.dataclass
class Sample:
    name: str
    labels: dict
    value: float


_NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def parse_exposition(text):
    """Parses text format 0.0.4 into Samples; raises ValueError on bad lines."""
    samples = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = _NAME_RE.match(line)
        if not m:
            raise ValueError("line %d: no metric name: %r" % (lineno, line))
        name, pos, labels = m.group(0), m.end(), {}
        if pos < len(line) and line[pos] == "{":
            pos += 1
            while True:
                while pos < len(line) and line[pos] in " ,":
                    pos += 1
                if pos < len(line) and line[pos] == "}":
                    pos += 1
                    break
                lm = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="').match(line, pos)
                if not lm:
                    raise ValueError("line %d: bad label at column %d: %r" % (lineno, pos, line))
                pos = lm.end()
                value = []
                while pos < len(line) and line[pos] != '"':
                    if line[pos] == "\\" and pos + 1 < len(line):
                        value.append({"n": "\n"}.get(line[pos + 1], line[pos + 1]))
                        pos += 2
                    else:
                        value.append(line[pos])
                        pos += 1
                if pos >= len(line):
                    raise ValueError("line %d: unterminated label value: %r" % (lineno, line))
                pos += 1
                labels[lm.group(1)] = "".join(value)
        rest = line[pos:].split()
        if not rest:
            raise ValueError("line %d: no value: %r" % (lineno, line))
        samples.append(Sample(name, labels, float(rest[0])))
    return samples


def find_samples(samples, name, **labels):
    return [s for s in samples
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]


def scrape(url, **kwargs):
    """GETs a /metrics URL and returns its Samples; fails on non-200 and on
    any family that the metric reference does not document."""
    return scrape_text(url, **kwargs)[1]


def scrape_text(url, **kwargs):
    """scrape(), returning (exposition text, Samples)."""
    resp = http_get(url, **kwargs)
    if resp.status != 200:
        raise AssertionError("GET %s: %d %s" % (url, resp.status, resp.text[:500]))
    samples = parse_exposition(resp.text)
    undocumented = check_documented(resp.text, samples)
    if undocumented:
        raise AssertionError("GET %s: not as the metric reference (--help-metrics) says:\n  %s"
                             % (url, "\n  ".join(undocumented)))
    return resp.text, samples


_metric_reference = None


# The note the exporter appends to the HELP of a cached family
# (exporter/core/metric_family.h kCachedNote); a /probe response leaves it out.
CACHED_NOTE_START = " Cached: "


def metric_reference():
    """{name: (type, set of label names, HELP text)} from `mailrep_exporter
    --help-metrics`, which the exporter generates from the same MetricFamily
    descriptions it serves."""
    global _metric_reference
    if _metric_reference is None:
        out = subprocess.run([exporter_binary(), "--help-metrics"], capture_output=True,
                             text=True, timeout=30, check=True).stdout
        _metric_reference = {}
        for line in out.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and cells[0].startswith("`"):
                labels = {l.strip() for l in cells[2].split(",") if l.strip()}
                _metric_reference[cells[0].strip("`")] = (cells[1], labels, cells[3])
    return _metric_reference


def _unescape_help(text):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def help_matches(served, documented):
    """A served HELP equals the reference's, or (in a /probe response) the
    reference's without the cached note."""
    if served == documented:
        return True
    cut = documented.find(CACHED_NOTE_START)
    return cut >= 0 and served == documented[:cut]


def check_documented(text, samples):
    """Problems of an exposition against the reference: undocumented families,
    another type or HELP text, or label names the reference does not list."""
    reference = metric_reference()
    types, helps = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(None, 3)
            types[name] = kind.strip()
        elif line.startswith("# HELP "):
            parts = line.split(" ", 3)
            helps[parts[2]] = _unescape_help(parts[3] if len(parts) > 3 else "")
    problems = set()
    for name, kind in types.items():
        if name not in reference:
            problems.add("%s (%s) is not in the reference" % (name, kind))
        elif reference[name][0] != kind:
            problems.add("%s is a %s, the reference says %s" % (name, kind, reference[name][0]))
    for name, served in helps.items():
        if name in reference and not help_matches(served, reference[name][2]):
            problems.add("%s has HELP %r, the reference says %r"
                         % (name, served, reference[name][2]))
    for sample in samples:
        family = sample.name
        if family not in types:
            for suffix in ("_bucket", "_sum", "_count"):
                if family.endswith(suffix) and family[:-len(suffix)] in types:
                    family = family[:-len(suffix)]
        if family not in reference:
            continue
        extra = set(sample.labels) - reference[family][1] - {"le"}
        if extra:
            problems.add("%s has labels %s the reference does not list"
                         % (family, ", ".join(sorted(extra))))
    return sorted(problems)


# ---------------------------------------------------------------------------
# TLS material and basic-auth hashes


def bcrypt_hash(password, cost=10):
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(cost)).decode()


class Pki:
    """A throwaway CA with a server certificate (SAN 127.0.0.1, ::1, localhost)
    and a client certificate, plus a second, untrusted CA with its own client
    certificate. EC P-256 keys, valid for two days. Attributes are paths."""

    def __init__(self, directory):
        self.dir = directory
        self.ca_cert, self.ca_key = self._ca("ca", "mailrep e2e test CA")
        self.server_cert, self.server_key = self._leaf(
            "server", "localhost", self.ca_cert, self.ca_key, "serverAuth",
            "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost")
        self.client_cert, self.client_key = self._leaf(
            "client", "prometheus", self.ca_cert, self.ca_key, "clientAuth")
        self.rogue_ca_cert, self.rogue_ca_key = self._ca("rogue-ca", "untrusted CA")
        self.rogue_client_cert, self.rogue_client_key = self._leaf(
            "rogue-client", "intruder", self.rogue_ca_cert, self.rogue_ca_key, "clientAuth")

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _openssl(self, *args):
        proc = run([OPENSSL] + list(args))
        if proc.returncode != 0:
            raise AssertionError("openssl %s failed:\n%s%s" %
                                 (" ".join(args), proc.stdout, proc.stderr))

    def _ca(self, name, cn):
        cert, key = self._path(name + ".crt"), self._path(name + ".key")
        self._openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt",
                      "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                      "-days", "2", "-subj", "/CN=" + cn, "-addext",
                      "basicConstraints=critical,CA:TRUE", "-addext",
                      "keyUsage=critical,keyCertSign,cRLSign")
        return cert, key

    def _leaf(self, name, cn, ca_cert, ca_key, usage, *extensions):
        cert, key = self._path(name + ".crt"), self._path(name + ".key")
        csr, ext = self._path(name + ".csr"), self._path(name + ".ext")
        write_file(ext, "\n".join(["basicConstraints=critical,CA:FALSE",
                                   "keyUsage=critical,digitalSignature",
                                   "extendedKeyUsage=" + usage] + list(extensions)) + "\n")
        self._openssl("req", "-new", "-newkey", "ec", "-pkeyopt",
                      "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
                      "-subj", "/CN=" + cn)
        self._openssl("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
                      "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", cert)
        return cert, key


# ---------------------------------------------------------------------------
# Prometheus


class Prometheus:
    """A real Prometheus on 127.0.0.1:<free port> scraping `scrape_configs`
    (a list of dicts, as in prometheus.yml) every second; `extra_args` are
    more command-line flags."""

    def __init__(self, directory, scrape_configs, extra_args=()):
        require_tools(PROMETHEUS)
        self.extra_args = list(extra_args)
        self.dir = directory
        self.config_file = os.path.join(directory, "prometheus.yml")
        config = {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s",
                       "evaluation_interval": "1s"},
            "scrape_configs": scrape_configs,
        }
        write_file(self.config_file, yaml.safe_dump(config, sort_keys=False))
        self.proc = None
        self.port = None
        self._log = None

    def start(self):
        for _ in range(3):  # the free port can be taken between probe and bind
            self.port = free_port()
            self.proc = popen([
                PROMETHEUS, "--config.file=" + self.config_file,
                "--storage.tsdb.path=" + os.path.join(self.dir, "data"),
                "--web.listen-address=127.0.0.1:%d" % self.port,
                "--log.level=debug",
            ] + self.extra_args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.dir)
            self._log = _LineCollector(self.proc.stderr)
            try:
                wait_until(self._ready, 60, 0.2, "Prometheus /-/ready")
                return self
            except AssertionError:
                if self.proc.poll() is None or "address already in use" not in self.log():
                    self.stop()
                    raise AssertionError("Prometheus did not become ready:\n" + self.log())
                self.stop()
        raise AssertionError("Prometheus could not bind a port:\n" + self.log())

    def _ready(self):
        if self.proc.poll() is not None:
            raise AssertionError("Prometheus exited with %d" % self.proc.returncode)
        return http_get(self.url("/-/ready"), timeout=2).status == 200

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def log(self):
        return self._log.text() if self._log else ""

    def api(self, path, **params):
        url = self.url(path) + ("?" + urllib.parse.urlencode(params) if params else "")
        resp = http_get(url)
        if resp.status != 200:
            raise AssertionError("GET %s: %d %s" % (url, resp.status, resp.text))
        body = json.loads(resp.text)
        if body.get("status") != "success":
            raise AssertionError("GET %s: %s" % (url, body))
        return body["data"]

    def query(self, expr):
        """An instant query; returns the vector as [(labels, float value)]."""
        data = self.api("/api/v1/query", query=expr)
        if data["resultType"] != "vector":
            raise AssertionError("%s: expected a vector, got %s" % (expr, data["resultType"]))
        return [(r["metric"], float(r["value"][1])) for r in data["result"]]

    def targets(self):
        """Active targets as {job: [target dicts]}."""
        by_job = {}
        for t in self.api("/api/v1/targets", state="active")["activeTargets"]:
            by_job.setdefault(t["labels"]["job"], []).append(t)
        return by_job

    def wait_scraped(self, jobs, timeout=60):
        """Waits until every target of every job in `jobs` has been scraped at
        least twice since start (so `up` reflects a settled state)."""

        def scraped():
            by_job = self.targets()
            for job in jobs:
                ts = by_job.get(job, [])
                if not ts or any(t["health"] == "unknown" for t in ts):
                    return False
            counts = self.query("count_over_time(up[1m])")
            seen = {m.get("job"): v for m, v in counts}
            return all(seen.get(job, 0) >= 2 for job in jobs)

        wait_until(scraped, timeout, 0.5, "Prometheus to scrape jobs %s" % list(jobs))
        return self.targets()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log:
            self._log.join(2)


def start_prometheus(add_cleanup, directory, scrape_configs):
    prom = Prometheus(directory, scrape_configs)
    add_cleanup(prom.stop)
    prom.start()
    return prom
