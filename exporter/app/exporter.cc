#include "exporter/app/exporter.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "collectors/http_fetch/curl_http_fetcher.h"
#include "exporter/app/landing_page.h"
#include "exporter/config/config_file.h"
#include "exporter/config/config_partial.h"
#include "exporter/core/log.h"
#include "exporter/core/probe_metrics.h"
#include "exporter/core/process_metrics.h"
#include "exporter/core/seen_sending_ips_metrics.h"
#include "exporter/core/tlsrpt_intake_metrics.h"
#include "exporter/http/web_config.h"

namespace mailrep {
namespace {

constexpr char kExpositionContentType[] = "text/plain; version=0.0.4; charset=utf-8";
constexpr double kProbeTimeoutOffsetSeconds = 0.5;
constexpr double kDefaultProbeTimeoutSeconds = 10;
// A probe holds one of the server's slow threads; no scrape waits this long.
constexpr double kMaxProbeTimeoutSeconds = 120;
constexpr char kHealthyPath[] = "/-/healthy";
constexpr char kReportsCollector[] = "reports";
// The intake's own server: few event-loop threads, few connections per
// client (reporters send one report at a time).
constexpr int kIntakeThreads = 2;
constexpr int kIntakeMaxConnections = 64;
constexpr int kIntakeMaxConnectionsPerIp = 4;

std::vector<CollectorDefaults> DefaultsOf(const std::vector<CollectorSpec>& specs) {
  std::vector<CollectorDefaults> out;
  for (const CollectorSpec& spec : specs) out.push_back(spec.defaults);
  return out;
}

// Seconds a probe may take: the scrape timeout Prometheus announces, minus a
// margin for the response to reach it, at most kMaxProbeTimeoutSeconds. A
// value that is not a finite number is refused.
StatusOr<double> ProbeTimeoutSeconds(const HttpRequest& request) {
  auto it = request.headers.find("x-prometheus-scrape-timeout-seconds");
  if (it == request.headers.end()) return kDefaultProbeTimeoutSeconds;
  char* end = nullptr;
  double announced = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str()) return kDefaultProbeTimeoutSeconds;
  if (!std::isfinite(announced)) {
    return Status::InvalidArgument("X-Prometheus-Scrape-Timeout-Seconds is not a finite number: " +
                                   it->second);
  }
  if (!(announced > 0)) return kDefaultProbeTimeoutSeconds;
  return std::clamp(announced - kProbeTimeoutOffsetSeconds, 0.1, kMaxProbeTimeoutSeconds);
}

// Runs the factory of every enabled collector on `loaded->config`, adding the
// collectors with their config fingerprints; returns their errors, one per
// line ("" when none).
std::string AddCollectors(const Flags& flags, const std::vector<CollectorSpec>& specs,
                          const std::map<std::string, std::string>& fingerprints,
                          const std::shared_ptr<const Clock>& clock, LoadedConfig* loaded) {
  const Config& config = *loaded->config;
  std::string errors;
  for (const CollectorSpec& spec : specs) {
    const std::string& name = spec.defaults.name;
    const CollectorSettings& settings = config.collectors.at(name);
    auto override_it = flags.collector_overrides.find(name);
    bool enabled =
        override_it != flags.collector_overrides.end() ? override_it->second : settings.enabled;
    if (!enabled) continue;
    ConfigNode options = *settings.options;
    CollectorEnv env{config,
                     settings,
                     flags.rootfs,
                     loaded->dns,
                     clock,
                     loaded->http,
                     flags.shard,
                     loaded->seen_sending_ips,
                     loaded->message_ids};
    StatusOr<std::unique_ptr<Collector>> collector = spec.factory(env, options);
    if (!collector.ok()) {
      errors += (errors.empty() ? "" : "\n") + collector.status().message();
      continue;
    }
    auto fingerprint = fingerprints.find(name);
    loaded->collectors.push_back(
        {name, std::move(collector).value(), settings.interval, settings.timeout,
         fingerprint != fingerprints.end() ? fingerprint->second : std::string()});
  }
  return errors;
}

// The intake a config asks for: only with the reports collector enabled.
std::optional<TlsRptIntakeOptions> IntakeOptionsOf(const Config& config,
                                                   const std::vector<std::string>& enabled) {
  if (std::find(enabled.begin(), enabled.end(), kReportsCollector) == enabled.end()) {
    return std::nullopt;
  }
  return TlsRptIntakeOptionsOf(config);
}

HttpServer::Options IntakeServerOptions(const TlsRptIntakeOptions& intake) {
  HttpServer::Options options;
  options.listen_addresses = {intake.listen_address};
  options.threads = kIntakeThreads;
  // Checking and writing a report (gunzip, parse, fsync) runs on slow
  // threads, one more than max_concurrent so that the intake's own bound
  // (429 busy, counted) answers before the server's (429, not counted).
  options.slow_paths = {intake.path};
  options.slow_threads = intake.max_concurrent + 1;
  options.slow_busy_status = 429;
  options.auth_threads = 1;
  options.unauthenticated_paths = {};
  options.max_connections = kIntakeMaxConnections;
  options.max_connections_per_ip = kIntakeMaxConnectionsPerIp;
  int timeout = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(intake.body_timeout).count());
  options.request_read_timeout_seconds = timeout;
  options.connection_timeout_seconds = timeout;
  options.max_request_body_bytes = intake.max_body_bytes;
  options.body_paths = {intake.path};
  return options;
}

// `running` when it was made from the same settings, else a new engine.
StatusOr<std::shared_ptr<DnsEngine>> EngineFor(const Config& config, const Flags& flags,
                                               std::shared_ptr<DnsEngine> running,
                                               std::shared_ptr<const Clock> clock) {
  if (running && running->config() == config.dns) return running;
  StatusOr<std::shared_ptr<DnsEngine>> made =
      DnsEngine::Create(config.dns, flags.resolv_conf, std::move(clock));
  if (!made.ok()) return made.status().Annotate(config.source);
  return made;
}

}  // namespace

StatusOr<LoadedConfig> LoadConfig(const Flags& flags, const std::vector<CollectorSpec>& specs,
                                  std::shared_ptr<DnsEngine> running_dns,
                                  std::shared_ptr<const Clock> clock,
                                  std::shared_ptr<HttpFetcher> http,
                                  std::shared_ptr<SeenSendingIps> seen,
                                  std::shared_ptr<MessageIdIndex> message_ids) {
  if (!http) http = NewCurlHttpFetcher();
  if (!seen) seen = std::make_shared<SeenSendingIps>();
  if (!message_ids) message_ids = std::make_shared<MessageIdIndex>();
  std::string text(EmbeddedDefaultConfig());
  std::string source(kEmbeddedConfigSource);
  if (!flags.config_file.empty()) {
    StatusOr<std::string> read = ReadConfigText(flags.config_file);
    if (!read.ok()) return read.status();
    text = std::move(read).value();
    source = flags.config_file;
  }
  StatusOr<Config> parsed = ParseConfig(text, source, DefaultsOf(specs));
  if (!parsed.ok()) {
    // Report the collectors' own errors in the same pass as the generic ones.
    std::optional<Config> partial =
        parsed.status().code() == Status::Code::kInvalidArgument && !flags.config_file.empty()
            ? ReadPartialConfigFile(flags.config_file, DefaultsOf(specs))
            : std::nullopt;
    if (!partial) return parsed.status();
    LoadedConfig discarded{
        std::make_shared<const Config>(std::move(*partial)), {}, nullptr, http, seen, message_ids};
    StatusOr<std::shared_ptr<DnsEngine>> dns =
        EngineFor(*discarded.config, flags, running_dns, clock);
    if (!dns.ok()) return parsed.status();
    discarded.dns = *dns;
    return Status::InvalidArgument(MergeConfigErrors(
        parsed.status().message(), AddCollectors(flags, specs, {}, clock, &discarded)));
  }
  // Flags other than the config file do not change across reloads.
  std::map<std::string, std::string> fingerprints = CollectorFingerprints(text, DefaultsOf(specs));
  LoadedConfig loaded{std::make_shared<const Config>(std::move(parsed).value()),
                      {},
                      nullptr,
                      http,
                      seen,
                      message_ids};
  StatusOr<std::shared_ptr<DnsEngine>> dns = EngineFor(*loaded.config, flags, running_dns, clock);
  if (!dns.ok()) return dns.status();
  loaded.dns = *dns;
  std::string errors = AddCollectors(flags, specs, fingerprints, clock, &loaded);
  if (!errors.empty()) return Status::InvalidArgument(errors);
  return loaded;
}

struct Exporter::Generation {
  std::shared_ptr<const Config> config;
  std::shared_ptr<DnsEngine> dns;  // the one every collector of this generation uses
  std::unique_ptr<Scheduler> scheduler;
  std::map<std::string, ProbeModule> probe_modules;
  std::vector<std::string> enabled;  // collector names
  // Keep the collectors alive while a request of this generation runs a
  // probe module, even after a later reload released them.
  std::vector<std::shared_ptr<Collector>> collectors;
};

Exporter::Exporter(Flags flags, std::vector<CollectorSpec> specs, BuildInfo build,
                   std::shared_ptr<const Clock> clock)
    : flags_(std::move(flags)),
      specs_(std::move(specs)),
      clock_(std::move(clock)),
      build_(std::move(build)),
      store_(std::make_shared<SnapshotStore>()),
      http_(NewCurlHttpFetcher()),
      seen_sending_ips_(std::make_shared<SeenSendingIps>()),
      message_ids_(std::make_shared<MessageIdIndex>()) {}

Exporter::~Exporter() { Stop(); }

std::shared_ptr<Exporter::Generation> Exporter::MakeGeneration(LoadedConfig loaded,
                                                               Generation* previous) {
  auto gen = std::make_shared<Generation>();
  gen->config = loaded.config;
  gen->dns = loaded.dns;
  gen->scheduler = std::make_unique<Scheduler>(std::move(loaded.collectors), store_, clock_);
  // Unchanged collectors keep running as they are; changed ones adopt their
  // predecessor's state (Scheduler::TakeOver, Collector::AdoptState).
  if (previous != nullptr) gen->scheduler->TakeOver(*previous->scheduler);
  for (auto& [name, collector] : gen->scheduler->Collectors()) {
    gen->enabled.push_back(name);
    gen->collectors.push_back(collector);
    for (ProbeModule& module : collector->ProbeModules()) {
      gen->probe_modules.emplace(module.name, std::move(module));
    }
  }
  return gen;
}

Status Exporter::Start() {
  std::lock_guard reload_lock(reload_mu_);
  StatusOr<LoadedConfig> loaded =
      LoadConfig(flags_, specs_, nullptr, clock_, http_, seen_sending_ips_, message_ids_);
  if (!loaded.ok()) return loaded.status();
  StatusOr<WebConfig> web_config = LoadWebConfig(flags_.web_config_file);
  if (!web_config.ok()) return web_config.status();

  std::shared_ptr<Generation> gen = MakeGeneration(std::move(loaded).value(), nullptr);
  {
    std::lock_guard lock(mu_);
    current_ = gen;
    reload_state_.last_successful = true;
    reload_state_.last_success = clock_->WallNow();
  }
  gen->scheduler->Start();
  // Before the main server, so no scrape reads the intake while it is set.
  if (Status intake = StartIntake(*gen); !intake.ok()) {
    gen->scheduler->Stop();
    return intake;
  }

  HttpServer::Options options;
  options.listen_addresses = flags_.listen_addresses;
  // Handlers that wait on DNS or reload the config run on the server's slow
  // threads, so they never delay /metrics, /-/healthy or /-/ready.
  options.slow_paths = {"/probe", "/-/reload"};
  // Flags refuse it, but never let metrics escape basic auth.
  if (flags_.telemetry_path == kHealthyPath) options.unauthenticated_paths.clear();
  StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(
      options, *web_config, [this](const HttpRequest& request) { return Handle(request); });
  if (!server.ok()) {
    if (intake_server_) intake_server_->Stop();
    if (intake_retention_) intake_retention_->Stop();
    gen->scheduler->Stop();
    return server.status();
  }
  server_ = std::move(server).value();
  LogInfo("Configuration loaded",
          {{"source", gen->config->source}, {"collectors", gen->enabled.size()}});
  for (const std::string& address : server_->BoundAddresses()) {
    LogInfo("Listening on",
            {{"address", address},
             {"tls", web_config->tls ? "true" : "false"},
             {"basic_auth", web_config->basic_auth_users.empty() ? "false" : "true"}});
  }
  return Status::OK();
}

Status Exporter::StartIntake(const Generation& gen) {
  intake_options_ = IntakeOptionsOf(*gen.config, gen.enabled);
  if (!intake_options_) return Status::OK();
  StatusOr<std::unique_ptr<TlsRptIntake>> intake = TlsRptIntake::Open(*intake_options_, clock_);
  if (!intake.ok()) return intake.status();
  WebConfig web;
  if (!intake_options_->tls_cert_file.empty()) {
    web.tls = TlsServerConfig{};
    web.tls->cert_file = intake_options_->tls_cert_file;
    web.tls->key_file = intake_options_->tls_key_file;
  }
  TlsRptIntake* handler = intake->get();
  StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(IntakeServerOptions(*intake_options_), web,
                        [handler](const HttpRequest& request) { return handler->Handle(request); });
  if (!server.ok()) return server.status().Annotate("collectors.reports.tlsrpt_intake");
  intake_ = std::move(intake).value();
  intake_server_ = std::move(server).value();
  // The retention pass on a thread of its own, never on an upload's.
  intake_retention_ = std::make_unique<PeriodicTimer>(clock_, kTlsRptRetentionPassPeriod,
                                                      [handler] { handler->RunRetentionPass(); });
  for (const std::string& address : intake_server_->BoundAddresses()) {
    LogInfo("TLS-RPT intake listening on", {{"address", address},
                                            {"path", intake_options_->path},
                                            {"tls", web.tls ? "true" : "false"},
                                            {"spool_dir", intake_options_->spool_dir}});
  }
  return Status::OK();
}

Status Exporter::Reload() {
  std::lock_guard reload_lock(reload_mu_);
  std::shared_ptr<Generation> running = Current();
  StatusOr<LoadedConfig> loaded = LoadConfig(flags_, specs_, running ? running->dns : nullptr,
                                             clock_, http_, seen_sending_ips_, message_ids_);
  StatusOr<WebConfig> web_config = LoadWebConfig(flags_.web_config_file);
  Status status = !loaded.ok() ? loaded.status() : web_config.status();
  if (status.ok()) {
    std::vector<std::string> enabled;
    for (const ScheduledCollector& c : loaded->collectors) enabled.push_back(c.name);
    if (IntakeOptionsOf(*loaded->config, enabled) != intake_options_) {
      status = Status::InvalidArgument(
          "collectors.reports.tlsrpt_intake changed (or the reports collector was switched): "
          "the intake is applied only at start-up; restart mailrep_exporter to apply it");
    }
  }
  // Refuses TLS changes (applied only at start) before anything is swapped.
  if (status.ok() && server_) status = server_->UpdateWebConfig(*web_config);
  if (!status.ok()) {
    std::lock_guard lock(mu_);
    reload_state_.last_successful = false;
    reload_state_.failures++;
    LogError("Reload failed; keeping the running configuration", {{"err", status.message()}});
    return status;
  }

  std::shared_ptr<Generation> previous = Current();
  std::shared_ptr<Generation> next = MakeGeneration(std::move(loaded).value(), previous.get());
  store_->RetainOnly(next->enabled);
  {
    std::lock_guard lock(mu_);
    current_ = next;
    reload_state_.last_successful = true;
    reload_state_.last_success = clock_->WallNow();
  }
  next->scheduler->Start();
  LogInfo("Configuration reloaded",
          {{"source", next->config->source}, {"collectors", next->enabled.size()}});
  return Status::OK();
}

void Exporter::Stop() {
  // Outside reload_mu_: the server cancels and waits for in-flight handlers,
  // and POST /-/reload's handler takes reload_mu_.
  if (server_) server_->Stop();
  if (intake_server_) intake_server_->Stop();
  if (intake_retention_) intake_retention_->Stop();
  std::lock_guard reload_lock(reload_mu_);
  server_.reset();
  intake_server_.reset();
  std::shared_ptr<Generation> gen = Current();
  if (gen) gen->scheduler->Stop();
}

std::vector<std::string> Exporter::BoundAddresses() const {
  return server_ ? server_->BoundAddresses() : std::vector<std::string>{};
}

std::vector<std::string> Exporter::IntakeAddresses() const {
  return intake_server_ ? intake_server_->BoundAddresses() : std::vector<std::string>{};
}

std::shared_ptr<Exporter::Generation> Exporter::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

HttpResponse Exporter::Handle(const HttpRequest& request) {
  std::shared_ptr<Generation> gen = Current();
  const std::string& path = request.path;
  bool read_only = request.method == "GET" || request.method == "HEAD";
  if (path == "/-/reload") return ServeReload(request);
  if (!read_only) {
    HttpResponse r = HttpResponse::Text(405, "Only GET and HEAD are allowed on " + path + "\n");
    r.headers.push_back({"Allow", "GET, HEAD"});
    return r;
  }
  if (path == flags_.telemetry_path) return ServeMetrics(*gen);
  if (path == "/probe") return ServeProbe(*gen, request);
  if (path == kHealthyPath) return HttpResponse::Text(200, "Healthy\n");
  if (path == "/-/ready") {
    return gen->scheduler->FirstRoundDone()
               ? HttpResponse::Text(200, "Ready\n")
               : HttpResponse::Text(503, "Not ready: the first collection round is running\n");
  }
  if (path == "/") return ServeLanding(*gen);
  return HttpResponse::Text(404, "Not found: " + path + "\n");
}

HttpResponse Exporter::ServeMetrics(const Generation& gen) {
  MetricSet self;
  ReloadState reload;
  {
    std::lock_guard lock(mu_);
    reload = reload_state_;
  }
  AddSelfMetrics(build_, reload, flags_.shard, gen.scheduler->Statuses(), &self);
  AddDnsEngineMetrics(DnsEngineStatsOf(gen.dns.get()), &self);
  int64_t now = clock_->UnixSeconds();
  AddSeenSendingIpsMetrics({seen_sending_ips_->Size(now), seen_sending_ips_->dropped()}, &self);
  if (intake_) AddTlsRptIntakeMetrics(intake_->Stats(), &self);
  AddProcessMetrics(&self);
  Snapshot self_families = std::move(self).Take();

  HttpResponse response;
  response.content_type = kExpositionContentType;
  response.compressible = true;
  // The self-metrics, made per scrape, then the collectors' part, already
  // deflated by the store: a gzip scrape compresses only the self-metrics.
  response.body = SerializeMerged({&self_families});
  response.tail = store_->CompressedExposition();
  return response;
}

HttpResponse Exporter::ServeProbe(const Generation& gen, const HttpRequest& request) {
  std::string module_name = request.Query("module");
  std::string target = request.Query("target");
  if (module_name.empty()) return HttpResponse::Text(400, "Module parameter is missing\n");
  auto it = gen.probe_modules.find(module_name);
  if (it == gen.probe_modules.end()) {
    std::string known;
    for (const auto& [name, module] : gen.probe_modules)
      known += (known.empty() ? "" : ", ") + name;
    return HttpResponse::Text(400, "Unknown module \"" + module_name + "\" (enabled modules: " +
                                       (known.empty() ? "none" : known) + ")\n");
  }
  if (target.empty()) return HttpResponse::Text(400, "Target parameter is missing\n");

  StatusOr<double> timeout_or = ProbeTimeoutSeconds(request);
  if (!timeout_or.ok()) return HttpResponse::Text(400, timeout_or.status().message() + "\n");
  double timeout = *timeout_or;
  SteadyTime started = clock_->SteadyNow();
  // The deadline bounds real I/O, so it is on the real steady clock (clock.h).
  ProbeRequest probe{target, request.query,
                     std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(timeout)),
                     request.stop};
  MetricSet out(MetricSet::kMeasuredNow);  // HELP without the cached note
  StatusOr<bool> success = it->second.run(probe, &out);
  if (!success.ok()) {
    int code = success.status().code() == Status::Code::kPermissionDenied  ? 403
               : success.status().code() == Status::Code::kInvalidArgument ? 400
                                                                           : 500;
    return HttpResponse::Text(code, success.status().message() + "\n");
  }
  double seconds = std::chrono::duration<double>(clock_->SteadyNow() - started).count();
  MetricSet head;
  AddProbeEnvelope(*success, seconds, timeout, &head);
  Snapshot head_families = std::move(head).Take();
  Snapshot module_families = std::move(out).Take();

  HttpResponse response;
  response.content_type = kExpositionContentType;
  response.compressible = true;
  response.body = SerializeMerged({&head_families, &module_families});
  return response;
}

HttpResponse Exporter::ServeLanding(const Generation& gen) {
  LandingInfo info{build_, flags_.telemetry_path, gen.config->source, {}, {}};
  std::vector<CollectorStatus> statuses = gen.scheduler->Statuses();
  for (const CollectorSpec& spec : specs_) {
    LandingCollector c{spec.defaults.name, std::string(spec.help), false, {}, {}};
    for (const CollectorStatus& s : statuses) {
      if (s.name != c.name) continue;
      c.enabled = true;
      c.status = s;
      c.interval = gen.config->collectors.at(c.name).interval;
    }
    info.collectors.push_back(std::move(c));
  }
  for (const auto& [name, module] : gen.probe_modules) info.probe_modules.push_back(name);
  HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.compressible = true;
  response.body = RenderLandingPage(info);
  return response;
}

HttpResponse Exporter::ServeReload(const HttpRequest& request) {
  if (request.method != "POST" && request.method != "PUT") {
    HttpResponse r = HttpResponse::Text(405, "This endpoint requires a POST request.\n");
    r.headers.push_back({"Allow", "POST, PUT"});
    return r;
  }
  Status status = Reload();
  if (!status.ok()) {
    return HttpResponse::Text(500, "Failed to reload config: " + status.message() + "\n");
  }
  return HttpResponse::Text(200, "Reloaded\n");
}

}  // namespace mailrep
