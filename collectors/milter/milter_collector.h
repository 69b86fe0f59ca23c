// The observe-only milter (#17), opt-in: `collectors.milter` with a `listen`
// address. It runs a MilterServer (milter_server.h) from the collector's
// first run on; each message the MTA hands over is analysed after the MTA
// has its ACCEPT: the connection thread queues it (at most
// analysis_queue_bytes of messages wait; past that a message is counted as
// skipped, busy) for `analysis_threads` threads that analyse it
// (collectors/content/message_analysis.h) and count it into MilterStats, so
// the MTA never waits for the analysis, not even with its next message. Its
// link domains, if any and if lists are configured, go to
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
//   analysis_threads   default 2; analysis_queue_bytes default 16 MiB
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
  size_t analysis_threads = 2;
  size_t analysis_queue_bytes = 16 << 20;
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
  // Waits until every queued message is analysed and its links looked up
  // (tests, the benchmark).
  void Drain();

 private:
  void OnMessage(MilterMessageEvent&& event);
  void Analyse(MilterMessageEvent&& event);
  void Analyst(std::stop_token stop);
  void LinkWorker(std::stop_token stop);
  void Shutdown();

  MilterCollectorOptions options_;
  std::shared_ptr<const PublicSuffixList> psl_;
  std::shared_ptr<DnsEngine> dns_;
  std::shared_ptr<MilterStats> stats_;
  mutable std::mutex mu_;  // guards server_ and the queues
  std::unique_ptr<MilterServer> server_;
  bool bind_warned_ = false;
  std::condition_variable_any cv_;
  std::deque<std::vector<std::string>> queue_;
  bool worker_busy_ = false;
  std::jthread worker_;
  std::condition_variable_any analysis_cv_;  // a message was queued
  std::condition_variable_any drained_cv_;   // an analyst finished one
  std::deque<MilterMessageEvent> analysis_queue_;
  size_t analysis_bytes_ = 0;  // of the queued messages
  size_t analysts_busy_ = 0;
  std::vector<std::jthread> analysts_;
};

CollectorSpec MilterCollectorSpec();
StatusOr<std::unique_ptr<Collector>> NewMilterCollector(const CollectorEnv& env,
                                                        ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MILTER_MILTER_COLLECTOR_H_
