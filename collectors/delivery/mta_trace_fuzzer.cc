// libFuzzer target: the Sendmail, qmail and OpenSMTPD trace parsers, whose
// state (logins by pid, sessions) spans lines, and a tracer fed what they
// return. The first byte picks the MTA ('s', 'q', anything else OpenSMTPD);
// the rest is lines, each "pid message" for Sendmail. Any input must be read
// or skipped, never crash; a submitter kind comes only with a submitter; a
// noted message's origin is found and within its bounds; the parsers' state
// stays bounded. The same lines also go through a LineParser for that MTA.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/message_tracer.h"
#include "collectors/delivery/opensmtpd_log.h"
#include "collectors/delivery/qmail_log.h"
#include "collectors/delivery/sendmail_log.h"

namespace {

void Check(const mailrep::MessageTrace& trace, mailrep::MessageTracer& tracer) {
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
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  char mta = static_cast<char>(data[0]);
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  mailrep::SendmailTraceParser sendmail;
  mailrep::QmailLogParser qmail;
  mailrep::OpenSmtpdTraceParser opensmtpd;
  mailrep::LineParser parser(mta == 's'   ? mailrep::MtaKind::kSendmail
                             : mta == 'q' ? mailrep::MtaKind::kQmail
                                          : mailrep::MtaKind::kOpenSmtpd);
  mailrep::MessageTracer tracer(4);
  mailrep::DeliveryEvent event;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    mailrep::MessageTrace trace;
    if (mta == 's') {
      size_t space = line.find(' ');
      std::string_view pid = space == std::string_view::npos ? line : line.substr(0, space);
      std::string_view message =
          space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
      (void)sendmail.Parse(pid, message, &trace);
    } else if (mta == 'q') {
      (void)qmail.ParseTrace(line, &trace);
    } else {
      (void)opensmtpd.Parse(line, &trace);
    }
    Check(trace, tracer);
    mailrep::MessageTrace via_parser;
    if (parser.Parse(line, &event, &via_parser) == mailrep::LineResult::kParsed) {
      (void)tracer.OriginOf(event.queue_id);
    } else {
      Check(via_parser, tracer);
    }
  }
  if (sendmail.sessions() > mailrep::SendmailTraceParser::kMaxSessions ||
      opensmtpd.sessions() > mailrep::OpenSmtpdTraceParser::kMaxSessions) {
    std::abort();
  }
  return 0;
}
