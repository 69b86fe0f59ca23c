// Small text helpers shared by the MTA log parsers. Pure functions.
#ifndef MAILREP_COLLECTORS_DELIVERY_LOG_TEXT_H_
#define MAILREP_COLLECTORS_DELIVERY_LOG_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include "collectors/reply/smtp_reply_codes.h"  // FindEnhancedCode, FindReplyCode

namespace mailrep {

// A non-negative decimal number of seconds ("0.16", "12").
std::optional<double> ParseSeconds(std::string_view text);

// "6m40s", "1h2m3s", "5s", "2d1h", "0.004s" (OpenSMTPD, Exim QT=/DT=).
std::optional<double> ParseUnitDuration(std::string_view text);

// "HH:MM:SS" or "D+HH:MM:SS" (Sendmail delay=).
std::optional<double> ParseClockDuration(std::string_view text);

// `host[ip]:port`, `host[ip]`, `host`: splits host and ip (ip empty if absent).
void SplitHostIp(std::string_view text, std::string* host, std::string* ip);

// Lower-cased ASCII copy.
std::string AsciiLower(std::string_view text);

// True when `text` parses as an IPv4 or IPv6 address.
bool IsIpLiteral(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_LOG_TEXT_H_
