// The list of every collector the exporter has, in display order.
#ifndef MAILREP_COLLECTORS_REGISTRY_H_
#define MAILREP_COLLECTORS_REGISTRY_H_

#include <vector>

#include "exporter/core/check_command.h"
#include "exporter/core/collector.h"

namespace mailrep {

const std::vector<CollectorSpec>& AllCollectors();

// The `check` subcommands, in display order.
const std::vector<CheckCommand>& AllCheckCommands();

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REGISTRY_H_
