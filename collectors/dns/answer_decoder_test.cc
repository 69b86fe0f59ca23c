#include "collectors/dns/answer_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/dns/dns_packet_builder.h"

namespace mailrep {
namespace {

using testing::AaaaRdata;
using testing::ARdata;
using testing::Bytes;
using testing::DnsPacketBuilder;
using testing::kResponse;
using testing::kTruncated;
using testing::MxRdata;
using testing::SoaRdata;
using testing::TxtRdata;
using testing::WireName;

constexpr uint16_t kA = 1, kNs = 2, kCname = 5, kSoa = 6, kPtr = 12, kMx = 15, kTxt = 16,
                   kAaaa = 28, kRrsig = 46;

// One line per record: the address, "|"-joined TXT strings, "pref target" or
// the target.
std::vector<std::string> Render(const DnsAnswer& answer) {
  std::vector<std::string> out;
  for (const DnsRecord& record : answer.records) {
    switch (record.type) {
      case RecordType::kA:
      case RecordType::kAaaa:
        out.push_back(record.address.ToString());
        break;
      case RecordType::kTxt: {
        std::string joined;
        for (size_t i = 0; i < record.texts.size(); ++i) {
          if (i > 0) joined += "|";
          joined += record.texts[i];
        }
        out.push_back(joined);
        break;
      }
      case RecordType::kMx:
        out.push_back(std::to_string(record.preference) + " " + record.target);
        break;
      default:
        out.push_back(record.target);
    }
  }
  return out;
}

DnsPacketBuilder Response(const char* name, uint16_t type, uint16_t rcode = 0) {
  DnsPacketBuilder builder;
  builder.Flags(static_cast<uint16_t>(kResponse | rcode)).Question(name, type);
  return builder;
}

Bytes Name(const char* name) { return WireName(name); }

// Bytes of a response whose answer owner is a pointer to the question name.
Bytes CompressedAnswer() {
  Bytes pointer_to_question = {0xC0, 12};
  return Response("mx.example", kA)
      .RawAnswer(pointer_to_question, kA, 60, ARdata("192.0.2.7"))
      .Build();
}

// A pointer that points forward, at itself.
Bytes SelfPointer() {
  Bytes packet = Response("loop.example", kA).Build();
  size_t at = packet.size();
  testing::PutU16(&packet, 0xC000 | static_cast<uint16_t>(at));
  testing::PutU16(&packet, kA);
  testing::PutU16(&packet, 1);
  testing::PutU32(&packet, 60);
  testing::PutU16(&packet, 4);
  Bytes rdata = ARdata("127.0.0.2");
  packet.insert(packet.end(), rdata.begin(), rdata.end());
  packet[7] = 1;  // ANCOUNT
  return packet;
}

// Labels with a dot and a space inside.
Bytes OddLabelPtr() {
  Bytes target = {3, 'a', '.', 'b', 2, 'x', ' ', 0};
  return Response("1.2.0.192.in-addr.arpa", kPtr)
      .Answer("1.2.0.192.in-addr.arpa", kPtr, 60, target)
      .Build();
}

Bytes LongName() {
  std::string name;
  for (int i = 0; i < 5; ++i) name += std::string(60, 'a') + ".";
  name += "example";
  return Response(name.c_str(), kA).Build();
}

struct Case {
  const char* label;
  Bytes packet;
  DnsOutcome outcome;
  std::string canonical_name;
  std::vector<std::string> records;
  uint32_t ttl;
};

TEST(DecodeDnsAnswerTest, Table) {
  const Case cases[] = {
      {"single A", Response("2.0.0.127.zen.example", kA).Answer("2.0.0.127.zen.example", kA, 300, ARdata("127.0.0.2")).Build(),
       DnsOutcome::kData, "2.0.0.127.zen.example", {"127.0.0.2"}, 300},
      {"several A, min TTL",
       Response("2.0.0.127.zen.example", kA)
           .Answer("2.0.0.127.zen.example", kA, 300, ARdata("127.0.0.2"))
           .Answer("2.0.0.127.zen.example", kA, 120, ARdata("127.0.0.4"))
           .Answer("2.0.0.127.zen.example", kA, 300, ARdata("127.0.0.10"))
           .Build(),
       DnsOutcome::kData, "2.0.0.127.zen.example", {"127.0.0.2", "127.0.0.4", "127.0.0.10"}, 120},
      {"AAAA", Response("v6.example", kAaaa).Answer("v6.example", kAaaa, 60, AaaaRdata("2001:db8::25")).Build(),
       DnsOutcome::kData, "v6.example", {"2001:db8::25"}, 60},
      {"TXT keeps strings apart",
       Response("example", kTxt).Answer("example", kTxt, 3600, TxtRdata({"v=spf1 ip4:192.0.2.0/24 ", "-all"})).Build(),
       DnsOutcome::kData, "example", {"v=spf1 ip4:192.0.2.0/24 |-all"}, 3600},
      {"TXT empty string", Response("example", kTxt).Answer("example", kTxt, 60, TxtRdata({""})).Build(),
       DnsOutcome::kData, "example", {""}, 60},
      {"TXT with no strings", Response("example", kTxt).Answer("example", kTxt, 60, {}).Build(),
       DnsOutcome::kMalformed, "example", {}, 0},
      {"TXT string past RDATA", Response("example", kTxt).Answer("example", kTxt, 60, {5, 'a', 'b'}).Build(),
       DnsOutcome::kMalformed, "example", {}, 0},
      {"MX", Response("example", kMx).Answer("example", kMx, 600, MxRdata(10, "Mail.Example")).Build(),
       DnsOutcome::kData, "example", {"10 mail.example"}, 600},
      {"null MX", Response("example", kMx).Answer("example", kMx, 600, MxRdata(0, ".")).Build(),
       DnsOutcome::kData, "example", {"0 ."}, 600},
      {"MX with junk after the name",
       Response("example", kMx).Answer("example", kMx, 600, [] { Bytes b = MxRdata(10, "m.example"); b.push_back(7); return b; }()).Build(),
       DnsOutcome::kMalformed, "example", {}, 0},
      {"PTR", Response("7.2.0.192.in-addr.arpa", kPtr).Answer("7.2.0.192.in-addr.arpa", kPtr, 86400, Name("mail.example")).Build(),
       DnsOutcome::kData, "7.2.0.192.in-addr.arpa", {"mail.example"}, 86400},
      {"PTR with escaped label bytes", OddLabelPtr(), DnsOutcome::kData, "1.2.0.192.in-addr.arpa", {"a\\.b.x\\032"}, 60},
      {"CNAME chain followed",
       Response("www.example", kA)
           .Answer("www.example", kCname, 300, Name("web.example"))
           .Answer("web.example", kCname, 100, Name("host.example"))
           .Answer("host.example", kA, 200, ARdata("192.0.2.1"))
           .Build(),
       DnsOutcome::kData, "host.example", {"192.0.2.1"}, 100},
      {"CNAME chain out of order",
       Response("www.example", kA)
           .Answer("host.example", kA, 200, ARdata("192.0.2.1"))
           .Answer("web.example", kCname, 300, Name("host.example"))
           .Answer("www.example", kCname, 300, Name("web.example"))
           .Build(),
       DnsOutcome::kData, "host.example", {"192.0.2.1"}, 200},
      {"asking for the CNAME itself",
       Response("www.example", kCname).Answer("www.example", kCname, 300, Name("web.example")).Build(),
       DnsOutcome::kData, "www.example", {"web.example"}, 300},
      {"CNAME loop",
       Response("a.example", kA)
           .Answer("a.example", kCname, 300, Name("b.example"))
           .Answer("b.example", kCname, 300, Name("a.example"))
           .Build(),
       DnsOutcome::kMalformed, "a.example", {}, 0},
      {"CNAME to a name without data is NODATA",
       Response("a.example", kA)
           .Answer("a.example", kCname, 300, Name("b.example"))
           .Authority("example", kSoa, 3600, SoaRdata(900))
           .Build(),
       DnsOutcome::kNoData, "b.example", {}, 300},
      {"NXDOMAIN, negative TTL = SOA MINIMUM",
       Response("1.0.0.127.zen.example", kA, 3).Authority("zen.example", kSoa, 3600, SoaRdata(150)).Build(),
       DnsOutcome::kNxDomain, "1.0.0.127.zen.example", {}, 150},
      {"NXDOMAIN, negative TTL = SOA TTL when smaller",
       Response("1.0.0.127.zen.example", kA, 3).Authority("zen.example", kSoa, 30, SoaRdata(150)).Build(),
       DnsOutcome::kNxDomain, "1.0.0.127.zen.example", {}, 30},
      {"NXDOMAIN without SOA is not cacheable", Response("x.example", kA, 3).Build(),
       DnsOutcome::kNxDomain, "x.example", {}, 0},
      {"NXDOMAIN at the end of a CNAME chain",
       Response("www.example", kA, 3)
           .Answer("www.example", kCname, 60, Name("gone.example"))
           .Authority("example", kSoa, 3600, SoaRdata(300))
           .Build(),
       DnsOutcome::kNxDomain, "gone.example", {}, 60},
      {"NODATA with SOA", Response("example", kAaaa).Authority("example", kSoa, 3600, SoaRdata(600)).Build(),
       DnsOutcome::kNoData, "example", {}, 600},
      {"records of another type only is NODATA",
       Response("example", kAaaa).Answer("example", kRrsig, 60, {1, 2, 3}).Build(),
       DnsOutcome::kNoData, "example", {}, 0},
      {"answer for another name",
       Response("2.0.0.127.zen.example", kA).Answer("evil.example", kA, 300, ARdata("127.0.0.2")).Build(),
       DnsOutcome::kMalformed, "2.0.0.127.zen.example", {}, 0},
      {"unrelated records beside real data are ignored",
       Response("ok.example", kA)
           .Answer("evil.example", kA, 300, ARdata("127.0.0.9"))
           .Answer("ok.example", kA, 300, ARdata("127.0.0.2"))
           .Build(),
       DnsOutcome::kData, "ok.example", {"127.0.0.2"}, 300},
      {"SERVFAIL", Response("x.example", kA, 2).Build(), DnsOutcome::kServFail, "x.example", {}, 0},
      {"REFUSED", Response("x.example", kA, 5).Build(), DnsOutcome::kRefused, "x.example", {}, 0},
      {"FORMERR", Response("x.example", kA, 1).Build(), DnsOutcome::kError, "x.example", {}, 0},
      {"NOTIMP", Response("x.example", kA, 4).Build(), DnsOutcome::kError, "x.example", {}, 0},
      {"truncated", DnsPacketBuilder().Flags(kResponse | kTruncated).Question("x.example", kTxt).Build(),
       DnsOutcome::kError, "x.example", {}, 0},
      {"query, not response", DnsPacketBuilder().Flags(0).Question("x.example", kA).Build(),
       DnsOutcome::kMalformed, "", {}, 0},
      {"opcode NOTIFY", DnsPacketBuilder().Flags(kResponse | 4 << 11).Question("x.example", kA).Build(),
       DnsOutcome::kMalformed, "", {}, 0},
      {"empty", {}, DnsOutcome::kMalformed, "", {}, 0},
      {"header only", DnsPacketBuilder().Build(), DnsOutcome::kMalformed, "", {}, 0},
      {"two questions", Response("a.example", kA).Question("b.example", kA).Build(),
       DnsOutcome::kMalformed, "", {}, 0},
      {"question class CH", DnsPacketBuilder().Flags(kResponse).Question("x.example", kTxt, 3).Build(),
       DnsOutcome::kMalformed, "", {}, 0},
      {"unsupported question type", Response("example", kNs).Build(), DnsOutcome::kMalformed, "example", {}, 0},
      {"A with 3 bytes", Response("x.example", kA).Answer("x.example", kA, 60, {127, 0, 0}).Build(),
       DnsOutcome::kMalformed, "x.example", {}, 0},
      {"AAAA with 4 bytes", Response("x.example", kAaaa).Answer("x.example", kAaaa, 60, ARdata("127.0.0.2")).Build(),
       DnsOutcome::kMalformed, "x.example", {}, 0},
      {"answer count past the end",
       Response("x.example", kA).Answer("x.example", kA, 60, ARdata("127.0.0.2")).Counts(1, 2, 0, 0).Build(),
       DnsOutcome::kMalformed, "x.example", {}, 0},
      {"RDLENGTH past the end",
       [] { Bytes b = Response("x.example", kA).Answer("x.example", kA, 60, ARdata("127.0.0.2")).Build(); b.pop_back(); return b; }(),
       DnsOutcome::kMalformed, "x.example", {}, 0},
      {"additional section past the end",
       Response("x.example", kA).Answer("x.example", kA, 60, ARdata("127.0.0.2")).Counts(1, 1, 0, 1).Build(),
       DnsOutcome::kMalformed, "x.example", {}, 0},
      {"compressed owner name", CompressedAnswer(), DnsOutcome::kData, "mx.example", {"192.0.2.7"}, 60},
      {"self-referencing pointer", SelfPointer(), DnsOutcome::kMalformed, "loop.example", {}, 0},
      {"name over 255 bytes", LongName(), DnsOutcome::kMalformed, "", {}, 0},
      {"TTL with the top bit set counts as 0",
       Response("x.example", kA).Answer("x.example", kA, 0x80000010u, ARdata("127.0.0.2")).Build(),
       DnsOutcome::kData, "x.example", {"127.0.0.2"}, 0},
      {"owner names compare case-insensitively",
       Response("MiXed.Example", kA).Answer("mixed.EXAMPLE", kA, 60, ARdata("127.0.0.3")).Build(),
       DnsOutcome::kData, "mixed.example", {"127.0.0.3"}, 60},
      {"records of class CH ignored",
       Response("x.example", kA).Answer("x.example", kA, 60, ARdata("127.0.0.2"), 3).Build(),
       DnsOutcome::kNoData, "x.example", {}, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    DnsAnswer answer = DecodeDnsAnswer(c.packet);
    EXPECT_EQ(DnsOutcomeName(answer.outcome), std::string(DnsOutcomeName(c.outcome)))
        << answer.error;
    if (!c.canonical_name.empty()) {
      EXPECT_EQ(answer.canonical_name, c.canonical_name);
    }
    EXPECT_EQ(Render(answer), c.records);
    EXPECT_EQ(answer.ttl, c.ttl);
    if (answer.outcome != DnsOutcome::kData) {
      EXPECT_TRUE(answer.records.empty());
    }
  }
}

TEST(DecodeDnsAnswerTest, ExpectedQuestionMustMatch) {
  Bytes packet = Response("2.0.0.127.zen.example", kA)
                     .Answer("2.0.0.127.zen.example", kA, 60, ARdata("127.0.0.2"))
                     .Build();
  EXPECT_EQ(DecodeDnsAnswer(packet, "2.0.0.127.ZEN.example.", RecordType::kA).outcome,
            DnsOutcome::kData);
  DnsAnswer other_name = DecodeDnsAnswer(packet, "3.0.0.127.zen.example", RecordType::kA);
  EXPECT_EQ(other_name.outcome, DnsOutcome::kMalformed);
  EXPECT_EQ(other_name.canonical_name, "3.0.0.127.zen.example");
  EXPECT_EQ(DecodeDnsAnswer(packet, "2.0.0.127.zen.example", RecordType::kTxt).outcome,
            DnsOutcome::kMalformed);
}

TEST(DecodeDnsAnswerTest, TxtKeepsBinaryBytes) {
  std::string binary("a\0b\xff", 4);
  Bytes packet = Response("bin.example", kTxt)
                     .Answer("bin.example", kTxt, 60, TxtRdata({binary, "x"}))
                     .Build();
  DnsAnswer answer = DecodeDnsAnswer(packet);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData);
  ASSERT_EQ(answer.records.size(), 1u);
  EXPECT_EQ(answer.records[0].texts, (std::vector<std::string>{binary, "x"}));
}

TEST(DecodeDnsAnswerTest, EveryPrefixOfAValidAnswerIsSafe) {
  Bytes packet = Response("www.example", kMx)
                     .Answer("www.example", kCname, 300, Name("mx.example"))
                     .Answer("mx.example", kMx, 300, MxRdata(5, "mail.example"))
                     .Authority("example", kSoa, 60, SoaRdata(60))
                     .Build();
  ASSERT_EQ(DecodeDnsAnswer(packet).outcome, DnsOutcome::kData);
  for (size_t length = 0; length < packet.size(); ++length) {
    DnsAnswer answer = DecodeDnsAnswer(std::span<const uint8_t>(packet.data(), length));
    EXPECT_NE(answer.outcome, DnsOutcome::kData) << length;
  }
}

}  // namespace
}  // namespace mailrep
