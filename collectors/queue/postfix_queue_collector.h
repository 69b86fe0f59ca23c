// The Postfix queue collector: reads each configured instance's
// queue_directory straight from disk every cycle (see postfix_queue_scan.h)
// and exports, per instance (mta="postfix"):
//   mailrep_queue_messages / _bytes / _recipients /
//   _oldest_message_age_seconds                       {mta,instance,queue}
//   mailrep_queue_deferred_messages_by_destination    {mta,instance,destination}
//   mailrep_queue_deferred_messages_by_reason         {mta,instance,reason}
//   mailrep_queue_scan_errors_total                   {mta,instance,kind}
// Every queue, every reason, every error kind and destination="other" exist
// from the first successful scan (0 when empty).
//
// Needs read access to the queue (root, the postfix user, or
// CAP_DAC_READ_SEARCH). A missing or unreadable queue directory fails the
// collection with a Status naming the path. Collect() is called from one
// thread at a time, as collector.h requires.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_COLLECTOR_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_COLLECTOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collectors/queue/spool_walker.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct PostfixQueueInstance {
  std::string name;             // label value: "default", a postmulti instance name
  std::string queue_directory;  // as opened (already prefixed with the root)
};

struct PostfixQueueCollectorOptions {
  std::vector<PostfixQueueInstance> instances;
  int top_destinations = 10;  // deferred destinations exported by name; the rest are "other"
  bool read_defer_logs = true;
  int scan_threads = 2;  // threads parsing queue files during Collect()
  // Wall clock in Unix seconds, for ages; the system clock when empty.
  std::function<int64_t()> now;
};

class PostfixQueueCollector : public Collector {
 public:
  explicit PostfixQueueCollector(PostfixQueueCollectorOptions options);
  Status Collect(const CollectContext& ctx, MetricSet* out) override;

 private:
  PostfixQueueCollectorOptions options_;
  // Scan problems since start, per instance (the _total counters).
  std::map<std::string, SpoolProblemCounts> problem_totals_;
};

// Options (collectors.postfix_queue in the config):
//   instances:         [{name: default, queue_directory: /var/spool/postfix}, ...]
//                      empty or absent: the instances found under env.root
//                      (main.cf queue_directory, multi_instance_directories)
//   top_destinations:  10 (0..1000)
//   read_defer_logs:   true (deferral reasons; one extra file read per deferred message)
//   scan_threads:      2 (1..16) threads parsing queue files while one lists them
StatusOr<std::unique_ptr<Collector>> NewPostfixQueueCollector(const CollectorEnv& env,
                                                              ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_COLLECTOR_H_
