#include "collectors/snds/snds_collector.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>

#include "exporter/core/log.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kFilterResult{
    "mailrep_snds_filter_result",
    MetricType::Gauge,
    {"ip", "result"},
    "1 for the filter result SNDS reported for the IP's last reported day (green: under 10 % of "
    "its mail judged spam, yellow: 10 to 90 %, red: over 90 %), 0 for the others.",
    true};
constexpr MetricFamily kBlocked{
    "mailrep_snds_blocked",
    MetricType::Gauge,
    {"ip"},
    "1 when a range in the SNDS IP status report blocks the IP, else 0; absent before the first "
    "good IP status report.",
    true};
constexpr MetricFamily kComplaintRate{
    "mailrep_snds_complaint_rate",
    MetricType::Gauge,
    {"ip"},
    "The complaint rate SNDS reported for the IP as a ratio (0.004 for 0.4 %); a bound such as < "
    "0.1 % is exported as the bound, with mailrep_snds_complaint_rate_is_bound 1.",
    true};
constexpr MetricFamily kComplaintRateIsBound{
    "mailrep_snds_complaint_rate_is_bound",
    MetricType::Gauge,
    {"ip"},
    "1 when the IP's complaint rate was reported as a bound (< 0.1 %), not a value.",
    true};
constexpr MetricFamily kTrapHits{"mailrep_snds_trap_hits",
                                 MetricType::Gauge,
                                 {"ip"},
                                 "Spam-trap hits SNDS reported for the IP's last reported day.",
                                 true};
constexpr MetricFamily kRcptCommands{"mailrep_snds_rcpt_commands",
                                     MetricType::Gauge,
                                     {"ip"},
                                     "RCPT commands SNDS saw from the IP on its last reported day.",
                                     true};
constexpr MetricFamily kDataCommands{"mailrep_snds_data_commands",
                                     MetricType::Gauge,
                                     {"ip"},
                                     "DATA commands SNDS saw from the IP on its last reported day.",
                                     true};
constexpr MetricFamily kMessageRecipients{
    "mailrep_snds_message_recipients",
    MetricType::Gauge,
    {"ip"},
    "Message recipients SNDS counted for the IP on its last reported day.",
    true};
constexpr MetricFamily kActivityStart{
    "mailrep_snds_activity_start_timestamp_seconds",
    MetricType::Gauge,
    {"ip"},
    "Start of the IP's reported activity period (Unix time; the report's times read as UTC).",
    true};
constexpr MetricFamily kActivityEnd{
    "mailrep_snds_activity_end_timestamp_seconds",
    MetricType::Gauge,
    {"ip"},
    "End of the IP's reported activity period (Unix time; the report's times read as UTC).",
    true};
constexpr MetricFamily kOtherRows{
    "mailrep_snds_other_rows",
    MetricType::Gauge,
    {"report"},
    "Rows of the last good SNDS report (ip_data, ip_status) about addresses that get no series: "
    "not configured, or beyond collectors.snds.max_ips.",
    true};
constexpr MetricFamily kFetchState{
    "mailrep_snds_fetch_state",
    MetricType::Gauge,
    {"report", "state"},
    "1 for the outcome of the last fetch of the SNDS report (ok, no_data: HTTP 404 or no rows, "
    "html, unauthorized, rate_limited, bad_request, http_error, timeout, network, too_large, "
    "truncated, invalid, no_link), 0 for the others.",
    true};
constexpr MetricFamily kFetchErrors{
    "mailrep_snds_fetch_errors_total",
    MetricType::Counter,
    {"report", "reason"},
    "Fetches of the SNDS report that gave no new data, by reason (the states of "
    "mailrep_snds_fetch_state but ok); the last good data stays exported.",
    true};
constexpr MetricFamily kDataTimestamp{
    "mailrep_snds_data_timestamp_seconds",
    MetricType::Gauge,
    {"report"},
    "Unix time the exported data of the SNDS report was fetched (0: never); SNDS updates once a "
    "day.",
    true};
constexpr MetricFamily kLinkAge{
    "mailrep_snds_link_age_seconds",
    MetricType::Gauge,
    {},
    "Age of the SNDS access link: since collectors.snds.link_issued, else since the url_file "
    "(key_file) was last modified. Links expire after 30 days.",
    true};

constexpr MetricFamily kSndsFamilies[] = {
    kFilterResult, kBlocked,      kComplaintRate,     kComplaintRateIsBound, kTrapHits,
    kRcptCommands, kDataCommands, kMessageRecipients, kActivityStart,        kActivityEnd,
    kOtherRows,    kFetchState,   kFetchErrors,       kDataTimestamp,        kLinkAge};

bool Wanted(const std::vector<IpNetwork>& ips, bool all_if_empty, const IpAddress& ip) {
  if (ips.empty()) return all_if_empty;
  return std::any_of(ips.begin(), ips.end(), [&](const IpNetwork& n) { return n.Contains(ip); });
}

// "2026-11-08" as Unix seconds at 00:00 UTC.
std::optional<int64_t> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string us = std::string(text.substr(5, 2)) + "/" + std::string(text.substr(8, 2)) + "/" +
                   std::string(text.substr(0, 4)) + " 00:00";
  return ParseSndsTime(us);
}

}  // namespace

std::vector<SndsIpView> SndsViews(const std::vector<SndsIpDataRow>* data,
                                  const std::vector<SndsIpStatusRow>* status,
                                  const std::vector<IpNetwork>& ips, bool all_if_empty,
                                  size_t max_ips, size_t* others) {
  std::vector<SndsIpView> views;
  *others = 0;
  auto find = [&views](const IpAddress& ip) {
    return std::find_if(views.begin(), views.end(),
                        [&](const SndsIpView& v) { return v.ip == ip; });
  };
  if (data != nullptr) {
    for (const SndsIpDataRow& row : *data) {
      IpAddress ip = UnmapIpv4(row.ip);
      auto it = find(ip);
      if (it != views.end()) {
        if (it->data->activity_end <= row.activity_end) it->data = row;  // the latest day
        continue;
      }
      if (!Wanted(ips, all_if_empty, ip) || views.size() >= max_ips) {
        ++*others;
        continue;
      }
      views.push_back({ip, row, std::nullopt});
    }
  }
  for (const IpNetwork& n : ips) {
    if (!n.is_single_address() || views.size() >= max_ips) continue;
    IpAddress ip = UnmapIpv4(n.address);
    if (find(ip) == views.end()) views.push_back({ip, std::nullopt, std::nullopt});
  }
  if (status != nullptr) {
    for (SndsIpView& v : views) {
      v.blocked = std::any_of(status->begin(), status->end(), [&](const SndsIpStatusRow& r) {
        return r.blocked && SndsRangeContains(r, v.ip);
      });
    }
  }
  return views;
}

SndsCollector::SndsCollector(SndsCollectorOptions options, std::shared_ptr<HttpFetcher> http,
                             std::shared_ptr<const Clock> clock)
    : options_(std::move(options)), http_(std::move(http)), clock_(std::move(clock)) {}

std::optional<int64_t> SndsCollector::LinkIssued() const {
  if (options_.link_issued) return options_.link_issued;
  const std::string& file =
      options_.links.url_file.empty() ? options_.links.key_file : options_.links.url_file;
  struct stat st;
  if (file.empty() || stat(file.c_str(), &st) != 0) return std::nullopt;
  return static_cast<int64_t>(st.st_mtim.tv_sec);
}

Status SndsCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  if (options_.links.url_file.empty() && options_.links.key_file.empty()) return Status::OK();
  StatusOr<SndsLinks> links = SndsLinks::Read(options_.links);
  if (!links.ok()) {
    LogWarn("Cannot read the SNDS access link", {{"err", links.status().message()}});
  }
  int64_t now = clock_->UnixSeconds();
  for (SndsReport report : kAllSndsReports) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("snds fetches cancelled");
    ReportState& state = State(report);
    SndsFetchResult r;
    if (links.ok()) {
      r = FetchSndsReport(*http_, *links, report, options_.fetch, ctx.deadline, ctx.stop);
    } else {
      r.reason = SndsFetchReason::kNoLink;
    }
    if (r.ok()) {
      if (report == SndsReport::kIpData) state.ip_data = std::move(r.ip_data);
      if (report == SndsReport::kIpStatus) state.ip_status = std::move(r.ip_status);
      state.data_time = now;
    } else {
      ++state.errors[r.reason];
      if (links.ok()) {
        LogWarn("SNDS report not fetched; the last good data stays exported",
                {{"report", SndsReportName(report)},
                 {"reason", SndsFetchReasonName(r.reason)},
                 {"url", SndsDisplayUrl(links->url(report))},
                 {"err", r.error}});
      }
    }
    state.last = r.reason;
    state.tried = true;
  }

  size_t others = 0;
  std::vector<SndsIpView> views =
      SndsViews(ip_data_.ip_data ? &*ip_data_.ip_data : nullptr,
                ip_status_.ip_status ? &*ip_status_.ip_status : nullptr, options_.ips,
                /*all_if_empty=*/false, options_.max_ips, &others);
  std::vector<std::string_view> results;
  for (SndsFilterResult f : kAllSndsFilterResults) results.push_back(SndsFilterResultName(f));
  for (const SndsIpView& v : views) {
    std::string ip = v.ip.ToString();
    if (v.data) {
      const SndsIpDataRow& d = *v.data;
      out->AddOneHot(kFilterResult, {ip}, results, SndsFilterResultName(d.filter_result));
      out->Add(kComplaintRate, {ip}, d.complaint_rate);
      out->Add(kComplaintRateIsBound, {ip}, d.complaint_rate_is_bound ? 1 : 0);
      out->Add(kTrapHits, {ip}, static_cast<double>(d.trap_hits));
      out->Add(kRcptCommands, {ip}, static_cast<double>(d.rcpt_commands));
      out->Add(kDataCommands, {ip}, static_cast<double>(d.data_commands));
      out->Add(kMessageRecipients, {ip}, static_cast<double>(d.message_recipients));
      out->Add(kActivityStart, {ip}, static_cast<double>(d.activity_start));
      out->Add(kActivityEnd, {ip}, static_cast<double>(d.activity_end));
    }
    if (v.blocked) out->Add(kBlocked, {ip}, *v.blocked ? 1 : 0);
  }
  size_t status_others = 0;
  if (ip_status_.ip_status) {
    for (const SndsIpStatusRow& row : *ip_status_.ip_status) {
      bool shown = std::any_of(views.begin(), views.end(),
                               [&](const SndsIpView& v) { return SndsRangeContains(row, v.ip); });
      if (!shown) ++status_others;
    }
  }
  std::vector<std::string_view> states;
  for (SndsFetchReason r : kAllSndsFetchReasons) states.push_back(SndsFetchReasonName(r));
  for (SndsReport report : kAllSndsReports) {
    ReportState& state = State(report);
    std::string_view name = SndsReportName(report);
    out->Add(kOtherRows, {name},
             static_cast<double>(report == SndsReport::kIpData ? others : status_others));
    out->AddOneHot(kFetchState, {name}, states, SndsFetchReasonName(state.last));
    for (const auto& [reason, count] : state.errors) {
      out->Add(kFetchErrors, {name, SndsFetchReasonName(reason)}, static_cast<double>(count));
    }
    out->Add(kDataTimestamp, {name}, static_cast<double>(state.data_time));
  }
  if (std::optional<int64_t> issued = LinkIssued()) {
    out->Add(kLinkAge, {}, static_cast<double>(std::max<int64_t>(0, now - *issued)));
  }
  return Status::OK();
}

void SndsCollector::AdoptState(Collector& previous) {
  auto& old = static_cast<SndsCollector&>(previous);
  ip_data_ = old.ip_data_;
  ip_status_ = old.ip_status_;
}

CollectorSpec SndsCollectorSpec() {
  using std::chrono::hours;
  using std::chrono::minutes;
  return {{"snds", false, hours(1), minutes(3)},
          "Microsoft SNDS per sending IP: filter result, blocked, complaint rate, trap hits, "
          "volumes; the access link's age.",
          NewSndsCollector,
          kSndsFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewSndsCollector(const CollectorEnv& env,
                                                      ConfigNode& options) {
  SndsCollectorOptions o;
  std::string url_file = options.GetString("url_file");
  std::string key_file = options.GetString("key_file");
  if (!url_file.empty() && !key_file.empty()) {
    options.Error("key_file", "give url_file or key_file, not both");
  }
  if (!url_file.empty()) o.links.url_file = env.root + url_file;
  if (!key_file.empty()) o.links.key_file = env.root + key_file;
  o.links.base_url = options.GetString("base_url", std::string(kSndsDefaultBaseUrl));
  if (o.links.base_url.rfind("https://", 0) != 0) {
    options.Error("base_url", "must be an https:// URL");
  }
  std::string issued = options.GetString("link_issued");
  if (!issued.empty()) {
    o.link_issued = ParseDate(issued);
    if (!o.link_issued) options.Error("link_issued", "must be a date, YYYY-MM-DD");
  }
  if (options.Has("ips")) {
    std::vector<std::string> ips = options.GetStringList("ips");
    for (size_t i = 0; i < ips.size(); ++i) {
      StatusOr<IpNetwork> n = IpNetwork::Parse(ips[i]);
      if (!n.ok()) {
        options.ErrorAt("ips", i, "not an IP address or CIDR block");
      } else {
        o.ips.push_back(*n);
      }
    }
  } else {
    for (const SenderConfig& sender : env.config.senders) {
      o.ips.insert(o.ips.end(), sender.ips.begin(), sender.ips.end());
    }
  }
  o.max_ips = static_cast<size_t>(options.GetInt("max_ips", 256, 1, 65536));
  o.fetch.ca_file = options.GetString("ca_file");
  if (!o.fetch.ca_file.empty()) o.fetch.ca_file = env.root + o.fetch.ca_file;
  o.fetch.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      options.GetDuration("fetch_timeout", std::chrono::seconds(60)));
  if (o.fetch.timeout.count() <= 0) options.Error("fetch_timeout", "must be positive");
  o.fetch.max_response_bytes = static_cast<size_t>(
      options.GetInt("max_response_bytes", 32 * 1024 * 1024, 1024, int64_t{1} << 30));
  if (Status s = options.Finish(); !s.ok()) return s;
  bool configured = !o.links.url_file.empty() || !o.links.key_file.empty();
  if (configured && !env.http) {
    return Status::Internal(env.config.source + ": the collector got no HTTP fetcher");
  }
  if (!configured) LogWarn("The snds collector has no url_file or key_file: it fetches nothing");
  return std::unique_ptr<Collector>(new SndsCollector(std::move(o), env.http, env.clock));
}

}  // namespace mailrep
