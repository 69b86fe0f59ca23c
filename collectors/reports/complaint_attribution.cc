#include "collectors/reports/complaint_attribution.h"

namespace mailrep {

std::string_view ComplaintAttributionName(ComplaintAttribution by) {
  switch (by) {
    case ComplaintAttribution::kSourceIp:
      return "source_ip";
    case ComplaintAttribution::kReceived:
      return "received";
    case ComplaintAttribution::kMessageId:
      return "message_id";
    case ComplaintAttribution::kNone:
      break;
  }
  return "none";
}

ComplaintOrigin AttributeComplaint(const ArfReport& report, const MessageIdIndex* index,
                                   int64_t now) {
  ComplaintOrigin out;
  if (report.source_ip) {
    out.by = ComplaintAttribution::kSourceIp;
    out.ip = *report.source_ip;
  } else if (report.top_received_ip) {
    out.by = ComplaintAttribution::kReceived;
    out.ip = *report.top_received_ip;
  } else if (index != nullptr && report.original_message_id) {
    out.logged = index->Find(*report.original_message_id, now);
    if (out.logged) {
      out.by = ComplaintAttribution::kMessageId;
      out.ip = out.logged->sending_ip;
    }
  }
  return out;
}

}  // namespace mailrep
