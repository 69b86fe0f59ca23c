#include "collectors/delivery/message_tracer.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "collectors/delivery/exim_log.h"
#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/postfix_log.h"
#include "collectors/sketch/hash64.h"

namespace mailrep {
namespace {

TEST(ParsePostfixTraceTest, CleanupSmtpdPickupQmgr) {
  MessageTrace t;
  ASSERT_TRUE(ParsePostfixTrace("postfix/cleanup", "4Nv1qT4w3Zz1: message-id=<a@b.example>", &t));
  EXPECT_EQ(t.queue_id, "4Nv1qT4w3Zz1");
  EXPECT_EQ(t.message_id, "<a@b.example>");

  t = {};
  ASSERT_TRUE(ParsePostfixTrace(
      "postfix/submission/smtpd",
      "3F1A2B4C5D: client=host.example[192.0.2.4], sasl_method=PLAIN, sasl_username=alice", &t));
  EXPECT_EQ(t.queue_id, "3F1A2B4C5D");
  EXPECT_EQ(t.submitter, "alice");
  EXPECT_TRUE(t.message_id.empty());

  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kSasl);
  EXPECT_EQ(t.client_ip, "192.0.2.4");

  t = {};
  ASSERT_TRUE(ParsePostfixTrace("postfix/pickup", "3F1A2B4C5D: uid=1000 from=<bob>", &t));
  EXPECT_EQ(t.submitter, "uid=1000");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kLocal);

  // An unauthenticated client: its address is the only key.
  t = {};
  ASSERT_TRUE(
      ParsePostfixTrace("postfix/smtpd", "3F1A2B4C5D: client=unknown[2001:db8::7]:41234", &t));
  EXPECT_EQ(t.client_ip, "2001:db8::7");
  EXPECT_TRUE(t.submitter.empty());
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kNone);

  t = {};
  ASSERT_TRUE(ParsePostfixTrace(
      "postfix/qmgr", "3F1A2B4C5D: from=<news+x@Lists.Example>, size=3, nrcpt=1 (queue active)",
      &t));
  EXPECT_EQ(t.sender_domain, "Lists.Example");
  EXPECT_TRUE(t.submitter.empty());

  t = {};
  ASSERT_TRUE(ParsePostfixTrace("postfix-out1/qmgr", "3F1A2B4C5D: removed", &t));
  EXPECT_TRUE(t.removed);

  for (auto [tag, message] : std::vector<std::pair<std::string, std::string>>{
           {"postfix/smtpd", "3F1A2B4C5D: client=unknown[unknown]"},
           {"postfix/qmgr", "3F1A2B4C5D: from=<>, size=3, nrcpt=1 (queue active)"},
           {"postfix/qmgr", "3F1A2B4C5D: from=<root>, size=3, nrcpt=1 (queue active)"},
           {"postfix/smtpd", "connect from host.example[192.0.2.4]"},
           {"postfix/cleanup", "3F1A2B4C5D: reject: header Subject: x"},
           {"postfix/smtp", "3F1A2B4C5D: to=<a@b>, relay=none, status=sent (x)"},
           {"postfix/cleanup", "message-id=<a@b>"},
           {"cleanup", "3F1A2B4C5D: message-id=<a@b>"}}) {
    MessageTrace none;
    EXPECT_FALSE(ParsePostfixTrace(tag, message, &none)) << message;
    EXPECT_TRUE(none.empty());
  }
}

// The line parser's one pass gives what ParsePostfixLine and then (when it
// ignored the line) ParsePostfixTrace give, on the cases where they overlap or
// where the fields are found by position.
TEST(ParsePostfixLineOrTraceTest, AgreesWithTheTwoParsers) {
  for (auto [tag, message] : std::vector<std::pair<std::string, std::string>>{
           {"postfix/qmgr", "3F1A2B4C5D: from=<a@b.example>, status=expired, returned to sender"},
           {"postfix/qmgr", "3F1A2B4C5D: from=<a@b.example>,, status=force-expired"},
           {"postfix/qmgr", "3F1A2B4C5D: from=<a, status=expired>, size=3, nrcpt=1"},
           {"postfix/qmgr", "3F1A2B4C5D: from=<a@b.example>, size=3, nrcpt=1 (queue active)"},
           {"postfix/qmgr", "3F1A2B4C5D: from=<a@b.example>"},
           {"postfix/qmgr", "3F1A2B4C5D: from=<a@b.example>, "},
           {"postfix/qmgr", "3F1A2B4C5D: removed"},
           {"/qmgr", "3F1A2B4C5D: from=<a@b.example>, status=expired"},
           {"/cleanup", "3F1A2B4C5D: message-id=<a@b>"},
           {"postfix/smtpd", "3F1A2B4C5D: client=a[192.0.2.1]:25,, sasl_username=u, v"},
           {"postfix/smtpd", "3F1A2B4C5D: client=a[192.0.2.1], sasl_username=, sasl_username=w"},
           {"postfix/smtpd", "3F1A2B4C5D: client=a, b[192.0.2.1], x=sasl_username=y"},
           {"postfix/smtpd", "3F1A2B4C5D: client=a[unknown], sasl_username=u"},
           {"postfix/smtpd", "3F1A2B4C5D: client=a[192.0.2.1], "},
           {"postfix/smtpd", "3F1A2B4C5D: client="},
           {"postfix/smtp", "3F1A2B4C5D: to=<a@b>, relay=mx[192.0.2.2]:25, dsn=2.0.0, status=sent"},
           {"postfix/error", "3F1A2B4C5D: to=<a@b>, relay=none, dsn=4.4.1, status=deferred (x)"},
           {"postfix/pickup", "3F1A2B4C5D: uid=0 from=<root>"},
           {"postfix/lmtp", "3F1A2B4C5D: to=<a@b>, relay=x[192.0.2.2], status=sent"},
           {"postfix/qmgr", "short: removed"}}) {
    DeliveryEvent separate, one_pass;
    MessageTrace expected, got;
    LineResult r = ParsePostfixLine(tag, message, &separate);
    if (r == LineResult::kIgnored) (void)ParsePostfixTrace(tag, message, &expected);
    EXPECT_EQ(ParsePostfixLineOrTrace(tag, message, &one_pass, &got), r) << message;
    EXPECT_EQ(got.queue_id, expected.queue_id) << message;
    EXPECT_EQ(got.message_id, expected.message_id) << message;
    EXPECT_EQ(got.submitter, expected.submitter) << message;
    EXPECT_EQ(got.submitter_kind, expected.submitter_kind) << message;
    EXPECT_EQ(got.client_ip, expected.client_ip) << message;
    EXPECT_EQ(got.sender_domain, expected.sender_domain) << message;
    EXPECT_EQ(got.removed, expected.removed) << message;
    EXPECT_EQ(one_pass.status, separate.status) << message;
    EXPECT_EQ(one_pass.queue_id, separate.queue_id) << message;
    EXPECT_EQ(one_pass.reply, separate.reply) << message;
  }
  // The values found by position, spelled out.
  MessageTrace t;
  DeliveryEvent e;
  EXPECT_EQ(ParsePostfixLineOrTrace(
                "postfix/smtpd", "3F1A2B4C5D: client=a[192.0.2.1]:25,, sasl_username=u, v", &e, &t),
            LineResult::kIgnored);
  EXPECT_EQ(t.client_ip, "192.0.2.1");
  EXPECT_EQ(t.submitter, "u");
  t = {};
  EXPECT_EQ(ParsePostfixLineOrTrace(
                "postfix/qmgr", "3F1A2B4C5D: from=<a@b.example>,, status=force-expired", &e, &t),
            LineResult::kParsed);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(e.status, DeliveryStatus::kExpired);
  EXPECT_EQ(ParsePostfixLineOrTrace(
                "postfix/qmgr", "3F1A2B4C5D: from=<a, status=expired>, size=3, nrcpt=1", &e, &t),
            LineResult::kIgnored);  // ", " ends a field in a sender too, as before
}

TEST(ParseEximTraceTest, ArrivalAndCompletion) {
  MessageTrace t;
  ASSERT_TRUE(ParseEximTrace(
      "2026-12-07 10:00:00.123 [4242] 1tK2aB-000Abc-Zz <= alice@lab.example H=(client) "
      "[192.0.2.9] P=esmtpsa A=dovecot_plain:alice@lab.example S=1234 id=Xy.1@Lab.Example "
      "T=\"hello id=not-this\"",
      &t));
  EXPECT_EQ(t.queue_id, "1tK2aB-000Abc-Zz");
  EXPECT_EQ(t.message_id, "Xy.1@Lab.Example");
  EXPECT_EQ(t.submitter, "alice@lab.example");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kSasl);
  EXPECT_EQ(t.client_ip, "192.0.2.9");
  EXPECT_EQ(t.sender_domain, "lab.example");

  t = {};
  ASSERT_TRUE(
      ParseEximTrace("1tK2aB-000Abc-Zz <= root@lab.example U=root P=local S=300 id=z@y", &t));
  EXPECT_EQ(t.submitter, "root");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kLocal);
  EXPECT_EQ(t.client_ip, "");

  t = {};
  ASSERT_TRUE(
      ParseEximTrace("1tK2aB-000Abc-Zz <= <> H=mx.example [2001:db8::9]:25 P=esmtp S=3", &t));
  EXPECT_EQ(t.sender_domain, "");
  EXPECT_EQ(t.client_ip, "2001:db8::9");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kNone);

  t = {};
  ASSERT_TRUE(ParseEximTrace(
      "1tK2aB-000Abc-Zz <= a@b H=mx.example [192.0.2.9] U=mail P=esmtp S=300 id=z@y", &t));
  EXPECT_TRUE(t.submitter.empty());  // U= of a message received over SMTP is not a submitter

  t = {};
  ASSERT_TRUE(
      ParseEximTrace("1tK2aB-000Abc-Zz <= a@b H=c [192.0.2.9] P=esmtpa A=plain S=3 id=z@y", &t));
  EXPECT_TRUE(t.submitter.empty());  // the authenticator's name alone is no account
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kNone);

  t = {};
  ASSERT_TRUE(ParseEximTrace("2026-12-07 10:00:01 1tK2aB-000Abc-Zz Completed", &t));
  EXPECT_TRUE(t.removed);

  for (std::string line :
       {"2026-12-07 10:00:01 1tK2aB-000Abc-Zz => a@b R=dnslookup T=remote_smtp",
        "2026-12-07 10:00:01 Start queue run: pid=1", "1tK2aB-000Abc-Zz <= <> S=300",
        "1tK2aB-000Abc-Zz <= <> H=x P=esmtp T=\"[ab]\"", "2026-12-07 10:00:01."}) {
    MessageTrace none;
    EXPECT_FALSE(ParseEximTrace(line, &none)) << line;
  }
}

// The lines one message leaves in a Postfix log, through LineParser.
TEST(MessageTracerTest, PostfixMessageSentFromTheTagsAddress) {
  LineParser parser;
  MessageTracer tracer;
  MessageIdIndex index;
  DeliveryEvent event;
  MessageTrace trace;
  const char* kLines[] = {
      "Dec  7 10:00:00 lab postfix/submission/smtpd[1]: 3F1A2B4C5D: client=c.example[192.0.2.4], "
      "sasl_method=PLAIN, sasl_username=alice",
      "Dec  7 10:00:00 lab postfix/cleanup[2]: 3F1A2B4C5D: message-id=<m1@Lab.Example>",
      "Dec  7 10:00:00 lab postfix/qmgr[3]: 3F1A2B4C5D: from=<a@lab.example>, size=300, nrcpt=2 "
      "(queue active)",
      "Dec  7 10:00:01 lab postfix-ip2/smtp[4]: 3F1A2B4C5D: to=<x@gmail.com>, "
      "relay=mx.google.com[192.0.2.77]:25, delay=1, delays=0/0/0/1, dsn=4.2.0, status=deferred "
      "(try later)",
      "Dec  7 10:00:02 lab postfix-ip2/smtp[4]: 3F1A2B4C5D: to=<x@gmail.com>, "
      "relay=mx.google.com[192.0.2.77]:25, delay=2, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)",
      "Dec  7 10:00:02 lab postfix/qmgr[3]: 3F1A2B4C5D: removed",
  };
  for (const char* line : kLines) {
    LineResult r = parser.Parse(line, &event, &trace);
    if (r == LineResult::kParsed) {
      tracer.OnDelivery(event, "192.0.2.20", index, 5000);
    } else {
      tracer.Note(trace);
    }
  }
  tracer.Flush(index);
  std::optional<MessageIdIndex::Entry> e = index.Find("<m1@lab.example>", 5000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sending_ip, "192.0.2.20");
  EXPECT_EQ(e->queue_id, "3F1A2B4C5D");
  EXPECT_EQ(e->submitter, "alice");
  EXPECT_EQ(index.Size(5000), 1u);  // the deferral added nothing
  EXPECT_EQ(tracer.pending(), 0u);
}

// Who submitted each message, by queue id, until its removal line.
TEST(MessageTracerTest, PostfixOriginOfEachSubmissionKind) {
  LineParser parser;
  MessageTracer tracer;
  DeliveryEvent event;
  MessageTrace trace;
  const char* kLines[] = {
      "Dec  7 10:00:00 lab postfix/submission/smtpd[1]: AAAA1: client=c.example[192.0.2.4], "
      "sasl_method=PLAIN, sasl_username=alice",
      "Dec  7 10:00:00 lab postfix/qmgr[3]: AAAA1: from=<alice@Lab.Example>, size=300, nrcpt=2 "
      "(queue active)",
      "Dec  7 10:00:00 lab postfix/pickup[5]: AAAA2: uid=1001 from=<bob>",
      "Dec  7 10:00:00 lab postfix/qmgr[3]: AAAA2: from=<bob@lab.example>, size=300, nrcpt=1 "
      "(queue active)",
      "Dec  7 10:00:00 lab postfix/smtpd[6]: AAAA3: client=relay.example[198.51.100.9]",
      "Dec  7 10:00:00 lab postfix/qmgr[3]: AAAA3: from=<>, size=300, nrcpt=1 (queue active)",
  };
  for (const char* line : kLines) {
    ASSERT_NE(parser.Parse(line, &event, &trace), LineResult::kParsed) << line;
    tracer.Note(trace);  // nothing for the null sender's from=<>
  }
  std::optional<MessageTracer::Origin> o = tracer.OriginOf("AAAA1");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->kind, LoggedSubmitterKind::kSasl);
  EXPECT_EQ(o->submitter, "alice");
  EXPECT_EQ(o->client_ip, "192.0.2.4");
  EXPECT_EQ(o->sender_domain, "lab.example");
  o = tracer.OriginOf("AAAA2");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->kind, LoggedSubmitterKind::kLocal);
  EXPECT_EQ(o->submitter, "uid=1001");
  EXPECT_EQ(o->client_ip, "");
  EXPECT_EQ(o->sender_domain, "lab.example");
  o = tracer.OriginOf("AAAA3");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->kind, LoggedSubmitterKind::kNone);
  EXPECT_EQ(o->client_ip, "198.51.100.9");
  EXPECT_EQ(o->sender_domain, "");
  EXPECT_FALSE(tracer.OriginOf("AAAA4"));
  MessageTrace removed;
  removed.queue_id = "AAAA1";
  removed.removed = true;
  tracer.Note(removed);
  EXPECT_FALSE(tracer.OriginOf("AAAA1"));
  // A reused slot starts empty.
  MessageTrace fresh;
  fresh.queue_id = "AAAA5";
  fresh.message_id = "<x@y>";
  tracer.Note(fresh);
  o = tracer.OriginOf("AAAA5");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->kind, LoggedSubmitterKind::kNone);
  EXPECT_EQ(o->submitter, "");
  EXPECT_EQ(o->client_ip, "");
  EXPECT_EQ(o->sender_domain, "");
}

TEST(MessageTracerTest, EximArrivalThenDelivery) {
  LineParser parser;
  MessageTracer tracer;
  MessageIdIndex index;
  DeliveryEvent event;
  MessageTrace trace;
  const char* kLines[] = {
      "2026-12-07 10:00:00 1tK2aB-000Abc-Zz <= alice@lab.example H=(c) [192.0.2.9] P=esmtpsa "
      "A=plain:alice S=1234 id=e1@lab.example",
      "2026-12-07 10:00:01 1tK2aB-000Abc-Zz => x@yahoo.com R=dnslookup T=remote_smtp "
      "H=mta5.yahoo.com [192.0.2.66] I=[192.0.2.30]:41234 C=\"250 ok\"",
      "2026-12-07 10:00:01 1tK2aB-000Abc-Zz Completed",
  };
  for (const char* line : kLines) {
    LineResult r = parser.Parse(line, &event, &trace);
    if (r == LineResult::kParsed) {
      tracer.OnDelivery(event, event.sending_ip, index, 5000);
    } else {
      tracer.Note(trace);
    }
  }
  tracer.Flush(index);
  std::optional<MessageIdIndex::Entry> e = index.Find("<e1@LAB.EXAMPLE>", 5000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sending_ip, "192.0.2.30");
  EXPECT_EQ(e->submitter, "alice");
  EXPECT_EQ(tracer.pending(), 0u);
}

TEST(MessageTracerTest, PendingIsBoundedOldestFirst) {
  MessageTracer tracer(2);
  MessageIdIndex index;
  std::vector<std::string> ids = {"AAAAA1", "AAAAA2", "AAAAA3"};
  for (const std::string& id : ids) {
    MessageTrace t;
    t.queue_id = id;
    const std::string message_id = "<" + id + "@x>";  // MessageTrace holds views
    t.message_id = message_id;
    tracer.Note(t);
  }
  EXPECT_EQ(tracer.pending(), 2u);
  DeliveryEvent sent;
  for (const std::string& id : ids) {
    sent.queue_id = id;
    tracer.OnDelivery(sent, "192.0.2.1", index, 1);
  }
  tracer.Flush(index);
  EXPECT_FALSE(index.Find("<AAAAA1@x>", 1));
  EXPECT_TRUE(index.Find("<AAAAA3@x>", 1));
  // Removed and noted again many times: order_ does not grow without bound.
  for (int i = 0; i < 5000; ++i) {
    MessageTrace t;
    t.queue_id = "BBBBB1";
    t.message_id = "<b@x>";
    tracer.Note(t);
    t.removed = true;
    tracer.Note(t);
  }
  EXPECT_EQ(tracer.pending(), 1u);  // AAAAA3; the first BBBBB1 pushed AAAAA2 out
}

TEST(MessageTracerTest, SentMessagesReachTheIndexAtFlushOrAFullBatch) {
  MessageTracer tracer;
  MessageIdIndex index(3 * MessageTracer::kMaxBatch);
  DeliveryEvent sent;
  auto note_and_send = [&](size_t i) {
    std::string id = "Q" + std::to_string(i);
    std::string message_id = "<" + id + "@x>";
    MessageTrace t;
    t.queue_id = id;
    t.message_id = message_id;
    t.submitter = "uid=1000";
    tracer.Note(t);
    sent.queue_id = id;
    tracer.OnDelivery(sent, "192.0.2.1", index, 1);
  };
  note_and_send(0);
  EXPECT_FALSE(index.Find("<Q0@x>", 1));  // queued
  tracer.Flush(index);
  std::optional<MessageIdIndex::Entry> e = index.Find("<Q0@x>", 1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->submitter, "uid=1000");
  EXPECT_EQ(e->queue_id, "Q0");
  for (size_t i = 1; i <= MessageTracer::kMaxBatch + 1; ++i) note_and_send(i);
  EXPECT_TRUE(index.Find("<Q1@x>", 1));  // the full batch went by itself
  EXPECT_FALSE(index.Find("<Q" + std::to_string(MessageTracer::kMaxBatch + 1) + "@x>", 1));
  tracer.Flush(index);
  EXPECT_EQ(index.Size(1), MessageTracer::kMaxBatch + 2);
}

// The flat table against a plain model: random notes, removals and lookups
// over few queue ids, with a small bound so eviction and slot reuse happen.
TEST(MessageTracerTest, PendingAnswersWithOneProbeAndCountsRecipientsOnce) {
  MessageTracer tracer;
  EXPECT_FALSE(tracer.Find("4Nv1qT4w3Zz1"));
  MessageTrace t;
  t.queue_id = "4Nv1qT4w3Zz1";
  t.submitter = "alice";
  t.submitter_kind = LoggedSubmitterKind::kSasl;
  t.client_ip = "192.0.2.4";
  tracer.Note(t);
  MessageTracer::Pending p = tracer.Find("4Nv1qT4w3Zz1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p.origin().submitter, "alice");
  EXPECT_EQ(p.submitter_hash(), Hash64("alice"));
  EXPECT_EQ(p.client_ip_hash(), Hash64("192.0.2.4"));
  EXPECT_TRUE(p.MarkOnce(1));
  EXPECT_FALSE(p.MarkOnce(1));
  EXPECT_FALSE(tracer.MarkOnce("4Nv1qT4w3Zz1", 1)) << "the same flags";
  // Deferred twice then sent: first once. Sent at once: first.
  EXPECT_TRUE(p.FirstOutcome("a@x.example", true));
  EXPECT_FALSE(p.FirstOutcome("a@x.example", true));
  EXPECT_FALSE(p.FirstOutcome("a@x.example", false));
  EXPECT_TRUE(p.FirstOutcome("b@x.example", false));
  // Past the remembered deferrals: counted at the final outcome instead.
  for (size_t i = 0; i < MessageTracer::kMaxDeferredRecipients; ++i) {
    EXPECT_TRUE(p.FirstOutcome("d" + std::to_string(i) + "@x.example", true));
  }
  EXPECT_FALSE(p.FirstOutcome("late@x.example", true));
  EXPECT_FALSE(p.FirstOutcome("late@x.example", true));
  EXPECT_TRUE(p.FirstOutcome("late@x.example", false));
  EXPECT_FALSE(p.FirstOutcome("d0@x.example", false));
  // The slot is reused clean.
  t = {};
  t.queue_id = "4Nv1qT4w3Zz1";
  t.removed = true;
  tracer.Note(t);
  EXPECT_FALSE(tracer.Find("4Nv1qT4w3Zz1"));
  t = {};
  t.queue_id = "5Abc";
  t.message_id = "<m@x>";
  tracer.Note(t);
  t.queue_id = "5AbcDEFGHIJKLMNOPQRSTU";  // longer than 16 bytes
  tracer.Note(t);
  MessageTracer::Pending q = tracer.Find("5Abc");
  ASSERT_TRUE(q);
  EXPECT_EQ(q.submitter_hash(), 0u);
  EXPECT_TRUE(q.FirstOutcome("a@x.example", true));
  EXPECT_TRUE(q.MarkOnce(1));
  EXPECT_TRUE(tracer.Find("5AbcDEFGHIJKLMNOPQRSTU"));
  EXPECT_FALSE(tracer.Find("5Abd"));
}

TEST(MessageTracerTest, AgreesWithAModelUnderChurn) {
  constexpr size_t kMax = 50;
  MessageTracer tracer(kMax);
  MessageIdIndex index(100000);
  std::map<std::string, uint64_t> model_seq;  // queue id -> insertion number
  std::map<uint64_t, std::string> model_order;
  std::map<std::string, std::string> model_submitter;
  uint64_t seq = 0;
  std::mt19937 rng(7);
  DeliveryEvent sent;
  for (int step = 0; step < 200000; ++step) {
    std::string id = "QID" + std::to_string(rng() % 120);
    int op = static_cast<int>(rng() % 3);
    MessageTrace t;
    t.queue_id = id;
    if (op == 0) {
      std::string submitter = "user" + std::to_string(step);
      t.submitter = submitter;
      std::string message_id = "<m" + id + "@x>";
      t.message_id = message_id;
      tracer.Note(t);
      if (!model_seq.contains(id)) {
        model_seq[id] = seq;
        model_order[seq++] = id;
        if (model_seq.size() > kMax) {
          auto oldest = model_order.begin();
          model_seq.erase(oldest->second);
          model_submitter.erase(oldest->second);
          model_order.erase(oldest);
        }
      }
      model_submitter[id] = submitter;
    } else if (op == 1) {
      t.removed = true;
      tracer.Note(t);
      if (auto it = model_seq.find(id); it != model_seq.end()) {
        model_order.erase(it->second);
        model_seq.erase(it);
        model_submitter.erase(id);
      }
    } else {
      sent.queue_id = id;
      tracer.OnDelivery(sent, "", index, 1);
      tracer.Flush(index);
      std::optional<MessageIdIndex::Entry> e = index.Find("<m" + id + "@x>", 1);
      if (model_seq.contains(id)) {
        ASSERT_TRUE(e) << step;
        EXPECT_EQ(e->submitter, model_submitter[id]) << step;
      }
    }
    ASSERT_EQ(tracer.pending(), model_seq.size()) << step;
  }
}

}  // namespace
}  // namespace mailrep
