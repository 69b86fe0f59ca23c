#include "collectors/queue/qmail_envelope.h"

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
      case 'u':
      case 'p':
        break;
      default:
        ++envelope.unknown_records;
    }
  }
  return envelope;
}

}  // namespace mailrep
