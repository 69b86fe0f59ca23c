// Exporter: the running service — the current configuration generation
// (config, collectors, scheduler, probe modules), reloads, and the HTTP routes.
//
// Thread-safe: Handle() is called from HTTP worker threads; Reload() from the
// signal thread or POST /-/reload, one at a time (serialized internally). A
// request holds the generation it started with, so a reload never pulls a
// collector out from under a running probe.
#ifndef MAILREP_EXPORTER_APP_EXPORTER_H_
#define MAILREP_EXPORTER_APP_EXPORTER_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collectors/delivery/message_id_index.h"
#include "collectors/dns/dns_engine.h"
#include "collectors/host/seen_sending_ips.h"
#include "collectors/http_fetch/http_fetcher.h"
#include "collectors/reports/tlsrpt_intake.h"
#include "exporter/app/flags.h"
#include "exporter/core/collector.h"
#include "exporter/core/periodic_timer.h"
#include "exporter/core/scheduler.h"
#include "exporter/core/self_metrics.h"
#include "exporter/core/snapshot_store.h"
#include "exporter/http/http_server.h"

namespace mailrep {

// A validated config with its collectors built but not started.
struct LoadedConfig {
  std::shared_ptr<const Config> config;
  std::vector<ScheduledCollector> collectors;
  // The DNS engine every collector got (see collectors/dns/dns_engine.h).
  std::shared_ptr<DnsEngine> dns;
  // The HTTP(S) fetcher every collector got (collectors/http_fetch/).
  std::shared_ptr<HttpFetcher> http;
  // The store of sending IPs seen every collector got (seen_sending_ips.h).
  std::shared_ptr<SeenSendingIps> seen_sending_ips;
  // The index of messages sent every collector got (message_id_index.h).
  std::shared_ptr<MessageIdIndex> message_ids;
};

// Reads the config (flags.config_file or the embedded default), validates it
// and builds every enabled collector (flags' overrides applied), all on one
// DNS engine: `running_dns` when it was made from the same `dns` section
// (a reload keeps it, with its cache, thread and rate limits), else a new one.
// All problems come back in one Status, one per line. `clock` is what the
// collectors and a new engine read the time from. Every collector gets
// `http`, the process's fetcher (null: a new libcurl one; the exporter passes
// the one it made at construction, so reloads keep it), and `seen`, the
// process's store of sending IPs seen (null: a new one; likewise kept), and
// `message_ids`, its index of messages sent (null: a new one; likewise kept).
StatusOr<LoadedConfig> LoadConfig(const Flags& flags, const std::vector<CollectorSpec>& specs,
                                  std::shared_ptr<DnsEngine> running_dns = nullptr,
                                  std::shared_ptr<const Clock> clock = Clock::Real(),
                                  std::shared_ptr<HttpFetcher> http = nullptr,
                                  std::shared_ptr<SeenSendingIps> seen = nullptr,
                                  std::shared_ptr<MessageIdIndex> message_ids = nullptr);

class Exporter {
 public:
  // `clock`: the time of the collectors, the DNS engine, the scheduler and
  // the reload and probe timestamps (a FakeClock in tests).
  Exporter(Flags flags, std::vector<CollectorSpec> specs, BuildInfo build,
           std::shared_ptr<const Clock> clock = Clock::Real());
  ~Exporter();
  Exporter(const Exporter&) = delete;
  Exporter& operator=(const Exporter&) = delete;

  // Loads the config, starts the collectors and the HTTP server. Any error is
  // fatal at start-up (the caller exits non-zero).
  Status Start();
  // Re-reads the config file and the web config; on any error keeps running
  // the old ones and returns the error. Collectors whose part of the config
  // did not change keep running untouched; changed ones take over their
  // predecessor's state (Scheduler::TakeOver).
  Status Reload();
  // Stops the HTTP server and the collectors (in-flight runs cancelled).
  void Stop();

  std::vector<std::string> BoundAddresses() const;
  // The TLS-RPT intake's listener (collectors.reports.tlsrpt_intake), ports
  // resolved; empty when it is not configured.
  std::vector<std::string> IntakeAddresses() const;
  HttpResponse Handle(const HttpRequest& request);

 private:
  struct Generation;

  std::shared_ptr<Generation> Current() const;
  HttpResponse ServeMetrics(const Generation& gen);
  HttpResponse ServeProbe(const Generation& gen, const HttpRequest& request);
  HttpResponse ServeLanding(const Generation& gen);
  HttpResponse ServeReload(const HttpRequest& request);
  // Starts the TLS-RPT intake and its own server when `gen` enables the
  // reports collector with a tlsrpt_intake.
  Status StartIntake(const Generation& gen);
  // Builds the next generation; on reload, takes over from `previous`.
  std::shared_ptr<Generation> MakeGeneration(LoadedConfig loaded, Generation* previous);

  const Flags flags_;
  const std::vector<CollectorSpec> specs_;
  const std::shared_ptr<const Clock> clock_;
  const BuildInfo build_;
  const std::shared_ptr<SnapshotStore> store_;
  // The process's one HTTP(S) fetcher, for every generation's collectors.
  const std::shared_ptr<HttpFetcher> http_;
  // The process's one store of sending IPs seen, kept across reloads.
  const std::shared_ptr<SeenSendingIps> seen_sending_ips_;
  // The process's one index of messages sent, kept across reloads.
  const std::shared_ptr<MessageIdIndex> message_ids_;
  std::unique_ptr<HttpServer> server_;
  // The TLS-RPT intake (optional) on a listener of its own, so uploads from
  // the internet never share threads or limits with /metrics. Applied at
  // start-up; a reload that changes it is refused.
  std::optional<TlsRptIntakeOptions> intake_options_;
  std::unique_ptr<TlsRptIntake> intake_;
  std::unique_ptr<HttpServer> intake_server_;
  // Runs intake_'s hourly retention pass; stopped before intake_ goes.
  std::unique_ptr<PeriodicTimer> intake_retention_;

  std::mutex reload_mu_;   // serializes Start/Reload/Stop
  mutable std::mutex mu_;  // guards the members below
  std::shared_ptr<Generation> current_;
  ReloadState reload_state_;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_APP_EXPORTER_H_
