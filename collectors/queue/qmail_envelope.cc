#include "collectors/queue/qmail_envelope.h"

#include <charconv>

namespace mailrep {

QmailEnvelope ParseQmailEnvelope(std::string_view bytes) {
  QmailEnvelope envelope;
  while (!bytes.empty()) {
    size_t end = bytes.find('\0');
    if (end == std::string_view::npos) {
      envelope.truncated = true;
      break;
    }
    std::string_view record = bytes.substr(0, end);
    bytes.remove_prefix(end + 1);
    if (record.empty()) continue;
    std::string_view value = record.substr(1);
    switch (record.front()) {
      case 'T':
        envelope.pending.emplace_back(value);
        break;
      case 'D':
        ++envelope.done;
        break;
      case 'F':
        if (!envelope.has_sender) {
          envelope.has_sender = true;
          envelope.sender = value;
        }
        break;
      case 'u': {
        uint64_t uid = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), uid);
        if (ec == std::errc() && end == value.data() + value.size() && !envelope.uid) {
          envelope.uid = uid;
        }
        break;
      }
      case 'p':
        break;
      default:
        ++envelope.unknown_records;
    }
  }
  return envelope;
}

namespace {

// The next header field of `text` (with its continuation lines), advancing it.
std::string_view NextField(std::string_view* text) {
  size_t end = 0;
  for (;;) {
    size_t nl = text->find('\n', end);
    if (nl == std::string_view::npos) {
      end = text->size();
      break;
    }
    end = nl + 1;
    if (end >= text->size() || ((*text)[end] != ' ' && (*text)[end] != '\t')) break;
  }
  std::string_view field = text->substr(0, end);
  text->remove_prefix(end);
  return field;
}

}  // namespace

QmailSubmission ParseQmailSubmission(std::string_view head) {
  QmailSubmission result;
  std::string_view field = NextField(&head);
  constexpr std::string_view kPrefix = "Received: (qmail ";
  if (field.substr(0, kPrefix.size()) != kPrefix) return result;
  constexpr std::string_view kUid = " invoked by uid ";
  constexpr std::string_view kNetwork = " invoked from network";
  if (size_t at = field.find(kUid); at != std::string_view::npos) {
    std::string_view digits = field.substr(at + kUid.size());
    uint64_t uid = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), uid);
    if (ec == std::errc() && end != digits.data()) result.uid = uid;
    return result;
  }
  if (field.find(kNetwork) == std::string_view::npos) return result;
  result.from_network = true;
  // qmail-smtpd: "Received: from <host> (HELO <helo>) (<ip>)\n  by ...":
  // the last parenthesised address before " by ".
  field = NextField(&head);
  if (field.substr(0, 15) != "Received: from ") return result;
  size_t by = field.find(" by ");
  std::string_view before = field.substr(0, by);
  for (size_t close = before.rfind(')'); close != std::string_view::npos && close > 0;
       close = before.rfind(')', close - 1)) {
    size_t open = before.rfind('(', close);
    if (open == std::string_view::npos) break;
    std::string_view inside = before.substr(open + 1, close - open - 1);
    // "(user@1.2.3.4)" with an ident answer.
    if (size_t at = inside.rfind('@'); at != std::string_view::npos) inside.remove_prefix(at + 1);
    bool address = !inside.empty() &&
                   inside.find_first_not_of("0123456789abcdefABCDEF.:") == std::string_view::npos;
    if (address) {
      result.client_address = inside;
      break;
    }
    if (open == 0) break;
    close = open;  // the next ')' to the left of this group
  }
  return result;
}

}  // namespace mailrep
