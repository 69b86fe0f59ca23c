#!/usr/bin/python3
"""Self-test of lint_dashboards.py: each rule rejects a dashboard that breaks
it (a mutated copy of exporter-health.json), and the PromQL scanner finds the
selectors, counters and ranges it must."""

import copy
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lint_dashboards as lint  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
J = 'job=~"$job", instance=~"$instance"'


def load():
    with open(os.path.join(HERE, "exporter-health.json")) as f:
        return json.load(f)


def first(dash, ptype):
    return next(p for p in dash["panels"] if p["type"] == ptype)


def set_expr(expr):
    def mutate(d):
        first(d, "timeseries")["targets"][0]["expr"] = expr
    return mutate


def var(d, name):
    return next(v for v in d["templating"]["list"] if v["name"] == name)


# (what, mutation, expected error substring)
MUTATIONS = [
    ("editable", lambda d: d.update(editable=True), "editable must be false"),
    ("schema", lambda d: d.update(schemaVersion=36), "schemaVersion must be 39"),
    ("uid", lambda d: d.update(uid="abc"), "fixed uid"),
    ("tag", lambda d: d.update(tags=[]), "needs the tag mailrep"),
    ("links", lambda d: d.update(links=[]), "dashboards link by the tag"),
    ("bad link", lambda d: d["links"].append({"type": "link", "url": "/d/mailrep-nope"}),
     "unknown dashboard uid mailrep-nope"),
    ("no ds var", lambda d: d["templating"]["list"].pop(0), "datasource variable"),
    ("ds label", lambda d: var(d, "datasource").update(label="DS"), "labelled 'Data Source'"),
    ("no job var", lambda d: d["templating"]["list"].pop(1), "missing the job variable"),
    ("refresh", lambda d: var(d, "instance").update(refresh=1), "refresh must be 2"),
    ("multi", lambda d: var(d, "job").update(multi=False), "multi-select"),
    ("allValue", lambda d: var(d, "job").update(allValue=".*"), "multi-select"),
    ("var ds", lambda d: var(d, "job").update(datasource={"type": "prometheus", "uid": "x"}),
     "datasource must be"),
    ("panel ds", lambda d: first(d, "stat").update(datasource={"uid": "prom"}),
     "datasource must be"),
    ("description", lambda d: first(d, "stat").pop("description"), "title and a description"),
    ("unit", lambda d: first(d, "timeseries")["fieldConfig"]["defaults"].update(unit="mph"),
     "valid unit"),
    ("targets", lambda d: first(d, "timeseries").update(targets=[]), "has no targets"),
    ("grid", lambda d: first(d, "stat")["gridPos"].update(x=22), "24-column grid"),
    ("panel id", lambda d: first(d, "timeseries").update(id=first(d, "stat")["id"]),
     "used twice"),
    ("rate interval", set_expr(f"rate(process_cpu_seconds_total{{{J}}}[5m])"),
     "must use [$__rate_interval]"),
    ("no job", set_expr('process_open_fds{instance=~"$instance"}'), 'lacks job=~"$job"'),
    ("no instance", set_expr('sum(process_open_fds{job=~"$job"})'),
     'lacks instance=~"$instance"'),
    ("job equality", set_expr('process_open_fds{job="$job", instance=~"$instance"}'),
     'lacks job=~"$job"'),
    ("raw counter", set_expr(f"process_cpu_seconds_total{{{J}}}"), "must be inside rate"),
    ("counter in sum", set_expr(f"sum(process_cpu_seconds_total{{{J}}})"),
     "must be inside rate"),
    ("counter via changes",
     set_expr(f"changes(process_cpu_seconds_total{{{J}}}[$__rate_interval])"),
     "must be inside rate"),
]


class DashboardRulesTest(unittest.TestCase):
    def lint(self, dash):
        errors, exprs, uids = [], [], {}
        lint.check_dashboard("x.json", dash, uids, errors, exprs)
        lint.check_links([("x.json", dash)], uids, errors)
        return errors

    def test_shipped_dashboard_is_clean(self):
        self.assertEqual(self.lint(load()), [])

    def test_each_rule_rejects_its_violation(self):
        for what, mutate, want in MUTATIONS:
            with self.subTest(what):
                dash = copy.deepcopy(load())
                mutate(dash)
                errors = self.lint(dash)
                self.assertTrue(any(want in e for e in errors), f"{want!r} not in {errors}")


class PromqlScanTest(unittest.TestCase):
    CASES = [
        # expr, [(metric, in_rate)], rate ranges
        ('sum by (a) (rate(x_total{job="j"}[$__rate_interval]))', [("x_total", True)],
         [("rate", "$__rate_interval")]),
        ("sum(x) without (a) / on (b) group_left (c) y", [("x", False), ("y", False)], []),
        ('time() - m{a="b"} offset 5m', [("m", False)], []),
        ('{__name__="n", job=~"$job"}', [("n", False)], []),
        ("histogram_quantile(0.9, sum by (le) (increase(h_bucket[1h])))",
         [("h_bucket", True)], [("increase", "1h")]),
        ('count_values("v", m) > bool 1e3', [("m", False)], []),
        ("label_replace(up, \"x\", \"$1\", \"instance\", \"(.*)\")", [("up", False)], []),
    ]

    def test_scan(self):
        for expr, want, ranges in self.CASES:
            with self.subTest(expr):
                selectors, rate_ranges = lint.analyse(expr)
                self.assertEqual([(s.metric, s.in_rate) for s in selectors], want)
                self.assertEqual(rate_ranges, ranges)

    def test_variable_queries(self):
        self.assertEqual(lint.variable_expr("label_values(m{a=\"b\"}, job)"), 'm{a="b"}')
        self.assertIsNone(lint.variable_expr("label_values(job)"))
        self.assertEqual(lint.variable_expr("query_result(up == 1)"), "up == 1")

    def test_substitution(self):
        self.assertEqual(lint.substitute('rate(m{job=~"$job"}[$__rate_interval])'),
                         'rate(m{job=~".+"}[5m])')

    def test_promtool_reports_the_broken_expression(self):
        errors = []
        lint.promtool_parse("/usr/bin/promtool", [("good", "up"), ("bad", "sum by (zone (up)")],
                            errors)
        self.assertTrue(errors)
        self.assertEqual(errors[0], "bad: promtool cannot parse: sum by (zone (up)")

    def test_unknown_metric_is_reported(self):
        errors = []
        lint.check_metric_names([("t", 'old_name{job=~"$job"} + process_open_fds')],
                                {"new_name", "process_open_fds"}, errors)
        self.assertEqual(len(errors), 1)
        self.assertIn("old_name", errors[0])


if __name__ == "__main__":
    unittest.main()
