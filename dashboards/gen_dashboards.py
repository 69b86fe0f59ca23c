#!/usr/bin/python3
"""Writes the mailrep Grafana dashboards (dashboards/*.json) from this file.

Usage: gen_dashboards.py [--check]

Dashboards are code: edit the panels here and run this script; the JSON it
writes is checked in (the Helm chart and Grafana's provisioning read it) and
`--check` (the dashboards_generated test) fails when a checked-in file differs
from what this script writes. It writes Overview, Blocklists, Authentication,
Queues, Deliveries, Receivers (receivers' reports: DMARC aggregate, TLS-RPT,
complaints, Microsoft SNDS, Google Postmaster Tools) and Compliance (the
Gmail, Yahoo and Outlook.com bulk-sender rules per domain) and Content (the
milter's view of outgoing mail and the outbound spam filter's scores) and
Sources (who submits the mail: top submitters, anomalies, queue composition);
exporter-health.json is maintained by hand.

Conventions (dashboard-linter rules, enforced by lint_dashboards.py): every
selector carries job=~"$job", instance=~"$instance"; rates use
$__rate_interval; every panel has a description and a unit or value
mappings. Event rates are shown per minute (unit opm). State columns use one
code per check: 0 OK (green), 1 check it (orange: weak, DNS error, policy
none), 2 broken (red). Receivers' daily reports are read through the
one-day recording rules of alerts/mailrep.rules.yml in tables and stats, and
as increase() per interval in graphs (the lint allows no longer range).
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'job=~"$job", instance=~"$instance"'
LINK_VARS = "${__url_time_range}&${job:queryparam}&${instance:queryparam}"


def m(metric, extra=""):
    """A selector of `metric` for the dashboard's job and instance."""
    return f"{metric}{{{SEL}{', ' + extra if extra else ''}}}"


def rate(metric, extra="", offset=""):
    return f"rate({m(metric, extra)}[$__rate_interval]{' offset ' + offset if offset else ''})"


def gain(metric, extra=""):
    """What a counter gained in each interval of a graph (reports arrive as jumps)."""
    return f"increase({m(metric, extra)}[$__rate_interval])"


def ip_label(expr):
    return f'label_replace({expr}, "ip", "$1", "sending_ip", "(.*)")'


# --- panel builders ------------------------------------------------------------

class Layout:
    """Hands out panel ids and places panels left to right, row by row."""

    def __init__(self):
        self.panels, self.next_id, self.x, self.y, self.row_h = [], 1, 0, 0, 0

    def add(self, panel, w, h):
        if self.x + w > 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        panel["id"] = self.next_id
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.next_id += 1
        self.x += w
        self.row_h = max(self.row_h, h)
        self.panels.append(panel)

    def row(self, title, description):
        if self.x:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        self.add({"type": "row", "title": title, "description": description,
                  "collapsed": False, "panels": []}, 24, 1)
        self.x, self.y, self.row_h = 0, self.y + 1, 0


def target(expr, legend="", ref="A", table=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref}
    if table:
        t.update(instant=True, range=False, format="table")
    return t


def steps(*pairs):
    """thresholds from (color, value) pairs; the first value is the base."""
    return {"mode": "absolute",
            "steps": [{"color": c, "value": v} for c, v in pairs]}


def value_map(entries):
    """[(value, text, color)] -> a Grafana value mapping."""
    return [{"type": "value", "options": {
        str(v): {"text": t, "color": c, "index": i} for i, (v, t, c) in enumerate(entries)}}]


STATE_MAP = value_map([(0, "OK", "green"), (1, "check", "orange"), (2, "BROKEN", "red")])
STATE_STEPS = steps(("green", None), ("orange", 1), ("red", 2))
LISTED_MAP = value_map([(0, "clean", "green"), (1, "LISTED", "red")])
UP_STEPS = steps(("red", None), ("green", 1))
BAD_STEPS = steps(("green", None), ("red", 1))


def base(ptype, title, description, targets, unit="none", mappings=None, thresholds=None,
         links=None):
    defaults = {"unit": unit}
    if mappings:
        defaults["mappings"] = mappings
    if thresholds:
        defaults["color"] = {"mode": "thresholds"}
        defaults["thresholds"] = thresholds
    p = {"type": ptype, "title": title, "description": description, "datasource": DS,
         "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": []}}
    if links:
        p["links"] = [{"title": t, "url": f"/d/{uid}?{LINK_VARS}"} for t, uid in links]
    return p


def stat(title, description, expr, unit="none", thresholds=BAD_STEPS, mappings=None,
         links=None, no_value=None):
    p = base("stat", title, description, [target(expr)], unit, mappings, thresholds, links)
    if no_value:
        p["fieldConfig"]["defaults"]["noValue"] = no_value
    p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "background", "graphMode": "none", "justifyMode": "auto",
                    "orientation": "auto", "textMode": "auto", "wideLayout": True,
                    "showPercentChange": False}
    return p


def timeseries(title, description, targets, unit="none", stack=False, thresholds=None,
               bars=False, min_zero=True, links=None):
    p = base("timeseries", title, description, targets, unit, None, thresholds, links)
    custom = {"drawStyle": "bars" if bars else "line", "lineWidth": 1,
              "fillOpacity": 60 if bars else (25 if stack else 10), "showPoints": "never",
              "spanNulls": False, "stacking": {"mode": "normal" if stack else "none"}}
    if thresholds:
        custom["thresholdsStyle"] = {"mode": "line"}
    p["fieldConfig"]["defaults"]["custom"] = custom
    if min_zero:
        p["fieldConfig"]["defaults"]["min"] = 0
    p["options"] = {"legend": {"displayMode": "table", "placement": "right",
                               "calcs": ["lastNotNull", "max"], "showLegend": True},
                    "tooltip": {"mode": "multi", "sort": "desc"}}
    return p


def timeline(title, description, expr, legend, mappings, thresholds, links=None):
    p = base("state-timeline", title, description, [target(expr, legend)], "none", mappings,
             thresholds, links)
    p["fieldConfig"]["defaults"]["custom"] = {"fillOpacity": 80, "lineWidth": 0}
    p["options"] = {"mergeValues": True, "showValue": "never", "alignValue": "left",
                    "rowHeight": 0.9,
                    "legend": {"displayMode": "list", "placement": "bottom",
                               "showLegend": False},
                    "tooltip": {"mode": "single", "sort": "none"}}
    return p


def table(title, description, targets, columns, rename=None, overrides=(), merge=False,
          hide=("Time", "job", "__name__"), sort=None, links=None):
    """An instant table; `columns` orders the fields, `rename` renames them."""
    p = base("table", title, description, [target(e, "", r, True) for r, e in targets],
             links=links)
    p["fieldConfig"]["defaults"]["custom"] = {"align": "auto", "filterable": True,
                                              "cellOptions": {"type": "auto"}}
    p["fieldConfig"]["overrides"] = list(overrides)
    p["options"] = {"showHeader": True, "cellHeight": "sm",
                    "footer": {"show": False, "reducer": ["sum"], "fields": ""}}
    if sort:
        p["options"]["sortBy"] = [{"displayName": sort[0], "desc": sort[1]}]
    transformations = [{"id": "merge", "options": {}}] if merge else []
    transformations.append({"id": "organize", "options": {
        "excludeByName": {h: True for h in hide},
        "indexByName": {c: i for i, c in enumerate(columns)},
        "renameByName": rename or {}}})
    p["transformations"] = transformations
    return p


def column(name, unit=None, mappings=None, thresholds=None, background=True):
    props = []
    if unit:
        props.append({"id": "unit", "value": unit})
    if mappings:
        props.append({"id": "mappings", "value": mappings})
    if thresholds:
        props.append({"id": "thresholds", "value": thresholds})
        props.append({"id": "color", "value": {"mode": "thresholds"}})
    if background:
        props.append({"id": "custom.cellOptions", "value": {"type": "color-background"}})
    return {"matcher": {"id": "byName", "options": name}, "properties": props}


def text_state_column(name, good, warn=(), bad=()):
    """Colours a text column by its value."""
    entries = [(v, v, "green") for v in good] + [(v, v, "orange") for v in warn] + \
              [(v, v, "red") for v in bad]
    return column(name, mappings=value_map(entries))


# The reason label values of mailrep_queue_deferred_messages_by_reason and
# mailrep_delivery_rejections_total: one classifier
# (collectors/reply/reply_rules.txt), so one colouring. Red: our IP, domain or
# authentication is the cause; orange: the rest.
REPLY_REASONS_BAD = ("blocklist", "reputation", "spf", "dkim", "dmarc", "content")
REPLY_REASONS_WARN = ("rate_limit", "recipient_unknown", "mailbox_full", "tls", "dns",
                      "connection", "policy", "other")
REPLY_REASONS = ("blocklist", "rate_limit", "spf", "dkim", "dmarc", "reputation", "content",
                 "recipient_unknown", "mailbox_full", "tls", "dns", "connection", "policy",
                 "other")


def reply_reason_column():
    """The reason column of a table of deferrals or rejections."""
    return text_state_column("reason", (), REPLY_REASONS_WARN, REPLY_REASONS_BAD)


def variables():
    def query_var(name, label, query):
        return {"name": name, "label": label, "type": "query", "datasource": DS,
                "definition": query, "query": {"query": query, "refId": f"{name}-query"},
                "refresh": 2, "multi": True, "includeAll": True, "allValue": ".+",
                "current": {}, "options": [], "regex": "", "sort": 1, "hide": 0,
                "skipUrlSync": False}
    return {"list": [
        {"name": "datasource", "label": "Data Source", "type": "datasource",
         "query": "prometheus", "current": {}, "hide": 0, "includeAll": False, "multi": False,
         "options": [], "refresh": 1, "regex": "", "skipUrlSync": False},
        query_var("job", "Job", "label_values(mailrep_build_info, job)"),
        query_var("instance", "Instance",
                  'label_values(mailrep_build_info{job=~"$job"}, instance)'),
    ]}


def dashboard(uid, title, description, layout, time_from="now-6h"):
    return {
        "uid": uid, "title": title, "description": description,
        "tags": ["mailrep", "mailrep-mixin"], "editable": False, "graphTooltip": 1,
        "id": None,
        "links": [{"type": "dashboards", "title": "mailrep dashboards", "tags": ["mailrep"],
                   "asDropdown": True, "includeVars": True, "keepTime": True,
                   "targetBlank": False, "icon": "external link", "tooltip": "", "url": ""}],
        "panels": layout.panels, "refresh": "1m", "schemaVersion": 39,
        "templating": variables(), "time": {"from": time_from, "to": "now"},
        "timepicker": {}, "timezone": "utc", "weekStart": "", "fiscalYearStartMonth": 0,
        "liveNow": False, "annotations": {"list": []},
    }


# --- shared expressions --------------------------------------------------------

def code(bad, warn):
    """0 OK / 1 warn / 2 bad from one-hot selectors (max over the matched series)."""
    return f"2 * {bad} or {warn}"


SPF_CODE = code(m("mailrep_spf_result", 'result=~"fail|permerror"'),
                m("mailrep_spf_result", 'result=~"softfail|neutral|none|temperror"'))
DKIM_CODE = code(m("mailrep_dkim_key_status", 'status=~"missing|revoked|invalid|mismatch"'),
                 m("mailrep_dkim_key_status", 'status=~"weak|dns_error"')) + \
    " or 2 * " + m("mailrep_dkim_signing_key_status", 'status="mismatch"')
DMARC_CODE = code(m("mailrep_dmarc_status", 'status=~"missing|invalid|multiple"'),
                  m("mailrep_dmarc_status", 'status="dns_error"')) + \
    " or " + m("mailrep_dmarc_policy", 'policy="none"')
PTR_CODE = code(m("mailrep_ptr_status", 'status=~"missing|not_forward_confirmed"'),
                m("mailrep_ptr_status", 'status=~"helo_mismatch|generic|dns_error"'))
BY_IP = "job, instance, ip"
DEFERRED = m("mailrep_queue_messages", 'queue=~"deferred|remote"')


def per_ip_via_domain(domain_code):
    """A per-domain state code carried to each IP that sends for the domain
    (the domains of the IP's SPF checks)."""
    return (f"max by ({BY_IP}) (\n  group by ({BY_IP}, domain) ({m('mailrep_spf_result')})\n"
            "  * on (job, instance, domain) group_left\n"
            f"  max by (job, instance, domain) ({domain_code})\n)")


STATE_HELP = "0 OK (green), 1 check it (orange), 2 broken (red)"

# Receivers' reports: DMARC aggregate and TLS-RPT reports come once a day, so
# their tables read the one-day recording rules of alerts/mailrep.rules.yml
# (a counter jumps once per report; a short rate window shows only the jump).
DMARC_1D = "ip_receiver_disposition:mailrep_dmarc_report_messages:increase1d"
ALIGNED_1D = "ip_receiver_mechanism_result:mailrep_dmarc_report_aligned_messages:increase1d"
TLSRPT_1D = "policy_domain_result:mailrep_tlsrpt_sessions:increase1d"
COMPLAINTS_1D = "ip_provider:mailrep_complaints:increase1d"
COMPLAINT_RATIO_1D = "ip_provider:mailrep_complaint_ratio:rate1d"
# Google Postmaster Tools v2, per domain (the postmaster collector).
PM_SPAM = "mailrep_postmaster_spam_ratio"
PM_AUTH = "mailrep_postmaster_auth_success_ratio"
PM_TLS = "mailrep_postmaster_tls_ratio"
PM_ERRORS = "mailrep_postmaster_delivery_error_ratio"
PM_COMPLIANT = "mailrep_postmaster_compliant"
PM_DATE = "mailrep_postmaster_stats_date_timestamp_seconds"
# Gmail's spam-rate lines (keep it under 0.10 %, never reach 0.30 %), also
# used for complaint ratios.
RATIO_STEPS = steps(("green", None), ("orange", 0.001), ("red", 0.003))
PASS_STEPS = steps(("red", None), ("orange", 0.9), ("green", 0.98))


def share(by, num, den):
    """sum(num) / sum(den) by `by`; 0 (not absent) where num has no series."""
    return (f"(sum by ({by}) ({num}) or 0 * sum by ({by}) ({den}))\n"
            f"/ (sum by ({by}) ({den}) > 0)")


def level(expr, check, broken):
    """0 below `check`, 1 from `check`, 2 from `broken`."""
    return f"(({expr}) >= bool {check}) + (({expr}) >= bool {broken})"


def share_level(expr, broken):
    """0 for a share of 0, 1 above it, 2 from `broken`."""
    return f"(({expr}) > bool 0) + (({expr}) >= bool {broken})"


# The DMARC verdict of our IPs in the last day of aggregate reports: the share
# not passing (from the pass series: a fail series exists only once a
# receiver reported a failure).
DMARC_FAIL_SHARE_BY_IP = "1 - " + share(
    BY_IP, m(ALIGNED_1D, 'ip!="other", mechanism="dmarc", result="pass"'),
    m(ALIGNED_1D, 'ip!="other", mechanism="dmarc"'))


def not_passing(by, series):
    """sum(all) - sum(pass) of DMARC-evaluated messages by `by` (0, not absent,
    while no failure was ever reported)."""
    ours = 'ip!="other", mechanism="dmarc"'
    everything, passed = series(ours), series(ours + ', result="pass"')
    agg = f"sum by ({by})" if by else "sum"
    return f"{agg} ({everything})\n- ({agg} ({passed}) or 0 * {agg} ({everything}))"
# SNDS per IP: green 0, yellow 1, red or blocked 2.
SNDS_CODE = ("2 * " + m("mailrep_snds_filter_result", 'result="red"') + " or " +
             m("mailrep_snds_filter_result", 'result="yellow"') + " or 2 * " +
             m("mailrep_snds_blocked"))
SNDS_MAP = value_map([(0, "green", "green"), (1, "yellow", "orange"), (2, "RED", "red")])


# --- Overview ------------------------------------------------------------------

def overview():
    L = Layout()
    L.row("At a glance", "Counts over the selected instances; each stat links to the "
          "dashboard with the details.")
    L.add(stat("Listed IPs", "Sending IPs listed on at least one DNS blocklist "
               "(mailrep_dnsbl_listed; only healthy lists and real listing answers count).",
               f"sum(max by ({BY_IP}) ({m('mailrep_dnsbl_listed')}))",
               links=[("Blocklists", "mailrep-blocklists")]), 3, 4)
    L.add(stat("Unhealthy lists", "DNS blocklists failing their RFC 5782 test points: "
               "listings there cannot be seen.",
               f"sum(1 - {m('mailrep_dnsbl_list_healthy')})",
               thresholds=steps(("green", None), ("orange", 1)),
               links=[("Blocklists", "mailrep-blocklists")]), 3, 4)
    L.add(stat("SPF failing", "Domain x IP pairs for which SPF gives fail or permerror.",
               "sum(" + m('mailrep_spf_result', 'result=~"fail|permerror"') + ")",
               links=[("Authentication", "mailrep-auth")]), 3, 4)
    L.add(stat("DKIM broken", "DKIM selectors whose key is missing, revoked, invalid or "
               "not the signing key.",
               "sum(" + m('mailrep_dkim_key_status', 'status=~"missing|revoked|invalid|mismatch"') + ")",
               links=[("Authentication", "mailrep-auth")]), 3, 4)
    L.add(stat("DMARC broken", "Sending domains whose DMARC record is missing, invalid or "
               "duplicated.",
               "sum(" + m('mailrep_dmarc_status', 'status=~"missing|invalid|multiple"') + ")",
               links=[("Authentication", "mailrep-auth")]), 3, 4)
    L.add(stat("PTR broken", "Sending IPs without a forward-confirmed PTR record.",
               "sum(" + m('mailrep_ptr_status', 'status=~"missing|not_forward_confirmed"') + ")",
               links=[("Authentication", "mailrep-auth")]), 3, 4)
    L.add(stat("Deferred messages", "Messages in the deferred queues of every MTA instance (qmail: its remote queue).",
               "sum(" + DEFERRED + ")",
               thresholds=steps(("green", None), ("orange", 100), ("red", 1000)),
               links=[("Queues", "mailrep-queues")]), 3, 4)
    L.add(stat("Outbound", "Delivery attempts per minute, all sending IPs (from the MTA logs).",
               f"60 * sum({rate('mailrep_deliveries_total')})", unit="opm",
               thresholds=steps(("blue", None)),
               links=[("Deliveries", "mailrep-deliveries")]), 3, 4)

    L.row("Sending IPs", "One row per sending IP: red means act now, orange means look.")
    cols = [
        ("A", f"max by ({BY_IP}) ({m('mailrep_dnsbl_listed_lists')})", "Lists listing it"),
        ("B", f"max by ({BY_IP}) ({SPF_CODE})", "SPF"),
        ("C", per_ip_via_domain(DKIM_CODE), "DKIM"),
        ("D", per_ip_via_domain(DMARC_CODE), "DMARC"),
        ("E", f"max by ({BY_IP}) ({PTR_CODE})", "PTR"),
        ("F", f"max by ({BY_IP}) (\n  group by ({BY_IP}) ({m('mailrep_dnsbl_listed_lists')} or "
              f"{m('mailrep_ptr_status')})\n  * on (job, instance) group_left\n"
              "  sum by (job, instance) (" + DEFERRED + ")\n)",
         "Deferred (host)"),
        ("G", f"60 * sum by ({BY_IP}) ({ip_label(rate('mailrep_deliveries_total'))})",
         "Outbound /min"),
        ("H", f"sum by ({BY_IP}) ({ip_label(m('sending_ip_provider:mailrep_delivery_rejections:rate5m'))})\n/\n"
              f"(sum by ({BY_IP}) ({ip_label(m('sending_ip_provider:mailrep_deliveries:rate5m'))}) > 0)",
         "Rejected"),
        ("I", f"max by ({BY_IP}) ({share_level(DMARC_FAIL_SHARE_BY_IP, 0.05)})",
         "DMARC reports"),
        ("J", f"max by ({BY_IP}) ({m(COMPLAINT_RATIO_1D)})", "Complaints"),
        ("K", f"max by ({BY_IP}) ({SNDS_CODE})", "SNDS"),
    ]
    rename = {f"Value #{r}": name for r, _, name in cols}
    L.add(table(
        "Sending IPs", "Per sending IP: the number of DNS blocklists listing it; SPF for the "
        "domains it sends for; DKIM and DMARC of those domains (the domains of its SPF checks); "
        f"forward-confirmed rDNS ({STATE_HELP}); the deferred queue of its host; delivery "
        "attempts per minute and the share of them deferred or bounced over 5 minutes (from "
        "the MTA logs; recording rules in alerts/mailrep.rules.yml); what receivers said in "
        "the last day: DMARC aggregate reports (any message failing DMARC 1, 5 % or more 2), "
        "the worst provider's complaint ratio (lines at 0.1 % and 0.3 %), and Microsoft "
        "SNDS (yellow 1, red or blocked 2). Details on the Receivers dashboard.",
        [(r, e) for r, e, _ in cols], ["instance", "ip"] + [f"Value #{r}" for r, _, _ in cols], rename,
        overrides=[
            column("Lists listing it", thresholds=BAD_STEPS,
                   mappings=value_map([(0, "clean", "green")])),
            column("SPF", mappings=STATE_MAP, thresholds=STATE_STEPS),
            column("DKIM", mappings=STATE_MAP, thresholds=STATE_STEPS),
            column("DMARC", mappings=STATE_MAP, thresholds=STATE_STEPS),
            column("PTR", mappings=STATE_MAP, thresholds=STATE_STEPS),
            column("Deferred (host)", thresholds=steps(("green", None), ("orange", 100),
                                                       ("red", 1000))),
            column("Outbound /min", unit="opm", background=False),
            column("Rejected", unit="percentunit",
                   thresholds=steps(("green", None), ("orange", 0.1), ("red", 0.3))),
            column("DMARC reports", mappings=STATE_MAP, thresholds=STATE_STEPS),
            column("Complaints", unit="percentunit", thresholds=RATIO_STEPS),
            column("SNDS", mappings=SNDS_MAP, thresholds=STATE_STEPS),
        ], merge=True, sort=("Lists listing it", True),
        links=[("Receivers", "mailrep-receivers"), ("Compliance", "mailrep-compliance")]),
        24, 10)

    L.row("Alerts and trends", "Firing mailrep alerts and the last hours of traffic.")
    L.add(table("Firing alerts", "mailrep alerts firing now for the selected instances "
                "(Prometheus' ALERTS series; alerts without an instance label, like "
                "MailrepExporterDown for a vanished target, are not shown here).",
                [("A", m("ALERTS", 'alertname=~"Mailrep.*", alertstate="firing"'))],
                ["alertname", "severity", "instance", "ip", "domain", "dnsbl"],
                hide=("Time", "job", "__name__", "Value", "alertstate")), 24, 6)
    L.add(timeseries("Outbound per sending IP", "Delivery attempts per minute per sending IP, "
                     "dashed: the same time last week.",
                     [target(f"60 * sum by (sending_ip) ({rate('mailrep_deliveries_total')})",
                             "{{sending_ip}}"),
                      target("60 * sum by (sending_ip) "
                             f"({rate('mailrep_deliveries_total', offset='1w')})",
                             "{{sending_ip}} last week", "B")], "opm"), 8, 8)
    L.panels[-1]["fieldConfig"]["overrides"] = [{
        "matcher": {"id": "byFrameRefID", "options": "B"},
        "properties": [{"id": "custom.lineStyle",
                        "value": {"fill": "dash", "dash": [10, 10]}}]}]
    L.add(timeseries("Rejection ratio per sending IP", "Share of delivery attempts deferred, "
                     "bounced or expired, per sending IP over 5 minutes.",
                     [target("sum by (sending_ip) "
                             f"({m('sending_ip_provider:mailrep_delivery_rejections:rate5m')})\n/\n"
                             "(sum by (sending_ip) "
                             f"({m('sending_ip_provider:mailrep_deliveries:rate5m')}) > 0)",
                             "{{sending_ip}}")], "percentunit",
                     thresholds=steps(("green", None), ("orange", 0.1), ("red", 0.3))), 8, 8)
    L.add(timeseries("Deferred queue per host", "Messages in the deferred queues, per host (qmail: its remote queue).",
                     [target("sum by (instance) "
                             "(" + DEFERRED + ")",
                             "{{instance}}")], "short"), 8, 8)
    return dashboard("mailrep-overview", "mailrep / Overview",
                     "Is any sending IP treated as a spam source, or about to be? One row per "
                     "sending IP: blocklistings, SPF/DKIM/DMARC/PTR, queue, outbound rate and "
                     "rejections.", L)


# --- Blocklists ----------------------------------------------------------------

def blocklists():
    L = Layout()
    L.row("Status", "Current listings and the health of the lists.")
    L.add(stat("Listed IPs", "Sending IPs listed on at least one list.",
               f"sum(max by ({BY_IP}) ({m('mailrep_dnsbl_listed')}))"), 4, 4)
    L.add(stat("Listings", "IP x list pairs currently listed.",
               f"sum({m('mailrep_dnsbl_listed')})"), 4, 4)
    L.add(stat("Listed domains", "Sending domains listed on at least one domain list.",
               f"sum(max by (job, instance, domain) ({m('mailrep_dnsbl_domain_listed')}))"),
          4, 4)
    L.add(stat("Unhealthy lists", "Lists failing their RFC 5782 test points: their answers "
               "are ignored.", f"sum(1 - {m('mailrep_dnsbl_list_healthy')})",
               thresholds=steps(("green", None), ("orange", 1))), 4, 4)
    L.add(stat("Targets", "IPs and domains being checked.",
               f"sum({m('mailrep_dnsbl_targets')})", thresholds=steps(("blue", None))), 4, 4)
    L.add(stat("Lookup errors", "Failed blocklist lookups per minute (timeouts, SERVFAIL, "
               "refusals); never counted as listings.",
               f"60 * sum({rate('mailrep_dnsbl_lookup_errors_total')})", unit="opm",
               thresholds=steps(("green", None), ("orange", 0.001))), 4, 4)

    L.row("Listings", "Which IP is listed where, since when and why.")
    L.add(timeline("Listings over time", "IP x list pairs while listed (only listed periods "
                   "are drawn). Click a listing for the Sources dashboard on the two hours "
                   "around it: the submitters active in the hour before it (by time only; "
                   "submitter metrics are not per sending IP).",
                   f"{m('mailrep_dnsbl_listed')} == 1", "{{ip}} on {{dnsbl}}",
                   LISTED_MAP, BAD_STEPS), 24, 8)
    L.panels[-1]["fieldConfig"]["defaults"]["links"] = [{
        "title": "Submitters in the hour before this listing (Sources)",
        "url": "/d/mailrep-sources?time=${__value.time}&time.window=7200000"
               "&var-ip=${__field.labels.ip}&${job:queryparam}&${instance:queryparam}",
        "targetBlank": False}]
    L.add(table("Current listings", "Every listing answer: the code the list returned and its "
                "meaning (decoded from the list's documented codes) with the list's severity.",
                [("A", f"{m('mailrep_dnsbl_listing_info')}\n* on (job, instance, dnsbl) "
                       f"group_left (severity)\n{m('mailrep_dnsbl_list_info')}")],
                ["instance", "ip", "dnsbl", "severity", "code", "meaning"],
                hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("severity", (), ("minor",), ("major",))]), 16, 8)
    L.add(table("Lists per IP", "Number of lists listing each listed IP.",
                [("A", f"{m('mailrep_dnsbl_listed_lists')} > 0")], ["instance", "ip", "Value"],
                {"Value": "lists"}, overrides=[column("lists", thresholds=BAD_STEPS)],
                sort=("lists", True)), 8, 8)
    L.add(timeline("Domain listings over time", "Sending domain x list pairs while listed.",
                   f"{m('mailrep_dnsbl_domain_listed')} == 1", "{{domain}} on {{dnsbl}}",
                   LISTED_MAP, BAD_STEPS), 12, 7)
    L.add(table("Current domain listings", "Listing answers for the sending domains.",
                [("A", m("mailrep_dnsbl_domain_listing_info"))],
                ["instance", "domain", "dnsbl", "code", "meaning"],
                hide=("Time", "job", "__name__", "Value")), 12, 7)
    L.add(table("Allowlisted IPs", "IPs that an allowlist (DNSWL, Mailspike reputation, ...) "
                "vouches for: a good sign, not a listing.",
                [("A", f"{m('mailrep_dnsbl_allowlisted')} == 1")], ["instance", "ip", "dnsbl"],
                hide=("Time", "job", "__name__", "Value")), 24, 5)

    L.row("List health", "Can we see listings at all? An unhealthy or refusing list hides "
          "them.")
    L.add(timeline("List health", "Whether each list passed its RFC 5782 test points "
                   "(127.0.0.2 listed, 127.0.0.1 not) in each run.",
                   m("mailrep_dnsbl_list_healthy"), "{{instance}} {{dnsbl}}",
                   value_map([(0, "unhealthy", "red"), (1, "healthy", "green")]), UP_STEPS),
          12, 8)
    L.add(timeseries("Lookup errors by list and reason", "Failed lookups per minute. "
                     "refused / refusal_code: the list refuses your resolver (use a local "
                     "recursive resolver); timeout / servfail: the resolver or the list is "
                     "struggling.",
                     [target("60 * sum by (dnsbl, reason) "
                             f"({rate('mailrep_dnsbl_lookup_errors_total')})",
                             "{{dnsbl}} {{reason}}")], "opm"), 12, 8)
    L.add(timeseries("Time since last complete check", "Per IP, how long ago every healthy "
                     "list last answered for it (the alert threshold is 2 hours).",
                     [target(f"time() - {m('mailrep_dnsbl_last_check_timestamp_seconds')}",
                             "{{ip}}")], "s", thresholds=steps(("green", None),
                                                               ("red", 7200))), 12, 8)
    L.add(table("Configured lists", "Every configured list with the severity used for alert "
                "routing (major pages, minor warns).", [("A", m("mailrep_dnsbl_list_info"))],
                ["instance", "dnsbl", "severity"], hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("severity", (), ("minor",), ("major",))]), 12, 8)

    L.row("What receivers say", "Rejections in the MTA logs that cite a blocklist, and "
          "Microsoft's own verdict (SNDS); the Receivers dashboard has the rest of their "
          "reports.")
    L.add(timeseries("Rejections citing a blocklist", "Rejections per minute whose reply names "
                     "a list (or the receiver's own list: outlook, gmail, yahoo).",
                     [target("60 * sum by (dnsbl) "
                             f"({rate('mailrep_delivery_cited_blocklist_total')})",
                             "{{dnsbl}}")], "opm", bars=True), 14, 7)
    L.add(timeline("Microsoft SNDS", "Per sending IP, SNDS's filter result for its last "
                   "reported day: green, yellow, or RED (over 90 % judged spam, or blocked); "
                   "SNDS is the pseudo-blocklist of Outlook.com.",
                   f"max by (instance, ip) ({SNDS_CODE})", "{{ip}}", SNDS_MAP, STATE_STEPS,
                   links=[("Receivers", "mailrep-receivers")]), 10, 7)
    return dashboard("mailrep-blocklists", "mailrep / Blocklists",
                     "DNS blocklist status of every sending IP and domain over time: listings "
                     "with their meaning, list health, lookup errors, and rejections citing "
                     "lists.", L)


# --- Authentication --------------------------------------------------------------

def auth():
    L = Layout()
    L.row("SPF", "What a receiver's SPF check (RFC 7208) gives for mail from each sending IP.")
    L.add(table("SPF results", "The SPF result per identity (mfrom: envelope domain, helo), "
                "domain and sending IP. temperror is a DNS failure, not a verdict.",
                [("A", f"{m('mailrep_spf_result')} == 1")],
                ["instance", "identity", "domain", "ip", "result"],
                hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("result", ("pass",),
                                             ("softfail", "neutral", "none", "temperror"),
                                             ("fail", "permerror"))]), 12, 8)
    L.add(timeline("SPF over time", f"SPF state per domain and IP: {STATE_HELP}.",
                   f"max by (instance, identity, domain, ip) ({SPF_CODE})",
                   "{{domain}} ({{identity}}) from {{ip}}", STATE_MAP, STATE_STEPS), 12, 8)
    L.add(timeseries("SPF DNS lookups", "DNS-querying terms the evaluation used; RFC 7208 "
                     "allows 10, above that SPF is permerror.",
                     [target(f"max by (domain) ({m('mailrep_spf_dns_lookups')})", "{{domain}}")],
                     "none", thresholds=steps(("green", None), ("orange", 9), ("red", 11))),
          8, 7)
    L.add(timeseries("SPF void lookups", "Lookups that found nothing; more than 2 is "
                     "permerror.",
                     [target(f"max by (domain) ({m('mailrep_spf_void_lookups')})", "{{domain}}")],
                     "none", thresholds=steps(("green", None), ("orange", 2), ("red", 3))), 8, 7)
    L.add(table("SPF warnings", "Common mistakes found in the records (pass_all, "
                "lookups_near_limit, multiple_records, ...).",
                [("A", m("mailrep_spf_warning_info"))], ["instance", "domain", "warning"],
                hide=("Time", "job", "__name__", "Value")), 8, 7)
    L.add(table("SPF records", "The SPF record of each domain.",
                [("A", m("mailrep_spf_record_info"))], ["instance", "domain", "record"],
                hide=("Time", "job", "__name__", "Value")), 16, 6)
    L.add(table("Sender ID", "The Sender ID (RFC 4406) result per sending IP and domain.",
                [("A", f"{m('mailrep_senderid_result')} == 1")],
                ["instance", "domain", "ip", "result"], hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("result", ("pass",),
                                             ("softfail", "neutral", "none", "temperror"),
                                             ("fail", "permerror"))]), 8, 6)

    L.row("DKIM", "The DKIM keys published for the configured selectors.")
    L.add(table("DKIM keys", "Status and size of each published key: weak is RSA under 2048 "
                "bits, mismatch means the DNS key is not the configured signing key; "
                "dns_error is a lookup failure, not a verdict.",
                [("A", f"{m('mailrep_dkim_key_bits')}\n* on (job, instance, domain, selector) "
                       f"group_left (status)\n({m('mailrep_dkim_key_status')} == 1)"),
                 ],
                ["instance", "domain", "selector", "status", "Value"], {"Value": "bits"},
                hide=("Time", "job", "__name__"),
                overrides=[text_state_column("status", ("valid",), ("weak", "dns_error"),
                                             ("missing", "revoked", "invalid", "mismatch")),
                           column("bits", thresholds=steps(("red", None), ("orange", 1024),
                                                           ("green", 2048)),
                                  mappings=value_map([(0, "no key", "red")]))]), 12, 8)
    L.add(table("Signing keys", "Whether the configured private key matches the key in DNS.",
                [("A", f"{m('mailrep_dkim_signing_key_status')} == 1")],
                ["instance", "domain", "selector", "status"],
                hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("status", ("match",), ("not_checked",),
                                             ("mismatch", "unreadable"))]), 6, 8)
    L.add(table("Testing mode", "Keys still published with t=y (receivers may ignore "
                "failures).", [("A", f"{m('mailrep_dkim_key_testing')} == 1")],
                ["instance", "domain", "selector"], hide=("Time", "job", "__name__", "Value")),
          6, 8)
    L.add(timeline("DKIM over time", f"DKIM state per domain and selector: {STATE_HELP}.",
                   f"max by (instance, domain, selector) ({DKIM_CODE})",
                   "{{domain}} {{selector}}", STATE_MAP, STATE_STEPS), 24, 6)

    L.row("DMARC", "The DMARC record and policy of each sending domain.")
    L.add(table("DMARC status", "valid, missing, invalid, multiple (two records: treated as "
                "none) or dns_error (a lookup failure).",
                [("A", f"{m('mailrep_dmarc_status')} == 1")], ["instance", "domain", "status"],
                hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("status", ("valid",), ("dns_error",),
                                             ("missing", "invalid", "multiple"))]), 8, 7)
    L.add(table("DMARC policy", "The policy (p=) with the share of mail it applies to (pct=).",
                [("A", f"{m('mailrep_dmarc_pct')}\n* on (job, instance, domain) "
                       f"group_left (policy)\n({m('mailrep_dmarc_policy')} == 1)")],
                ["instance", "domain", "policy", "Value"], {"Value": "pct"},
                hide=("Time", "job", "__name__"),
                overrides=[text_state_column("policy", ("reject", "quarantine"), ("none",)),
                           column("pct", background=False)]), 8, 7)
    L.add(table("DMARC alignment and reports", "Whether the configured envelope domains "
                "(SPF) and DKIM d= domains align with the domain under its aspf/adkim (DMARC "
                "passes only through an aligned pass); whether the organisational domain's "
                "record applies for lack of its own; external report destinations that do not "
                "authorise reports for the domain (RFC 7489 section 7.1).",
                [("A", m("mailrep_dmarc_spf_aligned")), ("B", m("mailrep_dmarc_dkim_aligned")),
                 ("C", m("mailrep_dmarc_org_domain_fallback")),
                 ("D", m("mailrep_dmarc_unauthorized_report_destinations"))],
                ["instance", "domain", "Value #A", "Value #B", "Value #C", "Value #D"],
                {"Value #A": "SPF aligned", "Value #B": "DKIM aligned",
                 "Value #C": "org fallback", "Value #D": "unauthorised rua/ruf"},
                overrides=[column(c, mappings=value_map([(0, "no", "red"), (1, "yes", "green")]))
                           for c in ("SPF aligned", "DKIM aligned")] +
                          [column("org fallback", mappings=value_map([(0, "no", "transparent"),
                                                                      (1, "yes", "orange")])),
                           column("unauthorised rua/ruf", thresholds=steps(("green", None),
                                                                          ("orange", 1)))],
                merge=True), 8, 7)
    L.add(timeline("DMARC over time", f"DMARC state per domain: {STATE_HELP} (policy none "
                   "counts as check it).", f"max by (instance, domain) ({DMARC_CODE})",
                   "{{domain}}", STATE_MAP, STATE_STEPS), 24, 6)

    L.row("Reverse DNS", "PTR records of the sending IPs (playbook step 5).")
    L.add(table("PTR status", "ok; missing; not_forward_confirmed (the name does not resolve "
                "back to the IP); helo_mismatch; generic (looks dynamic); dns_error.",
                [("A", f"{m('mailrep_ptr_names')}\n* on (job, instance, ip) group_left (status)\n"
                       f"({m('mailrep_ptr_status')} == 1)")],
                ["instance", "ip", "status", "Value"], {"Value": "PTR names"},
                hide=("Time", "job", "__name__"),
                overrides=[text_state_column("status", ("ok",),
                                             ("helo_mismatch", "generic", "dns_error"),
                                             ("missing", "not_forward_confirmed"))]), 10, 8)
    L.add(timeline("PTR over time", f"rDNS state per sending IP: {STATE_HELP}.",
                   f"max by (instance, ip) ({PTR_CODE})", "{{ip}}", STATE_MAP, STATE_STEPS),
          14, 8)

    L.row("MTA-STS and TLS reporting", "Whether receivers can require TLS for mail to the "
          "domains (RFC 8461) and where TLS failures are reported (RFC 8460).")
    L.add(table("MTA-STS", "Policy status and mode per domain; fetch_error: the policy file "
                "at https://mta-sts.<domain>/.well-known/mta-sts.txt could not be read; "
                "mx_mismatch: the policy does not cover the MX hosts.",
                [("A", f"{m('mailrep_mta_sts_status')} == 1"),
                 ("B", f"max by (job, instance, domain) ({m('mailrep_mta_sts_max_age_seconds')})")],
                ["instance", "domain", "status", "Value #B"], {"Value #B": "max_age"},
                hide=("Time", "job", "__name__", "Value #A"), merge=True,
                overrides=[text_state_column("status", ("valid",), ("missing", "dns_error"),
                                             ("invalid", "fetch_error", "mx_mismatch")),
                           column("max_age", unit="s", background=False)]), 8, 7)
    L.add(table("MTA-STS mode", "enforce, testing or none.",
                [("A", f"{m('mailrep_mta_sts_mode')} == 1")], ["instance", "domain", "mode"],
                hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("mode", ("enforce",), ("testing", "none"))]), 8, 7)
    L.add(table("TLS-RPT", "The _smtp._tls record per domain.",
                [("A", f"{m('mailrep_tls_rpt_status')} == 1")], ["instance", "domain", "status"],
                hide=("Time", "job", "__name__", "Value"),
                overrides=[text_state_column("status", ("valid",), ("missing", "dns_error"),
                                             ("invalid",))]), 8, 7)
    return dashboard("mailrep-auth", "mailrep / Authentication",
                     "Would a receiver's checks pass for mail from each sending IP and domain? "
                     "SPF (with its lookup budget), Sender ID, DKIM keys, DMARC policies, "
                     "reverse DNS, MTA-STS and TLS-RPT.", L, "now-24h")


# --- Queues --------------------------------------------------------------------

def queues():
    L = Layout()
    QL = "{{instance}} {{mta}}/{{mta_instance}} {{queue}}"
    L.row("Status", "Totals over the selected instances.")
    L.add(stat("Queued messages", "Messages in all queues of all MTA instances.",
               f"sum({m('mailrep_queue_messages')})",
               thresholds=steps(("blue", None))), 6, 4)
    L.add(stat("Deferred", "Messages waiting for a retry (qmail: its remote queue).",
               "sum(" + DEFERRED + ")",
               thresholds=steps(("green", None), ("orange", 100), ("red", 1000))), 6, 4)
    L.add(stat("Oldest deferred message", "Age of the oldest deferred message (qmail: of its remote queue).",
               "max(" + m('mailrep_queue_oldest_message_age_seconds', 'queue=~"deferred|remote"') + ")",
               unit="s", thresholds=steps(("green", None), ("orange", 86400))), 6, 4)
    L.add(stat("Scan problems", "Queue files per minute that vanished, were unreadable, "
               "half-written or corrupt during scans (counted and skipped).",
               f"60 * sum({rate('mailrep_queue_scan_errors_total')})", unit="opm",
               thresholds=steps(("green", None), ("orange", 1))), 6, 4)

    L.row("Queues over time", "Per MTA, instance and queue.")
    L.add(timeseries("Messages", "Messages per queue.",
                     [target(m("mailrep_queue_messages"), QL)], "short"), 12, 8)
    L.add(timeseries("Oldest message", "Age of the oldest message per queue; Postfix returns "
                     "mail after 5 days by default.",
                     [target(m("mailrep_queue_oldest_message_age_seconds"), QL)], "s",
                     thresholds=steps(("green", None), ("red", 86400))), 12, 8)
    L.add(timeseries("Size", "Bytes per queue (as the MTA's own listing shows them).",
                     [target(m("mailrep_queue_bytes"), QL)], "bytes"), 12, 8)
    L.add(timeseries("Recipients", "Recipients still to deliver per queue.",
                     [target(m("mailrep_queue_recipients"), QL)], "short"), 12, 8)

    L.row("Why mail waits", "Deferred messages by destination domain and by reason.")
    L.add(timeseries("Deferred by destination", "Deferred messages per recipient domain (the "
                     "10 largest at each point; the exporter keeps the top N and other).",
                     [target("topk(10, sum by (destination) "
                             f"({m('mailrep_queue_deferred_messages_by_destination')}))",
                             "{{destination}}")], "short"), 12, 8)
    L.add(timeseries("Deferred by reason", "Deferred messages per class of the receiver's "
                     "reply, the same classes as rejections: " + ", ".join(REPLY_REASONS) + ".",
                     [target("sum by (reason) "
                             f"({m('mailrep_queue_deferred_messages_by_reason')})",
                             "{{reason}}")], "short", stack=True), 12, 8)
    L.add(table("Deferred destinations now", "Domains with deferred messages, largest first.",
                [("A", f"{m('mailrep_queue_deferred_messages_by_destination')} > 0")],
                ["instance", "mta", "mta_instance", "destination", "Value"],
                {"Value": "messages"}, hide=("Time", "job", "__name__"),
                sort=("messages", True)), 12, 8)
    L.add(table("Deferral reasons now", "Deferred messages per reason and MTA instance.",
                [("A", f"{m('mailrep_queue_deferred_messages_by_reason')} > 0")],
                ["instance", "mta", "mta_instance", "reason", "Value"], {"Value": "messages"},
                hide=("Time", "job", "__name__"),
                overrides=[reply_reason_column()],
                sort=("messages", True)), 12, 8)

    L.row("Scanning", "How the exporter reads each queue.")
    L.add(timeseries("Scan problems", "Queue files per minute skipped during scans, by kind.",
                     [target("60 * sum by (mta, mta_instance, kind) "
                             f"({rate('mailrep_queue_scan_errors_total')})",
                             "{{mta}}/{{mta_instance}} {{kind}}")], "opm"), 12, 7)
    L.add(table("Queue sources", "How each queue is read: spool (the files) or showq "
                "(Postfix's socket, when the spool is unreadable).",
                [("A", m("mailrep_queue_scan_source_info"))],
                ["instance", "mta", "mta_instance", "source"],
                hide=("Time", "job", "__name__", "Value")), 12, 7)
    return dashboard("mailrep-queues", "mailrep / Queues",
                     "MTA queues (Postfix, Exim, Sendmail, qmail, OpenSMTPD) per instance and "
                     "queue over time: depth, size, oldest message, and deferred mail by "
                     "destination and reason.", L)


# --- Deliveries ----------------------------------------------------------------

def deliveries():
    L = Layout()
    REJ = "sending_ip_provider:mailrep_delivery_rejections:rate5m"
    ALL = "sending_ip_provider:mailrep_deliveries:rate5m"
    L.row("Status", "From the MTA logs, over the selected instances.")
    L.add(stat("Outbound", "Delivery attempts per minute.",
               f"60 * sum({rate('mailrep_deliveries_total')})", unit="opm",
               thresholds=steps(("blue", None))), 6, 4)
    L.add(stat("Rejected", "Share of attempts deferred, bounced or expired over 5 minutes.",
               f"sum({m(REJ)}) / (sum({m(ALL)}) > 0)", unit="percentunit",
               thresholds=steps(("green", None), ("orange", 0.1), ("red", 0.3))), 6, 4)
    L.add(stat("Citing a blocklist", "Rejections per minute whose reply names a blocklist.",
               f"60 * sum({rate('mailrep_delivery_cited_blocklist_total')})", unit="opm",
               links=[("Blocklists", "mailrep-blocklists")],
               thresholds=steps(("green", None), ("red", 0.001))), 6, 4)
    L.add(stat("Log sources down", "Configured log files or journals that cannot be read.",
               f"sum(1 - {m('mailrep_log_source_up')})",
               links=[("Exporter health", "mailrep-exporter-health")]), 6, 4)

    L.row("Outbound", "Delivery attempts per sending IP and receiving provider.")
    L.add(timeseries("Per sending IP", "Attempts per minute per sending IP; dashed: the same "
                     "time last week (a spike against it is the sign of a compromised "
                     "account).",
                     [target(f"60 * sum by (sending_ip) ({rate('mailrep_deliveries_total')})",
                             "{{sending_ip}}"),
                      target("60 * sum by (sending_ip) "
                             f"({rate('mailrep_deliveries_total', offset='1w')})",
                             "{{sending_ip}} last week", "B")], "opm"), 12, 8)
    L.panels[-1]["fieldConfig"]["overrides"] = [{
        "matcher": {"id": "byFrameRefID", "options": "B"},
        "properties": [{"id": "custom.lineStyle",
                        "value": {"fill": "dash", "dash": [10, 10]}}]}]
    L.add(timeseries("Per provider", "Attempts per minute per receiving provider.",
                     [target(f"60 * sum by (provider) ({rate('mailrep_deliveries_total')})",
                             "{{provider}}")], "opm", stack=True), 12, 8)
    L.add(timeseries("By outcome", "Attempts per minute by status: sent, deferred, bounced, "
                     "expired.",
                     [target(f"60 * sum by (status) ({rate('mailrep_deliveries_total')})",
                             "{{status}}")], "opm", stack=True), 12, 8)
    L.add(timeseries("Rejection ratio per IP and provider", "Share of attempts from each IP "
                     "that each provider did not accept, over 5 minutes (recording rule "
                     "sending_ip_provider:mailrep_delivery_rejections_per_deliveries:"
                     "ratio_rate5m).",
                     [target(m("sending_ip_provider:mailrep_delivery_rejections_per_deliveries"
                               ":ratio_rate5m"), "{{sending_ip}} → {{provider}}")],
                     "percentunit", thresholds=steps(("green", None), ("orange", 0.1),
                                                     ("red", 0.3))), 12, 8)

    L.row("Rejections", "Why receivers refuse or delay the mail.")
    L.add(timeseries("Rejections by reason", "Deferred, bounced or expired attempts per "
                     "minute, by the class of the receiver's reply (" + ", ".join(REPLY_REASONS) +
                     ").",
                     [target("60 * sum by (reason) "
                             f"({rate('mailrep_delivery_rejections_total')})", "{{reason}}")],
                     "opm", stack=True), 12, 8)
    L.add(table("Rejections by provider and reason", "Rejections per minute now, per "
                "provider, sending IP and reason.",
                [("A", "60 * sum by (job, instance, provider, sending_ip, reason) "
                       f"({rate('mailrep_delivery_rejections_total')}) > 0")],
                ["instance", "provider", "sending_ip", "reason", "Value"], {"Value": "per min"},
                hide=("Time", "job"),
                overrides=[column("per min", unit="opm", background=False),
                           reply_reason_column()],
                sort=("per min", True)), 12, 8)
    L.add(timeseries("Blocklists receivers cite", "Rejections per minute naming a blocklist, "
                     "by list (the zone named in the reply, or the receiver's own list).",
                     [target("60 * sum by (dnsbl) "
                             f"({rate('mailrep_delivery_cited_blocklist_total')})",
                             "{{dnsbl}}")], "opm", bars=True), 24, 7)

    L.row("Delays and logs", "How long delivery takes, and whether the logs are read.")
    L.add(timeseries("Delivery delay", "From arrival to the final outcome, per status: median, "
                     "90th and 99th percentile.",
                     [target(f"histogram_quantile({q}, sum by (le, status) "
                             f"({rate('mailrep_delivery_delay_seconds_bucket')}))",
                             f"{name} {{{{status}}}}", ref)
                      for q, name, ref in (("0.5", "p50", "A"), ("0.9", "p90", "B"),
                                           ("0.99", "p99", "C"))], "s"), 12, 8)
    L.add(timeseries("Log lines", "Lines read per minute per source: parsed, ignored (not a "
                     "delivery) and malformed (skipped).",
                     [target("60 * sum by (source, result) "
                             f"({rate('mailrep_log_lines_total')})", "{{source}} {{result}}")],
                     "opm"), 12, 8)
    return dashboard("mailrep-deliveries", "mailrep / Deliveries",
                     "Outbound mail from the MTA logs: rate per sending IP and provider against "
                     "last week, rejections by reason, blocklists receivers cite, delays.", L)


# --- Receivers -----------------------------------------------------------------

def receivers():
    L = Layout()
    BY_IPR = "job, instance, ip, receiver"
    BY_IPP = "job, instance, ip, provider"
    L.row("At a glance", "What receivers said about the mail of the selected instances in the "
          "last day (their reports come once a day).")
    L.add(stat("Messages failing DMARC", "Messages from our sending IPs that receivers' DMARC "
               "aggregate reports of the last day show failing DMARC (neither DKIM nor SPF "
               "aligned and passing). The alert MailrepDmarcReportFailures fires at 10 in 2 "
               "days.",
               not_passing("", lambda extra: m(ALIGNED_1D, extra)),
               unit="short", thresholds=steps(("green", None), ("orange", 1), ("red", 10))),
          3, 4)
    L.add(stat("Complaints", "ARF complaints (feedback loops: Yahoo CFL, Microsoft JMRP, ...) "
               "about mail from our sending IPs in the last day.",
               f"sum({m(COMPLAINTS_1D)})", unit="short",
               thresholds=steps(("green", None), ("orange", 1))), 3, 4)
    L.add(stat("Highest complaint ratio", "The highest share of the mail one sending IP sent "
               "to one provider in the last day that drew a complaint (complaints over "
               "messages sent, from the MTA logs). Lines at Gmail's 0.1 % and 0.3 %.",
               f"max({m(COMPLAINT_RATIO_1D)})", unit="percentunit", thresholds=RATIO_STEPS),
          3, 4)
    L.add(stat("SNDS red or blocked", "Sending IPs that Microsoft SNDS rates red (over 90 % "
               "of their mail judged spam on the last reported day) or blocks.",
               f"sum(max by ({BY_IP}) ({SNDS_CODE}) >= bool 2)", unit="short"), 3, 4)
    L.add(stat("Silent receivers", "Known receivers whose newest report ended more than 3 "
               "days ago (the alert MailrepReportsStopped): a receiver stopped reporting, or "
               "the report mailbox stopped receiving.",
               "sum(time() - " + m("mailrep_report_last_received_timestamp_seconds",
                                   'receiver!="other"') + " > bool 259200)",
               unit="short", thresholds=steps(("green", None), ("orange", 1))), 3, 4)
    L.add(stat("Invalid reports", "Report files per minute that could not be read (by "
               "reason below); each is quarantined when quarantine_dir is set.",
               f"60 * sum({rate('mailrep_reports_invalid_total')})", unit="opm",
               thresholds=steps(("green", None), ("orange", 0.001))), 3, 4)
    L.add(stat("Gmail spam rate", "The highest user-reported spam rate Google Postmaster "
               "Tools gives for one of our domains (its latest day; the data lags 1 to 2 "
               "days). Gmail: keep it under 0.1 %, never reach 0.3 %.",
               f"max({m(PM_SPAM)})", unit="percentunit", thresholds=RATIO_STEPS), 3, 4)
    L.add(stat("Gmail rules needing work", "Postmaster Tools compliance rows (SPF, DKIM, "
               "DMARC policy and alignment, formatting, DNS, encryption, spam rate, one-click "
               "and honoured unsubscribe) in NEEDS_WORK, over our domains.",
               f"sum(1 - {m(PM_COMPLIANT)})", unit="short"), 3, 4)

    L.row("DMARC aggregate reports", "Per sending IP (ours; other: every foreign address, "
          "forwarders and spoofers alike) and receiver, from RFC 7489 aggregate reports.")
    cols = [
        ("A", f"sum by ({BY_IPR}) ({m(DMARC_1D)})", "messages"),
        ("B", share(BY_IPR, m(ALIGNED_1D, 'mechanism="dmarc", result="pass"'),
                    m(ALIGNED_1D, 'mechanism="dmarc"')), "DMARC pass"),
        ("C", share(BY_IPR, m(ALIGNED_1D, 'mechanism="dkim", result="pass"'),
                    m(ALIGNED_1D, 'mechanism="dkim"')), "DKIM aligned pass"),
        ("D", share(BY_IPR, m(ALIGNED_1D, 'mechanism="spf", result="pass"'),
                    m(ALIGNED_1D, 'mechanism="spf"')), "SPF aligned pass"),
        ("E", share(BY_IPR, m(DMARC_1D, 'disposition=~"quarantine|reject"'), m(DMARC_1D)),
         "quarantined or rejected"),
    ]
    L.add(table("DMARC results per IP and receiver", "The last day of aggregate reports: "
                "messages reported, the share passing DMARC (DKIM or SPF aligned and passing), "
                "passing aligned DKIM, passing aligned SPF, and the share the receiver "
                "quarantined or rejected under our policy. Mail from our IPs should pass "
                "DMARC in full; failures on ip other are forwarded or spoofed mail.",
                [(r, e) for r, e, _ in cols],
                ["instance", "ip", "receiver"] + [f"Value #{r}" for r, _, _ in cols],
                {f"Value #{r}": name for r, _, name in cols},
                overrides=[column("messages", unit="short", background=False)] +
                          [column(c, unit="percentunit", thresholds=PASS_STEPS)
                           for c in ("DMARC pass", "DKIM aligned pass", "SPF aligned pass")] +
                          [column("quarantined or rejected", unit="percentunit",
                                  thresholds=steps(("green", None), ("orange", 0.001),
                                                   ("red", 0.01)))],
                merge=True, sort=("messages", True)), 24, 8)
    L.add(timeseries("Reported messages by disposition", "Messages in the aggregate reports "
                     "counted in each interval, by the disposition the receiver applied "
                     "(none, quarantine, reject). Bars appear when reports arrive.",
                     [target("sum by (disposition) "
                             f"({gain('mailrep_dmarc_report_messages_total')})",
                             "{{disposition}}")], "short", stack=True, bars=True), 12, 8)
    L.add(timeseries("DMARC failures per IP and receiver", "Messages from our sending IPs "
                     "reported failing DMARC, per interval.",
                     [target(not_passing("ip, receiver", lambda extra: gain(
                         "mailrep_dmarc_report_aligned_messages_total", extra)),
                             "{{ip}} at {{receiver}}")], "short", bars=True), 12, 8)

    L.row("Report intake", "Which receivers report, and whether the reports can be read.")
    L.add(table("Last report per receiver", "Per report kind and receiver, how long ago the "
                "newest report counted ended (DMARC reports cover a day and arrive the day "
                "after; over 3 days fires MailrepReportsStopped).",
                [("A", "time() - " + m("mailrep_report_last_received_timestamp_seconds"))],
                ["instance", "kind", "receiver", "Value"], {"Value": "age"},
                overrides=[column("age", unit="s", thresholds=steps(
                    ("green", None), ("orange", 172800), ("red", 259200)))],
                sort=("age", True)), 8, 8)
    L.add(timeseries("Reports read", "Report files read per interval by kind (dmarc, "
                     "tlsrpt, arf) and result (ok; duplicate: already counted; invalid).",
                     [target("sum by (kind, result) "
                             f"({gain('mailrep_reports_total')})", "{{kind}} {{result}}")],
                     "short", stack=True, bars=True), 8, 8)
    L.add(timeseries("Invalid reports by reason", "Report files that could not be read, per "
                     "interval, by reason (not_a_report, bad_gzip, xml_dtd, "
                     "decompressed_too_large, ...).",
                     [target("sum by (reason) "
                             f"({gain('mailrep_reports_invalid_total')})", "{{reason}}")],
                     "short", stack=True, bars=True), 8, 8)

    L.row("TLS reports (TLS-RPT)", "What sending servers report about TLS to our MX hosts "
          "(RFC 8460).")
    BY_PD = "job, instance, policy_domain"
    L.add(table("TLS sessions per policy domain", "The last day of TLS-RPT reports: sessions "
                "per policy domain (configured ones, else other) and the share that failed.",
                [("A", f"sum by ({BY_PD}) ({m(TLSRPT_1D)})"),
                 ("B", share(BY_PD, m(TLSRPT_1D, 'result="failure"'), m(TLSRPT_1D)))],
                ["instance", "policy_domain", "Value #A", "Value #B"],
                {"Value #A": "sessions", "Value #B": "failed"},
                overrides=[column("sessions", unit="short", background=False),
                           column("failed", unit="percentunit",
                                  thresholds=steps(("green", None), ("orange", 0.001),
                                                   ("red", 0.05)))],
                merge=True), 8, 8)
    L.add(timeseries("TLS sessions by result", "Sessions per interval by policy domain and "
                     "result (success, failure).",
                     [target("sum by (policy_domain, result) "
                             f"({gain('mailrep_tlsrpt_sessions_total')})",
                             "{{policy_domain}} {{result}}")], "short", bars=True), 8, 8)
    L.add(timeseries("TLS failures by type and MX", "Failed sessions per interval by RFC 8460 "
                     "result type (certificate-expired, sts-policy-fetch-error, "
                     "starttls-not-supported, ...) and our MX host.",
                     [target("sum by (result_type, mx) "
                             f"({gain('mailrep_tlsrpt_failures_total')})",
                             "{{result_type}} at {{mx}}")], "short", bars=True), 8, 8)

    L.row("Complaints (feedback loops)", "ARF complaints attributed to the sending IP of the "
          "complained-of message (ip unknown: no IP could be found).")
    L.add(table("Complaints per IP and provider", "The last day: complaints, and complaints "
                "per message sent to that provider from that IP (recording rules "
                f"{COMPLAINTS_1D} and {COMPLAINT_RATIO_1D}; the alert MailrepComplaintRateHigh "
                "fires over 0.3 %).",
                [("A", m(COMPLAINTS_1D)), ("B", m(COMPLAINT_RATIO_1D))],
                ["instance", "ip", "provider", "Value #A", "Value #B"],
                {"Value #A": "complaints", "Value #B": "ratio"},
                overrides=[column("complaints", unit="short", background=False),
                           column("ratio", unit="percentunit", thresholds=RATIO_STEPS)],
                merge=True, sort=("complaints", True)), 8, 8)
    L.add(timeseries("Complaint ratio per IP and provider", "Complaints over messages sent, "
                     "per sending IP and provider, over a sliding day; lines at 0.1 % and "
                     "0.3 %.",
                     [target(m(COMPLAINT_RATIO_1D), "{{ip}} → {{provider}}")], "percentunit",
                     thresholds=RATIO_STEPS), 8, 8)
    L.add(timeseries("Complaints by feedback type", "Complaints per interval by provider and "
                     "ARF feedback type (abuse, fraud, virus, ...).",
                     [target("sum by (provider, feedback_type) "
                             f"({gain('mailrep_complaints_total')})",
                             "{{provider}} {{feedback_type}}")], "short", stack=True,
                     bars=True), 8, 8)

    L.row("Microsoft SNDS", "Outlook.com's view of each configured sending IP (SNDS data "
          "exists only for IPs sending 100 or more messages a day; it is a day old).")
    cols = [
        ("A", f"max by ({BY_IP}) ({SNDS_CODE})", "filter"),
        ("B", m("mailrep_snds_blocked"), "blocked"),
        ("C", m("mailrep_snds_complaint_rate"), "complaint rate"),
        ("D", m("mailrep_snds_complaint_rate_is_bound"), "bound"),
        ("E", m("mailrep_snds_trap_hits"), "trap hits"),
        ("F", m("mailrep_snds_message_recipients"), "recipients"),
    ]
    L.add(table("SNDS per IP", "Per configured IP, SNDS's last reported day: the filter "
                "result (green: under 10 % judged spam, yellow: 10 to 90 %, RED: over 90 %, "
                "or the IP is blocked), whether a range blocks it, the complaint rate (< "
                "marks a bound such as < 0.1 %, exported as the bound), spam-trap hits and "
                "message recipients.",
                [(r, e) for r, e, _ in cols],
                ["instance", "ip"] + [f"Value #{r}" for r, _, _ in cols],
                {f"Value #{r}": name for r, _, name in cols},
                overrides=[column("filter", mappings=SNDS_MAP, thresholds=STATE_STEPS),
                           column("blocked", mappings=value_map([(0, "no", "green"),
                                                                 (1, "BLOCKED", "red")])),
                           column("complaint rate", unit="percentunit",
                                  thresholds=RATIO_STEPS),
                           column("bound", mappings=value_map([(0, "", "transparent"),
                                                               (1, "<", "transparent")]),
                                  background=False),
                           column("trap hits", thresholds=BAD_STEPS),
                           column("recipients", unit="short", background=False)],
                merge=True, sort=("filter", True)), 12, 8)
    L.add(timeline("SNDS filter result over time", "Per IP: green, yellow, or RED (red or "
                   "blocked).", f"max by (instance, ip) ({SNDS_CODE})", "{{ip}}", SNDS_MAP,
                   STATE_STEPS), 12, 8)
    L.add(timeseries("SNDS complaint rate and trap hits", "Complaint rate per IP (left) and "
                     "spam-trap hits (right), as reported for each day.",
                     [target(m("mailrep_snds_complaint_rate"), "{{ip}} complaints"),
                      target(m("mailrep_snds_trap_hits"), "{{ip}} trap hits", "B")],
                     "percentunit", thresholds=RATIO_STEPS), 12, 7)
    L.panels[-1]["fieldConfig"]["overrides"] = [{
        "matcher": {"id": "byFrameRefID", "options": "B"},
        "properties": [{"id": "unit", "value": "short"},
                       {"id": "custom.axisPlacement", "value": "right"}]}]
    L.add(table("SNDS fetches", "The outcome of the last fetch of each SNDS report (ok, "
                "no_data, html: a login page instead of data, unauthorized, ...) and the "
                "age of the data kept.",
                [("A", m("mailrep_snds_fetch_state") + " == 1"),
                 ("B", "time() - (" + m("mailrep_snds_data_timestamp_seconds") + " > 0)")],
                ["instance", "report", "state", "Value #B"], {"Value #B": "data age"},
                hide=("Time", "job", "__name__", "Value #A"), merge=True,
                overrides=[text_state_column("state", ("ok",), ("no_data", "rate_limited",
                                                                "timeout", "network")),
                           column("data age", unit="s", thresholds=steps(
                               ("green", None), ("orange", 172800), ("red", 259200)))]), 8, 7)
    L.add(stat("SNDS link age", "Age of the SNDS automated-access link: links expire after "
               "30 days (MailrepSndsLinkExpiring warns before); renew it in SNDS.",
               f"max({m('mailrep_snds_link_age_seconds')})", unit="s",
               thresholds=steps(("green", None), ("orange", 2160000), ("red", 2592000))),
          4, 7)
    L.row("Google Postmaster Tools", "Gmail's view of each configured domain (Postmaster "
          "Tools v2: per domain, no per-IP data; only for domains reaching 50 or more Gmail "
          "users a day; the data's date lags 1 to 2 days).")
    L.add(timeseries("Gmail spam rate", "User-reported spam rate per domain as Postmaster "
                     "Tools last gave it. Gmail's bulk-sender rules: keep it under 0.1 % "
                     "(orange line) and never reach 0.3 % (red line); mitigation needs 7 days "
                     "under 0.3 %.",
                     [target(m(PM_SPAM), "{{domain}}")], "percentunit",
                     thresholds=RATIO_STEPS), 12, 8)
    BY_DOMAIN = "job, instance, domain"
    L.add(table("Postmaster per domain", "Per domain: the spam rate, the lowest "
                "authentication success rate (SPF, DKIM or DMARC), the highest delivery "
                "error rate, the Postmaster compliance rows in NEEDS_WORK, and the age of "
                "the data's date.",
                [("A", m(PM_SPAM)),
                 ("B", f"min by ({BY_DOMAIN}) ({m(PM_AUTH)})"),
                 ("C", f"max by ({BY_DOMAIN}) ({m(PM_ERRORS)})"),
                 ("D", f"sum by ({BY_DOMAIN}) (1 - {m(PM_COMPLIANT)})"),
                 ("E", f"time() - {m(PM_DATE)}")],
                ["instance", "domain"] + [f"Value #{r}" for r in "ABCDE"],
                {"Value #A": "spam rate", "Value #B": "auth success (lowest)",
                 "Value #C": "delivery errors (highest)", "Value #D": "needs work",
                 "Value #E": "data age"},
                overrides=[column("spam rate", unit="percentunit", thresholds=RATIO_STEPS),
                           column("auth success (lowest)", unit="percentunit",
                                  thresholds=PASS_STEPS),
                           column("delivery errors (highest)", unit="percentunit",
                                  thresholds=steps(("green", None), ("orange", 0.01),
                                                   ("red", 0.05))),
                           column("needs work", thresholds=BAD_STEPS),
                           column("data age", unit="s", thresholds=steps(
                               ("green", None), ("orange", 259200), ("red", 432000)))],
                merge=True, sort=("spam rate", True)), 12, 8)
    L.add(timeseries("Authentication success", "Share of the domain's mail that passed "
                     "SPF, DKIM and DMARC at Gmail.",
                     [target(m(PM_AUTH), "{{domain}} {{auth}}")], "percentunit",
                     thresholds=PASS_STEPS, min_zero=False), 8, 8)
    L.add(timeseries("TLS", "Share of the domain's mail carried over TLS, by direction.",
                     [target(m(PM_TLS), "{{domain}} {{direction}}")], "percentunit",
                     min_zero=False), 8, 8)
    L.add(timeseries("Delivery errors", "Share of the domain's mail Gmail rejected (reject) "
                     "or deferred (temp_fail), by reason (ip_in_rbls, "
                     "bad_or_missing_ptr_record, low_domain_reputation, spammy_content, ...).",
                     [target(m(PM_ERRORS), "{{domain}} {{type}} {{reason}}")],
                     "percentunit"), 8, 8)
    L.add(table("Postmaster compliance rows", "Google's compliance status per domain and "
                "requirement: COMPLIANT or NEEDS_WORK.",
                [("A", m(PM_COMPLIANT))], ["instance", "domain", "requirement", "Value"],
                {"Value": "status"},
                overrides=[column("status", mappings=value_map(
                    [(0, "NEEDS_WORK", "red"), (1, "COMPLIANT", "green")]))],
                sort=("status", False)), 24, 8)
    return dashboard("mailrep-receivers", "mailrep / Receivers",
                     "What receivers say about our mail: DMARC aggregate results per sending "
                     "IP and receiver, TLS-RPT failures, feedback-loop complaints and their "
                     "ratio, Microsoft SNDS per IP and Google Postmaster Tools per domain.",
                     L, "now-7d")


# --- Compliance ----------------------------------------------------------------

BY_DOMAIN = "job, instance, domain"
# Which sending IPs send for which domain: the IP x envelope-domain pairs of the
# SPF checks (senders[] in the config).
IP_DOMAINS = ("group by (job, instance, ip, domain) (" +
              m("mailrep_spf_result", 'identity="mfrom"') + ")")
RULE_SOURCES = (
    "Rule sources: Google's Email sender guidelines and their FAQ "
    "(support.google.com/a/answer/81126, /14229414; bulk: about 5,000 messages a day to "
    "personal Gmail accounts), Yahoo's Sender Requirements (senders.yahooinc.com/"
    "best-practices), and Outlook.com's rules for domains sending over 5,000 messages a day "
    "(Microsoft, April 2025; enforced from 5 May 2025).")


def via_ips(ip_code):
    """A per-IP state code carried to each domain the IP sends for (the worst
    of the domain's IPs)."""
    return (f"max by ({BY_DOMAIN}) (\n  {IP_DOMAINS}\n  * on (job, instance, ip) group_left\n"
            f"  max by ({BY_IP}) ({ip_code})\n)")


def per_domain(expr):
    return f"max by ({BY_DOMAIN}) ({expr})"


def tagged(expr, check):
    return f'label_replace({expr}, "check", "{check}", "", "")'


def compliance_checks():
    """(column, expression of a 0/1/2 code per domain, what it checks)."""
    spf = code(m("mailrep_spf_result", 'identity="mfrom", result=~"fail|permerror"'),
               m("mailrep_spf_result",
                 'identity="mfrom", result=~"softfail|neutral|none|temperror"'))
    dmarc = code(m("mailrep_dmarc_status", 'status=~"missing|invalid|multiple"'),
                 m("mailrep_dmarc_status", 'status="dns_error"'))
    aligned = ("max by (job, instance, domain) (" +
               tagged(m("mailrep_dmarc_spf_aligned"), "spf") + " or " +
               tagged(m("mailrep_dmarc_dkim_aligned"), "dkim") + ")")
    mta_sts = code(m("mailrep_mta_sts_status", 'status=~"invalid|fetch_error|mx_mismatch"'),
                   m("mailrep_mta_sts_status", 'status=~"missing|dns_error"'))
    tls_rpt = code(m("mailrep_tls_rpt_status", 'status="invalid"'),
                   m("mailrep_tls_rpt_status", 'status=~"missing|dns_error"'))
    tls_failed = ('label_replace(\n' + share(
        "job, instance, policy_domain",
        m(TLSRPT_1D, 'policy_domain!="other", result="failure"'),
        m(TLSRPT_1D, 'policy_domain!="other"')) +
        ',\n  "domain", "$1", "policy_domain", "(.*)")')
    complaint_ratio = f"max by ({BY_IP}) ({m(COMPLAINT_RATIO_1D)})"
    return [
        ("SPF", per_domain(spf),
         "SPF for the domain as envelope sender from each of its sending IPs: fail or "
         "permerror 2, softfail, neutral, none or a DNS error 1 (all three providers want "
         "SPF to pass)."),
        ("DKIM", per_domain(DKIM_CODE),
         "The domain's DKIM keys: missing, revoked, invalid or not the signing key 2; weak "
         "(RSA under 2048 bits; Google asks for 2048) or a DNS error 1."),
        ("DMARC record", per_domain(dmarc),
         "A DMARC record with a policy: missing, invalid or duplicated 2, a DNS error 1. "
         "p=none meets the bulk-sender rules (the Authentication dashboard still marks it)."),
        ("Alignment", f"2 - 2 * {aligned}",
         "Whether the configured envelope domain (SPF) or DKIM d= domain aligns with the "
         "From domain under the record's aspf/adkim: neither 2 (the rules want one)."),
        ("Reported DMARC", via_ips(share_level(DMARC_FAIL_SHARE_BY_IP, 0.05)),
         "Receivers' DMARC aggregate reports of the last day for the domain's sending IPs: "
         "any message failing DMARC 1, 5 % or more 2 (an IP sending for several domains "
         "counts for each)."),
        ("PTR", via_ips(PTR_CODE),
         "Forward-confirmed reverse DNS of the domain's sending IPs (Gmail and Yahoo require "
         "it): missing or not forward-confirmed 2; HELO mismatch, generic or a DNS error 1."),
        ("MTA-STS", per_domain(mta_sts),
         "MTA-STS (RFC 8461) for mail to the domain: invalid, unfetchable or not covering "
         "the MX hosts 2, missing 1."),
        ("TLS-RPT", per_domain(tls_rpt),
         "The _smtp._tls reporting record: invalid 2, missing 1."),
        ("TLS reports", per_domain(share_level(tls_failed, 0.05)),
         "TLS-RPT reports of the last day for the domain as policy domain: any failed "
         "session 1, 5 % or more 2."),
        ("Complaints", via_ips(level(complaint_ratio, 0.001, 0.003)),
         "Feedback-loop complaints over messages sent in the last day, the worst provider "
         "and sending IP of the domain: from 0.1 % 1, from 0.3 % 2 (Gmail's spam-rate "
         "lines; Yahoo uses the same)."),
        ("SNDS", via_ips(SNDS_CODE),
         "Microsoft SNDS for the domain's sending IPs: yellow 1, red or blocked 2."),
        ("Spam rate", per_domain(level(m(PM_SPAM), 0.001, 0.003)),
         "Gmail's user-reported spam rate (Postmaster Tools): from 0.1 % 1, from 0.3 % 2."),
        ("Unsubscribe", "2 - 2 * " + per_domain(m(
            PM_COMPLIANT, 'requirement=~"(?i)one_click_unsubscribe|honor_unsubscribe"'))
            .replace("max by", "min by", 1),
         "Postmaster Tools' one-click unsubscribe (RFC 8058 List-Unsubscribe-Post on "
         "marketing mail) and honoured-unsubscribe rows (requests honoured within 2 days): "
         "NEEDS_WORK 2."),
        ("Gmail status", "2 - 2 * " + per_domain(m(PM_COMPLIANT)).replace("max by", "min by", 1),
         "Any Postmaster Tools compliance row in NEEDS_WORK 2 (the Receivers dashboard "
         "lists them)."),
    ]


def compliance():
    L = Layout()
    checks = compliance_checks()
    worst = ("max by (job, instance, domain) (\n" +
             "\n  or ".join(tagged(e, name) for name, e, _ in checks) + "\n)")
    L.row("Bulk-sender rules", "Per sending domain, one cell per rule: " + STATE_HELP +
          "; empty: no data for that rule (a collector off, or no reports yet). " +
          RULE_SOURCES)
    cols = [(chr(ord("A") + i), e, name) for i, (name, e, _) in enumerate(checks)]
    cols.append((chr(ord("A") + len(cols)), worst, "Worst"))
    L.add(table("Compliance scorecard", "Gmail, Yahoo and Outlook.com rules for bulk "
                "senders, per sending domain (" + STATE_HELP + "). " +
                " ".join(f"{name}: {desc}" for name, _, desc in checks) +
                " Worst: the worst cell of the row. " + RULE_SOURCES,
                [(r, e) for r, e, _ in cols],
                ["instance", "domain"] + [f"Value #{r}" for r, _, _ in cols],
                {f"Value #{r}": name for r, _, name in cols},
                overrides=[column(name, mappings=STATE_MAP, thresholds=STATE_STEPS)
                           for _, _, name in cols],
                merge=True, sort=("Worst", True),
                links=[("Authentication", "mailrep-auth"),
                       ("Receivers", "mailrep-receivers")]), 24, 10)
    L.add(timeline("Worst rule over time", f"Per domain, the worst cell of its row: "
                   f"{STATE_HELP}.", worst.replace("job, instance, domain", "instance, domain",
                                                   1),
                   "{{domain}}", STATE_MAP, STATE_STEPS), 24, 8)
    return dashboard("mailrep-compliance", "mailrep / Compliance",
                     "Does each sending domain meet the Gmail, Yahoo and Outlook.com "
                     "bulk-sender rules? SPF, DKIM, DMARC and alignment, reverse DNS, TLS, "
                     "spam and complaint rates, unsubscribe.", L, "now-7d")


# --- Content -------------------------------------------------------------------

def content():
    L = Layout()
    L.row("Milter", "What the observe-only milter (collectors.milter) sees in outgoing mail: "
          "counts only, never content.")
    L.add(stat("Milter up", "1 while the milter listens; 0: it could not bind, and the MTA "
               "passes mail unanalysed (milter_default_action = accept).",
               f"min({m('mailrep_milter_up')})", thresholds=UP_STEPS,
               mappings=value_map([(0, "DOWN", "red"), (1, "up", "green")])), 6, 4)
    L.add(stat("Analysed", "Messages the milter analysed per minute.",
               f"60 * sum({rate('mailrep_milter_messages_total')})", unit="opm",
               thresholds=steps(("blue", None))), 6, 4)
    L.add(stat("With a listed link", "Share of analysed messages linking to a domain on a "
               "domain blocklist (DBL, URIBL, SURBL): such mail is junked everywhere.",
               f"sum({rate('mailrep_milter_listed_link_messages_total')}) / "
               f"(sum({rate('mailrep_milter_messages_total')}) > 0)", unit="percentunit",
               thresholds=steps(("green", None), ("red", 0.0001))), 6, 4)
    L.add(stat("Skipped", "Messages accepted without analysis per minute (too large, too "
               "slow, busy).", f"60 * sum({rate('mailrep_milter_messages_skipped_total')})",
               unit="opm", thresholds=steps(("green", None), ("orange", 1))), 6, 4)
    L.add(timeseries("Analysed by stream", "Messages per minute by stream (bulk: Precedence, "
                     "List-Id, List-Unsubscribe or the configured header; else transactional) "
                     "and sender domain (configured ones, else other).",
                     [target("60 * sum by (stream, sender_domain) "
                             f"({rate('mailrep_milter_messages_total')})",
                             "{{stream}} {{sender_domain}}")], "opm", stack=True), 12, 8)
    L.add(timeseries("Listed links by list", "Analysed messages per minute with a link to a "
                     "domain the list names (refusal codes never count).",
                     [target("60 * sum by (list) "
                             f"({rate('mailrep_milter_listed_link_messages_total')})",
                             "{{list}}")], "opm", bars=True), 12, 8)
    L.add(timeseries("Unsubscribe problems", "Bulk messages per minute without compliant "
                     "one-click unsubscribe (RFC 8058; Gmail and Yahoo require it of bulk "
                     "senders), by problem.",
                     [target("60 * sum by (problem) "
                             f"({rate('mailrep_milter_unsubscribe_problems_total')})",
                             "{{problem}}")], "opm", stack=True), 12, 8)
    L.add(timeseries("Format problems", "Analysed messages per minute with each RFC 5322 or "
                     "MIME format problem (Postmaster Tools grades MESSAGE_FORMATTING).",
                     [target("60 * sum by (problem) "
                             f"({rate('mailrep_milter_format_problems_total')})",
                             "{{problem}}")], "opm", stack=True), 12, 8)
    L.add(timeseries("Attachments by class", "Attachments per minute by risk class "
                     "(executables and macro-enabled Office files are what receivers refuse "
                     "as bad_attachment).",
                     [target("60 * sum by (class) "
                             f"({rate('mailrep_milter_attachments_total')})", "{{class}}")],
                     "opm", stack=True), 12, 8)
    L.add(timeseries("Attachment size", "Decoded attachment sizes: median and 99th "
                     "percentile.",
                     [target(f"histogram_quantile({q}, sum by (le) "
                             f"({rate('mailrep_milter_attachment_size_bytes_bucket')}))", name,
                             ref)
                      for q, name, ref in (("0.5", "p50", "A"), ("0.99", "p99", "B"))],
                     "bytes"), 12, 8)

    L.row("Spam filter", "Scores the outbound spam filter (rspamd or SpamAssassin; the "
          "spamscore collector) gave our mail.")
    L.add(timeseries("Score", "Median and 90th percentile score per filter (the reject "
                     "threshold as a dashed line).",
                     [target(f"histogram_quantile({q}, sum by (le, filter) "
                             f"({rate('mailrep_spam_score_bucket')}))",
                             f"{name} {{{{filter}}}}", ref)
                      for q, name, ref in (("0.5", "p50", "A"), ("0.9", "p90", "B"))] +
                     [target(f"max by (filter) ({m('mailrep_spam_threshold')})",
                             "threshold {{filter}}", "C")], min_zero=False), 12, 8)
    L.panels[-1]["fieldConfig"]["overrides"] = [{
        "matcher": {"id": "byFrameRefID", "options": "C"},
        "properties": [{"id": "custom.lineStyle",
                        "value": {"fill": "dash", "dash": [10, 10]}}]}]
    L.add(timeseries("Actions", "Scanned messages per minute by the filter's action.",
                     [target("60 * sum by (filter, action) "
                             f"({rate('mailrep_spam_messages_total')})",
                             "{{filter}} {{action}}")], "opm", stack=True), 12, 8)
    L.add(timeseries("Rule hits", "Hits per minute of the allow-listed rules (symbols); the "
                     "rest as other.",
                     [target("60 * sum by (filter, symbol) "
                             f"({rate('mailrep_spam_symbol_hits_total')})",
                             "{{filter}} {{symbol}}")], "opm"), 12, 8)
    L.add(timeseries("Flagged by sending IP", "Messages per minute the filter flagged (any "
                     "action but no_action, not_spam, skipped), by the address they were then "
                     "sent from (joined by Message-ID through the delivery collector's log; "
                     "counted when the delivery is logged).",
                     [target("60 * sum by (sending_ip) (" +
                             rate("mailrep_spam_messages_by_sending_ip_total",
                                  'action!~"no_action|not_spam|skipped"') + ")",
                             "{{sending_ip}}")], "opm", stack=True), 12, 8)
    return dashboard("mailrep-content", "mailrep / Content",
                     "Outgoing content as receivers grade it: links on domain blocklists, "
                     "one-click unsubscribe, format problems, attachments (the milter), and "
                     "the outbound spam filter's scores.", L)


# --- Sources -------------------------------------------------------------------

# The submitter families are window totals (gauges over the last 1h or 24h,
# the top submitters and the rest as other): compared and divided, never
# rate()d. Per submitter, not per sending IP: the exporter does not join a
# submitter to the address its mail left from, so a listing links here by
# time only.
SUB_KEY = "job, instance, submitter_kind, submitter"
SUB_LEGEND = "{{submitter_kind}} {{submitter}}"
SUB_NAMED = 'submitter_kind=~"sasl|local|client"'
SUB_ALERTS = 'alertname=~"MailrepSubmitter.*|MailrepQueueDominated.*"'
SHARE_STEPS = steps(("green", None), ("orange", 0.1), ("red", 0.3))


def sub(metric, window, extra=""):
    return m(metric, f'window="{window}"' + (", " + extra if extra else ""))


def sub_share(metric, window, extra=""):
    """The submitter's `metric` over its messages in the window (no row when it sent none)."""
    return (f"{sub(metric, window, extra)}\n/ ({sub('mailrep_submitter_messages', window, extra)}"
            " > 0)")


def submitters_table(window):
    extra = SUB_NAMED
    cols = [("A", sub("mailrep_submitter_messages", window, extra), "messages"),
            ("B", sub("mailrep_submitter_recipients", window, extra), "recipients"),
            ("C", sub_share("mailrep_submitter_deferred_messages", window, extra), "deferred"),
            ("D", sub_share("mailrep_submitter_bounced_messages", window, extra), "bounced"),
            ("E", sub("mailrep_submitter_blocklist_rejections", window, extra),
             "blocklist rejections"),
            ("F", sub("mailrep_submitter_client_ips", window, extra), "client IPs"),
            ("G", sub("mailrep_submitter_recipient_domains", window, extra),
             "recipient domains")]
    return table(
        f"Top submitters ({window})", f"The top submitters of the last {window} (window="
        f"\"{window}\"): messages, recipients, the share of the messages deferred at least once "
        "and bounced or expired, messages with a rejection citing a blocklist, distinct SMTP "
        "client addresses and recipient domains (HyperLogLog estimates). Kinds: sasl (a login), "
        "local (a user or uid), client (an unauthenticated client address); other and unknown "
        "are left out. Window totals as of the collector's last run.",
        [(r, e) for r, e, _ in cols],
        ["instance", "submitter_kind", "submitter"] + [f"Value #{r}" for r, _, _ in cols],
        {f"Value #{r}": name for r, _, name in cols},
        overrides=[column("messages", background=False),
                   column("recipients", background=False),
                   column("deferred", unit="percentunit", thresholds=SHARE_STEPS),
                   column("bounced", unit="percentunit", thresholds=SHARE_STEPS),
                   column("blocklist rejections", thresholds=BAD_STEPS),
                   column("client IPs", thresholds=steps(("green", None), ("orange", 10),
                                                         ("red", 20))),
                   column("recipient domains", background=False)],
        merge=True, hide=("Time", "job", "window", "__name__"), sort=("messages", True))


def sources():
    L = Layout()
    L.row("Now", "Who submits the outbound mail (the delivery collector's submitters option; "
          "the queue collector's composition option for the queue panels).")
    L.add(stat("Submitters (1h)", "Named submitters with mail in the last hour (the top N the "
               "collector keeps; the rest are other).",
               f"count({sub('mailrep_submitter_messages', '1h', SUB_NAMED)} > 0)",
               thresholds=steps(("blue", None))), 6, 4)
    L.add(stat("Largest share (1h)", "The largest share of the last hour's messages that one "
               "named submitter sent, per instance (the worst shown).",
               f"max(\n  max by (job, instance) ({sub('mailrep_submitter_messages', '1h', SUB_NAMED)})\n"
               f"  / (sum by (job, instance) ({sub('mailrep_submitter_messages', '1h')}) > 0)\n)",
               unit="percentunit", thresholds=steps(("green", None), ("orange", 0.5))), 6, 4)
    L.add(stat("Largest share of a deferred queue", "The share of a deferred queue (qmail: "
               "its remote queue) that its largest submitter put there, worst MTA instance.",
               "max(" + m("mailrep_queue_top_submitter_share", 'queue=~"deferred|remote"') + ")",
               unit="percentunit", thresholds=steps(("green", None), ("orange", 0.5))), 6, 4)
    L.add(stat("Anomaly alerts firing", "Submitter and queue-composition alerts firing now "
               "(table below).",
               "count(" + m("ALERTS", SUB_ALERTS + ', alertstate="firing"') + ")",
               no_value="0"), 6, 4)
    L.add(table("Firing anomaly alerts", "MailrepSubmitter* and MailrepQueueDominated* alerts "
                "firing now; each runbook holds the account's mail on all five MTAs.",
                [("A", m("ALERTS", SUB_ALERTS + ', alertstate="firing"'))],
                ["alertname", "severity", "instance", "submitter_kind", "submitter", "outcome",
                 "mta", "mta_instance", "queue"],
                hide=("Time", "job", "__name__", "Value", "alertstate", "window")), 24, 5)

    L.row("Top submitters", "Exact enough to rank: the collector's Space-Saving sketches keep "
          "the top N per window.")
    L.add(submitters_table("1h"), 24, 8)
    L.add(submitters_table("24h"), 24, 8)

    L.row("Over time", "Each point is the window total as of that time: a 1h point is the hour "
          "before it. Submitter metrics are per submitter, not per sending IP (the exporter does "
          "not tie a submitter to the address its mail left from): a listing's link opens this "
          "dashboard on the two hours around the listing of $ip, whose middle is the listing "
          "time; read the 1h panels there for the submitters active in the hour before it.")
    L.add(timeseries("Share of the hour's messages", "Each named submitter's share of all "
                     "messages of the last hour (10 largest at each point).",
                     [target("topk(10,\n  " + sub("mailrep_submitter_messages", "1h", SUB_NAMED)
                             + "\n  / on (job, instance) group_left ()\n  (sum by (job, instance) ("
                             + sub("mailrep_submitter_messages", "1h") + ") > 0)\n)",
                             SUB_LEGEND)], "percentunit"), 12, 8)
    L.add(timeseries("Messages in the last hour", "The last hour's messages per named "
                     "submitter, and the rest (other) and untraced (unknown).",
                     [target("topk(10, " + sub("mailrep_submitter_messages", "1h") + ")",
                             SUB_LEGEND)], "short"), 12, 8)
    L.add(timeseries("Deferred share (1h)", "Share of each submitter's last hour of messages "
                     "deferred at least once (10 highest with mail).",
                     [target("topk(10,\n  " + sub_share("mailrep_submitter_deferred_messages",
                                                        "1h", SUB_NAMED) + "\n)", SUB_LEGEND)],
                     "percentunit", thresholds=SHARE_STEPS), 12, 8)
    L.add(timeseries("Bounced share (1h)", "Share of each submitter's last hour of messages "
                     "bounced or expired (10 highest with mail).",
                     [target("topk(10,\n  " + sub_share("mailrep_submitter_bounced_messages",
                                                        "1h", SUB_NAMED) + "\n)", SUB_LEGEND)],
                     "percentunit", thresholds=SHARE_STEPS), 12, 8)
    L.add(timeseries("Client addresses per login (1h)", "Distinct SMTP client addresses each "
                     "login's mail came from in the last hour (HyperLogLog estimate); the "
                     "MailrepSubmitterManyClientIPs alert starts at 20.",
                     [target("topk(10, " + sub("mailrep_submitter_client_ips", "1h",
                                               'submitter_kind="sasl"') + ")", SUB_LEGEND)],
                     "short", thresholds=steps(("green", None), ("red", 20))), 8, 8)
    L.add(timeseries("Recipient domains (1h)", "Distinct recipient domains of each "
                     "submitter's last hour (HyperLogLog estimate): spam runs reach many.",
                     [target("topk(10, " + sub("mailrep_submitter_recipient_domains", "1h",
                                               SUB_NAMED) + ")", SUB_LEGEND)], "short"), 8, 8)
    L.add(timeseries("Blocklist-citing rejections (1h)", "Messages of the last hour with a "
                     "rejection whose reply cites a blocklist, per submitter.",
                     [target("topk(10, " + sub("mailrep_submitter_blocklist_rejections", "1h")
                             + " > 0)", SUB_LEGEND)], "short",
                     links=[("Blocklists", "mailrep-blocklists")]), 8, 8)

    L.row("Queue composition", "Who put the mail waiting in the deferred queues (the queue "
          "collector's composition option).")
    L.add(timeseries("Largest submitter's share of the deferred queue", "Per MTA instance, the "
                     "share of its deferred queue (qmail: remote) that its largest submitter "
                     "put there; MailrepQueueDominatedBySubmitter fires on 50 % of 100 or more "
                     "messages, up 25 points on 6 hours before.",
                     [target(m("mailrep_queue_top_submitter_share", 'queue=~"deferred|remote"'),
                             "{{instance}} {{mta}}/{{mta_instance}} {{queue}}")], "percentunit",
                     thresholds=steps(("green", None), ("orange", 0.5))), 12, 8)
    L.add(table("Deferred queue by submitter now", "Messages in the deferred queues per "
                "submitter (the top N per queue, the rest as other); `mailrep_exporter check "
                "queue --by submitter` prints the exact table on the host.",
                [("A", m("mailrep_queue_top_submitter_messages", 'queue=~"deferred|remote"')
                  + " > 0")],
                ["instance", "mta", "mta_instance", "queue", "submitter_kind", "submitter",
                 "Value"], {"Value": "messages"}, hide=("Time", "job", "__name__"),
                sort=("messages", True)), 12, 8)
    L.add(timeseries("Deferred queue by sender domain", "Messages in the deferred queues per "
                     "envelope sender domain (10 largest).",
                     [target("topk(10, " + m("mailrep_queue_top_sender_domain_messages",
                                             'queue=~"deferred|remote"') + ")",
                             "{{instance}} {{sender_domain}}")], "short"), 24, 7)
    d = dashboard("mailrep-sources", "mailrep / Sources",
                  "Who is sending: the top submitters (logins, local users, client "
                  "addresses) over the last hour and day, their deferred and bounced shares, "
                  "client addresses and recipient domains, blocklist-citing rejections, who "
                  "fills the deferred queues, and the anomaly alerts. Submitter metrics are not "
                  "per sending IP: a listing links here by its time only.", L)
    d["templating"]["list"].append(
        {"name": "ip", "label": "Listed IP", "type": "textbox", "query": "", "current": {},
         "hide": 0, "skipUrlSync": False,
         "description": "Set by the Blocklists dashboard's link from a listing, for reference "
                        "only: no submitter metric carries the sending IP."})
    return d


DASHBOARDS = {
    "overview.json": overview,
    "blocklists.json": blocklists,
    "authentication.json": auth,
    "queues.json": queues,
    "deliveries.json": deliveries,
    "receivers.json": receivers,
    "compliance.json": compliance,
    "content.json": content,
    "sources.json": sources,
}


def render(build):
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if a checked-in dashboard differs from the generated one")
    args = parser.parse_args()
    stale = []
    for name, build in DASHBOARDS.items():
        path = os.path.join(HERE, name)
        text = render(build)
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print(f"FAIL: {', '.join(stale)} differ from dashboards/gen_dashboards.py; run it",
              file=sys.stderr)
        return 1
    print(f"OK: {len(DASHBOARDS)} dashboards {'up to date' if args.check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
