#include "exporter/app/landing_page.h"

#include <ctime>

namespace mailrep {
namespace {

std::string FormatTime(std::chrono::system_clock::time_point t) {
  if (t.time_since_epoch().count() == 0) return "never";
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

std::string CollectorRow(const LandingCollector& c) {
  std::string state;
  if (!c.enabled) {
    state = "<td>disabled</td><td></td><td></td>";
  } else if (c.status.runs == 0) {
    state = "<td>starting</td><td></td><td></td>";
  } else {
    state = std::string("<td class=\"") + (c.status.last_success ? "ok\">ok" : "fail\">failed") +
            "</td><td>" + FormatTime(c.status.last_run_end) + "</td><td>" +
            HtmlEscape(c.status.last_error) + "</td>";
  }
  return "<tr><td>" + HtmlEscape(c.name) + "</td><td>" + HtmlEscape(c.help) + "</td><td>" +
         (c.enabled ? FormatDuration(c.interval) : "") + "</td>" + state + "</tr>\n";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderLandingPage(const LandingInfo& info) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
      "<title>mailrep_exporter</title>\n<style>"
      "body{font-family:sans-serif;margin:0}"
      "header{background:#e6522c;color:#fff;padding:.6em 1em}"
      "main{padding:0 1em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
      ".ok{color:#1a7f37}.fail{color:#cf222e;font-weight:bold}"
      "</style></head>\n<body>\n<header><h1>mailrep_exporter</h1></header>\n<main>\n"
      "<p>Prometheus exporter for mail-server reputation: DNSBL listings, sender "
      "authentication, MTA queues and delivery outcomes.</p>\n"
      "<p>Version " +
      HtmlEscape(info.build.version) + " (revision " + HtmlEscape(info.build.revision) +
      "). Configuration: " + HtmlEscape(info.config_source) +
      ".</p>\n<ul>\n"
      "<li><a href=\"" +
      HtmlEscape(info.telemetry_path) + "\">Metrics</a></li>\n" +
      "<li><a href=\"/-/healthy\">Health</a></li>\n"
      "<li><a href=\"/-/ready\">Readiness</a></li>\n</ul>\n"
      "<h2>Collectors</h2>\n<table>\n<tr><th>Name</th><th>What</th><th>Interval</th>"
      "<th>Last result</th><th>Last run</th><th>Last error</th></tr>\n";
  for (const LandingCollector& c : info.collectors) html += CollectorRow(c);
  html += "</table>\n<h2>Probe</h2>\n";
  if (info.probe_modules.empty()) {
    html += "<p>No probe modules are enabled.</p>\n";
  } else {
    html += "<form action=\"/probe\" method=\"get\"><label>Module <select name=\"module\">";
    for (const std::string& m : info.probe_modules) {
      html += "<option>" + HtmlEscape(m) + "</option>";
    }
    html +=
        "</select></label> <label>Target <input name=\"target\"></label> "
        "<input type=\"submit\" value=\"Probe\"></form>\n";
  }
  html += "</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace mailrep
