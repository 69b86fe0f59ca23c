#include "collectors/delivery/rejection_classifier.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace mailrep {
namespace {

struct Case {
  const char* reply;  // real receivers' reply texts (IPs replaced by documentation ones)
  const char* dsn;
  const char* reason;
  const char* cited;
};

TEST(RejectionClassifierTest, RealReplies) {
  const Case cases[] = {
      {"host mx.example.net[192.0.2.5] said: 554 5.7.1 Service unavailable; Client host "
       "[198.51.100.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/"
       "198.51.100.7 (in reply to RCPT TO command)",
       "5.7.1", "blocklist", "zen.spamhaus.org"},
      {"554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using "
       "sbl.spamhaus.org",
       "", "blocklist", "sbl.spamhaus.org"},
      {"550 5.7.1 Blocked - see http://www.spamcop.net/bl.shtml?198.51.100.7", "5.7.1", "blocklist",
       "bl.spamcop.net"},
      {"554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using "
       "b.barracudacentral.org",
       "", "blocklist", "b.barracudacentral.org"},
      {"550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your "
       "Internet service provider since part of their network is on our block list (S3150). You "
       "can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.",
       "5.7.1", "blocklist", "outlook"},
      {"554 Your IP 198.51.100.7 is listed at dnsbl.example.org", "", "blocklist", "other"},
      {"421-4.7.28 [198.51.100.7 15] Our system has detected an unusual rate of unsolicited mail "
       "originating from your IP address. To protect our users from spam, mail sent from your IP "
       "address has been temporarily rate limited.",
       "4.7.28", "reputation", "gmail"},
      {"550-5.7.1 [198.51.100.7 12] Our system has detected that this message is likely "
       "unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been "
       "blocked.",
       "5.7.1", "reputation", "gmail"},
      {"550-5.7.1 [198.51.100.7] The IP you're using to send mail is not authorized to send email "
       "directly to our servers. Please use the SMTP relay at your service provider instead. "
       "Gmail's sender reputation guidelines",
       "5.7.1", "reputation", "gmail"},
      {"550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC "
       "policy.",
       "5.7.26", "dmarc", ""},
      {"550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
       "requires all senders to authenticate with either SPF or DKIM.",
       "", "dmarc", ""},
      {"550-5.7.27 The sender's SPF record check failed.", "5.7.27", "spf", ""},
      {"550 5.7.23 SPF validation failed", "", "spf", ""},
      {"421 4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred due to unexpected "
       "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
       "4.7.0", "reputation", "yahoo"},
      {"421 4.7.0 Try again later, closing connection. (EHLO)", "4.7.0", "rate_limit", ""},
      {"450 4.7.1 Client host rejected: too many connections from your host", "4.7.1", "rate_limit",
       ""},
      {"421 Service temporarily unavailable", "", "rate_limit", ""},
      {"452 4.2.2 The email account that you tried to reach is over quota.", "4.2.2",
       "mailbox_full", ""},
      {"552 5.2.2 Mailbox full", "5.2.2", "mailbox_full", ""},
      {"550-5.1.1 The email account that you tried to reach does not exist.", "5.1.1",
       "recipient_unknown", ""},
      {"550 5.1.1 <user> User unknown", "5.1.1", "recipient_unknown", ""},
      {"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
       "5.1.10", "recipient_unknown", ""},
      {"550 5.7.1 Message rejected as spam by Content Filtering.", "5.7.1", "content", ""},
      {"554 5.7.1 The message was rejected because it contains prohibited virus or spam content",
       "", "content", ""},
      {"TLS is required, but was not offered by host mx.example.net[192.0.2.5]", "4.7.5", "tls",
       ""},
      {"530 5.7.0 Must issue a STARTTLS command first", "5.7.0", "tls", ""},
      {"Host or domain name not found. Name service error for name=example.invalid type=MX: "
       "Host not found, try again",
       "4.4.3", "dns", ""},
      {"connect to 192.0.2.5[192.0.2.5]:25: Connection refused", "4.4.1", "connection", ""},
      {"connect to mx.example.net[192.0.2.5]:25: Connection timed out", "4.4.1", "connection", ""},
      {"lost connection with mx.example.net[192.0.2.5] while receiving the initial server "
       "greeting",
       "4.4.2", "connection", ""},
      {"Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", "", "connection", ""},
      {"554 5.7.1 <x@example.net>: Relay access denied", "5.7.1", "policy", ""},
      {"550 5.7.25 The IP address sending this message does not have a PTR record setup", "",
       "policy", ""},
      {"550 5.7.1 Command rejected", "5.7.1", "policy", ""},
      {"message expired", "", "other", ""},
      {"", "", "other", ""},
  };
  const RejectionClassifier& c = RejectionClassifier::Default();
  for (const Case& k : cases) {
    RejectionClass got = c.Classify(k.reply, k.dsn);
    EXPECT_EQ(got.reason, k.reason) << k.reply;
    EXPECT_EQ(got.cited_blocklist, k.cited) << k.reply;
  }
}

TEST(RejectionClassifierTest, EmbeddedRulesParseAndLabelsAreBounded) {
  // The embedded file parses (Default() would silently be empty otherwise).
  EXPECT_EQ(RejectionClassifier::Default().Classify("blocked using zen.spamhaus.org", "").reason,
            "blocklist");
  const auto& names = RejectionClassifier::Default().blocklist_names();
  EXPECT_LT(names.size(), 40u);
  EXPECT_EQ(names.back(), "other");
  EXPECT_NE(std::find(names.begin(), names.end(), "zen.spamhaus.org"), names.end());
}

TEST(RejectionClassifierTest, RuleErrorsNameTheLine) {
  EXPECT_TRUE(RejectionClassifier::FromRules("# c\n\ntext spf spf\n").ok());
  StatusOr<RejectionClassifier> bad = RejectionClassifier::FromRules("text spf spf\ntext nope x\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(RejectionClassifier::FromRules("regex spf x\n").ok());
  EXPECT_FALSE(RejectionClassifier::FromRules("text spf\n").ok());
}

}  // namespace
}  // namespace mailrep
