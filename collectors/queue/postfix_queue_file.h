// A pure parser of one Postfix queue file (the record format of record.c:
// a type byte, a little-endian base-128 length of at most 4 bytes, then the
// payload). See ../shared/reference/mta-formats.md section 1.3.
//
// Reads the envelope up to 'M', jumps over the message content with the
// size record's offsets (walking it when there is no usable 'C' record, as in
// maildrop files), reads the extracted segment up to the required 'E' record,
// and follows 'p' pointer records. Memory is bounded by `max_kept_recipients`
// and kMaxInterpretedPayload, whatever the input.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_FILE_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/queue/random_access_input.h"
#include "exporter/util/status.h"

namespace mailrep {

struct PostfixRecipient {
  std::string address;  // raw, as in the queue file
  uint64_t offset = 0;  // file offset of its 'R' record (what defer logs name)
};

struct PostfixQueueFileInfo {
  bool has_size_record = false;
  uint64_t content_size = 0;            // 'C' field 1: what mailq shows as the size
  uint64_t data_offset = 0;             // 'C' field 2
  uint64_t recipient_count = 0;         // 'C' field 3: recipients when queued
  std::optional<int64_t> arrival_time;  // 'T' seconds; the first one wins
  bool has_sender = false;
  bool null_sender = false;           // 'S' with an empty payload: <>
  uint64_t pending_recipients = 0;    // 'R'
  uint64_t done_recipients = 0;       // 'D': delivered or bounced
  uint64_t cancelled_recipients = 0;  // '/'
  // The first `max_kept_recipients` pending recipients, in file order.
  std::vector<PostfixRecipient> pending;
  uint64_t unknown_records = 0;  // record types this parser does not know (skipped)

  // With PostfixQueueFileOptions::read_origin only:
  std::string sender;              // 'S' payload ("" for <>)
  std::string sasl_username;       // A sasl_username=
  std::string client_address;      // A log_client_address=, else client_address=
  std::string rewrite_context;     // A rewrite_context= ("local" for local submissions)
  std::optional<uint64_t> userid;  // "(Postfix, from userid N)" in the first Received field
};

struct PostfixQueueFileOptions {
  size_t max_kept_recipients = 1000;
  // Also read the sender, the envelope's 'A' attributes above, and the first
  // content record (cleanup's own Received field, which names the uid of a
  // local submission): a few more payload reads per file.
  bool read_origin = false;
};

// Longest payload the parser interprets (addresses, times, sizes); longer
// records of those types make the file corrupt. Content is skipped unread.
inline constexpr size_t kMaxInterpretedPayload = 64 * 1024;

// Parses the file behind `input`. Truncated or corrupt input (no 'E' record,
// a bad length, a pointer loop, a malformed size or time record) gives
// InvalidArgument naming the problem and offset; read errors come through.
StatusOr<PostfixQueueFileInfo> ParsePostfixQueueFile(RandomAccessInput& input,
                                                     const PostfixQueueFileOptions& options = {});

// Convenience for in-memory data (tests, fuzzers).
StatusOr<PostfixQueueFileInfo> ParsePostfixQueueFile(std::string_view data,
                                                     const PostfixQueueFileOptions& options = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_FILE_H_
