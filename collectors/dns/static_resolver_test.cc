#include "collectors/dns/static_resolver.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(StaticResolverTest, AnswersFromTheTable) {
  StaticResolver resolver;
  resolver.SetAddresses("2.0.0.127.zen.example", {"127.0.0.2", "127.0.0.4"});
  resolver.SetTexts("example", {"v=spf1 -all"});
  resolver.SetTargets("7.2.0.192.in-addr.arpa", RecordType::kPtr, {"Mail.Example."});
  resolver.SetOutcome("broken.example", RecordType::kA, DnsOutcome::kServFail);
  SteadyTime deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);

  DnsAnswer listed = resolver.Resolve("2.0.0.127.ZEN.example.", RecordType::kA, deadline);
  ASSERT_EQ(listed.outcome, DnsOutcome::kData);
  ASSERT_EQ(listed.records.size(), 2u);
  EXPECT_EQ(listed.records[1].address.ToString(), "127.0.0.4");
  EXPECT_EQ(resolver.Resolve("example", RecordType::kTxt, deadline).records[0].texts[0],
            "v=spf1 -all");
  EXPECT_EQ(
      resolver.Resolve("7.2.0.192.in-addr.arpa", RecordType::kPtr, deadline).records[0].target,
      "mail.example");
  EXPECT_EQ(resolver.Resolve("broken.example", RecordType::kA, deadline).outcome,
            DnsOutcome::kServFail);
  DnsAnswer missing = resolver.Resolve("3.0.0.127.zen.example", RecordType::kA, deadline);
  EXPECT_EQ(missing.outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(missing.canonical_name, "3.0.0.127.zen.example");
  EXPECT_EQ(resolver.queries().size(), 5u);
}

}  // namespace
}  // namespace mailrep
