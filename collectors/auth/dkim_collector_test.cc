#include "collectors/auth/dkim_collector.h"

#include <gtest/gtest.h>

#include "collectors/dns/static_resolver.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

std::optional<double> Gauge(const MetricSet& set, const std::string& name,
                            const std::string& status) {
  return SampleValue(set, name, status.empty() ? Labels{} : Labels{{"status", status}});
}

TEST(DkimCollectorTest, RevokedMissingAndDnsErrorAreDistinct) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("old._domainkey.example.com", {"v=DKIM1; k=rsa; p="});
  dns->SetOutcome("broken._domainkey.example.com", RecordType::kTxt, DnsOutcome::kTimeout);
  struct Case {
    const char* selector;
    const char* status;
  } cases[] = {{"old", "revoked"}, {"gone", "missing"}, {"broken", "dns_error"}};
  for (const Case& c : cases) {
    DkimCollector collector({{"example.com", c.selector, ""}}, dns);
    MetricSet out;
    ASSERT_OK(collector.Collect(TestContext(), &out));
    EXPECT_EQ(Gauge(out, "mailrep_dkim_key_status", c.status), 1) << c.selector;
    EXPECT_EQ(Gauge(out, "mailrep_dkim_key_status", "valid"), 0) << c.selector;
    EXPECT_EQ(Gauge(out, "mailrep_dkim_signing_key_status", "not_checked"), 1) << c.selector;
    EXPECT_EQ(Gauge(out, "mailrep_dkim_key_bits", ""), 0) << c.selector;
  }
}

TEST(DkimCollectorTest, ProbeNeedsSelectorAndConfiguredDomain) {
  auto dns = std::make_shared<StaticResolver>();
  DkimCollector collector({{"example.com", "s1", ""}}, dns);
  ProbeModule module = collector.ProbeModules().at(0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  MetricSet out;
  EXPECT_EQ(module.run({"example.com", {}, deadline, {}}, &out).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(module.run({"other.example", {{"selector", "s1"}}, deadline, {}}, &out).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(dns->queries().empty());
  StatusOr<bool> ran = module.run({"Example.com", {{"selector", "s1"}}, deadline, {}}, &out);
  ASSERT_OK(ran);
  EXPECT_FALSE(*ran) << "no key published";
}

TEST(DkimTargetsTest, KeyFilesArePrefixedWithTheRoot) {
  Config config;
  SenderConfig sender;
  sender.dkim = {{"s1", "example.com", "/etc/opendkim/keys/s1.private"}, {"s2", "example.com", ""}};
  config.senders.push_back(sender);
  std::vector<DkimKeyCheckRequest> targets = DkimTargetsFromConfig(config, "/host");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].signing_key_path, "/host/etc/opendkim/keys/s1.private");
  EXPECT_EQ(targets[1].signing_key_path, "");
}

}  // namespace
}  // namespace mailrep
