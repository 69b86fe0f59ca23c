// AttributeComplaint(): which of our sending IPs an ARF complaint is about.
//
// In order: the report's Source-IP; else the connecting IP of the receiver's
// top Received: field of the original; else the original's Message-ID looked
// up in the process's index of messages sent (collectors/delivery/
// message_id_index.h: our own logs, so the address found is ours, with the
// queue id and submitter the log gave). A complaint none of these attributes
// is by "none". Stateless; thread-safe (the index is).
#ifndef MAILREP_COLLECTORS_REPORTS_COMPLAINT_ATTRIBUTION_H_
#define MAILREP_COLLECTORS_REPORTS_COMPLAINT_ATTRIBUTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/delivery/message_id_index.h"
#include "collectors/reports/arf_report.h"

namespace mailrep {

enum class ComplaintAttribution { kSourceIp, kReceived, kMessageId, kNone };

// "source_ip", "received", "message_id", "none" (the `by` label).
std::string_view ComplaintAttributionName(ComplaintAttribution by);

struct ComplaintOrigin {
  ComplaintAttribution by = ComplaintAttribution::kNone;
  // The sending IP as the report or the log gives it; "" for kNone, and for
  // kMessageId when the log did not say which address the message left from.
  std::string ip;
  // kMessageId: what the log said of the message.
  std::optional<MessageIdIndex::Entry> logged;
};

// `index` may be null (no lookup); `now` is Unix seconds.
ComplaintOrigin AttributeComplaint(const ArfReport& report, const MessageIdIndex* index,
                                   int64_t now);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_COMPLAINT_ATTRIBUTION_H_
