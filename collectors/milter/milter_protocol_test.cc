#include "collectors/milter/milter_protocol.h"

#include <gtest/gtest.h>

#include <vector>

namespace mailrep {
namespace {

using Time = MilterSession::Time;

std::string U32s(uint32_t a, uint32_t b, uint32_t c) {
  std::string s;
  for (uint32_t v : {a, b, c}) {
    for (int shift : {24, 16, 8, 0}) s.push_back(static_cast<char>(v >> shift));
  }
  return s;
}

// The replies of one command, as command bytes ("" when none).
struct Step {
  std::string replies;
  std::optional<MilterMessageEvent> event;
  bool open = true;
};

Step Send(MilterSession& s, char command, std::string_view data, Time now = Time{}) {
  std::string reply;
  Step step;
  step.open = s.Handle(command, data, now, &reply, &step.event);
  MilterFrameReader reader(1 << 20);
  reader.Append(reply);
  bool error = false;
  while (auto p = reader.Next(&error)) step.replies.push_back(p->first);
  EXPECT_FALSE(error);
  return step;
}

TEST(MilterFrameReader, CutsPacketsAcrossReads) {
  std::string bytes = MilterPacket('M', std::string("<a@b>\0", 6)) + MilterPacket('N', "");
  MilterFrameReader reader(1024);
  bool error = false;
  reader.Append(bytes.substr(0, 3));
  EXPECT_FALSE(reader.Next(&error));
  reader.Append(bytes.substr(3, 7));
  EXPECT_FALSE(reader.Next(&error));
  reader.Append(bytes.substr(10));
  auto first = reader.Next(&error);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->first, 'M');
  EXPECT_EQ(first->second, std::string("<a@b>\0", 6));
  auto second = reader.Next(&error);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first, 'N');
  EXPECT_EQ(second->second, "");
  EXPECT_FALSE(error);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(MilterFrameReader, RefusesZeroAndOversizedLengths) {
  for (std::string bytes : {std::string("\0\0\0\0", 4), std::string("\0\1\0\0c", 5)}) {
    MilterFrameReader reader(1024);
    reader.Append(bytes);
    bool error = false;
    EXPECT_FALSE(reader.Next(&error));
    EXPECT_TRUE(error);
  }
}

TEST(MilterSession, NegotiatesNoActionsAndOnlyOfferedFlags) {
  MilterSession s({});
  std::string reply;
  std::optional<MilterMessageEvent> event;
  ASSERT_TRUE(s.Handle('O', U32s(6, 0x1ff, 0x1fffff), Time{}, &reply, &event));
  ASSERT_EQ(reply.size(), 4u + 1 + 12);
  EXPECT_EQ(reply[4], 'O');
  EXPECT_EQ(reply.substr(5, 8), U32s(6, 0, 0).substr(0, 8));  // version 6, no actions
  EXPECT_EQ(s.protocol() & kMilterNoConnect, kMilterNoConnect);
  EXPECT_EQ(s.protocol() & kMilterNoReplyHeader, kMilterNoReplyHeader);

  MilterSession offered_little({});
  reply.clear();
  ASSERT_TRUE(offered_little.Handle('O', U32s(6, 0x1ff, kMilterNoHelo), Time{}, &reply, &event));
  EXPECT_EQ(offered_little.protocol(), kMilterNoHelo);

  MilterSession broken({});
  EXPECT_FALSE(broken.Handle('O', "short", Time{}, &reply, &event));
}

TEST(MilterSession, RebuildsTheMessageAndAcceptsAtEndOfBody) {
  MilterSession s({});
  Send(s, 'O', U32s(6, 0x1ff, 0x1fffff));
  EXPECT_EQ(Send(s, 'D', std::string("M\0i\0ABC\0", 8)).replies, "");
  EXPECT_EQ(Send(s, 'M', std::string("<Alice@Mail.Example.ORG.>\0SIZE=9\0", 33)).replies, "");
  EXPECT_EQ(Send(s, 'R', std::string("<b@x.net>\0", 10)).replies, "");
  EXPECT_EQ(Send(s, 'R', std::string("<c@x.net>\0", 10)).replies, "");
  EXPECT_EQ(Send(s, 'L', std::string("From\0a@example.org\0", 19)).replies, "");
  EXPECT_EQ(Send(s, 'L', std::string("Subject\0hi\n\tthere\0", 18)).replies, "");
  EXPECT_EQ(Send(s, 'N', "").replies, "");  // Postfix streams up to end of message
  EXPECT_EQ(Send(s, 'B', "line one\r\n").replies, "");
  Step end = Send(s, 'E', "tail\r\n");
  EXPECT_EQ(end.replies, "a");
  ASSERT_TRUE(end.event);
  EXPECT_EQ(end.event->sender_domain, "mail.example.org");
  EXPECT_EQ(end.event->recipients, 2u);
  EXPECT_FALSE(end.event->skipped);
  EXPECT_EQ(end.event->message,
            "From: a@example.org\r\nSubject: hi\r\n\tthere\r\n\r\nline one\r\ntail\r\n");
  // The next message on the same connection starts afresh.
  Send(s, 'M', std::string("<>\0", 3));
  Step bounce = Send(s, 'E', "");
  ASSERT_TRUE(bounce.event);
  EXPECT_EQ(bounce.event->sender_domain, "");
  EXPECT_EQ(bounce.event->recipients, 0u);
  EXPECT_FALSE(Send(s, 'Q', "").open);
}

TEST(MilterSession, RepliesToEveryCommandWhenTheMtaOffersNoFlags) {
  MilterSession s({});
  EXPECT_EQ(Send(s, 'O', U32s(2, 0x1f, 0)).replies, "O");
  EXPECT_EQ(Send(s, 'C', "host\0").replies, "c");
  EXPECT_EQ(Send(s, 'H', "helo\0").replies, "c");
  EXPECT_EQ(Send(s, 'M', std::string("<a@b.org>\0", 10)).replies, "c");
  EXPECT_EQ(Send(s, 'R', std::string("<c@d.org>\0", 10)).replies, "c");
  EXPECT_EQ(Send(s, 'L', std::string("From\0x\0", 7)).replies, "c");
  EXPECT_EQ(Send(s, 'A', "").replies, "");  // abort: no reply, message dropped
  EXPECT_FALSE(Send(s, 'E', "").event);
}

// What an MTA offers that waits for a reply to end of headers and each body chunk.
constexpr uint32_t kRepliesToBody = 0x1fffff & ~(kMilterNoReplyEndOfHeaders | kMilterNoReplyBody);

TEST(MilterSession, AcceptsAtOnceWhenOverTheByteBudget) {
  MilterSession s({.max_message_bytes = 100, .max_message_time = std::chrono::seconds(10)});
  Send(s, 'O', U32s(6, 0x1ff, kRepliesToBody));
  Send(s, 'M', std::string("<a@b.org>\0", 10));
  Send(s, 'L', std::string("From\0a@b.org\0", 13));
  EXPECT_EQ(Send(s, 'N', "").replies, "c");
  EXPECT_EQ(Send(s, 'B', std::string(60, 'x')).replies, "c");
  Step over = Send(s, 'B', std::string(60, 'y'));
  EXPECT_EQ(over.replies, "a");
  ASSERT_TRUE(over.event);
  EXPECT_EQ(over.event->skipped, MilterSkipReason::kTooLarge);
  EXPECT_EQ(over.event->message, "");
  // Should the MTA go on anyway, the message is not counted twice.
  Step end = Send(s, 'E', "");
  EXPECT_EQ(end.replies, "a");
  EXPECT_FALSE(end.event);
}

TEST(MilterSession, AcceptsAtOnceWhenOverTheTimeBudget) {
  MilterSession s({.max_message_bytes = 1000, .max_message_time = std::chrono::seconds(2)});
  Send(s, 'O', U32s(6, 0x1ff, kRepliesToBody));
  Time t0{};
  Send(s, 'M', std::string("<a@b.org>\0", 10), t0);
  // A header past the budget gets no reply (no-reply negotiated); EOH does.
  EXPECT_EQ(Send(s, 'L', std::string("From\0a@b.org\0", 13), t0 + std::chrono::seconds(3)).replies,
            "");
  Step eoh = Send(s, 'N', "", t0 + std::chrono::seconds(3));
  EXPECT_EQ(eoh.replies, "a");
  ASSERT_TRUE(eoh.event);
  EXPECT_EQ(eoh.event->skipped, MilterSkipReason::kTooSlow);
}

TEST(MilterSession, SkipsAtEndOfMessageWhenTheMtaStreams) {
  // Every no-reply flag granted: nothing over the budget is kept, and the
  // message is accepted and counted as skipped, once, at end of message.
  MilterSession s({.max_message_bytes = 100, .max_message_time = std::chrono::seconds(2)});
  Send(s, 'O', U32s(6, 0x1ff, 0x1fffff));
  Send(s, 'M', std::string("<a@b.org>\0", 10));
  EXPECT_EQ(Send(s, 'N', "").replies, "");
  EXPECT_EQ(Send(s, 'B', std::string(60, 'x')).replies, "");
  Step over = Send(s, 'B', std::string(60, 'y'));
  EXPECT_EQ(over.replies, "");
  EXPECT_FALSE(over.event);
  Step end = Send(s, 'E', "");
  EXPECT_EQ(end.replies, "a");
  ASSERT_TRUE(end.event);
  EXPECT_EQ(end.event->skipped, MilterSkipReason::kTooLarge);
  EXPECT_EQ(end.event->message, "");

  Time t0{};
  Send(s, 'M', std::string("<a@b.org>\0", 10), t0);
  EXPECT_EQ(Send(s, 'B', "late", t0 + std::chrono::seconds(3)).replies, "");
  Step slow = Send(s, 'E', "", t0 + std::chrono::seconds(3));
  EXPECT_EQ(slow.replies, "a");
  ASSERT_TRUE(slow.event);
  EXPECT_EQ(slow.event->skipped, MilterSkipReason::kTooSlow);
}

}  // namespace
}  // namespace mailrep
