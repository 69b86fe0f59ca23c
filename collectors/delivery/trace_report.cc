#include "collectors/delivery/trace_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>
#include <utility>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/log_text.h"
#include "collectors/reply/reply_classifier.h"
#include "exporter/util/ascii.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

// The trace's status words: an expired message is a bounced one to its sender.
std::string_view StatusOf(DeliveryStatus status) {
  return status == DeliveryStatus::kExpired ? "bounced" : DeliveryStatusName(status);
}

std::optional<std::string> ClassOf(std::string_view status, std::string_view reply,
                                   std::string_view dsn) {
  if (status != "deferred" && status != "bounced") return std::nullopt;
  return std::string(ReplyReasonName(ReplyClassifier::Default().Classify(reply, dsn).reason));
}

// Recipient addresses compare without case and angle brackets.
std::string RecipientKey(std::string_view address) {
  return AsciiLower(StripAngleBrackets(address));
}

void AppendOptional(std::string* j, const std::optional<std::string>& v) {
  if (v) {
    AppendJsonString(j, *v);
  } else {
    *j += "null";
  }
}

std::string Age(int64_t seconds) {
  char buf[32];
  if (seconds < 0) seconds = 0;
  if (seconds < 3600) {
    std::snprintf(buf, sizeof(buf), "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  } else if (seconds < 86400) {
    std::snprintf(buf, sizeof(buf), "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds % 3600 / 60));
  } else {
    std::snprintf(buf, sizeof(buf), "%lldd%02lldh", static_cast<long long>(seconds / 86400),
                  static_cast<long long>(seconds % 86400 / 3600));
  }
  return buf;
}

}  // namespace

TraceReport BuildTraceReport(std::string id, const MessageHistory& history,
                             const std::vector<std::string>& queue_ids,
                             const std::optional<QueuedMessage>& queued,
                             const std::string& queued_id) {
  TraceReport r;
  r.id = std::move(id);
  // The known messages, in log order.
  std::vector<const LoggedMessage*> messages;
  for (const std::string& q : queue_ids) {
    const LoggedMessage* m = history.Find(q);
    if (m != nullptr && m->has_lines) messages.push_back(m);
  }
  // The history's vector holds them in log order.
  std::sort(messages.begin(), messages.end());
  messages.erase(std::unique(messages.begin(), messages.end()), messages.end());
  for (const LoggedMessage* m : messages) r.queue_ids.push_back(m->queue_id);
  if (queued && std::find(r.queue_ids.begin(), r.queue_ids.end(), queued_id) == r.queue_ids.end()) {
    r.queue_ids.push_back(queued_id);
  }

  // The submitter: an account or local user first, else a client.
  const LoggedMessage* client = nullptr;
  for (const LoggedMessage* m : messages) {
    if (r.message_id.empty()) r.message_id = m->message_id;
    const LoggedMessage& o = history.OriginOf(*m);
    auto [kind, name] = ResolveLoggedSubmitter(o.submitter_kind, o.submitter, o.client_ip);
    if (kind == SubmitterKind::kSasl || kind == SubmitterKind::kLocal) {
      r.submitter_kind = kind;
      r.submitter.assign(name);
      r.client_ip = o.client_ip;
      break;
    }
    if (kind == SubmitterKind::kClient && client == nullptr) client = &o;
  }
  if (r.submitter_kind == SubmitterKind::kUnknown && client != nullptr) {
    r.submitter_kind = SubmitterKind::kClient;
    r.submitter = client->client_ip;
    r.client_ip = client->client_ip;
  }
  if (r.submitter_kind == SubmitterKind::kUnknown && queued) {
    r.submitter_kind = queued->origin.kind;
    r.submitter = queued->origin.submitter;
    if (queued->origin.kind == SubmitterKind::kClient) r.client_ip = queued->origin.submitter;
  }

  // Each recipient's last outcome, in the order recipients first appear.
  std::vector<const LoggedOutcome*> outcomes;
  for (const LoggedMessage* m : messages) {
    for (const LoggedOutcome& o : m->outcomes) {
      if (!history.IsHandoff(o)) outcomes.push_back(&o);
    }
  }
  std::sort(outcomes.begin(), outcomes.end(), [](const LoggedOutcome* a, const LoggedOutcome* b) {
    return a->sequence < b->sequence;
  });
  std::map<std::string, size_t> by_key;
  auto recipient = [&](std::string_view address) -> TraceRecipient& {
    auto [it, added] = by_key.try_emplace(RecipientKey(address), r.recipients.size());
    if (added) {
      TraceRecipient& t = r.recipients.emplace_back();
      t.address.assign(StripAngleBrackets(address));
      t.domain = MailAddressDomain(t.address);
    }
    return r.recipients[it->second];
  };
  for (const LoggedOutcome* o : outcomes) {
    if (!o->sending_ip.empty() && std::find(r.sending_ips.begin(), r.sending_ips.end(),
                                            o->sending_ip) == r.sending_ips.end()) {
      r.sending_ips.push_back(o->sending_ip);
    }
    if (o->recipient.empty()) {
      // A Postfix expiry: the still deferred recipients were returned.
      if (o->status != DeliveryStatus::kExpired) continue;
      for (TraceRecipient& t : r.recipients) {
        if (t.status == "deferred") t.status = "bounced";
      }
      continue;
    }
    TraceRecipient& t = recipient(o->recipient);
    t.status.assign(StatusOf(o->status));
    t.dsn = o->dsn;
    t.reply = o->reply;
    t.reply_class = ClassOf(t.status, o->reply, o->dsn);
  }
  if (queued) {
    r.in_queue = queued->queue;
    r.in_queue_since = queued->since;
    r.queued_id = queued_id;
    for (const QueuedRecipient& q : queued->recipients) {
      TraceRecipient& t = recipient(q.address);
      if (t.status.empty() || t.status == "sent") {
        // Pending with no outcome logged (or only an older copy's): deferred
        // when the queue recorded why, or it waits in the deferred queue.
        bool deferred = !q.reason.empty() || queued->queue == "deferred";
        t.status = deferred ? "deferred" : "queued";
        t.dsn = q.dsn;
        t.reply = q.reason;
        t.reply_class = q.reason.empty() ? std::nullopt : ClassOf(t.status, q.reason, q.dsn);
      } else if (t.status == "bounced") {
        t.status = "deferred";  // still pending: not returned yet
      }
    }
  }
  for (TraceRecipient& t : r.recipients) {
    if (t.status.empty()) t.status = "queued";
  }
  return r;
}

std::string TraceReportJson(const TraceReport& r, bool show_recipients) {
  std::string j = "{\"id\": ";
  AppendJsonString(&j, r.id);
  j += ", \"queue_ids\": [";
  for (size_t i = 0; i < r.queue_ids.size(); ++i) {
    if (i > 0) j += ", ";
    AppendJsonString(&j, r.queue_ids[i]);
  }
  j += "], \"submitter\": {\"kind\": ";
  AppendJsonString(&j, SubmitterKindName(r.submitter_kind));
  j += ", \"name\": ";
  AppendOptional(&j, r.submitter.empty() ? std::nullopt : std::optional(r.submitter));
  j += "}, \"client_ip\": ";
  AppendOptional(&j, r.client_ip.empty() ? std::nullopt : std::optional(r.client_ip));
  j += ", \"sending_ips\": [";
  for (size_t i = 0; i < r.sending_ips.size(); ++i) {
    if (i > 0) j += ", ";
    AppendJsonString(&j, r.sending_ips[i]);
  }
  j += "], \"recipients\": [";
  for (size_t i = 0; i < r.recipients.size(); ++i) {
    const TraceRecipient& t = r.recipients[i];
    if (i > 0) j += ", ";
    j += "{\"domain\": ";
    AppendJsonString(&j, t.domain);
    if (show_recipients) {
      j += ", \"recipient\": ";
      AppendJsonString(&j, t.address);
    }
    j += ", \"status\": ";
    AppendJsonString(&j, t.status);
    j += ", \"reply_class\": ";
    AppendOptional(&j, t.reply_class);
    j += "}";
  }
  j += "], \"in_queue\": ";
  AppendOptional(&j, r.in_queue);
  j += ", \"in_queue_since\": ";
  j += r.in_queue_since ? std::to_string(*r.in_queue_since) : "null";
  j += "}";
  return j;
}

std::string TraceReportText(const TraceReport& r, bool show_recipients, int64_t now) {
  std::string t = "Message " + r.id + "\n";
  if (!r.message_id.empty() && r.message_id != r.id) t += "  Message-ID: <" + r.message_id + ">\n";
  t += "  queue ids:  ";
  for (size_t i = 0; i < r.queue_ids.size(); ++i) t += (i > 0 ? ", " : "") + r.queue_ids[i];
  t += "\n  now:        ";
  if (r.in_queue) {
    t += "in the " + *r.in_queue + " queue (" + r.queued_id;
    if (r.in_queue_since) t += ", for " + Age(now - *r.in_queue_since);
    t += ")\n";
  } else {
    t += "not in the queue\n";
  }
  t += "  submitter:  ";
  if (r.submitter_kind == SubmitterKind::kUnknown) {
    t += "unknown\n";
  } else {
    t += std::string(SubmitterKindName(r.submitter_kind)) + " " + r.submitter + "\n";
  }
  t += "  client:     " + (r.client_ip.empty() ? std::string("unknown") : r.client_ip) + "\n";
  t += "  sent from:  ";
  for (size_t i = 0; i < r.sending_ips.size(); ++i) t += (i > 0 ? ", " : "") + r.sending_ips[i];
  if (r.sending_ips.empty()) t += "unknown";
  t += "\n  recipients:\n";
  if (r.recipients.empty()) t += "    none known\n";
  for (const TraceRecipient& rc : r.recipients) {
    t += "    " + (show_recipients ? rc.address : rc.domain.empty() ? "(no domain)" : rc.domain);
    t += "  " + rc.status;
    if (rc.reply_class) t += " (" + *rc.reply_class + ")";
    if (rc.status != "queued" && !rc.dsn.empty()) t += " " + rc.dsn;
    // Replies often quote the address: only with the recipients.
    if (show_recipients && rc.status != "queued" && !rc.reply.empty()) {
      t += ": " + rc.reply.substr(0, 200);
    }
    t += "\n";
  }
  return t;
}

}  // namespace mailrep
