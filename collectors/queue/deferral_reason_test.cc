#include "collectors/queue/deferral_reason.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mailrep {
namespace {

struct ReasonCase {
  const char* text;
  const char* dsn;
  DeferralReason want;
};

// Receiver texts as they appear in Postfix defer logs and status=deferred lines.
const ReasonCase kCases[] = {
    // From the lab (tests/queue/postfix_lab.sh, Postfix 3.7.11).
    {"host 127.0.0.1[127.0.0.1] said: 452 4.2.2 <user> Mailbox full, try again later (in reply "
     "to RCPT TO command)",
     "4.2.2", DeferralReason::kMailbox},
    {"host 127.0.0.1[127.0.0.1] said: 450 4.7.1 Service unavailable; Client host [127.0.0.1] "
     "blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.1 (in reply to "
     "RCPT TO command)",
     "4.7.1", DeferralReason::kBlocklisted},
    {"host 127.0.0.1[127.0.0.1] said: 451 4.7.28 Our system has detected an unusual rate of "
     "unsolicited mail originating from your IP address, temporarily rate limited (in reply to "
     "MAIL FROM command)",
     "4.7.28", DeferralReason::kRateLimited},
    {"connect to 127.0.0.1[127.0.0.1]:2599: Connection refused", "4.4.1",
     DeferralReason::kConnection},
    {"Host or domain name not found. Name service error for name=dns.example.test type=MX: Host "
     "not found, try again",
     "4.4.3", DeferralReason::kDns},
    {"TLS is required, but was not offered by host mx.tls.example.test[127.0.0.1]", "4.7.5",
     DeferralReason::kTls},
    // Large receivers (texts as they publish them).
    {"host gmail-smtp-in.l.google.com[192.0.2.1] said: 421-4.7.0 This message is suspicious due "
     "to the very low reputation of the sending IP address.",
     "4.7.0", DeferralReason::kBlocklisted},
    {"host gmail-smtp-in.l.google.com[192.0.2.1] said: 421-4.7.26 This mail has been rate "
     "limited because it is unauthenticated. Gmail requires all senders to authenticate with "
     "either SPF or DKIM.",
     "4.7.26", DeferralReason::kAuth},
    {"host gmail-smtp-in.l.google.com[192.0.2.1] said: 452-4.2.2 The recipient's inbox is out "
     "of storage space.",
     "4.2.2", DeferralReason::kMailbox},  // no text rule: by its DSN
    {"host mx.example.net[192.0.2.1] said: 421 4.7.0 [TSS04] Messages from 192.0.2.7 "
     "temporarily deferred due to unexpected volume or user complaints",
     "4.7.0", DeferralReason::kRateLimited},
    {"host outlook-com.olc.protection.outlook.com[192.0.2.1] said: 451 4.7.650 The mail server "
     "[192.0.2.7] has been temporarily rate limited due to IP reputation.",
     "4.7.650", DeferralReason::kBlocklisted},
    {"host mx.example.net[192.0.2.1] said: 450 4.7.1 Client host rejected: cannot find your "
     "reverse hostname, [192.0.2.7]",
     "4.7.1", DeferralReason::kAuth},
    {"host mx.example.net[192.0.2.1] said: 451 4.7.1 Please try again later (greylisted)", "4.7.1",
     DeferralReason::kRateLimited},
    {"host mx.example.net[192.0.2.1] said: 421 4.7.0 Too many concurrent SMTP connections from "
     "this IP address; please try again later.",
     "4.7.0", DeferralReason::kRateLimited},
    {"host mx.example.net[192.0.2.1] said: 452 4.2.2 Quota exceeded (mailbox for user is full)",
     "4.2.2", DeferralReason::kMailbox},
    {"host mx.example.net[192.0.2.1] said: 450 4.1.1 <u@example.net>: Recipient address "
     "rejected: User unknown in local recipient table",
     "4.1.1", DeferralReason::kMailbox},
    {"Cannot start TLS: handshake failure", "4.7.5", DeferralReason::kTls},
    {"lost connection with mx.example.net[192.0.2.1] while performing the TLS handshake", "4.4.2",
     DeferralReason::kTls},
    {"conversation with mx.example.net[192.0.2.1] timed out while receiving the initial server "
     "greeting",
     "4.4.2", DeferralReason::kConnection},
    {"connect to mx.example.net[192.0.2.1]:25: Connection timed out", "4.4.1",
     DeferralReason::kConnection},
    {"connect to mx.example.net[2001:db8::1]:25: Network is unreachable", "4.4.1",
     DeferralReason::kConnection},
    {"lost connection with mx.example.net[192.0.2.1] while sending RCPT TO", "4.4.2",
     DeferralReason::kConnection},
    {"host mx.example.net[192.0.2.1] refused to talk to me: 554 5.7.1 Service unavailable; "
     "Client host [192.0.2.7] blocked using b.barracudacentral.org",
     "4.7.1", DeferralReason::kBlocklisted},
    {"host mx.example.net[192.0.2.1] refused to talk to me: 421 4.3.2 Service not available",
     "4.3.2", DeferralReason::kConnection},
    {"host mx.example.net[192.0.2.1] said: 550 5.7.1 Unfortunately, messages from [192.0.2.7] "
     "weren't sent. Please contact your Internet service provider since part of their network is "
     "on our block list (S3150).",
     "5.7.1", DeferralReason::kBlocklisted},
    {"host mx.example.net[192.0.2.1] said: 451 4.7.1 DMARC policy violation", "4.7.1",
     DeferralReason::kAuth},
    {"host mx.example.net[192.0.2.1] said: 550 5.7.23 SPF validation failed", "5.7.23",
     DeferralReason::kAuth},
    {"address resolver failure", "4.3.0", DeferralReason::kDns},
    {"delivery temporarily suspended: connect to mx.example.net[192.0.2.1]:25: Connection refused",
     "4.4.1", DeferralReason::kConnection},
    {"deferred transport", "4.3.2", DeferralReason::kOther},
    {"mail transport unavailable", "4.3.0", DeferralReason::kOther},
    // DSN fallback when the text says nothing known.
    {"host mx.example.net[192.0.2.1] said: 452 4.2.2 nope", "", DeferralReason::kMailbox},
    {"host mx.example.net[192.0.2.1] said: 451 4.4.1 hm", "", DeferralReason::kConnection},
    {"host mx.example.net[192.0.2.1] said: 451 4.7.28 hm", "", DeferralReason::kRateLimited},
    {"", "", DeferralReason::kOther},
    {"4.2.2", "", DeferralReason::kMailbox},
    {"version 4.2.22.1 broke", "", DeferralReason::kOther},
};

TEST(DeferralReasonTest, Table) {
  for (const ReasonCase& c : kCases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(DeferralReasonName(ClassifyDeferralReason(c.text, c.dsn)),
              DeferralReasonName(c.want));
  }
}

TEST(DeferralReasonTest, NamesAreDistinctLabelValues) {
  std::set<std::string> names;
  for (DeferralReason r : kAllDeferralReasons) {
    std::string name(DeferralReasonName(r));
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos);
    names.insert(name);
  }
  EXPECT_EQ(names.size(), kAllDeferralReasons.size());
}

}  // namespace
}  // namespace mailrep
