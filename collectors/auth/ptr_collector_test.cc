#include "collectors/auth/ptr_collector.h"

#include <gtest/gtest.h>

#include "collectors/dns/static_resolver.h"
#include "exporter/core/collector_testing.h"

namespace mailrep {
namespace {

double Gauge(const MetricSet& set, const std::string& name, const std::string& label,
             const std::string& value) {
  return SampleValue(set, name, {{label, value}});
}

TEST(PtrCollectorTest, ForwardConfirmedNameIsOkAndMissingPtrIsMissing) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTargets("7.100.51.198.in-addr.arpa", RecordType::kPtr, {"mail.example.com"});
  dns->SetAddresses("mail.example.com", {"198.51.100.7"});
  PtrCollector collector({{*IpAddress::Parse("198.51.100.7"), "mail.example.com"}}, dns);
  MetricSet out;
  ASSERT_TRUE(collector.Collect(TestContext(), &out).ok());
  EXPECT_EQ(Gauge(out, "mailrep_ptr_status", "status", "ok"), 1);
  EXPECT_EQ(Gauge(out, "mailrep_ptr_status", "status", "missing"), 0);
  EXPECT_EQ(Gauge(out, "mailrep_ptr_names", "ip", "198.51.100.7"), 1);

  PtrCollector bare({{*IpAddress::Parse("198.51.100.8"), ""}}, dns);
  MetricSet missing;
  ASSERT_TRUE(bare.Collect(TestContext(), &missing).ok());
  EXPECT_EQ(Gauge(missing, "mailrep_ptr_status", "status", "missing"), 1);
}

TEST(PtrCollectorTest, ServfailIsDnsErrorNotMissing) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetOutcome("7.100.51.198.in-addr.arpa", RecordType::kPtr, DnsOutcome::kServFail);
  PtrCollector collector({{*IpAddress::Parse("198.51.100.7"), ""}}, dns);
  MetricSet out;
  ASSERT_TRUE(collector.Collect(TestContext(), &out).ok());
  EXPECT_EQ(Gauge(out, "mailrep_ptr_status", "status", "dns_error"), 1);
  EXPECT_EQ(Gauge(out, "mailrep_ptr_status", "status", "missing"), 0);
}

TEST(PtrCollectorTest, ProbeOnlyForConfiguredIps) {
  auto dns = std::make_shared<StaticResolver>();
  PtrCollector collector({{*IpAddress::Parse("198.51.100.7"), ""}}, dns);
  ProbeModule module = collector.ProbeModules().at(0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  MetricSet out;
  EXPECT_EQ(module.run({"203.0.113.1", {}, deadline, {}}, &out).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(module.run({"not-an-ip", {}, deadline, {}}, &out).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(dns->queries().empty());
  StatusOr<bool> ok = module.run({"198.51.100.7", {}, deadline, {}}, &out);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(*ok);
}

TEST(PtrTargetsTest, EveryAddressWithItsSendersHelo) {
  Config config;
  SenderConfig sender;
  sender.ips = {*IpNetwork::Parse("198.51.100.0/30")};
  sender.helo = "mail.example.com";
  config.senders.push_back(sender);
  std::vector<PtrCheckRequest> targets = PtrTargetsFromConfig(config, 2);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[1].ip.ToString(), "198.51.100.1");
  EXPECT_EQ(targets[1].helo_name, "mail.example.com");
}

}  // namespace
}  // namespace mailrep
