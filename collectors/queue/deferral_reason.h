// Classifies why a receiver deferred mail, from the reason text Postfix
// records (defer logs, "status=deferred (...)" log lines), into a small fixed
// set fit for a metric label.
#ifndef MAILREP_COLLECTORS_QUEUE_DEFERRAL_REASON_H_
#define MAILREP_COLLECTORS_QUEUE_DEFERRAL_REASON_H_

#include <array>
#include <string_view>

namespace mailrep {

enum class DeferralReason {
  kConnection,   // refused, timed out, lost connection, unreachable
  kBlocklisted,  // the receiver blocks our IP or domain (DNSBL, reputation)
  kRateLimited,  // too many messages / connections, throttling, volume
  kAuth,         // SPF, DKIM, DMARC, PTR / reverse DNS, SASL, relay access
  kMailbox,      // mailbox full, over quota, unknown or unavailable mailbox
  kTls,          // STARTTLS missing or failing, certificates
  kDns,          // name not found, resolver failures
  kOther,
};

inline constexpr std::array<DeferralReason, 8> kAllDeferralReasons = {
    DeferralReason::kConnection, DeferralReason::kBlocklisted, DeferralReason::kRateLimited,
    DeferralReason::kAuth,       DeferralReason::kMailbox,     DeferralReason::kTls,
    DeferralReason::kDns,        DeferralReason::kOther};

// The label value: "connection", "blocklisted", "rate_limited", ...
std::string_view DeferralReasonName(DeferralReason reason);

// Classifies `text` (case-insensitive) by the first matching rule of a fixed,
// ordered table; when no text rule matches, by the enhanced status code
// `dsn` ("4.2.2"; may be empty, or found in the text). Never fails.
DeferralReason ClassifyDeferralReason(std::string_view text, std::string_view dsn = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_DEFERRAL_REASON_H_
