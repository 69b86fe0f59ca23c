// ChildProcess: a helper process a test or benchmark starts and owns (NSD, the
// fake DNS responder, dnsperf). Test-only.
//
// The child runs in its own process group, which Stop() signals and reaps as a
// whole. The child gets a pipe as stdin (closed when the ChildProcess goes, which
// well-behaved helpers treat as "exit") and PR_SET_PDEATHSIG=SIGTERM, so it
// never outlives the test. Its stdout is a pipe readable line by line; stderr
// is inherited. Not thread-safe.
#ifndef MAILREP_TESTS_DNS_CHILD_PROCESS_H_
#define MAILREP_TESTS_DNS_CHILD_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep::testing {

class ChildProcess {
 public:
  // Runs argv[0] (an absolute path) with the given arguments.
  static StatusOr<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Stop().
  ~ChildProcess();

  // One line of the child's stdout without the newline; DeadlineExceeded if
  // none arrives in time, NotFound at end of output.
  StatusOr<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Everything the child writes to stdout until it exits or the timeout passes.
  std::string ReadAll(std::chrono::milliseconds timeout);

  // True while the child has not exited.
  bool Running();
  // Waits for exit; returns the exit status (as from waitpid) or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL after 3 s; reaps the child. Idempotent.
  void Stop();

  pid_t pid() const { return pid_; }

 private:
  ChildProcess() = default;
  // Reaps what is left of the child's process group (orphans of the child
  // that were reparented to this process).
  void ReapGroup();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  bool reaped_ = false;
  int exit_status_ = 0;
  std::string buffer_;
};

// The source tree: $MAILREP_SOURCE_DIR (set by ctest), else the tree this
// binary was configured from.
std::string SourceDir();

}  // namespace mailrep::testing

#endif  // MAILREP_TESTS_DNS_CHILD_PROCESS_H_
