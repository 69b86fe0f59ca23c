// The observe-only milter (#17), opt-in: `collectors.milter` with a `listen`
// address. It runs a MilterServer (milter_server.h) from the collector's
// first run on; each message the MTA hands over is analysed after the MTA
// has its ACCEPT (collectors/content/message_analysis.h) and counted into
// MilterStats; its link domains, if any and if lists are configured, go to
// one worker thread that looks them up through the shared DNS engine (at most
// max_lookups per message; the queue is bounded, a full queue drops the
// message's lookups and counts it). Collect() exports the counters and
// whether the milter listens, retrying a failed bind on each run.
//
// Options (collectors.milter):
//   listen             unix:/path or inet:127.0.0.1:8895 (required)
//   max_message_bytes  header fields and body, default 10 MiB
//   max_message_time   MAIL FROM to end of message, default 10s
//   max_connections    default 64
//   idle_timeout       default 5m
//   bulk_header        a field that marks bulk mail (besides Precedence, List-Id,
//                      List-Unsubscribe)
//   sender_domains     envelope-sender domains with their own label (default:
//                      the senders' domains); others are "other"
//   lists              domain-list zones (default: the catalogue's default
//                      domain lists); [] to look nothing up
//   max_lookups        per message, default 20; lookup_timeout default 10s
//   lookup_queue       messages waiting for lookups, default 1000
#ifndef MAILREP_COLLECTORS_MILTER_MILTER_COLLECTOR_H_
#define MAILREP_COLLECTORS_MILTER_MILTER_COLLECTOR_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "collectors/content/link_listing.h"
#include "collectors/content/message_analysis.h"
#include "collectors/milter/milter_server.h"
#include "collectors/milter/milter_stats.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct MilterCollectorOptions {
  MilterServerOptions server;
  ContentOptions content;
  std::vector<std::string> sender_domains;
  std::vector<DnsblListConfig> lists;
  size_t max_lookups = 20;
  std::chrono::milliseconds lookup_timeout{10000};
  size_t lookup_queue = 1000;
};

class MilterCollector : public Collector {
 public:
  MilterCollector(MilterCollectorOptions options, std::shared_ptr<const PublicSuffixList> psl,
                  std::shared_ptr<DnsEngine> dns);
  ~MilterCollector() override;

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  void AdoptState(Collector& previous) override;

  // The bound address once listening ("" before); for tests.
  std::string address() const;
  // Waits until the link worker's queue is empty and idle (tests).
  void DrainLinkChecks();

 private:
  void OnMessage(MilterMessageEvent&& event);
  void LinkWorker(std::stop_token stop);
  void Shutdown();

  MilterCollectorOptions options_;
  std::shared_ptr<const PublicSuffixList> psl_;
  std::shared_ptr<DnsEngine> dns_;
  std::shared_ptr<MilterStats> stats_;
  mutable std::mutex mu_;  // guards server_ and the queue
  std::unique_ptr<MilterServer> server_;
  bool bind_warned_ = false;
  std::condition_variable_any cv_;
  std::deque<std::vector<std::string>> queue_;
  bool worker_busy_ = false;
  std::jthread worker_;
};

CollectorSpec MilterCollectorSpec();
StatusOr<std::unique_ptr<Collector>> NewMilterCollector(const CollectorEnv& env,
                                                        ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MILTER_MILTER_COLLECTOR_H_
