#include "collectors/reply/reply_classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

struct Case {
  const char* reply;   // a receiver's (or the MTA's own) text; IPs are documentation ones
  const char* dsn;     // as the log or defer file gives it apart; may be empty
  const char* reason;  // label value
  const char* cited;   // cited blocklist label, "" for none
};

// Real replies, shortened, as receivers publish them or as they appear in
// public bug reports, and as Postfix, Exim and OpenSMTPD write their own
// failures. Both collectors and every CLI read them through these rules.
const Case kRealReplies[] = {
    // Gmail.
    {"421-4.7.28 [198.51.100.7 15] Our system has detected an unusual rate of unsolicited mail "
     "originating from your IP address. To protect our users from spam, mail sent from your IP "
     "address has been temporarily rate limited.",
     "4.7.28", "reputation", "gmail"},
    {"host 127.0.0.1[127.0.0.1] said: 451 4.7.28 Our system has detected an unusual rate of "
     "unsolicited mail originating from your IP address, temporarily rate limited (in reply to "
     "MAIL FROM command)",
     "4.7.28", "reputation", "gmail"},
    {"421 4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your "
     "SPF domain. To protect our users from spam, mail sent from your domain has been "
     "temporarily rate limited.",
     "", "reputation", "gmail"},
    {"host mx.example.net[192.0.2.1] said: 451 4.7.28 hm", "", "reputation", "gmail"},
    {"550-5.7.1 [198.51.100.7 12] Our system has detected that this message is likely "
     "unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been "
     "blocked.",
     "5.7.1", "reputation", "gmail"},
    {"550-5.7.1 [198.51.100.7] The IP you're using to send mail is not authorized to send email "
     "directly to our servers. Please use the SMTP relay at your service provider instead. "
     "Gmail's sender reputation guidelines",
     "5.7.1", "reputation", "gmail"},
    {"host gmail-smtp-in.l.google.com[192.0.2.1] said: 421-4.7.0 This message is suspicious due "
     "to the very low reputation of the sending IP address.",
     "4.7.0", "reputation", "gmail"},
    {"421 4.7.0 [198.51.100.7] Our system has detected that this message is suspicious due to "
     "the nature of the content and/or the links within.",
     "4.7.0", "content", ""},
    {"421-4.7.0 This message does not have authentication information or fails to pass "
     "authentication checks.",
     "4.7.0", "dmarc", ""},
    {"host gmail-smtp-in.l.google.com[192.0.2.1] said: 421-4.7.26 This mail has been rate "
     "limited because it is unauthenticated. Gmail requires all senders to authenticate with "
     "either SPF or DKIM.",
     "4.7.26", "dmarc", ""},
    {"550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC "
     "policy.",
     "5.7.26", "dmarc", ""},
    {"550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail "
     "requires all senders to authenticate with either SPF or DKIM.",
     "", "dmarc", ""},
    {"550-5.7.27 The sender's SPF record check failed.", "5.7.27", "spf", ""},
    {"450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents "
     "additional messages from being delivered. Please resend your message at a later time.",
     "4.2.1", "rate_limit", ""},
    {"host gmail-smtp-in.l.google.com[192.0.2.1] said: 452-4.2.2 The recipient's inbox is out "
     "of storage space.",
     "4.2.2", "mailbox_full", ""},
    {"452 4.2.2 The email account that you tried to reach is over quota.", "4.2.2", "mailbox_full",
     ""},
    {"550-5.1.1 The email account that you tried to reach does not exist.", "5.1.1",
     "recipient_unknown", ""},
    // Microsoft (Outlook.com, Hotmail, Exchange Online).
    {"550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your "
     "Internet service provider since part of their network is on our block list (S3150). You "
     "can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.",
     "5.7.1", "blocklist", "outlook"},
    {"host outlook-com.olc.protection.outlook.com[192.0.2.1] said: 550 5.7.1 Unfortunately, "
     "messages from [198.51.100.7] weren't sent. Please contact your Internet service provider "
     "since part of their network is on our block list (S3140). (in reply to MAIL FROM command)",
     "5.7.1", "blocklist", "outlook"},
    {"550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your "
     "Internet service provider since part of their network is on our block list (AS3150)",
     "", "blocklist", "outlook"},
    {"550 5.7.606 Access denied, banned sending IP [198.51.100.7]. To request removal from this "
     "list please visit https://sender.office.com/ and follow the directions. (AS16012609)",
     "5.7.606", "blocklist", "outlook"},
    {"451 4.7.650 The mail server [198.51.100.7] has been temporarily rate limited due to IP "
     "reputation. For e-mail delivery information, see https://postmaster.live.com (S3113)",
     "4.7.650", "reputation", "outlook"},
    {"550 5.7.1 Service unavailable, Client host [198.51.100.7] blocked using Spamhaus. To "
     "request removal from this list see https://www.spamhaus.org/query/ip/198.51.100.7 "
     "(AS3130).",
     "5.7.1", "blocklist", "zen.spamhaus.org"},
    {"550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
     "5.1.10", "recipient_unknown", ""},
    // Yahoo / AOL.
    {"421 4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred due to unexpected "
     "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
     "4.7.0", "reputation", "yahoo"},
    {"421 4.7.1 [TS03] All messages from 198.51.100.7 will be permanently deferred; Retrying "
     "will NOT succeed.",
     "4.7.1", "reputation", "yahoo"},
    {"553 5.7.2 [TSS09] All messages from 198.51.100.7 will be permanently deferred; Retrying "
     "will NOT succeed.",
     "5.7.2", "reputation", "yahoo"},
    {"421 4.7.0 [TSS02] Messages from 198.51.100.7 temporarily deferred due to user complaints",
     "4.7.0", "reputation", "yahoo"},
    // Apple iCloud (Proofpoint in front).
    {"host mx02.mail.icloud.com[192.0.2.1] said: 554 5.7.1 [CS01] Message rejected due to local "
     "policy. Please visit https://support.apple.com/en-us/HT204137",
     "5.7.1", "policy", ""},
    {"554 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=198.51.100.7",
     "5.7.0", "blocklist", "proofpoint"},
    {"450 4.7.1 <mail.example.org>: Helo command rejected: Host not found", "4.7.1", "policy", ""},
    // GMX / Web.de (1&1 Nemesis).
    {"mx01.emig.gmx.net[192.0.2.1] refused to talk to me: 554-gmx.net (mxgmx116) Nemesis ESMTP "
     "Service not available 554-No SMTP service 554-IP address is black listed. 554 For "
     "explanation visit https://postmaster.gmx.net/en/error-messages?ip=198.51.100.7&c=bip",
     "", "blocklist", "gmx"},
    {"host mx00.emig.gmx.net[192.0.2.1] refused to talk to me: 554-gmx.net (mxgmx017) Nemesis "
     "ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record.",
     "", "policy", ""},
    {"host mx-ha03.web.de[192.0.2.1] refused to talk to me: 554-web.de (mxweb012) Nemesis ESMTP "
     "Service not available 554-No SMTP service 554 invalid DNS PTR resource record, "
     "IP=198.51.100.7",
     "4.0.0", "policy", ""},
    {"554-Transaction failed 554-Reject due to policy restrictions. 554 For explanation visit "
     "https://postmaster.1und1.de/de/case?c=hi&i=ip",
     "", "policy", ""},
    // Orange (Cloudmark).
    {"host smtp-in.orange.fr[192.0.2.1] refused to talk to me: 550 mwinf5c14 ME Adresse IP "
     "source bloquee pour incident de spam. Client host blocked for spamming issues. OFR006_102 "
     "Ref http://csi.cloudmark.com/reset-request/?ip=198.51.100.7 [102]",
     "4.0.0", "blocklist", "cloudmark"},
    {"421 mwinf5c27 ME Trop de connexions, veuillez verifier votre configuration. Too many "
     "connections, slow down. OFR004_104 [104]",
     "", "rate_limit", ""},
    {"550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]",
     "5.1.1", "recipient_unknown", ""},
    {"552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]", "5.1.1",
     "mailbox_full", ""},
    // Comcast.
    {"554 resimta-po-02v.sys.comcast.net comcast 198.51.100.7 found on one or more DNSBLs, see "
     "http://postmaster.comcast.net/smtp-error-codes.php#BL000001",
     "", "blocklist", "comcast"},
    {"554 imta14.emeryville.ca.mail.comcast.net comcast 198.51.100.7 Comcast block for spam.", "",
     "blocklist", "comcast"},
    {"554 resimta-po-02v.sys.comcast.net comcast 198.51.100.7 Comcast requires that all mail "
     "servers must have a PTR record with a valid Reverse DNS entry.",
     "", "policy", ""},
    // Receivers citing public blocklists.
    {"host mx.example.net[192.0.2.5] said: 554 5.7.1 Service unavailable; Client host "
     "[198.51.100.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/"
     "198.51.100.7 (in reply to RCPT TO command)",
     "5.7.1", "blocklist", "zen.spamhaus.org"},
    {"host 127.0.0.1[127.0.0.1] said: 450 4.7.1 Service unavailable; Client host [127.0.0.1] "
     "blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.1 (in reply to "
     "RCPT TO command)",
     "4.7.1", "blocklist", "zen.spamhaus.org"},
    {"554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using "
     "sbl.spamhaus.org",
     "", "blocklist", "sbl.spamhaus.org"},
    {"550 5.7.1 Mail from IP 198.51.100.7 was rejected due to listing in Spamhaus SBL.", "5.7.1",
     "blocklist", "zen.spamhaus.org"},
    {"554 host [198.51.100.7] is blacklisted by zen.spamhaus.org", "", "blocklist",
     "zen.spamhaus.org"},
    {"550 5.7.1 Blocked - see http://www.spamcop.net/bl.shtml?198.51.100.7", "5.7.1", "blocklist",
     "bl.spamcop.net"},
    {"550 JunkMail rejected - mx.example.net [198.51.100.7]:24706 is in an RBL: Blocked - see "
     "https://www.spamcop.net/bl.shtml?198.51.100.7",
     "", "blocklist", "bl.spamcop.net"},
    {"host mx.example.net[192.0.2.1] refused to talk to me: 554 5.7.1 Service unavailable; "
     "Client host [198.51.100.7] blocked using b.barracudacentral.org",
     "4.7.1", "blocklist", "b.barracudacentral.org"},
    {"554 Your IP 198.51.100.7 is listed at dnsbl.example.org", "", "blocklist", "other"},
    // Others: Bluewin, generic Postfix/Exim receivers.
    {"554 5.2.0 sc969: IP reputation ratelimit in effect", "5.2.0", "reputation", ""},
    {"host mx.example.net[192.0.2.1] said: 450 4.7.1 Client host rejected: cannot find your "
     "reverse hostname, [198.51.100.7]",
     "4.7.1", "policy", ""},
    {"550 5.7.25 The IP address sending this message does not have a PTR record setup", "",
     "policy", ""},
    {"host mx.example.net[192.0.2.1] said: 451 4.7.1 Please try again later (greylisted)", "4.7.1",
     "rate_limit", ""},
    {"host mx.example.net[192.0.2.1] said: 421 4.7.0 Too many concurrent SMTP connections from "
     "this IP address; please try again later.",
     "4.7.0", "rate_limit", ""},
    {"450 4.7.1 Client host rejected: too many connections from your host", "4.7.1", "rate_limit",
     ""},
    {"421 4.7.0 Try again later, closing connection. (EHLO)", "4.7.0", "rate_limit", ""},
    {"421 Service temporarily unavailable", "", "rate_limit", ""},
    {"450 4.7.1 Rate limit exceeded, try again later", "", "rate_limit", ""},
    {"host 127.0.0.1[127.0.0.1] said: 452 4.2.2 <user> Mailbox full, try again later (in reply "
     "to RCPT TO command)",
     "4.2.2", "mailbox_full", ""},
    {"host mx.example.net[192.0.2.1] said: 452 4.2.2 Quota exceeded (mailbox for user is full)",
     "4.2.2", "mailbox_full", ""},
    {"552 5.2.2 Mailbox full", "5.2.2", "mailbox_full", ""},
    {"host mx.example.net[192.0.2.1] said: 450 4.1.1 <u@example.net>: Recipient address "
     "rejected: User unknown in local recipient table",
     "4.1.1", "recipient_unknown", ""},
    {"550 5.1.1 <user> User unknown", "5.1.1", "recipient_unknown", ""},
    {"550 5.7.1 Message rejected as spam by Content Filtering.", "5.7.1", "content", ""},
    {"554 5.7.1 The message was rejected because it contains prohibited virus or spam content", "",
     "content", ""},
    {"host mx.example.net[192.0.2.1] said: 451 4.7.1 DMARC policy violation", "4.7.1", "dmarc", ""},
    {"host mx.example.net[192.0.2.1] said: 550 5.7.23 SPF validation failed", "5.7.23", "spf", ""},
    {"host c2.example.net[192.0.2.1] said: 554 5.7.1 No valid DKIM signature found (in reply to "
     "end of DATA command)",
     "5.7.1", "dkim", ""},
    {"5.7.0 bad DKIM signature data", "", "dkim", ""},
    {"554 5.7.1 <x@example.net>: Relay access denied", "5.7.1", "policy", ""},
    {"550 5.7.1 Command rejected", "5.7.1", "policy", ""},
    {"530 5.7.0 Must issue a STARTTLS command first", "5.7.0", "tls", ""},
    // The MTA's own texts (Postfix, Exim, OpenSMTPD route failures).
    {"TLS is required, but was not offered by host mx.tls.example.test[127.0.0.1]", "4.7.5", "tls",
     ""},
    {"Cannot start TLS: handshake failure", "4.7.5", "tls", ""},
    {"lost connection with mx.example.net[192.0.2.1] while performing the TLS handshake", "4.4.2",
     "tls", ""},
    {"Host or domain name not found. Name service error for name=dns.example.test type=MX: Host "
     "not found, try again",
     "4.4.3", "dns", ""},
    {"address resolver failure", "4.3.0", "dns", ""},
    {"connect to 127.0.0.1[127.0.0.1]:2599: Connection refused", "4.4.1", "connection", ""},
    {"connect to mx.example.net[2001:db8::1]:25: Network is unreachable", "4.4.1", "connection",
     ""},
    {"conversation with mx.example.net[192.0.2.1] timed out while receiving the initial server "
     "greeting",
     "4.4.2", "connection", ""},
    {"lost connection with mx.example.net[192.0.2.1] while sending RCPT TO", "4.4.2", "connection",
     ""},
    {"host mx.example.net[192.0.2.1] refused to talk to me: 421 4.3.2 Service not available",
     "4.3.2", "connection", ""},
    {"delivery temporarily suspended: connect to mx.example.net[192.0.2.1]:25: Connection refused",
     "4.4.1", "connection", ""},
    {"Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", "", "connection", ""},
    {"Network error on destination MXs", "", "connection", ""},
    {"No valid route to remote MX", "", "connection", ""},
    {"Temporary failure in MX lookup", "", "dns", ""},
    {"No MX found for domain", "", "dns", ""},
    {"Domain does not exist", "", "dns", ""},
    {"Could not retrieve credentials", "", "policy", ""},
    // No words known: by the enhanced code alone, else other.
    {"host mx.example.net[192.0.2.1] said: 452 4.2.2 nope", "", "mailbox_full", ""},
    {"host mx.example.net[192.0.2.1] said: 451 4.4.1 hm", "", "connection", ""},
    {"4.2.2", "", "mailbox_full", ""},
    {"deferred transport", "4.3.2", "other", ""},
    {"mail transport unavailable", "4.3.0", "other", ""},
    {"message expired", "", "other", ""},
    {"version 4.2.22.1 broke", "", "other", ""},
    {"", "", "other", ""},
};

TEST(ReplyClassifierTest, RealReplies) {
  const ReplyClassifier& c = ReplyClassifier::Default();
  for (const Case& k : kRealReplies) {
    ReplyClass got = c.Classify(k.reply, k.dsn);
    EXPECT_EQ(ReplyReasonName(got.reason), k.reason) << k.reply;
    EXPECT_EQ(got.cited_blocklist, k.cited) << k.reply;
  }
}

// Every reason has at least one real reply behind it.
TEST(ReplyClassifierTest, EveryReasonHasARealReply) {
  std::set<std::string> seen;
  for (const Case& k : kRealReplies) seen.insert(k.reason);
  for (ReplyReason r : kAllReplyReasons) {
    EXPECT_TRUE(seen.count(std::string(ReplyReasonName(r)))) << ReplyReasonName(r);
  }
}

TEST(ReplyClassifierTest, ReasonNamesAreDistinctLabelValues) {
  std::set<std::string_view> names;
  for (ReplyReason r : kAllReplyReasons) names.insert(ReplyReasonName(r));
  EXPECT_EQ(names.size(), kAllReplyReasons.size());
  EXPECT_EQ(ReplyReasonName(kAllReplyReasons.back()), "other");
}

TEST(ReplyClassifierTest, EmbeddedRulesParseAndLabelsAreBounded) {
  // The embedded file parses (Default() would silently be empty otherwise).
  EXPECT_EQ(ClassifyReply("blocked using zen.spamhaus.org"), ReplyReason::kBlocklist);
  const auto& names = ReplyClassifier::Default().blocklist_names();
  EXPECT_LT(names.size(), 45u);
  EXPECT_EQ(names.back(), "other");
  EXPECT_NE(std::find(names.begin(), names.end(), "zen.spamhaus.org"), names.end());
}

TEST(ReplyClassifierTest, WordRulesNeedBoundaries) {
  StatusOr<ReplyClassifier> c = ReplyClassifier::FromRules("word tls tls\ntext spf spf\n");
  ASSERT_OK(c);
  EXPECT_EQ(c->Classify("STARTTLS failed", "").reason, ReplyReason::kOther);
  EXPECT_EQ(c->Classify("TLS failed", "").reason, ReplyReason::kTls);
  EXPECT_EQ(c->Classify("no (tls)", "").reason, ReplyReason::kTls);
  EXPECT_EQ(c->Classify("xspfx", "").reason, ReplyReason::kSpf);
}

TEST(ReplyClassifierTest, RuleErrorsNameTheLine) {
  EXPECT_OK(ReplyClassifier::FromRules("# c\n\ntext spf spf\n"));
  StatusOr<ReplyClassifier> bad = ReplyClassifier::FromRules("text spf spf\ntext nope x\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ReplyClassifier::FromRules("regex spf x\n").ok());
  EXPECT_FALSE(ReplyClassifier::FromRules("text spf\n").ok());
  EXPECT_FALSE(ReplyClassifier::FromRules("word spf s\n").ok());
}

}  // namespace
}  // namespace mailrep
