// For tests: the qmail queue fixture (tests/queue/fixtures/qmail/queue, see
// generate.py there) made whole: qmail's split and other directories, and
// the file mtimes (queue birth times) git does not keep.
#ifndef MAILREP_COLLECTORS_QUEUE_QMAIL_FIXTURE_H_
#define MAILREP_COLLECTORS_QUEUE_QMAIL_FIXTURE_H_

#include <cstdint>
#include <string>

namespace mailrep {

// Copies the fixture to `queue` (which must not exist) and sets its times
// relative to `now` (Unix seconds): births of messages 2300..2308 are 3600,
// 7200, 60, 5, 1800, 2, 200000, 100 and 500 s before `now`; local/ and
// remote/ files get now + 400 (qmail-send's next-retry mtime). Fails the
// current test on error.
void BuildQmailFixtureQueue(const std::string& queue, int64_t now);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QMAIL_FIXTURE_H_
