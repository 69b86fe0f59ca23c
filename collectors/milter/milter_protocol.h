// The Sendmail milter protocol (version 6, as Postfix and Sendmail speak it),
// MTA side in, filter side out — just what an observe-only filter needs.
//
// Why native and not Debian's libmilter: libmilter's smfi_main() blocks
// SIGHUP/SIGTERM/SIGINT and starts a thread that sigwait()s them, racing the
// exporter's own sigwait() loop (exporter/app/signals.cc) for reload and
// stop; it keeps its filter description in process-global state (one
// smfi_register per process, no clean restart on reload); and it adds a
// shared library for what is a length-prefixed command protocol.
//
// Framing: every packet is a 4-byte big-endian length (covering what
// follows), one command byte, then the command's data. MilterFrameReader cuts
// a byte stream into packets, refusing a length of 0 or over its cap.
//
// MilterSession is the filter's state for one MTA connection: it answers
// option negotiation (no actions: it never modifies mail; it asks the MTA to
// leave out CONNECT, HELO and unknown commands, and not to wait for replies
// to anything but the end of the message where the MTA allows that —
// Postfix does: then a message costs the MTA one round trip), keeps the
// envelope sender's domain and the number of recipients (never an address),
// the header fields and body up to a byte budget, and answers ACCEPT at end
// of message. A message over its byte or time budget is skipped: nothing
// more of it is kept, and it is accepted at the first command that waits
// for a reply (end of message when the MTA grants every no-reply flag; an
// MTA that waits for replies to header fields or body chunks gets ACCEPT at
// once). It never rejects, tempfails or replies anything but CONTINUE,
// ACCEPT and option negotiation. Pure (no I/O); one per connection; not
// thread-safe.
#ifndef MAILREP_COLLECTORS_MILTER_MILTER_PROTOCOL_H_
#define MAILREP_COLLECTORS_MILTER_MILTER_PROTOCOL_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailrep {

// Command bytes (MTA to filter).
inline constexpr char kMilterAbort = 'A';
inline constexpr char kMilterBody = 'B';
inline constexpr char kMilterConnect = 'C';
inline constexpr char kMilterMacro = 'D';
inline constexpr char kMilterEndOfBody = 'E';
inline constexpr char kMilterHelo = 'H';
inline constexpr char kMilterQuitNewConnection = 'K';
inline constexpr char kMilterHeader = 'L';
inline constexpr char kMilterMail = 'M';
inline constexpr char kMilterEndOfHeaders = 'N';
inline constexpr char kMilterOptionNegotiation = 'O';
inline constexpr char kMilterQuit = 'Q';
inline constexpr char kMilterRcpt = 'R';
inline constexpr char kMilterData = 'T';
inline constexpr char kMilterUnknown = 'U';
// Reply bytes (filter to MTA).
inline constexpr char kMilterReplyAccept = 'a';
inline constexpr char kMilterReplyContinue = 'c';

// Protocol flags of option negotiation (SMFIP_*).
inline constexpr uint32_t kMilterNoConnect = 0x1;
inline constexpr uint32_t kMilterNoHelo = 0x2;
inline constexpr uint32_t kMilterNoUnknown = 0x100;
inline constexpr uint32_t kMilterNoData = 0x200;
inline constexpr uint32_t kMilterNoReplyConnect = 0x1000;
inline constexpr uint32_t kMilterNoReplyHelo = 0x2000;
inline constexpr uint32_t kMilterNoReplyMail = 0x4000;
inline constexpr uint32_t kMilterNoReplyRcpt = 0x8000;
inline constexpr uint32_t kMilterNoReplyData = 0x10000;
inline constexpr uint32_t kMilterNoReplyUnknown = 0x20000;
inline constexpr uint32_t kMilterNoReplyEndOfHeaders = 0x40000;
inline constexpr uint32_t kMilterNoReplyBody = 0x80000;
inline constexpr uint32_t kMilterNoReplyHeader = 0x80;
inline constexpr uint32_t kMilterVersion = 6;

// One packet, framed: 4-byte length, command, data.
std::string MilterPacket(char command, std::string_view data);

class MilterFrameReader {
 public:
  explicit MilterFrameReader(size_t max_packet_bytes) : max_(max_packet_bytes) {}
  // Invalidates the data of the packets Next returned.
  void Append(std::string_view bytes);
  // The next whole packet, if buffered: its command and data, the data a
  // view into the reader valid until the next Append. Sets *error (and
  // returns nullopt from then on) on a length of 0 or over the cap.
  std::optional<std::pair<char, std::string_view>> Next(bool* error);
  size_t buffered() const { return buffer_.size() - start_; }

 private:
  size_t max_;
  std::string buffer_;
  size_t start_ = 0;
  bool broken_ = false;
};

// kBusy is the collector's: its analysis queue was full (milter_collector.h).
enum class MilterSkipReason { kTooLarge, kTooSlow, kBusy };
inline constexpr size_t kMilterSkipReasonCount = 3;
// "too_large", "too_slow", "busy".
std::string_view MilterSkipReasonName(MilterSkipReason reason);

struct MilterBudget {
  size_t max_message_bytes = 10 << 20;                // header fields and body as received
  std::chrono::milliseconds max_message_time{10000};  // from MAIL to end of body
};

// What the session hands over when a message ends (end of body, or skipped).
struct MilterMessageEvent {
  std::string sender_domain;  // lower case; "" for the null sender or none seen
  size_t recipients = 0;
  std::optional<MilterSkipReason> skipped;
  std::string message;  // header fields, CRLF, body (empty when skipped)
};

class MilterSession {
 public:
  using Time = std::chrono::steady_clock::time_point;
  explicit MilterSession(MilterBudget budget) : budget_(budget) {}

  // Handles one packet at time `now`: appends the reply packets, if any, to
  // *reply; sets *event when a message ended. Returns false when the
  // connection is to be closed (QUIT, or a malformed negotiation).
  bool Handle(char command, std::string_view data, Time now, std::string* reply,
              std::optional<MilterMessageEvent>* event);

  uint32_t protocol() const { return protocol_; }  // the negotiated flags

 private:
  void Reset();
  // Replies CONTINUE, or ACCEPT and ends the message when it went over budget.
  void Step(uint32_t no_reply_flag, Time now, std::string* reply,
            std::optional<MilterMessageEvent>* event);
  bool OverBudget(Time now);

  MilterBudget budget_;
  uint32_t protocol_ = 0;
  bool in_message_ = false;  // MAIL seen, message not yet ended
  bool done_ = false;        // accepted early: ignore the rest of this message
  Time started_{};
  MilterMessageEvent current_;
  std::optional<MilterSkipReason> skip_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MILTER_MILTER_PROTOCOL_H_
