// Builds Postfix queue files and defer logs in the real record format, for
// tests, fuzz seeds and the benchmark's synthetic queues (Postfix's own tools
// read them: postcat, postqueue). Not used by the exporter itself.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_FILE_WRITER_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_FILE_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

// One record: type byte, base-128 little-endian length, payload.
std::string PostfixRecord(char type, std::string_view payload);

struct SyntheticRecipient {
  std::string address;
  char type = 'R';  // 'R' pending, 'D' done, '/' cancelled
};

struct SyntheticPostfixMessage {
  int64_t arrival = 0;  // 'T' seconds
  int64_t arrival_usec = 0;
  std::string sender;                          // "" is the null sender
  std::vector<std::string> attributes;         // more 'A' records after 'S' ("sasl_username=alice")
  std::vector<SyntheticRecipient> recipients;  // in the envelope
  std::vector<SyntheticRecipient> extracted_recipients;  // after 'X' (sendmail -t)
  std::vector<std::string> body_lines = {"Subject: test", "", "hello"};
  bool size_record = true;  // false: maildrop style, no 'C' record
};

struct BuiltQueueFile {
  std::string bytes;
  uint64_t content_size = 0;                // what the 'C' record says
  std::vector<uint64_t> recipient_offsets;  // of each envelope recipient record
};

BuiltQueueFile BuildPostfixQueueFile(const SyntheticPostfixMessage& message);

struct SyntheticDeferEntry {
  std::string recipient;
  uint64_t offset = 0;
  std::string status;  // "4.2.2"
  std::string reason;
};

std::string BuildPostfixDeferLog(const std::vector<SyntheticDeferEntry>& entries);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_FILE_WRITER_H_
