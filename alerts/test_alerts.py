#!/usr/bin/python3
"""Checks alerts/: promtool parses the rules and their unit tests pass, and
every alert follows the house rules.

Usage: test_alerts.py [--promtool PATH]

House rules, per alert: a CamelCase name starting with Mailrep; a `for:`; a
`severity` label (critical, warning or info); a static `summary` ending with a
period; a templated `description`; a `runbook_url` that is exactly
alerts/runbooks/<lower-case name>.md and exists; and in the promtool test files
(*_test.yml: mailrep.rules_test.yml, mailrep.rules_week_test.yml for the
week-long cases and submitters.rules_test.yml for the day-long submitter cases,
both evaluated at a coarser interval, and the other groups' files) at least one evaluation where
it fires and one where it must not. Every
runbook file belongs to an alert. Recording rules follow level:metric:ops.
"""

import argparse
import os
import re
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RULES = os.path.join(HERE, "mailrep.rules.yml")
TESTS = sorted(os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith("_test.yml"))
RUNBOOKS = os.path.join(HERE, "runbooks")
SEVERITIES = {"critical", "warning", "info"}


def rule_files():
    return sorted(os.path.join(HERE, f) for f in os.listdir(HERE)
                  if f.endswith(".rules.yml"))


def check_alert(rule, errors):
    name = rule["alert"]
    where = f"alert {name}"
    if not re.fullmatch(r"Mailrep[A-Z][A-Za-z0-9]*", name):
        errors.append(f"{where}: name must be CamelCase and start with Mailrep")
    if not rule.get("for"):
        errors.append(f"{where}: needs a for: duration")
    severity = (rule.get("labels") or {}).get("severity")
    if severity not in SEVERITIES:
        errors.append(f"{where}: severity label must be one of {sorted(SEVERITIES)}")
    ann = rule.get("annotations") or {}
    summary = ann.get("summary", "")
    if not summary.endswith(".") or "{{" in summary:
        errors.append(f"{where}: summary must be a static sentence ending with a period")
    if "{{" not in ann.get("description", ""):
        errors.append(f"{where}: description must name the labels ({{{{ $labels... }}}})")
    want_url = f"alerts/runbooks/{name.lower()}.md"
    if ann.get("runbook_url") != want_url:
        errors.append(f"{where}: runbook_url must be {want_url}")
    elif not os.path.isfile(os.path.join(REPO, want_url)):
        errors.append(f"{where}: runbook {want_url} does not exist")


def check_recording(rule, errors):
    if not re.fullmatch(r"[a-z_]+:[a-z0-9_]+:[a-z0-9_]+", rule["record"]):
        errors.append(f"record {rule['record']}: name must be level:metric:operations")


def check_test_coverage(alerts, errors):
    fires, quiet = set(), set()
    for path in TESTS:
        with open(path) as f:
            tests = yaml.safe_load(f)
        for test in tests.get("tests", []):
            for case in test.get("alert_rule_test", []):
                (fires if case.get("exp_alerts") else quiet).add(case["alertname"])
    for name in alerts:
        if name not in fires:
            errors.append(f"alert {name}: no test case where it fires")
        if name not in quiet:
            errors.append(f"alert {name}: no test case where it must not fire")
    for name in (fires | quiet) - set(alerts):
        errors.append(f"alerts/*_test.yml: tests an unknown alert {name}")


def run(cmd, errors):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        errors.append(f"{' '.join(cmd)} failed:\n{proc.stdout}{proc.stderr}")
    return proc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--promtool", default="/usr/bin/promtool")
    args = parser.parse_args()

    errors = []
    alerts = []
    for path in rule_files():
        with open(path) as f:
            doc = yaml.safe_load(f)
        for group in doc["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    if rule["alert"] in alerts:
                        errors.append(f"alert {rule['alert']}: defined twice")
                    alerts.append(rule["alert"])
                    check_alert(rule, errors)
                else:
                    check_recording(rule, errors)
    runbooks = {f[:-3] for f in os.listdir(RUNBOOKS) if f.endswith(".md")}
    for orphan in sorted(runbooks - {a.lower() for a in alerts}):
        errors.append(f"runbooks/{orphan}.md: no alert uses it")
    check_test_coverage(alerts, errors)

    run([args.promtool, "check", "rules", "--lint=all", "--lint-fatal"] + rule_files(), errors)
    proc = run([args.promtool, "test", "rules", *TESTS], errors)
    if proc.returncode == 0:
        print(proc.stdout.strip())

    for e in errors:
        print(f"FAIL: {e}", file=sys.stderr)
    if errors:
        return 1
    print(f"OK: {len(alerts)} alerts, {len(runbooks)} runbooks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
