#include "collectors/queue/deferral_reason.h"

#include <cctype>
#include <string>

namespace mailrep {
namespace {

struct TextRule {
  DeferralReason reason;
  std::string_view pattern;  // lower case
  bool whole_word;           // pattern must not touch letters or digits
};

// Ordered: the first match wins. Specific causes come before generic ones,
// e.g. "TLS handshake ... lost connection" is tls, "reverse DNS" is auth,
// "Mailbox full, try again later" is mailbox.
constexpr TextRule kTextRules[] = {
    {DeferralReason::kBlocklisted, "blocked using", false},
    {DeferralReason::kBlocklisted, "blacklist", false},
    {DeferralReason::kBlocklisted, "blocklist", false},
    {DeferralReason::kBlocklisted, "block list", false},
    {DeferralReason::kBlocklisted, "denylist", false},
    {DeferralReason::kBlocklisted, "spamhaus", false},
    {DeferralReason::kBlocklisted, "spamcop", false},
    {DeferralReason::kBlocklisted, "barracuda", false},
    {DeferralReason::kBlocklisted, "sorbs", false},
    {DeferralReason::kBlocklisted, "uceprotect", false},
    {DeferralReason::kBlocklisted, "rbl", true},
    {DeferralReason::kBlocklisted, "dnsbl", true},
    {DeferralReason::kBlocklisted, "listed at", false},
    {DeferralReason::kBlocklisted, "listed in", false},
    {DeferralReason::kBlocklisted, "listed on", false},
    {DeferralReason::kBlocklisted, "listed by", false},
    {DeferralReason::kBlocklisted, "reputation", false},
    {DeferralReason::kBlocklisted, "senderscore", false},
    {DeferralReason::kBlocklisted, "blocked", false},
    {DeferralReason::kBlocklisted, "banned", false},
    {DeferralReason::kAuth, "spf", true},
    {DeferralReason::kAuth, "dkim", true},
    {DeferralReason::kAuth, "dmarc", true},
    {DeferralReason::kAuth, "authenticat", false},
    {DeferralReason::kAuth, "ptr", true},
    {DeferralReason::kAuth, "reverse dns", false},
    {DeferralReason::kAuth, "rdns", true},
    {DeferralReason::kAuth, "fcrdns", true},
    {DeferralReason::kAuth, "reverse hostname", false},
    {DeferralReason::kAuth, "reverse lookup", false},
    {DeferralReason::kAuth, "sasl", true},
    {DeferralReason::kAuth, "relay access denied", false},
    {DeferralReason::kAuth, "helo command rejected", false},
    {DeferralReason::kTls, "tls", true},
    {DeferralReason::kTls, "starttls", true},
    {DeferralReason::kTls, "ssl", true},
    {DeferralReason::kTls, "certificate", false},
    {DeferralReason::kTls, "handshake", false},
    {DeferralReason::kRateLimited, "rate limit", false},
    {DeferralReason::kRateLimited, "rate-limit", false},
    {DeferralReason::kRateLimited, "ratelimit", false},
    {DeferralReason::kRateLimited, "unusual rate", false},
    {DeferralReason::kRateLimited, "at a rate", false},
    {DeferralReason::kRateLimited, "too many", false},
    {DeferralReason::kRateLimited, "throttl", false},
    {DeferralReason::kRateLimited, "sending limit", false},
    {DeferralReason::kRateLimited, "sending quota", false},
    {DeferralReason::kRateLimited, "limit exceeded", false},
    {DeferralReason::kRateLimited, "temporarily deferred", false},
    {DeferralReason::kRateLimited, "unexpected volume", false},
    {DeferralReason::kRateLimited, "excessive", false},
    {DeferralReason::kRateLimited, "too fast", false},
    {DeferralReason::kRateLimited, "slow down", false},
    {DeferralReason::kRateLimited, "greylist", false},
    {DeferralReason::kRateLimited, "graylist", false},
    {DeferralReason::kMailbox, "mailbox", false},
    {DeferralReason::kMailbox, "over quota", false},
    {DeferralReason::kMailbox, "quota exceed", false},
    {DeferralReason::kMailbox, "inbox is full", false},
    {DeferralReason::kMailbox, "user unknown", false},
    {DeferralReason::kMailbox, "unknown user", false},
    {DeferralReason::kMailbox, "no such user", false},
    {DeferralReason::kMailbox, "recipient unknown", false},
    {DeferralReason::kMailbox, "insufficient storage", false},
    {DeferralReason::kMailbox, "account is disabled", false},
    {DeferralReason::kDns, "host or domain name not found", false},
    {DeferralReason::kDns, "name service error", false},
    {DeferralReason::kDns, "domain not found", false},
    {DeferralReason::kDns, "host not found", false},
    {DeferralReason::kDns, "address resolver failure", false},
    {DeferralReason::kDns, "nxdomain", true},
    {DeferralReason::kDns, "servfail", true},
    {DeferralReason::kDns, "temporary failure in name resolution", false},
    {DeferralReason::kDns, "dns lookup", false},
    {DeferralReason::kDns, "dns error", false},
    {DeferralReason::kDns, "dns failure", false},
    {DeferralReason::kDns, "dns query", false},
    {DeferralReason::kConnection, "connection refused", false},
    {DeferralReason::kConnection, "connection timed out", false},
    {DeferralReason::kConnection, "connection reset", false},
    {DeferralReason::kConnection, "lost connection", false},
    {DeferralReason::kConnection, "connect to", false},
    {DeferralReason::kConnection, "conversation with", false},
    {DeferralReason::kConnection, "timed out", false},
    {DeferralReason::kConnection, "network is unreachable", false},
    {DeferralReason::kConnection, "no route to host", false},
    {DeferralReason::kConnection, "refused to talk", false},
    {DeferralReason::kConnection, "dropped connection", false},
    {DeferralReason::kConnection, "service not available", false},
    {DeferralReason::kConnection, "closing transmission channel", false},
};

// Enhanced status codes (RFC 3463 and the IANA registry), class digit ignored.
struct DsnRule {
  std::string_view subject_detail;  // "2.2" matches 4.2.2 and 5.2.2
  DeferralReason reason;
};

constexpr DsnRule kDsnRules[] = {
    {"1.1", DeferralReason::kMailbox},    {"2.0", DeferralReason::kMailbox},
    {"2.1", DeferralReason::kMailbox},    {"2.2", DeferralReason::kMailbox},
    {"4.1", DeferralReason::kConnection}, {"4.2", DeferralReason::kConnection},
    {"4.7", DeferralReason::kConnection}, {"4.3", DeferralReason::kDns},
    {"4.4", DeferralReason::kDns},        {"4.5", DeferralReason::kRateLimited},
    {"7.5", DeferralReason::kTls},        {"7.10", DeferralReason::kTls},
    {"7.23", DeferralReason::kAuth},      {"7.24", DeferralReason::kAuth},
    {"7.25", DeferralReason::kAuth},      {"7.26", DeferralReason::kAuth},
    {"7.27", DeferralReason::kAuth},      {"7.28", DeferralReason::kRateLimited},
};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool Contains(std::string_view haystack, const TextRule& rule) {
  for (size_t pos = haystack.find(rule.pattern); pos != std::string_view::npos;
       pos = haystack.find(rule.pattern, pos + 1)) {
    if (!rule.whole_word) return true;
    size_t end = pos + rule.pattern.size();
    bool left_ok = pos == 0 || !IsWordChar(haystack[pos - 1]);
    bool right_ok = end == haystack.size() || !IsWordChar(haystack[end]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

// Finds the first "c.s.d" enhanced status code (c in 2, 4, 5) in `text`.
std::string_view FindDsn(std::string_view text) {
  for (size_t i = 0; i + 5 <= text.size(); ++i) {
    char c = text[i];
    if ((c != '2' && c != '4' && c != '5') || text[i + 1] != '.') continue;
    if (i > 0 && (IsWordChar(text[i - 1]) || text[i - 1] == '.')) continue;
    size_t j = i + 2;
    size_t digits = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) && digits < 3) {
      ++j, ++digits;
    }
    if (digits == 0 || j >= text.size() || text[j] != '.') continue;
    size_t k = j + 1;
    digits = 0;
    while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])) && digits < 3) {
      ++k, ++digits;
    }
    if (digits == 0 || (k < text.size() && (IsWordChar(text[k]) || text[k] == '.'))) continue;
    return text.substr(i, k - i);
  }
  return {};
}

}  // namespace

std::string_view DeferralReasonName(DeferralReason reason) {
  switch (reason) {
    case DeferralReason::kConnection:
      return "connection";
    case DeferralReason::kBlocklisted:
      return "blocklisted";
    case DeferralReason::kRateLimited:
      return "rate_limited";
    case DeferralReason::kAuth:
      return "auth";
    case DeferralReason::kMailbox:
      return "mailbox";
    case DeferralReason::kTls:
      return "tls";
    case DeferralReason::kDns:
      return "dns";
    case DeferralReason::kOther:
      return "other";
  }
  return "other";
}

DeferralReason ClassifyDeferralReason(std::string_view text, std::string_view dsn) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const TextRule& rule : kTextRules) {
    if (Contains(lower, rule)) return rule.reason;
  }
  if (dsn.empty()) dsn = FindDsn(text);
  if (dsn.size() >= 2 && dsn[1] == '.') {
    std::string_view subject_detail = dsn.substr(2);
    for (const DsnRule& rule : kDsnRules) {
      if (rule.subject_detail == subject_detail) return rule.reason;
    }
  }
  return DeferralReason::kOther;
}

}  // namespace mailrep
