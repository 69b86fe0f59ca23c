#include "collectors/delivery/message_history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/delivery/handoff_reply.h"
#include "collectors/delivery/submitter_table.h"

namespace mailrep {
namespace {

TEST(HandoffReplyTest, PostfixEximAndNone) {
  EXPECT_EQ(HandoffQueueId("250 2.0.0 Ok: queued as 4Nq1xT3Y5Vz9abc"), "4Nq1xT3Y5Vz9abc");
  EXPECT_EQ(HandoffQueueId("250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued "
                           "as BBBBB2)"),
            "BBBBB2");
  EXPECT_EQ(HandoffQueueId("250 OK id=1wXyZa-000AbC-Dd"), "1wXyZa-000AbC-Dd");
  EXPECT_EQ(HandoffQueueId("250 2.0.0 OK 1701234567 x1-20020a05 - gsmtp"), "");
  EXPECT_EQ(HandoffQueueId("250 queued as <x@y>"), "");
  EXPECT_EQ(HandoffQueueId("250 queued as " + std::string(33, 'A')), "");
  EXPECT_EQ(HandoffQueueId(""), "");
}

TEST(ResolveLoggedSubmitterTest, AccountThenLocalThenClient) {
  EXPECT_EQ(ResolveLoggedSubmitter(LoggedSubmitterKind::kSasl, "alice", "192.0.2.1"),
            (std::pair<SubmitterKind, std::string_view>{SubmitterKind::kSasl, "alice"}));
  EXPECT_EQ(ResolveLoggedSubmitter(LoggedSubmitterKind::kLocal, "uid=1000", ""),
            (std::pair<SubmitterKind, std::string_view>{SubmitterKind::kLocal, "uid=1000"}));
  EXPECT_EQ(ResolveLoggedSubmitter(LoggedSubmitterKind::kNone, "", "192.0.2.1"),
            (std::pair<SubmitterKind, std::string_view>{SubmitterKind::kClient, "192.0.2.1"}));
  EXPECT_EQ(ResolveLoggedSubmitter(LoggedSubmitterKind::kNone, "", "").first,
            SubmitterKind::kUnknown);
}

MessageHistory Read(const std::vector<std::string>& lines) {
  MessageHistory h({.keep_replies = true, .postfix_ips = nullptr});
  LineParser parser;
  DeliveryEvent event;
  MessageTrace trace;
  for (const std::string& line : lines) {
    LineResult r = parser.Parse(line, &event, &trace);
    h.Add(parser.last_mta(), r, event, trace);
  }
  return h;
}

// Real-shaped Postfix lines: a SASL burst user, a local script, a plain
// client, and a content filter re-queueing one of the burst's messages.
std::vector<std::string> PostfixLines() {
  std::vector<std::string> lines;
  auto smtp = [&](const std::string& qid, const std::string& to, const std::string& status,
                  const std::string& reply) {
    lines.push_back("Dec  7 10:00:02 lab postfix/smtp[15]: " + qid + ": to=<" + to +
                    ">, relay=mx.example.net[192.0.2.5]:25, delay=1, delays=0/0/0/1, dsn=" +
                    (status == "sent"       ? "2.0.0"
                     : status == "deferred" ? "4.7.1"
                                            : "5.1.1") +
                    ", status=" + status + " (" + reply + ")");
  };
  for (int i = 0; i < 3; ++i) {
    std::string qid = "A000" + std::to_string(i);
    lines.push_back("Dec  7 10:00:00 lab postfix/smtpd[10]: " + qid +
                    ": client=host.example[192.0.2." + std::to_string(4 + i % 2) +
                    "], sasl_method=PLAIN, sasl_username=burst");
    lines.push_back("Dec  7 10:00:00 lab postfix/cleanup[11]: " + qid + ": message-id=<b" +
                    std::to_string(i) + "@lab.example>");
    smtp(qid, "u" + std::to_string(i) + "@example.net", "sent", "250 2.0.0 Ok");
    smtp(qid, "v@example.net", i == 0 ? "deferred" : "sent",
         i == 0 ? "450 4.7.1 try later" : "250 ok");
    lines.push_back("Dec  7 10:00:03 lab postfix/qmgr[12]: " + qid + ": removed");
  }
  lines.push_back("Dec  7 10:00:04 lab postfix/pickup[16]: C0001: uid=33 from=<www-data>");
  smtp("C0001", "x@example.org", "bounced", "550 5.1.1 User unknown");
  // Re-queued through a filter: counted once, under burst.
  lines.push_back(
      "Dec  7 10:00:05 lab postfix/smtpd[10]: F0001: client=host.example[192.0.2.4], "
      "sasl_method=PLAIN, sasl_username=burst");
  lines.push_back(
      "Dec  7 10:00:05 lab postfix/smtp[14]: F0001: to=<y@example.com>, "
      "relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, "
      "status=sent (250 2.0.0 Ok: queued as F0002)");
  lines.push_back("Dec  7 10:00:05 lab postfix/smtpd[13]: F0002: client=localhost[127.0.0.1]");
  smtp("F0002", "y@example.com", "sent", "250 2.0.0 Ok: queued as 4XyzAbc");
  // No submitter logged (the smtpd line was rotated away).
  smtp("D0001", "z@example.com", "sent", "250 ok");
  return lines;
}

TEST(MessageHistoryTest, HandoffsLeadBackToTheFirstQueueId) {
  MessageHistory h = Read(PostfixLines());
  const LoggedMessage* second = h.Find("F0002");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(h.OriginOf(*second).queue_id, "F0001");
  const LoggedMessage* first = h.Find("F0001");
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->outcomes.size(), 1u);
  EXPECT_TRUE(h.IsHandoff(first->outcomes[0]));
  // A remote receiver's "queued as" names no queue id of ours.
  ASSERT_EQ(second->outcomes.size(), 1u);
  EXPECT_FALSE(h.IsHandoff(second->outcomes[0]));
  EXPECT_EQ(h.Find("A0000")->message_id, "b0@lab.example");
  EXPECT_TRUE(h.Find("A0000")->removed);
}

TEST(SubmitterTableTest, ExactCountsMostMessagesFirst) {
  std::vector<SubmitterRow> rows = SubmitterTable(Read(PostfixLines()));
  EXPECT_EQ(SubmitterTableJson(rows),
            "{\"submitters\": ["
            "{\"kind\": \"sasl\", \"name\": \"burst\", \"messages\": 4, \"recipients\": 7, "
            "\"deferred\": 1, \"bounced\": 0, \"client_ips\": 2}, "
            "{\"kind\": \"local\", \"name\": \"uid=33\", \"messages\": 1, \"recipients\": 1, "
            "\"deferred\": 0, \"bounced\": 1, \"client_ips\": 0}, "
            "{\"kind\": \"unknown\", \"name\": \"\", \"messages\": 1, \"recipients\": 1, "
            "\"deferred\": 0, \"bounced\": 0, \"client_ips\": 0}]}");
  EXPECT_EQ(SubmitterTableText(rows),
            "submitter  kind     messages  recipients  deferred  bounced  client_ips\n"
            "burst      sasl            4           7         1        0           2\n"
            "uid=33     local           1           1         0        1           0\n"
            "-          unknown         1           1         0        0           0\n");
}

TEST(SubmitterTableTest, EximSubmitters) {
  MessageHistory h = Read({
      "2026-12-07 10:00:00 1tK2aB-000Abc-Z1 <= alice@lab.example H=(client) [192.0.2.9] "
      "P=esmtpsa A=plain:alice S=1234 id=e1@lab.example",
      "2026-12-07 10:00:01 1tK2aB-000Abc-Z1 => x@yahoo.com R=dnslookup T=remote_smtp "
      "H=mta5.yahoo.com [192.0.2.66] I=[192.0.2.30]:41234 C=\"250 ok\"",
      "2026-12-07 10:00:02 1tK2aB-000Abc-Z2 <= root@lab.example U=root P=local S=300 id=e2@lab",
      "2026-12-07 10:00:02 1tK2aB-000Abc-Z2 == d@soft.example.test R=r_soft T=t_soft defer (-44) "
      "H=mx.soft.example.test [192.0.2.7]:25 I=[192.0.2.30]:41452 DT=0.000s: SMTP error from "
      "remote mail server after RCPT TO:<d@soft.example.test>: 452 4.2.2 Mailbox full",
  });
  EXPECT_EQ(SubmitterTableJson(SubmitterTable(h)),
            "{\"submitters\": ["
            "{\"kind\": \"local\", \"name\": \"root\", \"messages\": 1, \"recipients\": 1, "
            "\"deferred\": 1, \"bounced\": 0, \"client_ips\": 0}, "
            "{\"kind\": \"sasl\", \"name\": \"alice\", \"messages\": 1, \"recipients\": 1, "
            "\"deferred\": 0, \"bounced\": 0, \"client_ips\": 1}]}");
}

// Exim handing the message to a content filter on 10024, which re-injects
// it (a new id, the same Message-ID): one message, alice's, sent from
// 192.0.2.30 only.
TEST(MessageHistoryTest, EximReinjectionIsOneMessage) {
  MessageHistory h = Read({
      "2026-12-07 10:00:00 1tK2aB-000Abc-Z1 <= alice@lab.example H=(client) [192.0.2.9] "
      "P=esmtpsa A=plain:alice S=1234 id=x1@lab.example",
      "2026-12-07 10:00:01 1tK2aB-000Abc-Z1 => x@yahoo.com R=amavis T=amavis_smtp H=127.0.0.1 "
      "[127.0.0.1]:10024 I=[127.0.0.1]:41234 C=\"250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): "
      "250 OK id=1tK2aC-000Abc-Z2\" QT=1s DT=0.5s",
      "2026-12-07 10:00:01 1tK2aB-000Abc-Z1 Completed",
      "2026-12-07 10:00:01 1tK2aC-000Abc-Z2 <= alice@lab.example H=localhost [127.0.0.1] "
      "P=esmtp S=1500 id=x1@lab.example",
      "2026-12-07 10:00:02 1tK2aC-000Abc-Z2 => x@yahoo.com R=dnslookup T=remote_smtp "
      "H=mta5.yahoo.com [192.0.2.66] I=[192.0.2.30]:41234 C=\"250 ok dirdel\"",
      "2026-12-07 10:00:02 1tK2aC-000Abc-Z2 Completed",
  });
  const LoggedMessage* first = h.Find("1tK2aB-000Abc-Z1");
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->outcomes.size(), 1u);
  EXPECT_EQ(first->outcomes[0].handoff, "1tK2aC-000Abc-Z2");
  EXPECT_TRUE(h.IsHandoff(first->outcomes[0]));
  EXPECT_EQ(SubmitterTableJson(SubmitterTable(h)),
            "{\"submitters\": [{\"kind\": \"sasl\", \"name\": \"alice\", \"messages\": 1, "
            "\"recipients\": 1, \"deferred\": 0, \"bounced\": 0, \"client_ips\": 1}]}");
}

}  // namespace
}  // namespace mailrep
