#!/usr/bin/python3
"""Lints dashboards/*.json and checks the metric names of dashboards and alerts.

Usage: lint_dashboards.py [--promtool PATH] [--exporter BINARY]

1. The grafana/dashboard-linter rules (reference/ecosystem.md section 6),
   re-implemented on the JSON: template-datasource, template-job,
   template-instance, template-on-time-change-reload, template-uneditable,
   panel-datasource, panel-title-description, panel-units, panel-no-targets,
   target-rate-interval, target-job, target-instance, target-counter-agg;
   plus house rules: schemaVersion 39, a fixed unique uid, the `mailrep` tag,
   a tag link to the other mailrep dashboards, /d/<uid> links that resolve,
   unique panel ids, gridPos inside the 24-column grid.
2. Every panel expression and variable query, with Grafana's variables
   substituted, is written as a recording rule and parsed by
   `promtool check rules` (template-label-promql and target-promql).
3. Every metric name used by a dashboard or by alerts/*.rules.yml must be in
   the exporter's metric reference (`--exporter BINARY --help-metrics`, the
   list the e2e tests hold every scrape to), or be up, ALERTS or a recording
   rule of alerts/. Without --exporter the metric names are not checked (the
   ctest registration always passes it).
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ALERTS_DIR = os.path.join(REPO, "alerts")

SCHEMA_VERSION = 39
DASHBOARD_TAG = "mailrep"
PROM_DS = {"type": "prometheus", "uid": "${datasource}"}
RATE_FUNCS = {"rate", "irate", "increase"}
# Grafana unit ids accepted by dashboard-linter's panel-units-rule (the subset
# an exporter dashboard can plausibly need).
VALID_UNITS = {
    "none", "string", "short", "percent", "percentunit", "bytes", "decbytes", "bits",
    "decbits", "kbytes", "mbytes", "gbytes", "Bps", "bps", "pps", "hertz", "ns", "µs", "ms",
    "s", "m", "h", "d", "dtdurationms", "dtdurations", "dthms", "dtdhms", "clockms", "clocks",
    "dateTimeAsIso", "dateTimeAsIsoNoDateIfToday", "dateTimeAsLocal",
    "dateTimeAsLocalNoDateIfToday", "dateTimeAsSystem", "dateTimeFromNow", "cps", "ops",
    "reqps", "rps", "wps", "iops", "cpm", "opm", "rpm", "wpm", "bool", "bool_yes_no",
    "bool_on_off", "locale", "sci",
}
ALWAYS_ALLOWED = {"up", "ALERTS", "ALERTS_FOR_STATE"}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan", "atan2"}
LABEL_LIST_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}

# --- PromQL lexing -----------------------------------------------------------

TOKEN_RE = re.compile(r"""
    (?P<ws>\s+|\#[^\n]*)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<num>0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:[smhdwy]|ms)*)
  | (?P<var>\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[^\]]*\]\])
  | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<op>=~|!~|!=|==|<=|>=|[-+*/%^=<>@,(){}\[\]:])
""", re.X)


class Selector:
    def __init__(self, metric, matchers, in_rate, is_ranged):
        self.metric = metric          # None for {__name__=...}-less bare selectors
        self.matchers = matchers      # [(label, op, unquoted value)]
        self.in_rate = in_rate        # the direct argument of rate/irate/increase
        self.is_ranged = is_ranged


def lex(expr):
    tokens, pos = [], 0
    while pos < len(expr):
        m = TOKEN_RE.match(expr, pos)
        if not m:
            raise ValueError(f"cannot lex at column {pos + 1}: {expr[pos:pos + 20]!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            tokens.append((m.lastgroup, m.group()))
    return tokens


def unquote(s):
    return s[1:-1]


def analyse(expr):
    """Returns (selectors, rate_ranges): every vector selector, and the raw
    range text of every rate/irate/increase call."""
    toks = lex(expr)
    selectors, rate_ranges = [], []
    calls = []  # stack of function names (or None for plain parentheses)
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else None
        if kind == "ident" and text.lower() in LABEL_LIST_KEYWORDS and nxt == "(":
            depth = 0
            while i < len(toks):
                depth += toks[i][1] == "("
                depth -= toks[i][1] == ")"
                i += 1
                if depth == 0 and toks[i - 1][1] == ")":
                    break
            continue
        if kind == "ident" and nxt is not None and nxt.lower() in ("by", "without"):
            i += 1  # an aggregation operator with a leading modifier: sum by (x) (...)
            continue
        if kind == "ident" and nxt == "(":
            calls.append(text)
            i += 2
            continue
        if text == "(":
            calls.append(None)
        elif text == ")":
            if calls:
                calls.pop()
        elif text == "[":
            j = i
            while j < len(toks) and toks[j][1] != "]":
                j += 1
            if calls and calls[-1] in RATE_FUNCS:
                rate_ranges.append((calls[-1], "".join(t[1] for t in toks[i + 1:j])))
            i = j
        elif (kind == "ident" and text.lower() not in KEYWORDS) or text == "{":
            metric = text if kind == "ident" else None
            prev = toks[i - 1][1] if i else None
            if kind == "ident" and prev is not None and prev.lower() == "offset":
                i += 1
                continue
            matchers = []
            j = i + 1 if kind == "ident" else i
            if j < len(toks) and toks[j][1] == "{":
                j += 1
                while j < len(toks) and toks[j][1] != "}":
                    if toks[j][0] == "ident" and j + 2 < len(toks) and toks[j + 2][0] == "str":
                        matchers.append((toks[j][1], toks[j + 1][1], unquote(toks[j + 2][1])))
                        j += 3
                    else:
                        j += 1
                j += 1
            if metric is None:
                metric = next((v for l, o, v in matchers if l == "__name__" and o == "="), None)
            ranged = j < len(toks) and toks[j][1] == "["
            in_rate = (bool(calls) and calls[-1] in RATE_FUNCS and ranged
                       and toks[i - 1][1] == "(")
            selectors.append(Selector(metric, matchers, in_rate, ranged))
            i = j
            continue
        i += 1
    return selectors, rate_ranges


def substitute(expr):
    """Grafana variables -> values promtool can parse."""
    expr = re.sub(r"\$__rate_interval|\$\{__rate_interval\}|\$__interval|\$\{__interval\}"
                  r"|\$__range\b|\$\{__range\}", "5m", expr)
    expr = re.sub(r"\$__range_s\b|\$\{__range_s\}|\$__interval_ms\b", "300", expr)
    return re.sub(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[^\]]*\]\]", ".+", expr)


def variable_expr(query):
    """The PromQL inside a Grafana Prometheus variable query, or None."""
    q = query.strip()
    m = re.fullmatch(r"label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)", q, re.S)
    if m:
        return m.group(1)
    if re.fullmatch(r"label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)|label_names\(.*\)"
                    r"|metrics\(.*\)", q, re.S):
        return None
    m = re.fullmatch(r"query_result\((.*)\)", q, re.S)
    return m.group(1) if m else q


# --- dashboard rules ---------------------------------------------------------

def all_panels(dash):
    for p in dash.get("panels", []):
        yield p
        for sub in p.get("panels", []) or []:
            yield sub


def check_variables(name, dash, errors, exprs):
    tvars = dash.get("templating", {}).get("list", [])
    ds = [v for v in tvars if v.get("type") == "datasource"]
    if len(ds) != 1 or ds[0].get("name") != "datasource" or ds[0].get("query") != "prometheus":
        errors.append(f"{name}: needs exactly one prometheus datasource variable named datasource")
    elif ds[0].get("label") not in ("Data Source", "Data source"):
        errors.append(f"{name}: the datasource variable must be labelled 'Data Source'")
    names = {v.get("name") for v in tvars}
    for required in ("job", "instance"):
        if required not in names:
            errors.append(f"{name}: missing the {required} variable")
    for v in tvars:
        if v.get("type") != "query":
            continue
        where = f"{name}: variable {v.get('name')}"
        if v.get("datasource") != PROM_DS:
            errors.append(f"{where}: datasource must be {PROM_DS}")
        if v.get("refresh") != 2:
            errors.append(f"{where}: refresh must be 2 (on time range change)")
        if v.get("name") in ("job", "instance"):
            if v.get("label") not in (v["name"], v["name"].title()):
                errors.append(f"{where}: must be labelled {v['name'].title()}")
            if not v.get("multi") or v.get("allValue") != ".+":
                errors.append(f"{where}: must be multi-select with allValue '.+'")
        query = v.get("query")
        query = query.get("query", "") if isinstance(query, dict) else (query or "")
        expr = variable_expr(query)
        if expr is not None:
            exprs.append((where, expr))


def check_panel(name, p, errors, exprs):
    where = f"{name}: panel {p.get('id')} '{p.get('title', '')}'"
    if not p.get("title") or not p.get("description"):
        errors.append(f"{where}: needs a title and a description")
    gp = p.get("gridPos", {})
    if not all(isinstance(gp.get(k), int) for k in "hwxy") or gp["x"] + gp["w"] > 24:
        errors.append(f"{where}: gridPos must be inside the 24-column grid")
    if p.get("type") == "row":
        return
    if p.get("datasource") != PROM_DS:
        errors.append(f"{where}: datasource must be {PROM_DS}")
    defaults = p.get("fieldConfig", {}).get("defaults", {})
    if not defaults.get("mappings") and defaults.get("unit") not in VALID_UNITS:
        errors.append(f"{where}: needs a valid unit (or value mappings), has "
                      f"{defaults.get('unit')!r}")
    targets = p.get("targets") or []
    if not targets:
        errors.append(f"{where}: has no targets")
    for t in targets:
        twhere = f"{where} target {t.get('refId')}"
        if t.get("datasource", PROM_DS) != PROM_DS:
            errors.append(f"{twhere}: datasource must be {PROM_DS}")
        expr = t.get("expr", "")
        if not expr:
            errors.append(f"{twhere}: empty expression")
            continue
        exprs.append((twhere, expr))
        try:
            selectors, rate_ranges = analyse(expr)
        except ValueError as e:
            errors.append(f"{twhere}: {e}")
            continue
        for func, rng in rate_ranges:
            if rng != "$__rate_interval":
                errors.append(f"{twhere}: {func}() must use [$__rate_interval], has [{rng}]")
        for s in selectors:
            for label in ("job", "instance"):
                if (label, "=~", f"${label}") not in s.matchers and \
                        (label, "=~", f"${{{label}}}") not in s.matchers:
                    errors.append(f"{twhere}: selector {s.metric} lacks {label}=~\"${label}\"")
            if s.metric and s.metric.endswith("_total") and not s.in_rate:
                errors.append(f"{twhere}: counter {s.metric} must be inside rate/irate/increase")


def check_dashboard(path, dash, uids, errors, exprs):
    name = os.path.basename(path)
    if dash.get("schemaVersion") != SCHEMA_VERSION:
        errors.append(f"{name}: schemaVersion must be {SCHEMA_VERSION}")
    if dash.get("editable") is not False:
        errors.append(f"{name}: editable must be false")
    uid = dash.get("uid")
    if not uid or not re.fullmatch(r"mailrep-[a-z0-9-]{1,32}", uid):
        errors.append(f"{name}: needs a fixed uid 'mailrep-...' (at most 40 characters)")
    elif uid in uids:
        errors.append(f"{name}: uid {uid} is also used by {uids[uid]}")
    else:
        uids[uid] = name
    if dash.get("id") is not None:
        errors.append(f"{name}: id must be null (Grafana assigns it)")
    if not dash.get("title") or not dash.get("description"):
        errors.append(f"{name}: needs a title and a description")
    if DASHBOARD_TAG not in dash.get("tags", []):
        errors.append(f"{name}: needs the tag {DASHBOARD_TAG}")
    if not any(l.get("type") == "dashboards" and DASHBOARD_TAG in l.get("tags", [])
               for l in dash.get("links", [])):
        errors.append(f"{name}: needs a dashboards link by the tag {DASHBOARD_TAG}")
    check_variables(name, dash, errors, exprs)
    ids = set()
    for p in all_panels(dash):
        if p.get("id") in ids:
            errors.append(f"{name}: panel id {p.get('id')} is used twice")
        ids.add(p.get("id"))
        check_panel(name, p, errors, exprs)


def check_links(dashboards, uids, errors):
    for path, dash in dashboards:
        text = json.dumps(dash)
        for uid in re.findall(r"/d/([A-Za-z0-9_-]+)", text):
            if uid not in uids:
                errors.append(f"{os.path.basename(path)}: links to unknown dashboard uid {uid}")


# --- promtool parse ----------------------------------------------------------

def promtool_parse(promtool, exprs, errors):
    rules = [{"record": f"lint:expr_{i}:parse", "expr": substitute(e),
              "labels": {"lint_source": where}} for i, (where, e) in enumerate(exprs)]
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        yaml.safe_dump({"groups": [{"name": "dashboard-expressions", "rules": rules}]}, f,
                       sort_keys=False, width=1000)
        path = f.name
    try:
        proc = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True)
        if proc.returncode != 0:
            out = proc.stdout + proc.stderr
            for m in re.finditer(r"group \"[^\"]*\", rule (\d+)", out):
                where, expr = exprs[int(m.group(1)) - 1]
                errors.append(f"{where}: promtool cannot parse: {expr}")
            errors.append(f"promtool check rules failed:\n{out}")
    finally:
        os.unlink(path)
    return len(rules)


# --- metric names ------------------------------------------------------------

def reference_metrics(binary):
    """The series names `mailrep_exporter --help-metrics` documents: every
    family, and a histogram's _bucket, _sum and _count."""
    out = subprocess.run([binary, "--help-metrics"], capture_output=True, text=True,
                         timeout=30, check=True).stdout
    names = set()
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            name = cells[0].strip("`")
            names.add(name)
            if cells[1] == "histogram":
                names |= {name + "_bucket", name + "_sum", name + "_count"}
    if not names:
        raise RuntimeError(f"{binary} --help-metrics listed no metrics")
    return names


def alert_exprs():
    exprs, records = [], set()
    for path in sorted(glob.glob(os.path.join(ALERTS_DIR, "*.rules.yml"))):
        with open(path) as f:
            doc = yaml.safe_load(f)
        for group in doc["groups"]:
            for rule in group["rules"]:
                where = f"{os.path.basename(path)}: {rule.get('alert') or rule.get('record')}"
                exprs.append((where, rule["expr"]))
                if "record" in rule:
                    records.add(rule["record"])
    return exprs, records


def check_metric_names(exprs, allowed, errors):
    used = set()
    for where, expr in exprs:
        try:
            selectors, _ = analyse(expr)
        except ValueError as e:
            errors.append(f"{where}: {e}")
            continue
        for s in selectors:
            if s.metric is None:
                errors.append(f"{where}: selector without a metric name")
                continue
            used.add(s.metric)
            if s.metric not in allowed:
                errors.append(f"{where}: metric {s.metric} is not in mailrep_exporter's "
                              "metric reference (--help-metrics)")
    return used


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--promtool", default="/usr/bin/promtool")
    parser.add_argument("--exporter", help="mailrep_exporter binary, for its metric reference")
    args = parser.parse_args()

    errors, dash_exprs, uids, dashboards = [], [], {}, []
    for path in sorted(glob.glob(os.path.join(HERE, "*.json"))):
        with open(path) as f:
            try:
                dash = json.load(f)
            except json.JSONDecodeError as e:
                errors.append(f"{os.path.basename(path)}: invalid JSON: {e}")
                continue
        dashboards.append((path, dash))
        check_dashboard(path, dash, uids, errors, dash_exprs)
    if not dashboards:
        errors.append("no dashboards found")
    check_links(dashboards, uids, errors)
    parsed = promtool_parse(args.promtool, dash_exprs, errors)

    rule_exprs, records = alert_exprs()
    used = set()
    if args.exporter:
        try:
            allowed = ALWAYS_ALLOWED | records | reference_metrics(args.exporter)
            used = check_metric_names(dash_exprs + rule_exprs, allowed, errors)
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            errors.append(f"metric reference: {e}")
    else:
        print("NOTE: no --exporter given; metric names not checked", file=sys.stderr)

    for e in errors:
        print(f"FAIL: {e}", file=sys.stderr)
    if errors:
        return 1
    print(f"OK: {len(dashboards)} dashboards, {parsed} expressions parsed by promtool, "
          f"{len(used)} metric names checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
