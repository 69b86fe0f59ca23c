#include "collectors/reports/report_labels.h"

#include <algorithm>
#include <array>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string NormalName(std::string_view name) {
  std::string out = ToLowerAscii(TrimAscii(name));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// The host or domain in an org name, "user@domain", "mailto:user@domain",
// "https://host/path" or "dns; host".
std::string NameOf(std::string_view text) {
  if (size_t semi = text.find(';'); semi != std::string_view::npos) text.remove_prefix(semi + 1);
  text = TrimAscii(text);
  if (size_t scheme = text.find("://"); scheme != std::string_view::npos) {
    text.remove_prefix(scheme + 3);
    text = text.substr(0, text.find_first_of("/:?"));
  }
  if (size_t at = text.rfind('@'); at != std::string_view::npos) text.remove_prefix(at + 1);
  text = text.substr(0, text.find_first_of(">, "));
  return NormalName(text);
}

template <size_t N>
std::string_view OneOf(std::string_view value, const std::array<std::string_view, N>& known) {
  std::string lower = ToLowerAscii(TrimAscii(value));
  for (std::string_view k : known) {
    if (k == lower) return k;
  }
  return "other";
}

constexpr std::array<std::string_view, 3> kDispositions = {"none", "quarantine", "reject"};
constexpr std::array<std::string_view, 3> kPolicyTypes = {"sts", "tlsa", "no-policy-found"};
// RFC 8460 §4.3, the IANA "STARTTLS Validation Result Types" registry.
constexpr std::array<std::string_view, 11> kTlsResultTypes = {
    "starttls-not-supported", "certificate-host-mismatch",
    "certificate-expired",    "certificate-not-trusted",
    "validation-failure",     "tlsa-invalid",
    "dnssec-invalid",         "dane-required",
    "sts-policy-fetch-error", "sts-policy-invalid",
    "sts-webpki-invalid"};
// The IANA "Feedback Report Type Values" registry (RFC 5965, 6430, 6591).
constexpr std::array<std::string_view, 6> kFeedbackTypes = {"abuse", "fraud",    "virus",
                                                            "other", "not-spam", "auth-failure"};

}  // namespace

ReportLabels::ReportLabels(const ReportLabelsConfig& config)
    : receivers_(config.receivers), own_networks_(config.own_networks) {
  for (const std::string& d : config.policy_domains) policy_domains_.insert(NormalName(d));
  for (const std::string& h : config.mx_hosts) mx_hosts_.insert(NormalName(h));
}

void ReportLabels::SetSeenIps(const std::vector<IpAddress>& ips) {
  seen_.clear();
  for (const IpAddress& ip : ips) seen_.insert(UnmapIpv4(ip));
}

std::string ReportLabels::Ip(std::string_view text) const {
  StatusOr<IpAddress> parsed = IpAddress::Parse(TrimAscii(text));
  if (!parsed.ok()) return "other";
  IpAddress ip = UnmapIpv4(*parsed);
  if (seen_.count(ip) > 0) return ip.ToString();
  for (const IpNetwork& n : own_networks_) {
    if (n.Contains(ip)) return ip.ToString();
  }
  return "other";
}

std::string_view ReportLabels::Receiver(std::initializer_list<std::string_view> names) const {
  for (std::string_view text : names) {
    std::string name = NameOf(text);
    if (name.empty()) continue;
    std::string_view found = receivers_.LookupName(name);
    if (found != "other") return found;
    // Microsoft reports as microsoft.com for the outlook.com mailboxes.
    if ((name == "microsoft.com" || name.ends_with(".microsoft.com"))) {
      std::vector<std::string> names_now = receivers_.names();
      if (std::find(names_now.begin(), names_now.end(), "outlook") != names_now.end()) {
        return "outlook";
      }
    }
  }
  return "other";
}

std::string_view ReportLabels::PolicyDomain(std::string_view domain) const {
  auto it = policy_domains_.find(NormalName(domain));
  return it == policy_domains_.end() ? std::string_view("other") : std::string_view(*it);
}

std::string_view ReportLabels::MxHost(std::string_view host) const {
  auto it = mx_hosts_.find(NormalName(host));
  return it == mx_hosts_.end() ? std::string_view("other") : std::string_view(*it);
}

std::string_view ReportLabels::Disposition(std::string_view d) { return OneOf(d, kDispositions); }
std::string_view ReportLabels::PolicyType(std::string_view t) { return OneOf(t, kPolicyTypes); }
std::string_view ReportLabels::TlsResultType(std::string_view t) {
  return OneOf(t, kTlsResultTypes);
}
std::string_view ReportLabels::FeedbackType(std::string_view t) { return OneOf(t, kFeedbackTypes); }

}  // namespace mailrep
