// NewEximQueueCollector: reads collectors.exim_queue options, or finds the
// spool with the host collector's MTA detection.
#include <set>

#include "collectors/host/mta_detection.h"
#include "collectors/queue/exim_queue_collector.h"
#include "exporter/config/config_node.h"
#include "exporter/core/log.h"

namespace mailrep {

StatusOr<std::unique_ptr<Collector>> NewEximQueueCollector(const CollectorEnv& env,
                                                           ConfigNode& options) {
  EximQueueCollectorOptions opts;
  std::set<std::string> names;
  for (ConfigNode& node : options.GetMapList("instances")) {
    EximQueueInstance instance;
    instance.name = node.GetString("name");
    std::string dir = node.GetString("spool_directory");
    if (instance.name.empty()) node.Error("name", "required: a label value such as \"default\"");
    if (dir.empty() || dir.front() != '/') {
      node.Error("spool_directory", "required: an absolute path such as /var/spool/exim4");
    }
    if (!instance.name.empty() && !names.insert(instance.name).second) {
      node.Error("name", "duplicate instance name \"" + instance.name + "\"");
    }
    node.Finish();
    instance.spool_directory = env.root + dir;
    opts.instances.push_back(std::move(instance));
  }
  opts.top_destinations =
      static_cast<int>(options.GetInt("top_destinations", opts.top_destinations, 0, 1000));
  opts.read_msglogs = options.GetBool("read_msglogs", opts.read_msglogs);
  if (Status s = options.Finish(); !s.ok()) return s;

  if (opts.instances.empty()) {
    for (const DetectedMta& mta : DetectMtas(env.root)) {
      if (mta.mta == "exim")
        opts.instances.push_back({mta.instance, env.root + mta.queue_directory});
    }
  }
  if (opts.instances.empty()) {
    LogInfo("No Exim spool found; the exim_queue collector has nothing to watch",
            {{"hint", "set collectors.exim_queue.instances"}});
  }
  return std::unique_ptr<Collector>(new EximQueueCollector(std::move(opts)));
}

}  // namespace mailrep
