#include "collectors/delivery/message_history.h"

#include "collectors/delivery/handoff_reply.h"
#include "collectors/delivery/log_text.h"

namespace mailrep {

std::pair<SubmitterKind, std::string_view> ResolveLoggedSubmitter(LoggedSubmitterKind kind,
                                                                  std::string_view submitter,
                                                                  std::string_view client_ip) {
  if (kind == LoggedSubmitterKind::kSasl && !submitter.empty()) {
    return {SubmitterKind::kSasl, submitter};
  }
  if (kind == LoggedSubmitterKind::kLocal && !submitter.empty()) {
    return {SubmitterKind::kLocal, submitter};
  }
  if (!client_ip.empty()) return {SubmitterKind::kClient, client_ip};
  return {SubmitterKind::kUnknown, {}};
}

std::string_view StripAngleBrackets(std::string_view id) {
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') return id.substr(1, id.size() - 2);
  return id;
}

LoggedMessage& MessageHistory::Entry(std::string_view queue_id, MtaKind mta) {
  auto [it, added] = index_.try_emplace(std::string(queue_id), messages_.size());
  if (added) {
    messages_.emplace_back();
    messages_.back().queue_id.assign(queue_id);
    messages_.back().mta = mta;
  }
  return messages_[it->second];
}

void MessageHistory::Add(MtaKind mta, LineResult result, const DeliveryEvent& event,
                         const MessageTrace& trace) {
  ++sequence_;
  if (result == LineResult::kParsed && !event.queue_id.empty()) {
    LoggedMessage& m = Entry(event.queue_id, mta);
    m.has_lines = true;
    LoggedOutcome& o = m.outcomes.emplace_back();
    o.sequence = sequence_;
    o.status = event.status;
    o.recipient = event.recipient;
    o.sending_ip = event.sending_ip;
    if (o.sending_ip.empty() && options_.postfix_ips != nullptr && event.mta == "postfix") {
      std::string_view ip = LookUpSendingIp(*options_.postfix_ips, event.syslog_tag);
      if (ip != "unknown") o.sending_ip.assign(ip);
    }
    o.relay_host = event.relay_host;
    o.dsn = event.dsn;
    if (options_.keep_replies) o.reply = event.reply;
    if (event.status == DeliveryStatus::kSent) {
      std::string_view to = HandoffQueueId(event.reply);
      if (!to.empty() && to != event.queue_id) {
        o.handoff.assign(to);
        handed_from_.try_emplace(o.handoff, event.queue_id);
      }
    }
    return;
  }
  if (trace.empty()) return;
  LoggedMessage& m = Entry(trace.queue_id, mta);
  m.has_lines = true;
  if (!trace.message_id.empty()) m.message_id.assign(StripAngleBrackets(trace.message_id));
  if (!trace.submitter.empty()) {
    m.submitter.assign(trace.submitter);
    m.submitter_kind = trace.submitter_kind;
  }
  if (!trace.client_ip.empty()) m.client_ip.assign(trace.client_ip);
  if (!trace.sender_domain.empty()) m.sender_domain = AsciiLower(trace.sender_domain);
  if (trace.removed) m.removed = true;
}

const LoggedMessage* MessageHistory::Find(std::string_view queue_id) const {
  auto it = index_.find(std::string(queue_id));
  return it == index_.end() ? nullptr : &messages_[it->second];
}

bool MessageHistory::IsHandoff(const LoggedOutcome& outcome) const {
  if (outcome.handoff.empty()) return false;
  const LoggedMessage* to = Find(outcome.handoff);
  return to != nullptr && to->has_lines;
}

const LoggedMessage& MessageHistory::OriginOf(const LoggedMessage& message) const {
  const LoggedMessage* m = &message;
  // Bounded: a loop of hand-offs (which no MTA logs) ends here too.
  for (int hops = 0; hops < 16; ++hops) {
    auto it = handed_from_.find(m->queue_id);
    if (it == handed_from_.end()) break;
    const LoggedMessage* from = Find(it->second);
    if (from == nullptr) break;
    m = from;
  }
  return *m;
}

}  // namespace mailrep
