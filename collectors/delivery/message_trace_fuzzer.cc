// libFuzzer target: the Message-ID trace parsers (Postfix, Exim), the
// Message-ID normalization, and a tracer and index fed what they return.
// A submitter kind comes only with a submitter; a noted message's origin
// is found and within its bounds, and the one-probe Pending agrees; the
// line parser's one-pass Postfix parse agrees with the two parsers in turn.
// Any input must be read or skipped, never crash; a normalized Message-ID
// normalizes to itself and hashes like the text it came from.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/delivery/exim_log.h"
#include "collectors/delivery/message_id_index.h"
#include "collectors/delivery/message_tracer.h"
#include "collectors/delivery/postfix_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> normalized = mailrep::NormalizeMessageId(text);
  if (normalized) {
    if (mailrep::NormalizeMessageId(*normalized) != normalized) std::abort();
    if (mailrep::MessageIdKey(*normalized) != mailrep::MessageIdKey(text)) std::abort();
  } else if (mailrep::MessageIdKey(text) != 0) {
    std::abort();
  }
  // "tag\0message" tries Postfix with that tag; the whole input tries Exim.
  size_t split = text.find('\0');
  mailrep::MessageTrace trace;
  mailrep::MessageTracer tracer(4);
  mailrep::MessageIdIndex index(4);
  if (split != std::string_view::npos) {
    std::string_view tag = text.substr(0, split);
    std::string_view message = text.substr(split + 1);
    (void)mailrep::ParsePostfixTrace(tag, message, &trace);
    // The line parser's one pass agrees with the two parsers called in turn.
    mailrep::DeliveryEvent separate, one_pass;
    mailrep::MessageTrace expected, got;
    mailrep::LineResult r = mailrep::ParsePostfixLine(tag, message, &separate);
    if (r == mailrep::LineResult::kIgnored)
      (void)mailrep::ParsePostfixTrace(tag, message, &expected);
    if (mailrep::ParsePostfixLineOrTrace(tag, message, &one_pass, &got) != r ||
        got.queue_id != expected.queue_id || got.message_id != expected.message_id ||
        got.submitter != expected.submitter || got.submitter_kind != expected.submitter_kind ||
        got.client_ip != expected.client_ip || got.sender_domain != expected.sender_domain ||
        got.removed != expected.removed) {
      std::abort();
    }
    if (r == mailrep::LineResult::kParsed &&
        (one_pass.status != separate.status || one_pass.queue_id != separate.queue_id ||
         one_pass.recipient != separate.recipient || one_pass.relay_ip != separate.relay_ip ||
         one_pass.reply != separate.reply)) {
      std::abort();
    }
  } else {
    (void)mailrep::ParseEximTrace(text, &trace);
  }
  // A kind goes with a named submitter only.
  if ((trace.submitter_kind == mailrep::LoggedSubmitterKind::kNone) != trace.submitter.empty()) {
    std::abort();
  }
  tracer.Note(trace);
  if (!trace.empty() && !trace.removed) {
    std::optional<mailrep::MessageTracer::Origin> origin = tracer.OriginOf(trace.queue_id);
    if (!origin || origin->client_ip.size() > mailrep::MessageTracer::kMaxClientIpBytes ||
        origin->sender_domain.size() > mailrep::MessageTracer::kMaxDomainBytes) {
      std::abort();
    }
  }
  // One probe answers as the separate calls do; a recipient's outcomes in
  // a message count once.
  if (mailrep::MessageTracer::Pending p = tracer.Find(trace.queue_id)) {
    if (p.origin().submitter != tracer.OriginOf(trace.queue_id)->submitter) std::abort();
    std::string_view recipient = trace.client_ip.empty() ? text : trace.client_ip;
    bool first = p.FirstOutcome(recipient, true);
    if (p.FirstOutcome(recipient, true) || (first && p.FirstOutcome(recipient, false))) {
      std::abort();
    }
  }
  mailrep::DeliveryEvent sent;
  sent.queue_id.assign(trace.queue_id);
  tracer.OnDelivery(sent, "192.0.2.1", index, 1);
  tracer.Flush(index);
  if (!trace.message_id.empty()) (void)index.Find(trace.message_id, 1);
  return 0;
}
