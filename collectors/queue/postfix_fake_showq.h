// Test helper: a one-shot Postfix showq server on a unix socket, for the
// showq reader's and the Postfix scanner's tests.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_FAKE_SHOWQ_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_FAKE_SHOWQ_H_

#include <string>
#include <thread>

namespace mailrep {

// Listens at `path` (mode 0666) and sends `stream` to the first client, then
// closes it. Construction failures are gtest failures. The destructor stops
// the server.
class FakeShowq {
 public:
  FakeShowq(const std::string& path, std::string stream);
  ~FakeShowq();
  FakeShowq(const FakeShowq&) = delete;
  FakeShowq& operator=(const FakeShowq&) = delete;

 private:
  int fd_ = -1;
  std::thread thread_;
};

// The showq stream of an empty queue (Postfix 3.1 and later).
std::string EmptyShowqStream();

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_FAKE_SHOWQ_H_
