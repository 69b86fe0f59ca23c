#include "collectors/delivery/qmail_log.h"

#include <charconv>

#include "collectors/delivery/log_text.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

void SkipTimestamp(std::string_view* s) {
  if (!s->empty() && s->front() == '@') {  // @4000000069287a3b1c3b2a14
    size_t space = s->find(' ');
    if (space != std::string_view::npos) s->remove_prefix(space + 1);
    return;
  }
  size_t i = 0;
  while (i < s->size() && (IsDigit((*s)[i]) || (*s)[i] == '.')) ++i;
  if (i > 0 && i < s->size() && (*s)[i] == ' ') s->remove_prefix(i + 1);
}

bool TakeNumber(std::string_view* s, uint64_t* n) {
  auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), *n);
  if (ec != std::errc() || ptr == s->data()) return false;
  s->remove_prefix(ptr - s->data());
  return true;
}

bool TakePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

}  // namespace

bool QmailLogParser::ParseTrace(std::string_view message, MessageTrace* trace) {
  std::string_view s = message;
  SkipTimestamp(&s);
  if (TakePrefix(&s, "end msg ")) {
    if (!AllDigits(s)) return false;
    trace->queue_id = s;
    trace->removed = true;
    return true;
  }
  if (!TakePrefix(&s, "info msg ")) return false;
  size_t colon = s.find(": bytes ");
  if (colon == std::string_view::npos || !AllDigits(s.substr(0, colon))) return false;
  std::string_view id = s.substr(0, colon);
  s.remove_prefix(colon + 8);
  size_t from = s.find(" from <");
  // The sender is logged as given (made printable), so its end is found from the right.
  size_t qp = s.rfind("> qp ");
  if (from == std::string_view::npos || qp == std::string_view::npos || qp < from + 7) {
    return false;
  }
  std::string_view sender = s.substr(from + 7, qp - from - 7);
  s.remove_prefix(qp + 5);
  size_t uid_at = s.find(" uid ");
  if (uid_at == std::string_view::npos || !AllDigits(s.substr(uid_at + 5))) return false;
  trace->queue_id = id;
  submitter_.assign("uid=");
  submitter_.append(s.substr(uid_at + 5));
  trace->submitter = submitter_;
  trace->submitter_kind = LoggedSubmitterKind::kLocal;
  size_t at = sender.rfind('@');
  if (at != std::string_view::npos && at + 1 < sender.size()) {
    trace->sender_domain = sender.substr(at + 1);
  }
  return true;
}

std::string UnescapeQmailText(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '_' || c == '/') c = ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool LooksLikeQmailSendLine(std::string_view body) {
  static constexpr std::string_view kStarts[] = {
      "delivery ", "starting delivery ", "status: local ", "new msg ",
      "info msg ", "end msg ",           "bounce msg ",    "triple bounce: "};
  for (std::string_view start : kStarts) {
    if (body.starts_with(start)) return true;
  }
  return false;
}

LineResult QmailLogParser::Parse(std::string_view message, DeliveryEvent* event) {
  std::string_view s = message;
  SkipTimestamp(&s);
  uint64_t number = 0;
  if (TakePrefix(&s, "starting delivery ")) {
    if (!TakeNumber(&s, &number) || !TakePrefix(&s, ": msg ")) return LineResult::kMalformed;
    size_t to = s.find(" to ");
    if (to == std::string_view::npos) return LineResult::kMalformed;
    Started started;
    started.message_id.assign(s.substr(0, to));
    s.remove_prefix(to + 4);
    if (TakePrefix(&s, "remote ")) {
      started.remote = true;
    } else if (!TakePrefix(&s, "local ")) {
      return LineResult::kMalformed;
    }
    started.recipient.assign(s);
    if (pending_.size() >= kMaxPending) pending_.clear();
    pending_[number] = std::move(started);
    return LineResult::kIgnored;
  }
  if (!TakePrefix(&s, "delivery ")) return LineResult::kIgnored;
  if (!TakeNumber(&s, &number) || !TakePrefix(&s, ": ")) return LineResult::kMalformed;
  DeliveryStatus status;
  if (TakePrefix(&s, "success: ")) {
    status = DeliveryStatus::kSent;
  } else if (TakePrefix(&s, "deferral: ")) {
    status = DeliveryStatus::kDeferred;
  } else if (TakePrefix(&s, "failure: ")) {
    status = DeliveryStatus::kBounced;
  } else {
    return LineResult::kIgnored;  // "report mangled, will defer"
  }
  std::string_view first_word = s.substr(0, s.find('_'));
  Started started;
  auto it = pending_.find(number);
  if (it != pending_.end()) {
    started = std::move(it->second);
    pending_.erase(it);
  } else {
    // Started before we were reading: count it only if the text shows a
    // remote delivery.
    started.remote = IsIpLiteral(first_word) || s.find("SMTP") != std::string_view::npos;
  }
  if (!started.remote) return LineResult::kIgnored;
  event->Clear();
  event->mta = "qmail";
  event->status = status;
  event->recipient = std::move(started.recipient);
  event->queue_id = std::move(started.message_id);
  if (IsIpLiteral(first_word)) {
    event->relay_ip.assign(first_word);
    event->relay_host.assign(first_word);
  }
  if (status != DeliveryStatus::kSent) {
    event->reply = UnescapeQmailText(s);
    event->dsn.assign(FindEnhancedCode(event->reply));
  }
  return LineResult::kParsed;
}

}  // namespace mailrep
