#include "collectors/milter/milter_collector.h"

#include <algorithm>

#include "collectors/auth/dmarc_collector.h"
#include "collectors/dns/dns_engine.h"
#include "collectors/milter/milter_metrics.h"
#include "exporter/config/config_node.h"
#include "exporter/core/log.h"

namespace mailrep {
namespace {

std::vector<std::string> Zones(const std::vector<DnsblListConfig>& lists) {
  std::vector<std::string> zones;
  for (const DnsblListConfig& l : lists) zones.push_back(l.list.zone);
  return zones;
}

}  // namespace

MilterCollector::MilterCollector(MilterCollectorOptions options,
                                 std::shared_ptr<const PublicSuffixList> psl,
                                 std::shared_ptr<DnsEngine> dns)
    : options_(std::move(options)),
      psl_(std::move(psl)),
      dns_(std::move(dns)),
      stats_(std::make_shared<MilterStats>(options_.sender_domains, Zones(options_.lists))) {
  if (!options_.lists.empty()) {
    worker_ = std::jthread([this](std::stop_token stop) { LinkWorker(stop); });
  }
  for (size_t i = 0; i < options_.analysis_threads; ++i) {
    analysts_.emplace_back([this](std::stop_token stop) { Analyst(stop); });
  }
}

MilterCollector::~MilterCollector() { Shutdown(); }

void MilterCollector::Shutdown() {
  std::unique_ptr<MilterServer> server;
  {
    std::lock_guard<std::mutex> lock(mu_);
    server = std::move(server_);
  }
  server.reset();  // joins the connection threads, which call OnMessage
  for (std::jthread& a : analysts_) a.request_stop();
  for (std::jthread& a : analysts_) {
    if (a.joinable()) a.join();
  }
  if (worker_.joinable()) {
    worker_.request_stop();
    worker_.join();
  }
}

std::string MilterCollector::address() const {
  std::lock_guard<std::mutex> lock(mu_);
  return server_ ? server_->address() : "";
}

void MilterCollector::OnMessage(MilterMessageEvent&& event) {
  if (event.skipped) {
    stats_->RecordSkipped(*event.skipped);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (analysis_bytes_ + event.message.size() <= options_.analysis_queue_bytes) {
      analysis_bytes_ += event.message.size();
      analysis_queue_.push_back(std::move(event));
      analysis_cv_.notify_one();  // one message, one analyst
      return;
    }
  }
  stats_->RecordSkipped(MilterSkipReason::kBusy);
}

void MilterCollector::Analyst(std::stop_token stop) {
  while (true) {
    MilterMessageEvent event;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!analysis_cv_.wait(lock, stop, [&] { return !analysis_queue_.empty(); })) return;
      event = std::move(analysis_queue_.front());
      analysis_queue_.pop_front();
      ++analysts_busy_;
    }
    size_t bytes = event.message.size();
    Analyse(std::move(event));
    std::lock_guard<std::mutex> lock(mu_);
    analysis_bytes_ -= bytes;
    --analysts_busy_;
    drained_cv_.notify_all();
  }
}

void MilterCollector::Analyse(MilterMessageEvent&& event) {
  MessageFindings f = AnalyzeMessage(event.message, *psl_, options_.content);
  if (f.too_large) {
    stats_->RecordSkipped(MilterSkipReason::kTooLarge);
    return;
  }
  stats_->RecordAnalysed(event.sender_domain, event.recipients, f);
  if (f.link_domains.empty() || options_.lists.empty()) return;
  if (!dns_) {
    stats_->RecordLinkCheck(LinkCheckResult::kNoDns, {});
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() < options_.lookup_queue) {
      queue_.push_back(std::move(f.link_domains));
      cv_.notify_all();
      return;
    }
  }
  stats_->RecordLinkCheck(LinkCheckResult::kDropped, {});
}

void MilterCollector::LinkWorker(std::stop_token stop) {
  while (true) {
    std::vector<std::string> domains;
    {
      std::unique_lock<std::mutex> lock(mu_);
      worker_busy_ = false;
      cv_.notify_all();
      if (!cv_.wait(lock, stop, [&] { return !queue_.empty(); })) return;
      domains = std::move(queue_.front());
      queue_.pop_front();
      worker_busy_ = true;
    }
    StatusOr<std::shared_ptr<Resolver>> resolver = dns_->resolver();
    if (!resolver.ok()) {
      stats_->RecordLinkCheck(LinkCheckResult::kNoDns, {});
      continue;
    }
    LinkListing listing =
        LookUpLinkDomains(resolver->get(), options_.lists, domains, options_.max_lookups,
                          std::chrono::steady_clock::now() + options_.lookup_timeout);
    std::vector<std::string> zones;
    for (const ListedLink& l : listing.listed) {
      if (std::find(zones.begin(), zones.end(), l.list) == zones.end()) zones.push_back(l.list);
    }
    stats_->RecordLinkCheck(LinkCheckResult::kChecked, zones);
  }
}

void MilterCollector::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  drained_cv_.wait(lock, [&] { return analysis_queue_.empty() && analysts_busy_ == 0; });
  if (worker_.joinable()) cv_.wait(lock, [&] { return queue_.empty() && !worker_busy_; });
}

Status MilterCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  (void)ctx;
  std::unique_lock<std::mutex> lock(mu_);
  if (!server_) {
    StatusOr<std::unique_ptr<MilterServer>> started = MilterServer::Start(
        options_.server, [this](MilterMessageEvent&& e) { OnMessage(std::move(e)); });
    if (started.ok()) {
      server_ = std::move(started).value();
      LogInfo("The milter listens", {{"address", server_->address()}});
      bind_warned_ = false;
    } else if (!bind_warned_) {
      LogWarn("The milter cannot listen; the MTA passes mail unfiltered",
              {{"err", started.status().message()}});
      bind_warned_ = true;
    }
  }
  out->Add(kMilterUpFamily, {}, server_ ? 1 : 0);
  MilterServerCounts c = server_ ? server_->Counts() : MilterServerCounts{};
  lock.unlock();
  out->Add(kMilterConnectionsFamily, {}, static_cast<double>(c.open));
  out->Add(kMilterConnectionsTotalFamily, {"accepted"}, static_cast<double>(c.connections));
  out->Add(kMilterConnectionsTotalFamily, {"refused"}, static_cast<double>(c.refused));
  out->Add(kMilterConnectionsTotalFamily, {"protocol_error"},
           static_cast<double>(c.protocol_errors));
  stats_->Export(out);
  return Status::OK();
}

void MilterCollector::AdoptState(Collector& previous) {
  auto& old = static_cast<MilterCollector&>(previous);
  old.Shutdown();  // frees the listen address before this one's first run binds it
  stats_->Adopt(*old.stats_);
}

CollectorSpec MilterCollectorSpec() {
  using std::chrono::seconds;
  return {{"milter", false, seconds(15), seconds(10)},
          "Observe-only milter for Postfix and Sendmail: outbound messages' listed links, "
          "one-click unsubscribe, format problems and attachments.",
          NewMilterCollector,
          kMilterFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewMilterCollector(const CollectorEnv& env,
                                                        ConfigNode& options) {
  MilterCollectorOptions o;
  o.server.listen = options.GetString("listen");
  if (o.server.listen.empty()) {
    options.Error("listen", "give the address the MTA connects to: unix:/path or inet:host:port");
  } else if (std::string why = MilterListenError(o.server.listen); !why.empty()) {
    options.Error("listen", why);
  } else if (o.server.listen.rfind("unix:", 0) == 0) {
    o.server.listen = "unix:" + env.root + o.server.listen.substr(5);
  }
  o.server.budget.max_message_bytes =
      static_cast<size_t>(options.GetInt("max_message_bytes", 10 << 20, 1024, int64_t{1} << 30));
  o.server.budget.max_message_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      options.GetDuration("max_message_time", std::chrono::seconds(10)));
  if (o.server.budget.max_message_time.count() <= 0) {
    options.Error("max_message_time", "must be positive");
  }
  o.server.max_connections = static_cast<size_t>(options.GetInt("max_connections", 64, 1, 4096));
  o.server.idle_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      options.GetDuration("idle_timeout", std::chrono::minutes(5)));
  if (o.server.idle_timeout.count() <= 0) options.Error("idle_timeout", "must be positive");
  o.content.bulk_header = options.GetString("bulk_header");
  o.content.max_message_bytes = o.server.budget.max_message_bytes + 1;
  if (options.Has("sender_domains")) {
    o.sender_domains = options.GetStringList("sender_domains");
  } else {
    for (const SenderConfig& s : env.config.senders) {
      o.sender_domains.insert(o.sender_domains.end(), s.domains.begin(), s.domains.end());
    }
  }
  for (std::string& d : o.sender_domains) {
    std::transform(d.begin(), d.end(), d.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  std::sort(o.sender_domains.begin(), o.sender_domains.end());
  o.sender_domains.erase(std::unique(o.sender_domains.begin(), o.sender_domains.end()),
                         o.sender_domains.end());
  bool lists_given = options.Has("lists");
  std::vector<std::string> zones = options.GetStringList("lists");
  if (!lists_given || !zones.empty()) {
    if (auto error = DomainLists(DnsblCatalogue::BuiltIn(), zones, {}, &o.lists)) {
      options.Error("lists", *error);
    }
  }
  o.max_lookups = static_cast<size_t>(options.GetInt("max_lookups", 20, 1, 1000));
  o.lookup_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      options.GetDuration("lookup_timeout", std::chrono::seconds(10)));
  if (o.lookup_timeout.count() <= 0) options.Error("lookup_timeout", "must be positive");
  o.lookup_queue = static_cast<size_t>(options.GetInt("lookup_queue", 1000, 1, 100000));
  o.analysis_threads = static_cast<size_t>(options.GetInt("analysis_threads", 2, 1, 64));
  o.analysis_queue_bytes = static_cast<size_t>(
      options.GetInt("analysis_queue_bytes", 16 << 20, 1 << 20, int64_t{1} << 32));
  if (o.analysis_queue_bytes < o.server.budget.max_message_bytes) {
    options.Error("analysis_queue_bytes", "must be at least max_message_bytes");
  }
  if (Status s = options.Finish(); !s.ok()) return s;
  StatusOr<std::shared_ptr<const PublicSuffixList>> psl = LoadSystemPublicSuffixList();
  if (!psl.ok()) return psl.status();
  return std::unique_ptr<Collector>(
      new MilterCollector(std::move(o), std::move(psl).value(), env.dns));
}

}  // namespace mailrep
