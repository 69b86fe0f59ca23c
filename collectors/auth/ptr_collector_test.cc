#include "collectors/auth/ptr_collector.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "collectors/dns/static_resolver.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

std::optional<double> Gauge(const MetricSet& set, const std::string& name, const std::string& label,
                            const std::string& value) {
  return SampleValue(set, name, {{label, value}});
}

TEST(PtrCollectorTest, ForwardConfirmedNameIsOkAndMissingPtrIsMissing) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTargets("7.100.51.198.in-addr.arpa", RecordType::kPtr, {"mail.example.com"});
  dns->SetAddresses("mail.example.com", {"198.51.100.7"});
  PtrCollector collector({{*IpAddress::Parse("198.51.100.7"), "mail.example.com"}}, dns);
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  EXPECT_EQ(Gauge(out, "mailrep_ptr_status", "status", "ok"), 1);
  EXPECT_EQ(Gauge(out, "mailrep_ptr_status", "status", "missing"), 0);
  EXPECT_EQ(Gauge(out, "mailrep_ptr_names", "ip", "198.51.100.7"), 1);

  PtrCollector bare({{*IpAddress::Parse("198.51.100.8"), ""}}, dns);
  MetricSet missing;
  ASSERT_OK(bare.Collect(TestContext(), &missing));
  EXPECT_EQ(Gauge(missing, "mailrep_ptr_status", "status", "missing"), 1);
}

TEST(PtrCollectorTest, ServfailIsDnsErrorNotMissing) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetOutcome("7.100.51.198.in-addr.arpa", RecordType::kPtr, DnsOutcome::kServFail);
  PtrCollector collector({{*IpAddress::Parse("198.51.100.7"), ""}}, dns);
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
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
  ASSERT_OK(ok);
  EXPECT_FALSE(*ok);
}

TEST(PtrCollectorTest, ProbeRefusesAMalformedHeloBeforeAnyLookup) {
  auto dns = std::make_shared<StaticResolver>();
  PtrCollector collector({{*IpAddress::Parse("198.51.100.7"), ""}}, dns);
  ProbeModule module = collector.ProbeModules().at(0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (const char* helo : {"bad_name", "-x.example", "a..b", "x y", "mail.example.com\n"}) {
    MetricSet out;
    StatusOr<bool> r = module.run({"198.51.100.7", {{"helo", helo}}, deadline, {}}, &out);
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << "helo=" << helo;
    EXPECT_NE(r.status().message().find("helo"), std::string::npos) << r.status().message();
  }
  EXPECT_TRUE(dns->queries().empty());
  // A valid name, and an empty one (no HELO check), go ahead.
  for (const char* helo : {"mail.example.com.", ""}) {
    MetricSet out;
    EXPECT_OK(module.run({"198.51.100.7", {{"helo", helo}}, deadline, {}}, &out)) << helo;
  }
}

// A DNS server that never answers: queries stay pending until destruction.
class SilentResolver : public Resolver {
 public:
  void Submit(DnsQuery, DnsCallback done) override {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(std::move(done));
  }

 private:
  std::mutex mu_;
  std::vector<DnsCallback> pending_;
};

TEST(PtrCollectorTest, ProbeEndsAtOnceWhenStopped) {
  auto dns = std::make_shared<SilentResolver>();
  PtrCollector collector({{*IpAddress::Parse("198.51.100.7"), "mail.example.com"}}, dns);
  ProbeModule module = collector.ProbeModules().at(0);
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  MetricSet out;
  StatusOr<bool> r =
      module.run({"198.51.100.7", {}, start + std::chrono::seconds(30), stop.get_token()}, &out);
  stopper.join();
  // Each lookup may take 5 s and the probe 30 s; a stop ends the one in flight.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_OK(r);
  EXPECT_FALSE(*r);
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
