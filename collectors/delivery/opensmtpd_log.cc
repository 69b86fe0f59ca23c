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

uint64_t HexValue(std::string_view hex) {
  uint64_t v = 0;
  for (char c : hex) v = v << 4 | static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  return v;
}

bool AllHex(std::string_view s) {
  for (char c : s) {
    if (!IsHex(c)) return false;
  }
  return !s.empty();
}

}  // namespace

std::string_view OpenSmtpdMessageOfEnvelope(std::string_view evpid) {
  return evpid.size() == 16 && AllHex(evpid) ? evpid.substr(0, 8) : evpid;
}

bool OpenSmtpdTraceParser::Parse(std::string_view message, MessageTrace* trace) {
  if (!StartsWithSessionId(message)) return false;
  uint64_t sid = HexValue(message.substr(0, 16));
  std::string_view rest = message.substr(17);
  if (!rest.starts_with("smtp ")) return false;
  rest.remove_prefix(5);
  if (rest.starts_with("connected ")) {
    std::string_view address = Value(rest, "address=");
    if (address.empty()) return false;
    if (sessions_.size() >= kMaxSessions) sessions_.clear();
    Session& s = sessions_[sid];
    s = Session();
    if (address == "local") {
      s.local = true;
    } else {
      if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
        address = address.substr(1, address.size() - 2);
      }
      if (address.starts_with("IPv6:")) address.remove_prefix(5);
      if (IsIpLiteral(address)) s.client_ip.assign(address);
    }
    return false;
  }
  if (rest.starts_with("authentication ")) {
    if (!rest.ends_with(" result=ok")) return false;
    auto it = sessions_.find(sid);
    if (it == sessions_.end()) {
      if (sessions_.size() >= kMaxSessions) sessions_.clear();
      it = sessions_.emplace(sid, Session()).first;
    }
    it->second.user.assign(Value(rest, "user="));
    return false;
  }
  if (rest.starts_with("disconnected")) {
    sessions_.erase(sid);
    return false;
  }
  if (rest.starts_with("message ")) {
    std::string_view msgid = Value(rest, "msgid=");
    if (!AllHex(msgid)) return false;
    trace->queue_id = msgid;
    auto it = sessions_.find(sid);
    if (it != sessions_.end()) {
      const Session& s = it->second;
      if (!s.user.empty()) {
        trace->submitter = s.user;
        trace->submitter_kind = LoggedSubmitterKind::kSasl;
      } else if (s.local) {
        trace->submitter = "local";
        trace->submitter_kind = LoggedSubmitterKind::kLocal;
      }
      trace->client_ip = s.client_ip;
    }
    return true;
  }
  if (rest.starts_with("envelope ")) {
    std::string_view evpid = Value(rest, "evpid=");
    if (evpid.size() != 16 || !AllHex(evpid)) return false;
    size_t from = rest.find(" from=<");
    size_t to = rest.rfind("> to=<");
    if (from == std::string_view::npos || to == std::string_view::npos || to < from + 7) {
      return false;
    }
    std::string_view sender = rest.substr(from + 7, to - from - 7);
    trace->queue_id = OpenSmtpdMessageOfEnvelope(evpid);
    size_t at = sender.rfind('@');
    if (at != std::string_view::npos && at + 1 < sender.size()) {
      trace->sender_domain = sender.substr(at + 1);
    }
    return true;
  }
  return false;
}

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
  event->queue_id.assign(OpenSmtpdMessageOfEnvelope(Value(rest, "evpid=")));
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
