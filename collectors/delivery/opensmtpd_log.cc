#include "collectors/delivery/opensmtpd_log.h"

#include "collectors/delivery/log_text.h"

namespace mailrep {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// The value of ` key=` in `s`: a "quoted" value (up to the next `" `, or the
// last quote for the final field), or a bare one up to a space.
std::string_view Value(std::string_view s, std::string_view key, bool last = false) {
  size_t pos = 0;
  while ((pos = s.find(key, pos)) != std::string_view::npos) {
    if (pos > 0 && s[pos - 1] == ' ') break;
    pos += key.size();
  }
  if (pos == std::string_view::npos) return {};
  std::string_view v = s.substr(pos + key.size());
  if (!v.empty() && v.front() == '"') {
    v.remove_prefix(1);
    size_t end = last ? v.rfind('"') : v.find("\" ");
    if (end == std::string_view::npos) end = v.rfind('"');
    return end == std::string_view::npos ? v : v.substr(0, end);
  }
  return v.substr(0, v.find(' '));
}

bool StartsWithSessionId(std::string_view s) {
  if (s.size() < 17 || s[16] != ' ') return false;
  for (size_t i = 0; i < 16; ++i) {
    if (!IsHex(s[i])) return false;
  }
  return true;
}

}  // namespace

bool LooksLikeOpenSmtpdLine(std::string_view body) {
  return StartsWithSessionId(body) || body.starts_with("info: ") || body.starts_with("warn: ") ||
         body.starts_with("debug: ");
}

LineResult ParseOpenSmtpdLine(std::string_view message, DeliveryEvent* event) {
  if (!StartsWithSessionId(message)) return LineResult::kIgnored;
  std::string_view rest = message.substr(17);
  if (rest.substr(0, 13) != "mta delivery ") return LineResult::kIgnored;
  std::string_view result = Value(rest, "result=");
  DeliveryStatus status;
  if (result == "Ok") {
    status = DeliveryStatus::kSent;
  } else if (result == "TempFail") {
    status = DeliveryStatus::kDeferred;
  } else if (result == "PermFail") {
    status = DeliveryStatus::kBounced;
  } else {
    return LineResult::kMalformed;
  }
  event->Clear();
  event->mta = "opensmtpd";
  event->status = status;
  event->queue_id.assign(Value(rest, "evpid="));
  std::string_view to = Value(rest, "to=");
  if (to.size() >= 2 && to.front() == '<' && to.back() == '>') to = to.substr(1, to.size() - 2);
  event->recipient.assign(to);
  std::string_view source = Value(rest, "source=");
  if (source != "-") event->sending_ip.assign(source);
  std::string_view relay = Value(rest, "relay=");
  size_t paren = relay.find(" (");
  event->relay_ip.assign(relay.substr(0, paren));
  if (paren != std::string_view::npos && relay.back() == ')') {
    event->relay_host.assign(relay.substr(paren + 2, relay.size() - paren - 3));
  } else {
    event->relay_host = event->relay_ip;
  }
  if (!IsIpLiteral(event->relay_ip)) event->relay_ip.clear();
  if (std::optional<double> d = ParseUnitDuration(Value(rest, "delay="))) {
    event->delay_seconds = *d;
  }
  if (status != DeliveryStatus::kSent) {
    event->reply.assign(Value(rest, "stat=", /*last=*/true));
    event->dsn.assign(FindEnhancedCode(event->reply));
  }
  return LineResult::kParsed;
}

}  // namespace mailrep
