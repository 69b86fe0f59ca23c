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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

struct QmailEnvelope {
  std::optional<uint64_t> uid;  // the u record: qmail-queue's caller
  bool has_sender = false;
  std::string sender;                // the first F record
  std::vector<std::string> pending;  // T records, in file order
  uint64_t done = 0;                 // D records
  uint64_t unknown_records = 0;      // records of another type
  bool truncated = false;            // the last record lacks its NUL (and was dropped)
};

// Parses any envelope file. Never fails: damage shows in the counts.
QmailEnvelope ParseQmailEnvelope(std::string_view bytes);

// Who handed a message to qmail-queue, from the start of its mess/ file: the
// first line is qmail-queue's own "Received: (qmail <pid> invoked by uid
// <uid>); ..." (a local submission; qmail-smtpd runs as qmaild, so its
// messages say "invoked from network" instead), and for network mail the
// next Received field is qmail-smtpd's "from <host> (HELO <name>) (<ip>)".
struct QmailSubmission {
  std::optional<uint64_t> uid;  // "invoked by uid N"
  bool from_network = false;    // "invoked from network"
  std::string client_address;   // qmail-smtpd's "(<ip>)"; "" when not found
};

// Reads `head` (the first bytes of a mess/ file; a cut-off field is fine).
// Unrecognised text gives an empty QmailSubmission.
QmailSubmission ParseQmailSubmission(std::string_view head);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QMAIL_ENVELOPE_H_
