#include "collectors/delivery/delivery_event.h"

namespace mailrep {

void DeliveryEvent::Clear() {
  mta.clear();
  status = DeliveryStatus::kSent;
  syslog_tag.clear();
  sending_ip.clear();
  relay_host.clear();
  relay_ip.clear();
  recipient.clear();
  queue_id.clear();
  dsn.clear();
  reply.clear();
  delay_seconds = -1;
}

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kSent:
      return "sent";
    case DeliveryStatus::kDeferred:
      return "deferred";
    case DeliveryStatus::kBounced:
      return "bounced";
    case DeliveryStatus::kExpired:
      return "expired";
  }
  return "unknown";
}

std::string_view LineResultName(LineResult result) {
  switch (result) {
    case LineResult::kParsed:
      return "parsed";
    case LineResult::kIgnored:
      return "ignored";
    case LineResult::kMalformed:
      return "malformed";
  }
  return "unknown";
}

}  // namespace mailrep
