// --config.check: validate the configuration the way a start would, and say
// what is wrong for a person.
#ifndef MAILREP_EXPORTER_APP_CHECK_CONFIG_H_
#define MAILREP_EXPORTER_APP_CHECK_CONFIG_H_

#include <ostream>
#include <vector>

#include "exporter/app/flags.h"
#include "exporter/core/collector.h"

namespace mailrep {

// Prints "<source>: OK (...)" to `out` or every problem to `err`; returns the
// process exit code (0 valid, 1 invalid).
int CheckConfig(const Flags& flags, const std::vector<CollectorSpec>& specs, std::ostream& out,
                std::ostream& err);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_APP_CHECK_CONFIG_H_
