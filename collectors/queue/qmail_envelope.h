// qmail envelope files: todo/<id>, intd/<id>, info/<n>/<id>, local/<n>/<id>
// and remote/<n>/<id> are sequences of NUL-terminated records whose first
// byte is the type:
//   u<uid> p<pid>   written by qmail-queue (todo/, intd/)
//   F<sender>       the envelope sender (todo/, intd/, info/); "" for bounces
//   T<recipient>    a recipient still to do (todo/, intd/, local/, remote/)
//   D<recipient>    a recipient done: delivered or failed for good (local/,
//                   remote/; qmail-send overwrites the T byte in place)
// Empty records are skipped; any other type is counted and skipped.
#ifndef MAILREP_COLLECTORS_QUEUE_QMAIL_ENVELOPE_H_
#define MAILREP_COLLECTORS_QUEUE_QMAIL_ENVELOPE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

struct QmailEnvelope {
  bool has_sender = false;
  std::string sender;                // the first F record
  std::vector<std::string> pending;  // T records, in file order
  uint64_t done = 0;                 // D records
  uint64_t unknown_records = 0;      // records of another type
  bool truncated = false;            // the last record lacks its NUL (and was dropped)
};

// Parses any envelope file. Never fails: damage shows in the counts.
QmailEnvelope ParseQmailEnvelope(std::string_view bytes);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QMAIL_ENVELOPE_H_
