#include "collectors/queue/queue_instances_config.h"

#include <set>

#include "collectors/host/mta_detection.h"
#include "exporter/core/log.h"

namespace mailrep {

std::vector<QueueInstance> ReadQueueInstances(ConfigNode& options, const std::string& mta,
                                              const std::string& directory_key,
                                              const std::string& example_directory,
                                              const std::string& root) {
  std::vector<QueueInstance> instances;
  std::set<std::string> names;
  bool configured = options.Has("instances");
  for (ConfigNode& node : options.GetMapList("instances")) {
    QueueInstance instance;
    instance.name = node.GetString("name");
    std::string dir = node.GetString(directory_key);
    if (instance.name.empty()) node.Error("name", "required: a label value such as \"default\"");
    if (dir.empty() || dir.front() != '/') {
      node.Error(directory_key, "required: an absolute path such as " + example_directory);
    }
    if (!instance.name.empty() && !names.insert(instance.name).second) {
      node.Error("name", "duplicate instance name \"" + instance.name + "\"");
    }
    node.CheckUnknownKeys();
    instance.directory = root + dir;
    instances.push_back(std::move(instance));
  }
  if (configured) return instances;

  for (const DetectedMta& detected : DetectMtas(root)) {
    if (detected.mta == mta) {
      instances.push_back({detected.instance, root + detected.queue_directory});
    }
  }
  if (instances.empty()) {
    LogInfo("No " + mta + " queue found; its queue collector has nothing to watch",
            {{"hint", "set collectors." + mta + "_queue.instances"}});
  }
  return instances;
}

}  // namespace mailrep
