// NewPostfixQueueCollector: reads collectors.postfix_queue options, or finds
// the instances with the host collector's MTA detection.
#include <set>

#include "collectors/host/mta_detection.h"
#include "collectors/queue/postfix_queue_collector.h"
#include "exporter/config/config_node.h"
#include "exporter/core/log.h"

namespace mailrep {

StatusOr<std::unique_ptr<Collector>> NewPostfixQueueCollector(const CollectorEnv& env,
                                                              ConfigNode& options) {
  PostfixQueueCollectorOptions opts;
  std::set<std::string> names;
  for (ConfigNode& node : options.GetMapList("instances")) {
    PostfixQueueInstance instance;
    instance.name = node.GetString("name");
    std::string dir = node.GetString("queue_directory");
    if (instance.name.empty()) node.Error("name", "required: a label value such as \"default\"");
    if (dir.empty() || dir.front() != '/') {
      node.Error("queue_directory", "required: an absolute path such as /var/spool/postfix");
    }
    if (!instance.name.empty() && !names.insert(instance.name).second) {
      node.Error("name", "duplicate instance name \"" + instance.name + "\"");
    }
    node.Finish();
    instance.queue_directory = env.root + dir;
    opts.instances.push_back(std::move(instance));
  }
  opts.top_destinations =
      static_cast<int>(options.GetInt("top_destinations", opts.top_destinations, 0, 1000));
  opts.read_defer_logs = options.GetBool("read_defer_logs", opts.read_defer_logs);
  opts.scan_threads = static_cast<int>(options.GetInt("scan_threads", opts.scan_threads, 1, 16));
  if (Status s = options.Finish(); !s.ok()) return s;

  if (opts.instances.empty()) {
    for (const DetectedMta& mta : DetectMtas(env.root)) {
      if (mta.mta != "postfix") continue;
      opts.instances.push_back({mta.instance, env.root + mta.queue_directory});
    }
  }
  if (opts.instances.empty()) {
    LogInfo("No Postfix found; the postfix_queue collector has nothing to watch",
            {{"hint", "set collectors.postfix_queue.instances"}});
  }
  return std::unique_ptr<Collector>(new PostfixQueueCollector(std::move(opts)));
}

}  // namespace mailrep
