// Helpers for the queue tests: files with modes in temporary spool trees
// (made with ScopedTempDir) and the committed fixtures under
// tests/queue/fixtures/ (via MAILREP_SOURCE_DIR, else the source tree the test
// was built from).
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_TEST_UTIL_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_TEST_UTIL_H_

#include <sys/stat.h>

#include <string>
#include <string_view>

namespace mailrep {

// Writes `bytes` to `path`, creating parent directories, then sets `mode`.
void WriteTestFile(const std::string& path, std::string_view bytes, mode_t mode = 0700);

// Contents of tests/queue/fixtures/<relative>; fails the test if missing.
std::string ReadQueueFixture(const std::string& relative);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_TEST_UTIL_H_
