// Signal handling for the service: SIGHUP reloads, SIGTERM/SIGINT stop.
//
// BlockServiceSignals() must run in main() before any thread starts, so every
// thread inherits the mask and only WaitForStopSignal() receives them.
#ifndef MAILREP_EXPORTER_APP_SIGNALS_H_
#define MAILREP_EXPORTER_APP_SIGNALS_H_

#include <functional>

namespace mailrep {

void BlockServiceSignals();

// Blocks until SIGTERM or SIGINT arrives, calling `on_reload` for each SIGHUP
// meanwhile. Returns the stop signal's number.
int WaitForStopSignal(const std::function<void()>& on_reload);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_APP_SIGNALS_H_
