// NewEximQueueCollector: reads collectors.exim_queue options, or finds the
// spool with the host collector's MTA detection.
#include "collectors/queue/exim_queue_collector.h"
#include "collectors/queue/queue_instances_config.h"
#include "exporter/config/config_node.h"

namespace mailrep {

StatusOr<std::unique_ptr<Collector>> NewEximQueueCollector(const CollectorEnv& env,
                                                           ConfigNode& options) {
  EximQueueCollectorOptions opts;
  for (QueueInstance& instance :
       ReadQueueInstances(options, "exim", "spool_directory", "/var/spool/exim4", env.root)) {
    opts.instances.push_back({std::move(instance.name), std::move(instance.directory)});
  }
  opts.top_destinations =
      static_cast<int>(options.GetInt("top_destinations", opts.top_destinations, 0, 1000));
  opts.read_msglogs = options.GetBool("read_msglogs", opts.read_msglogs);
  if (Status s = options.Finish(); !s.ok()) return s;

  return std::unique_ptr<Collector>(new EximQueueCollector(std::move(opts)));
}

}  // namespace mailrep
