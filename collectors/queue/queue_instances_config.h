// The `instances` option every queue collector takes, and the fallback to the
// host collector's MTA detection when it is absent.
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_INSTANCES_CONFIG_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_INSTANCES_CONFIG_H_

#include <string>
#include <vector>

#include "exporter/config/config_node.h"

namespace mailrep {

struct QueueInstance {
  std::string name;       // mta_instance label value
  std::string directory;  // as opened: already prefixed with the root
};

// Reads `instances: [{name, <directory_key>}]` from `options` (errors go to
// the node: names required and unique, directories absolute). When the list
// is absent, returns the instances of `mta` that DetectMtas(root) finds, and
// logs when there are none (the collector then idles: a host without that MTA
// must still start).
std::vector<QueueInstance> ReadQueueInstances(ConfigNode& options, const std::string& mta,
                                              const std::string& directory_key,
                                              const std::string& example_directory,
                                              const std::string& root);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_INSTANCES_CONFIG_H_
