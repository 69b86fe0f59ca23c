#include "collectors/registry.h"

#include "collectors/host/host_collector.h"

namespace mailrep {

using std::chrono::seconds;

// One line per collector: {name, enabled by default, interval, timeout}, help,
// factory. Explicit, because self-registering statics in static libraries are
// dropped by the linker.
const std::vector<CollectorSpec>& AllCollectors() {
  static const std::vector<CollectorSpec> specs = {
      {{"host", true, seconds(60), seconds(10)},
       "This host's addresses, name and installed MTAs.",
       NewHostCollector},
  };
  return specs;
}

// One line per `check` subcommand.
const std::vector<CheckCommand>& AllCheckCommands() {
  static const std::vector<CheckCommand> commands = {};
  return commands;
}

}  // namespace mailrep
