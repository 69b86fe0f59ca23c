// NewPostfixQueueCollector: reads collectors.postfix_queue options, or finds
// the instances with the host collector's MTA detection.
#include "collectors/queue/postfix_queue_collector.h"
#include "collectors/queue/queue_instances_config.h"
#include "exporter/config/config_node.h"

namespace mailrep {

StatusOr<std::unique_ptr<Collector>> NewPostfixQueueCollector(const CollectorEnv& env,
                                                              ConfigNode& options) {
  PostfixQueueCollectorOptions opts;
  for (QueueInstance& instance :
       ReadQueueInstances(options, "postfix", "queue_directory", "/var/spool/postfix", env.root)) {
    opts.instances.push_back({std::move(instance.name), std::move(instance.directory)});
  }
  opts.top_destinations =
      static_cast<int>(options.GetInt("top_destinations", opts.top_destinations, 0, 1000));
  opts.read_defer_logs = options.GetBool("read_defer_logs", opts.read_defer_logs);
  opts.scan_threads = static_cast<int>(options.GetInt("scan_threads", opts.scan_threads, 1, 16));
  if (Status s = options.Finish(); !s.ok()) return s;

  return std::unique_ptr<Collector>(new PostfixQueueCollector(std::move(opts)));
}

}  // namespace mailrep
