#!/usr/bin/python3
"""End-to-end check of dashboards and alerts against a real Prometheus.

Usage: e2e_queries.py --exporter BINARY [--prometheus PATH]
                      [--exporter-config FILE [--expect-alerts NAME,...]]

Starts mailrep_exporter on 127.0.0.1:0 and a real Prometheus on a free
loopback port that scrapes it every second (job "mailrep") and loads
alerts/*.rules.yml. Without --exporter-config the exporter reads a host
without an MTA (tests/e2e/fixture_rootfs.py) as --path.rootfs, never this
machine's files; either way its --dns.resolv-conf names a loopback address
where no resolver listens, so no DNS query leaves the machine. Once
Prometheus is ready (/-/ready) and has scraped a few times, it evaluates,
through Prometheus' HTTP API, every variable query and every panel query of dashboards/*.json
with the variables set to this job and instance:
  - every query must be accepted;
  - every query whose metrics all appear in this run's scrapes must return
    data (queries on metrics that need fixtures this run lacks may be empty;
    a query with a filter such as "> 0" may be empty when every series it
    selects has data);
  - the job and instance variables must offer this job and instance;
  - every rule of alerts/*.rules.yml loads and evaluates without error;
  - without --exporter-config (the embedded default config: nothing to check,
    nothing wrong) no alert is pending or firing; with it (a fixture world,
    see tests/e2e/fixture_world.py) every alert of --expect-alerts is pending
    or firing, which proves its expression matches the exporter's real output.

Queries that cannot have data in a fresh Prometheus may be empty: those with
`offset` (last week's data) and those on ALERTS.
"""

import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
import fixture_rootfs  # noqa: E402
import lint_dashboards as lint  # noqa: E402

JOB = "mailrep"
SCRAPE_INTERVAL_S = 1
OFFSET_RE = re.compile(r"\boffset\b")
# A filtering comparison with a number (not "> bool 0").
FILTER_RE = re.compile(r"(?:==|!=|>=|<=|>|<)\s*-?[0-9.]+")
RATE_INTERVAL = "15s"  # what Grafana's $__rate_interval is at least (4 scrape intervals)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NotAnswering(RuntimeError):
    """Prometheus did not give a JSON answer (not up, starting, shutting down)."""


def wait_until(what, predicate, timeout):
    """Retries `predicate` until it returns a true value; connection errors
    and non-JSON answers count as "not yet"."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except (OSError, NotAnswering) as e:
            last = e
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what} ({last})")


def http_json(url):
    """The JSON body of `url`, also of an HTTP error (the API's 4xx answers
    carry {"status": "error", ...}). Raises NotAnswering when the body is not
    JSON (e.g. "Service Unavailable" while Prometheus starts), OSError when
    nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            body, status = resp.read(), resp.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    try:
        return json.loads(body)
    except ValueError:
        raise NotAnswering(f"HTTP {status} from {url}: {body[:200]!r}") from None


def http_ok(url):
    """True when `url` answers 200 (Prometheus' /-/ready: 503 while starting)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status == 200
    except urllib.error.HTTPError:
        return False


class Processes:
    """Starts children and stops them all, in reverse order, on exit."""

    def __init__(self):
        self.procs = []

    def start(self, argv, log_path):
        log = open(log_path, "w+")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append((proc, log))
        return proc, log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for proc, log in reversed(self.procs):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def substitute(expr, instance):
    expr = re.sub(r"\$__rate_interval|\$\{__rate_interval\}", RATE_INTERVAL, expr)
    expr = re.sub(r"\$__interval|\$\{__interval\}|\$__range|\$\{__range\}", "1m", expr)
    expr = re.sub(r"\$\{?job\}?", JOB, expr)
    instance_re = re.escape(instance).replace("\\", "\\\\")  # escaped again for PromQL
    expr = re.sub(r"\$\{?instance\}?", lambda _: instance_re, expr)
    return expr


def selector_expr(selector):
    """The PromQL of one vector selector found by lint.analyse."""
    matchers = ", ".join(f"{label}{op}{json.dumps(value)}"
                         for label, op, value in selector.matchers)
    return f"{selector.metric}{{{matchers}}}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--exporter-config")
    parser.add_argument("--prometheus", default="/usr/bin/prometheus")
    parser.add_argument("--expect-alerts", default="",
                        help="comma-separated alerts the fixture config must trigger")
    args = parser.parse_args()
    errors = []
    tmp = tempfile.mkdtemp(prefix="mailrep-dash-e2e-")
    try:
        with Processes() as procs:
            # A host without an MTA: fixture files, never this machine's.
            rootfs = fixture_rootfs.build(tmp, mail=False)
            cmd = [args.exporter, "--web.listen-address=127.0.0.1:0",
                   "--dns.resolv-conf=" + os.path.join(rootfs, "etc", "resolv.conf")]
            if args.exporter_config:
                # The fixture world's config names real paths (its Postfix lab).
                cmd.append(f"--config.file={args.exporter_config}")
            else:
                cmd.append(f"--path.rootfs={rootfs}")
            exporter, exporter_log = procs.start(cmd, os.path.join(tmp, "exporter.log"))

            def listening():
                if exporter.poll() is not None:
                    raise RuntimeError(f"exporter exited with {exporter.returncode}")
                exporter_log.seek(0)
                m = re.search(r'msg="Listening on" address=(\S+)', exporter_log.read())
                return m and m.group(1)
            instance = wait_until("the exporter to listen", listening, 30)

            rule_files = sorted(glob.glob(os.path.join(REPO, "alerts", "*.rules.yml")))
            prom_port = free_port()
            config = os.path.join(tmp, "prometheus.yml")
            with open(config, "w") as f:
                json.dump({
                    "global": {"scrape_interval": f"{SCRAPE_INTERVAL_S}s",
                               "evaluation_interval": f"{SCRAPE_INTERVAL_S}s"},
                    "rule_files": rule_files,
                    "scrape_configs": [{"job_name": JOB,
                                        "static_configs": [{"targets": [instance]}]}],
                }, f)
            prometheus, _ = procs.start([args.prometheus, f"--config.file={config}",
                                         f"--web.listen-address=127.0.0.1:{prom_port}",
                                         f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}"],
                                        os.path.join(tmp, "prometheus.log"))
            api = f"http://127.0.0.1:{prom_port}/api/v1"

            def prometheus_ready():
                if prometheus.poll() is not None:
                    raise RuntimeError(f"Prometheus exited with {prometheus.returncode}")
                return http_ok(f"http://127.0.0.1:{prom_port}/-/ready")
            wait_until("Prometheus to be ready", prometheus_ready, 60)

            def query(expr):
                return http_json(f"{api}/query?" + urllib.parse.urlencode({"query": expr}))

            def scraped_enough():
                r = query(f'count_over_time(up{{job="{JOB}"}}[1m])')
                res = r.get("data", {}).get("result", [])
                return res and float(res[0]["value"][1]) >= 8
            wait_until("8 scrapes of the exporter", scraped_enough, 90)
            # Ready means every collector finished its first run; by then the
            # scrapes above hold the collector metrics too.
            wait_until("collector metrics in Prometheus",
                       lambda: query("mailrep_collector_success")["data"]["result"], 60)
            time.sleep(3 * SCRAPE_INTERVAL_S)

            served = {r["metric"]["__name__"] for r in
                      query(f'{{job="{JOB}"}}')["data"]["result"]} - {"ALERTS"}
            checked = with_data = 0
            for path in sorted(glob.glob(os.path.join(HERE, "*.json"))):
                with open(path) as f:
                    dash = json.load(f)
                name = os.path.basename(path)
                exprs = []
                lint.check_variables(name, dash, [], exprs)
                for v in dash["templating"]["list"]:
                    if v.get("name") in ("job", "instance"):
                        q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
                        label = re.search(r",\s*(\w+)\s*\)\s*$", q).group(1)
                        res = query(substitute(lint.variable_expr(q), instance))
                        values = {r["metric"].get(label) for r in res["data"]["result"]}
                        want = JOB if label == "job" else instance
                        if want not in values:
                            errors.append(f"{name}: variable {v['name']} offers {values}, "
                                          f"not {want}")
                for p in lint.all_panels(dash):
                    if p.get("type") == "row":
                        continue
                    lint.check_panel(name, p, [], exprs)
                for where, expr in exprs:
                    checked += 1
                    res = query(substitute(expr, instance))
                    with_data += bool(res.get("data", {}).get("result"))
                    if res.get("status") != "success":
                        errors.append(f"{where}: Prometheus rejects the query: "
                                      f"{res.get('error')}\n  {expr}")
                        continue
                    metrics = {s.metric for s in lint.analyse(expr)[0]}
                    needs_data = metrics <= (served | {"up"}) and not OFFSET_RE.search(expr)
                    if needs_data and not res["data"]["result"]:
                        # "x > 0" and "x == 1" may rightly filter everything
                        # out; then every selector must have data on its own.
                        if FILTER_RE.search(expr) and all(
                                query(substitute(selector_expr(sel), instance))["data"]["result"]
                                for sel in lint.analyse(expr)[0]):
                            continue
                        errors.append(f"{where}: no data although the exporter serves "
                                      f"{sorted(metrics)}:\n  {substitute(expr, instance)}")

            expected = set(filter(None, args.expect_alerts.split(",")))

            def active_alerts():
                return {r["name"] for g in http_json(f"{api}/rules")["data"]["groups"]
                        for r in g["rules"]
                        if r.get("type") == "alerting" and r.get("state") != "inactive"}
            try:
                wait_until("the expected alerts", lambda: expected <= active_alerts(), 60)
            except RuntimeError:
                pass  # reported below with the alerts that are active
            groups = http_json(f"{api}/rules")["data"]["groups"]
            loaded = sum(len(g["rules"]) for g in groups)
            active = set()
            for g in groups:
                for r in g["rules"]:
                    if r.get("health") != "ok":
                        errors.append(f"rule {r['name']}: health {r.get('health')} "
                                      f"{r.get('lastError', '')}")
                    if r.get("type") != "alerting" or r.get("state") == "inactive":
                        continue
                    active.add(r["name"])
                    if not args.exporter_config:
                        errors.append(f"alert {r['name']} is {r.get('state')} for a healthy "
                                      "exporter")
            for name in sorted(expected - active):
                errors.append(f"alert {name} is not pending or firing for the fixture config "
                              f"(active: {sorted(active)})")
            if loaded == 0:
                errors.append("Prometheus loaded no rules from alerts/")
    except RuntimeError as e:
        errors.append(str(e))
        for log in ("exporter.log", "prometheus.log"):
            p = os.path.join(tmp, log)
            if os.path.exists(p):
                with open(p) as f:
                    errors.append(f"--- {log} (tail)\n" + "".join(f.readlines()[-20:]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    for e in errors:
        print(f"FAIL: {e}", file=sys.stderr)
    if errors:
        return 1
    print(f"OK: {checked} dashboard queries evaluated by Prometheus ({with_data} with data), "
          f"{loaded} rules loaded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
