#include "collectors/delivery/sendmail_log.h"

#include <cctype>

#include "collectors/delivery/log_text.h"

namespace mailrep {
namespace {

// "key=" at a field start of `fields`, up to the next ", ".
std::string_view Field(std::string_view fields, std::string_view key) {
  size_t pos = 0;
  while ((pos = fields.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || (pos >= 2 && fields.substr(pos - 2, 2) == ", ")) {
      std::string_view v = fields.substr(pos + key.size());
      return v.substr(0, v.find(", "));
    }
    pos += key.size();
  }
  return {};
}

}  // namespace

LineResult ParseSendmailLine(std::string_view message, DeliveryEvent* event) {
  size_t colon = message.find(": ");
  if (colon == std::string_view::npos || colon < 8 || colon > 24) return LineResult::kIgnored;
  std::string_view id = message.substr(0, colon);
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return LineResult::kIgnored;
  }
  std::string_view rest = message.substr(colon + 2);
  if (rest.substr(0, 3) != "to=") return LineResult::kIgnored;
  // reply= may contain commas, so stat= is found from the right.
  size_t stat_pos = rest.rfind(", stat=");
  if (stat_pos == std::string_view::npos) return LineResult::kMalformed;
  std::string_view stat = rest.substr(stat_pos + 7);
  std::string_view fields = rest.substr(0, stat_pos + 2);
  size_t reply_pos = fields.find(", reply=");
  std::string_view reply;
  if (reply_pos != std::string_view::npos) {
    reply = fields.substr(reply_pos + 8, fields.size() - 2 - reply_pos - 8);
    fields = fields.substr(0, reply_pos + 2);
  }
  std::string_view mailer = Field(fields, "mailer=");
  if (mailer == "local" || mailer == "prog" || mailer.find("file") != std::string_view::npos) {
    return LineResult::kIgnored;
  }
  if (stat.substr(0, 6) == "queued") return LineResult::kIgnored;
  std::string_view dsn = Field(fields, "dsn=");
  DeliveryStatus status;
  if (stat.substr(0, 4) == "Sent") {
    status = DeliveryStatus::kSent;
  } else if (stat.substr(0, 8) == "Deferred") {
    status = DeliveryStatus::kDeferred;
  } else if (!dsn.empty() && dsn[0] == '5') {
    status = DeliveryStatus::kBounced;
  } else if (!dsn.empty() && dsn[0] == '4') {
    status = DeliveryStatus::kDeferred;
  } else {
    return LineResult::kIgnored;
  }
  event->Clear();
  event->mta = "sendmail";
  event->status = status;
  event->queue_id.assign(id);
  std::string_view to = Field(fields, "to=");
  event->recipient.assign(to.substr(0, to.find(',')));
  std::string_view relay = Field(fields, "relay=");
  if (!relay.empty()) {
    std::string_view name = relay.substr(0, relay.find(' '));
    size_t open = relay.rfind('[');
    size_t close = relay.rfind(']');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
      event->relay_ip.assign(relay.substr(open + 1, close - open - 1));
    }
    if (!name.empty() && name.front() == '[') {
      event->relay_host = event->relay_ip;
    } else {
      while (!name.empty() && name.back() == '.') name.remove_suffix(1);
      event->relay_host.assign(name);
    }
  }
  event->dsn.assign(dsn);
  if (status != DeliveryStatus::kSent) {
    if (!reply.empty()) {
      event->reply.assign(reply);
    } else {
      if (stat.substr(0, 10) == "Deferred: ") stat.remove_prefix(10);
      event->reply.assign(stat);
    }
  }
  if (std::optional<double> d = ParseClockDuration(Field(fields, "delay="))) {
    event->delay_seconds = *d;
  }
  return LineResult::kParsed;
}

}  // namespace mailrep
