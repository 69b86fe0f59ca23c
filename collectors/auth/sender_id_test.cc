#include "collectors/auth/sender_id.h"

#include "collectors/dns/memory_dns.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

SpfRequest Request(const char* mail_from) {
  return {*IpAddress::Parse("192.0.2.1"), mail_from, "h.example.com"};
}

TEST(SenderIdTest, ScopeSelection) {
  MemoryDns dns;
  dns.AddTxt("v2.example.com", {"spf2.0/mfrom -all"});
  dns.AddTxt("v2.example.com", {"v=spf1 +all"});
  dns.AddTxt("pra.example.com", {"spf2.0/pra -all"});
  dns.AddTxt("pra.example.com", {"v=spf1 +all"});
  dns.AddTxt("dup.example.com", {"spf2.0/mfrom -all"});
  dns.AddTxt("dup.example.com", {"spf2.0/mfrom,pra -all"});
  dns.AddTxt("v1.example.com", {"v=spf1 ip4:192.0.2.0/24 -all"});
  dns.AddTxt("bad.example.com", {"spf2.0/mfrom,pra ip4:192.0.2.300 -all"});
  dns.AddTxt("inc.example.com", {"spf2.0/mfrom include:v2.example.com +all"});
  struct Case {
    const char* mail_from;
    SpfResult want;
    size_t v2_records;
  } cases[] = {
      {"u@v2.example.com", SpfResult::kFail, 1},        // spf2.0 preferred over v=spf1
      {"u@pra.example.com", SpfResult::kPass, 1},       // pra-only record: v=spf1 for mfrom
      {"u@dup.example.com", SpfResult::kPermError, 2},  // two records cover mfrom
      {"u@v1.example.com", SpfResult::kPass, 0},
      {"u@bad.example.com", SpfResult::kPermError, 1},
      {"u@inc.example.com", SpfResult::kPass, 1},  // include selects spf2.0 too (fail: no match)
      {"u@none.example.com", SpfResult::kNone, 0},
  };
  for (const Case& c : cases) {
    SenderIdReport report = CheckSenderId(Request(c.mail_from), dns);
    EXPECT_EQ(report.mfrom.result, c.want) << c.mail_from << ": " << report.mfrom.reason;
    EXPECT_EQ(report.records.size(), c.v2_records) << c.mail_from;
    EXPECT_FALSE(report.pra_checked);
  }
  SenderIdReport bad = CheckSenderId(Request("u@bad.example.com"), dns);
  ASSERT_EQ(bad.records.size(), 1u);
  EXPECT_FALSE(bad.records[0].valid);
  EXPECT_EQ(bad.records[0].scopes, (std::vector<std::string>{"mfrom", "pra"}));
  EXPECT_NE(bad.records[0].error.find("IPv4"), std::string::npos);
}

TEST(SenderIdTest, PlainSpfIgnoresSpf2Records) {
  MemoryDns dns;
  dns.AddTxt("v2.example.com", {"spf2.0/mfrom -all"});
  dns.AddTxt("v2.example.com", {"v=spf1 +all"});
  EXPECT_EQ(CheckSpf(Request("u@v2.example.com"), dns).result, SpfResult::kPass);
}

}  // namespace
}  // namespace mailrep
