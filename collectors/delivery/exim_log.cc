#include "collectors/delivery/exim_log.h"

#include <cctype>

#include "collectors/delivery/log_text.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string_view TakeToken(std::string_view* s) {
  size_t end = s->find(' ');
  std::string_view token = s->substr(0, end);
  s->remove_prefix(end == std::string_view::npos ? s->size() : end + 1);
  return token;
}

// tttttt-pppppp-ss (16) or tttttt-ppppppppppp-ssss (23), base 62.
bool IsEximId(std::string_view id) {
  size_t p_len, s_len;
  if (id.size() == 16) {
    p_len = 6, s_len = 2;
  } else if (id.size() == 23) {
    p_len = 11, s_len = 4;
  } else {
    return false;
  }
  if (id[6] != '-' || id[7 + p_len] != '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 6 || i == 7 + p_len) continue;
    if (!IsAlnum(id[i])) return false;
  }
  return 8 + p_len + s_len == id.size();
}

// The value of tag `key` ("H=", "I=", "QT=") at a word start, up to a space.
std::string_view TagValue(std::string_view s, std::string_view key) {
  size_t pos = 0;
  while ((pos = s.find(key, pos)) != std::string_view::npos) {
    if (pos > 0 && s[pos - 1] == ' ') {
      std::string_view v = s.substr(pos + key.size());
      return v.substr(0, v.find(' '));
    }
    pos += key.size();
  }
  return {};
}

// Transports of Exim's default and Debian's configurations that deliver into
// this system (appendfile, pipe, autoreply, LMTP to the mail store).
bool IsLocalTransport(std::string_view t) {
  static constexpr std::string_view kLocal[] = {
      "local_delivery", "mail_spool",        "maildir_home",  "maildir_spool", "address_file",
      "address_pipe",   "address_directory", "address_reply", "procmail_pipe", "maildrop_pipe",
      "dovecot_lmtp",   "dovecot_delivery",  "lmtp_delivery"};
  for (std::string_view l : kLocal) {
    if (t == l) return true;
  }
  return false;
}

// Removes the timestamp (with +millisec and a time zone), then "[pid] ";
// false when they are cut short.
bool StripPrefixes(std::string_view* line) {
  std::string_view& s = *line;
  if (LooksLikeEximMainlog(s)) {
    s.remove_prefix(19);
    if (!s.empty() && s.front() == '.') {  // +millisec
      s.remove_prefix(1);
      while (!s.empty() && IsDigit(s.front())) s.remove_prefix(1);
    }
    // A time zone offset may follow (+tz? no: log_timezone) - "+0100" / "-0500".
    if (s.size() > 6 && s[0] == ' ' && (s[1] == '+' || s[1] == '-') && IsDigit(s[2])) {
      s.remove_prefix(6);
    }
    if (s.empty() || s.front() != ' ') return false;
    s.remove_prefix(1);
  }
  if (!s.empty() && s.front() == '[') {  // +pid: "[12345] "
    size_t close = s.find("] ");
    if (close == std::string_view::npos) return false;
    s.remove_prefix(close + 2);
  }
  return true;
}

}  // namespace

bool ParseEximTrace(std::string_view line, MessageTrace* trace) {
  std::string_view s = line;
  if (!StripPrefixes(&s)) return false;
  std::string_view id = TakeToken(&s);
  if (!IsEximId(id)) return false;
  if (s == "Completed") {
    trace->queue_id = id;
    trace->removed = true;
    return true;
  }
  if (!s.starts_with("<= ")) return false;
  s.remove_prefix(3);
  std::string_view message_id = TagValue(s, "id=");
  std::string_view submitter = TagValue(s, "A=");
  LoggedSubmitterKind kind = LoggedSubmitterKind::kNone;
  if (!submitter.empty()) {
    // "A=name:id"; a bare "A=name" (no server_set_id) names no account.
    size_t colon = submitter.find(':');
    submitter = colon == std::string_view::npos ? std::string_view() : submitter.substr(colon + 1);
    kind = LoggedSubmitterKind::kSasl;
  } else if (std::string_view p = TagValue(s, "P="); p == "local" || p.starts_with("local-")) {
    submitter = TagValue(s, "U=");
    kind = LoggedSubmitterKind::kLocal;
  }
  // "<= local@domain H=name (helo) [address]:port ..."; "<= <>" is the null sender.
  std::string_view sender = s.substr(0, s.find(' '));
  size_t at = sender.rfind('@');
  std::string_view sender_domain =
      at == std::string_view::npos ? std::string_view() : sender.substr(at + 1);
  std::string_view client_ip;
  if (size_t h = s.find(" H="); h != std::string_view::npos) {
    // The address follows the name (and "(helo)") before any other tag.
    size_t open = s.find(" [", h);
    if (open != std::string_view::npos && s.substr(h + 3, open - h - 3).find('=') != s.npos) {
      open = std::string_view::npos;
    }
    size_t close = open == std::string_view::npos ? open : s.find(']', open);
    if (close != std::string_view::npos) client_ip = s.substr(open + 2, close - open - 2);
    if (client_ip.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) {
      client_ip = {};
    }
  }
  if (message_id.empty() && submitter.empty() && sender_domain.empty() && client_ip.empty()) {
    return false;
  }
  trace->queue_id = id;
  trace->message_id = message_id;
  trace->submitter = submitter;
  trace->submitter_kind = submitter.empty() ? LoggedSubmitterKind::kNone : kind;
  trace->sender_domain = sender_domain;
  trace->client_ip = client_ip;
  return true;
}

bool LooksLikeEximMainlog(std::string_view line) {
  if (line.size() < 19) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!IsDigit(line[i])) return false;
  }
  return line[4] == '-' && line[7] == '-' && line[10] == ' ' && line[13] == ':' && line[16] == ':';
}

LineResult ParseEximLine(std::string_view line, DeliveryEvent* event) {
  std::string_view s = line;
  if (!StripPrefixes(&s)) return LineResult::kMalformed;
  std::string_view id = TakeToken(&s);
  if (!IsEximId(id)) return LineResult::kIgnored;  // daemon lines, "Start queue run", ...
  std::string_view flag = TakeToken(&s);
  DeliveryStatus status;
  if (flag == "=>" || flag == "->") {
    status = DeliveryStatus::kSent;
  } else if (flag == "==") {
    status = DeliveryStatus::kDeferred;
  } else if (flag == "**") {
    status = DeliveryStatus::kBounced;
  } else {
    return LineResult::kIgnored;
  }
  std::string_view address = TakeToken(&s);
  if (address.empty()) return LineResult::kMalformed;
  // Local deliveries (to a pipe or file, or through a local transport) are
  // not outbound, whatever their outcome. Deliveries carry H= when remote;
  // deferrals and failures may have none (routing, retry time not reached).
  if (address.front() == '|' || address.front() == '/' || IsLocalTransport(TagValue(s, "T="))) {
    return LineResult::kIgnored;
  }
  if (status == DeliveryStatus::kSent && TagValue(s, "H=").empty()) return LineResult::kIgnored;

  event->Clear();
  event->mta = "exim";
  event->status = status;
  event->recipient.assign(address);
  event->queue_id.assign(id);
  std::string_view host = TagValue(s, "H=");
  if (!host.empty()) {
    event->relay_host.assign(host);
    size_t open = s.find(" [", s.find(" H="));
    if (open != std::string_view::npos) {
      size_t close = s.find(']', open);
      if (close != std::string_view::npos)
        event->relay_ip.assign(s.substr(open + 2, close - open - 2));
    }
    if (event->relay_host.front() == '[') event->relay_host = event->relay_ip;
  }
  std::string_view local = TagValue(s, "I=");
  if (local.size() > 2 && local.front() == '[') {
    size_t close = local.find(']');
    if (close != std::string_view::npos) event->sending_ip.assign(local.substr(1, close - 1));
  }
  if (std::optional<double> qt = ParseUnitDuration(TagValue(s, "QT="))) {
    event->delay_seconds = *qt;
  }
  if (status == DeliveryStatus::kSent) {
    // C="...": the receiver's acceptance, which names a re-queued copy's id
    // (handoff_reply.h). The value ends at a quote before a space or the end.
    if (size_t c = s.find(" C=\""); c != std::string_view::npos) {
      std::string_view v = s.substr(c + 4);
      size_t end = v.find("\" ");
      if (end == std::string_view::npos && v.ends_with('"')) end = v.size() - 1;
      if (end != std::string_view::npos) event->reply.assign(v.substr(0, end));
    }
  } else {
    size_t colon = s.find(": ");
    std::string_view text = colon == std::string_view::npos ? s : s.substr(colon + 2);
    size_t dt = text.rfind(" DT=");
    if (dt != std::string_view::npos && text.find(' ', dt + 1) == std::string_view::npos) {
      text = text.substr(0, dt);
    }
    event->reply.assign(text);
    event->dsn.assign(FindEnhancedCode(text));
  }
  return LineResult::kParsed;
}

}  // namespace mailrep
