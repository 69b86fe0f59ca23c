"""The container image (exporter/image/), built from this tree and run as the Helm
chart runs it.

exporter/image/build.sh --offline builds the image; its Debian base comes from the
cache that `install-deps.sh test` filled, so the test reaches no registry. Every
container runs through exporter/image/podman.sh (private storage; runc, cgroupfs, no
default ulimits) with a read-only root and no writable mount, as user 65534, without
capabilities or new privileges, on the network of this test's namespace (loopback
only: ctest runs the test under netns_run.sh), with a resolv.conf naming a loopback
address where nothing listens. Checked:
  - the image's size, printed, is at most 80 MB uncompressed; its user is 65534 and
    its entrypoint the exporter; it has no shell and holds only what rootfs.sh puts
    there, with the exporter as its one program;
  - --version names the tested binary's version and the image's revision label;
  - with no file and no flag but the listen address (the embedded default config),
    /-/ready turns 200 and /metrics answers 200 with an exposition promtool accepts
    and the metric reference describes; the process runs as uid and gid 65534 with no
    capabilities;
  - --config.check on a mounted config exits 0, on a broken one 1 naming the error;
  - a mounted TLS web config (test CA, server certificate): --config.check accepts
    it, and https://127.0.0.1:PORT/metrics answers 200 to a client trusting the CA.
The image stays in the cache, so the next run rebuilds nothing that did not change.
Needs root, podman, buildah and mmdebstrap (install-deps.sh test); exits 77 (skip)
when not root.
"""

import json
import os
import re
import stat
import subprocess
import sys
import time
import unittest

import harness
import fixture_rootfs

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE_DIR = os.path.join(HERE, "..", "..", "exporter", "image")
BUILD_SH = os.path.join(IMAGE_DIR, "build.sh")
PODMAN_SH = os.path.join(IMAGE_DIR, "podman.sh")

MAX_SIZE_MB = 80
BUILD_TIMEOUT_S = 1500
USER = 65534  # the image's USER and the chart's runAsUser
READY_TIMEOUT_S = 60
# As the chart's securityContext: read-only root, no capabilities, no privilege
# escalation; and not even a tmpfs.
RUN_FLAGS = ["--read-only", "--read-only-tmpfs=false", "--user", "%d:%d" % (USER, USER),
             "--cap-drop=all", "--security-opt=no-new-privileges", "--network=host",
             "--no-hosts", "--hostname=mailrep-image-test"]

# What rootfs.sh puts in the image (paths without the leading /, directories aside).
ALLOWED_FILES = re.compile(r"""^(
    usr/bin/mailrep_exporter
  | (usr/)?lib(64)?/([a-z0-9_]+-linux-gnu/)?[^/]+\.so(\.[0-9]+)*
  | etc/(passwd|group|nsswitch\.conf|os-release)
  | etc/ssl/certs/ca-certificates\.crt
  | usr/share/publicsuffix/public_suffix_list\.dat
  | usr/share/doc/[^/]+/copyright
  | var/lib/dpkg/status\.d/[^/]+
)$""", re.X)

_image = None


def sh(script, *args, timeout=120):
    return harness.run(["bash", script] + list(args), timeout=timeout)


def podman(*args, timeout=120):
    return sh(PODMAN_SH, *args, timeout=timeout)


def image():
    global _image
    if _image is None:
        proc = sh(BUILD_SH, "--print-name")
        if proc.returncode != 0:
            raise AssertionError("build.sh --print-name: " + proc.stderr)
        _image = proc.stdout.strip()
    return _image


class ImageTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        start = time.monotonic()
        proc = sh(BUILD_SH, "--offline", timeout=BUILD_TIMEOUT_S)
        if proc.returncode != 0:
            raise AssertionError("build.sh --offline failed (%d):\n%s\n%s" %
                                 (proc.returncode, proc.stdout[-3000:], proc.stderr[-6000:]))
        summary = [l for l in proc.stderr.splitlines() + proc.stdout.splitlines()
                   if l.startswith("image ")]
        sys.stderr.write("%s (test: %.0f s)\n" % (summary[-1] if summary else "no summary",
                                                  time.monotonic() - start))
        cls.inspect = json.loads(cls.podman_ok("image", "inspect", image()))[0]
        cls.dir = harness.make_tempdir(cls.addClassCleanup, "mailrep-e2e-image-")
        os.chmod(cls.dir, 0o755)  # the container's user reads the mounted files
        cls.resolv_conf = harness.write_file(os.path.join(cls.dir, "resolv.conf"),
                                             fixture_rootfs.resolv_conf_text())

    @classmethod
    def podman_ok(cls, *args, timeout=120):
        proc = podman(*args, timeout=timeout)
        if proc.returncode != 0:
            raise AssertionError("podman %s failed (%d):\n%s" %
                                 (" ".join(args), proc.returncode, proc.stderr))
        return proc.stdout

    def run_args(self, *mounts):
        args = list(RUN_FLAGS) + ["-v", self.resolv_conf + ":/etc/resolv.conf:ro"]
        for m in mounts:
            args += ["-v", m]
        return args

    def run_once(self, *exporter_args, mounts=(), entrypoint=None):
        """Runs the image to completion; returns CompletedProcess."""
        args = ["run", "--rm"] + self.run_args(*mounts)
        if entrypoint:
            args += ["--entrypoint", entrypoint]
        return podman(*args, image(), *exporter_args)

    def start(self, *exporter_args, mounts=()):
        """Starts the image in the background, listening on 127.0.0.1:<free port>;
        returns (container name, address). Removed by a cleanup."""
        port = harness.free_port()
        name = "mailrep-e2e-image-%d-%d" % (os.getpid(), port)
        self.addCleanup(podman, "rm", "--force", "--time", "0", name)
        # --timeout: conmon, not this process, owns the container; stop it even if the
        # test is killed before its cleanup.
        self.podman_ok("run", "--detach", "--timeout", "600", "--name", name,
                       *self.run_args(*mounts), image(),
                       "--web.listen-address=127.0.0.1:%d" % port, *exporter_args)
        return name, "127.0.0.1:%d" % port

    def wait_http(self, url, name, **kwargs):
        def ok():
            state = self.podman_ok("inspect", "--format", "{{.State.Running}}", name).strip()
            if state != "true":
                raise AssertionError("container %s exited:\n%s" %
                                     (name, podman("logs", name).stderr))
            return harness.http_get(url, timeout=2, **kwargs).status == 200
        harness.wait_until(ok, READY_TIMEOUT_S, 0.2, "%s to answer 200" % url)

    def write(self, name, text):
        return harness.write_file(os.path.join(self.dir, name), text)

    # -- The image itself --------------------------------------------------------

    def test_size(self):
        size_mb = self.inspect["Size"] / 1e6
        sys.stderr.write("image %s: %.1f MB uncompressed (goal at most %d MB)\n" %
                         (image(), size_mb, MAX_SIZE_MB))
        self.assertLessEqual(size_mb, MAX_SIZE_MB)

    def test_config_user_and_entrypoint(self):
        config = self.inspect["Config"]
        self.assertEqual(config.get("User"), "%d:%d" % (USER, USER))
        self.assertEqual(config.get("Entrypoint"), ["/usr/bin/mailrep_exporter"])
        self.assertIn("9825/tcp", config.get("ExposedPorts", {}))

    def test_no_shell(self):
        for shell in ("/bin/sh", "/bin/bash", "/usr/bin/busybox"):
            with self.subTest(shell=shell):
                proc = self.run_once("-c", "true", entrypoint=shell)
                self.assertNotEqual(proc.returncode, 0, proc.stdout + proc.stderr)
                self.assertRegex(proc.stderr, "no such file|not found", proc.stderr)

    def test_holds_only_the_exporter_and_its_libraries(self):
        name = "mailrep-e2e-image-files-%d" % os.getpid()
        self.addCleanup(podman, "rm", "--force", name)
        self.podman_ok("create", "--name", name, image())
        root = self.podman_ok("mount", name).strip()
        self.addCleanup(podman, "unmount", name)
        unexpected, programs = [], []
        for dirpath, dirnames, filenames in os.walk(root):
            for f in filenames:
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                st = os.lstat(path)
                if not ALLOWED_FILES.match(rel):
                    unexpected.append(rel)
                elif stat.S_ISREG(st.st_mode) and st.st_mode & 0o111 and ".so" not in rel:
                    programs.append(rel)
        self.assertEqual(unexpected, [], "files rootfs.sh does not put in the image")
        self.assertEqual(programs, ["usr/bin/mailrep_exporter"])

    def test_version(self):
        host = harness.run([harness.exporter_binary(), "--version"]).stdout
        version = re.search(r"version (\S+)", host).group(1)
        revision = self.inspect["Config"]["Labels"]["org.opencontainers.image.revision"]
        proc = self.run_once("--version")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), "mailrep_exporter, version %s (revision: %s)" %
                         (version, revision))

    # -- Running -----------------------------------------------------------------

    def test_default_config_serves_metrics_as_non_root(self):
        name, address = self.start()
        base = "http://" + address
        self.wait_http(base + "/-/ready", name)
        text, samples = harness.scrape_text(base + "/metrics")
        self.assertTrue(harness.find_samples(samples, "mailrep_build_info"), text[:2000])
        proc = harness.run([harness.PROMTOOL, "check", "metrics"], input_bytes=text.encode())
        self.assertEqual((proc.returncode, proc.stdout + proc.stderr), (0, ""),
                         "promtool check metrics findings")

        pid = self.podman_ok("inspect", "--format", "{{.State.Pid}}", name).strip()
        with open("/proc/%s/status" % pid) as f:
            status = dict(line.split(":", 1) for line in f.read().splitlines() if ":" in line)
        self.assertEqual(status["Uid"].split(), [str(USER)] * 4, status["Uid"])
        self.assertEqual(status["Gid"].split(), [str(USER)] * 4, status["Gid"])
        self.assertEqual(int(status["CapEff"], 16), 0, status["CapEff"])
        self.assertEqual(int(status["CapPrm"], 16), 0, status["CapPrm"])

    def test_config_check(self):
        self.write("good.yml", "collectors:\n  host:\n    interval: 60s\n")
        self.write("broken.yml", "collectors:\n  host:\n    intervall: 60s\n")
        mount = self.dir + ":/config:ro"
        proc = self.run_once("--config.file=/config/good.yml", "--config.check", mounts=[mount])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        proc = self.run_once("--config.file=/config/broken.yml", "--config.check",
                             mounts=[mount])
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("intervall", proc.stdout + proc.stderr)

    def test_tls_web_config(self):
        pki_dir = os.path.join(self.dir, "pki")
        os.mkdir(pki_dir)
        pki = harness.Pki(pki_dir)
        for f in os.listdir(pki_dir):
            os.chmod(os.path.join(pki_dir, f), 0o644)  # test material, read by user 65534
        os.chmod(pki_dir, 0o755)
        harness.write_file(os.path.join(pki_dir, "web.yml"),
                           "tls_server_config:\n  cert_file: server.crt\n"
                           "  key_file: server.key\n")
        mount = pki_dir + ":/web:ro"
        proc = self.run_once("--web.config.file=/web/web.yml", "--config.check", mounts=[mount])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

        name, address = self.start("--web.config.file=/web/web.yml", mounts=[mount])
        context = harness.client_context(pki.ca_cert)
        self.wait_http("https://%s/-/healthy" % address, name, context=context)
        text, _ = harness.scrape_text("https://%s/metrics" % address, context=context)
        self.assertIn("mailrep_build_info", text)
        with self.assertRaises(OSError):  # no plain HTTP beside TLS
            harness.http_get("http://%s/metrics" % address, timeout=5)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("SKIP: the image test needs root (rootful buildah and podman)")
        sys.exit(77)
    harness.main()
