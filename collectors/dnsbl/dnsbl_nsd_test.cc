// End-to-end through the real engine: the collector, its CaresResolver and a
// real NSD serving generated zones on loopback; then fault injection with
// tests/dnsbl/dnsbl_fault_server.py. Only 127.0.0.1 is ever queried.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "collectors/dns/dns_engine.h"
#include "collectors/dnsbl/dnsbl_check_command.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "collectors/dnsbl/dnsbl_targets.h"
#include "collectors/dnsbl/dnsbl_test_util.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/status_matchers.h"
#include "tests/dns/child_process.h"
#include "tests/dns/local_nsd.h"

namespace mailrep {
namespace {

const std::vector<CollectorDefaults> kKnown = {
    {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};

std::string Nibbles(const char* ip) { return ReversedAddressName(*IpAddress::Parse(ip)); }

std::string WriteTemp(const std::string& text) {
  char path[] = "/tmp/mailrep-dnsbl-test-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

struct Built {
  std::unique_ptr<Collector> collector;
  std::string error;
};

Built Build(const std::string& yaml) {
  StatusOr<Config> config = ParseConfig(yaml, "t.yml", kKnown);
  if (!config.ok()) return {nullptr, config.status().message()};
  ConfigNode options = *config->collectors.at("dnsbl").options;
  StatusOr<std::shared_ptr<DnsEngine>> dns = DnsEngine::Create(config->dns, "");
  if (!dns.ok()) return {nullptr, dns.status().message()};
  CollectorEnv env{*config, config->collectors.at("dnsbl"), "", *dns};
  auto c = NewDnsblCollector(env, options);
  if (!c.ok()) return {nullptr, c.status().message()};
  return {std::move(c).value(), ""};
}

MetricSet Collect(Collector& c) {
  MetricSet out;
  CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::seconds(30)};
  Status s = c.Collect(ctx, &out);
  EXPECT_OK(s) << s.message();
  return out;
}

constexpr char kV6Catalogue[] =
    "lists:\n"
    "  - {zone: v6only.mailrep.test, kinds: [ip6], severity: minor,\n"
    "     codes: [{code: 127.0.0.2, meaning: v6 listing}]}\n";

class NsdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    using testing::NsdZone;
    std::vector<NsdZone> zones = {
        {"zen.spamhaus.org",
         "2.0.0.127 A 127.0.0.2\n2.0.0.127 A 127.0.0.4\n2.0.0.127 A 127.0.0.10\n"
         "1.2.0.192 A 127.0.0.2\n1.2.0.192 A 127.0.0.4\n1.2.0.192 A 127.0.0.10\n"
         "3.2.0.192 A 127.255.255.254\n"},
        {"dbl.spamhaus.org", "dbltest.com A 127.0.1.2\nexample.com A 127.0.1.2\n"},
        {"multi.uribl.com", "test.uribl.com A 127.0.0.14\nexample.com A 127.0.0.6\n"},
        {"list.dnswl.org", "2.0.0.127 A 127.0.10.0\n2.2.0.192 A 127.0.5.2\n"},
        {"all.s5h.net", "2.0.0.127 A 127.0.0.2\n" + Nibbles("2001:db8::1") + " A 127.0.0.2\n"},
        {"bl.spamcop.net", "* A 127.0.0.2\n"},  // expired and parked: lists the world
        {"v6only.mailrep.test",
         Nibbles("::ffff:7f00:2") + " A 127.0.0.2\n" + Nibbles("2001:db8::1") + " A 127.0.0.2\n"},
    };
    auto nsd = testing::LocalNsd::Start({zones, false, 1});
    if (!nsd.ok()) {
      skip_reason_ = new std::string(nsd.status().message());
      return;
    }
    nsd_ = std::move(nsd).value().release();
    catalogue_ = new std::string(WriteTemp(kV6Catalogue));
  }
  static void TearDownTestSuite() {
    delete nsd_;
    nsd_ = nullptr;
    if (catalogue_) unlink(catalogue_->c_str());
  }
  void SetUp() override {
    if (skip_reason_) GTEST_SKIP() << *skip_reason_;
  }

  static std::string Yaml() {
    return "dns: {servers: [\"127.0.0.1:" + std::to_string(nsd_->port()) +
           "\"], timeout: 2s}\n"
           "senders:\n"
           "  - ips: [192.0.2.1, 192.0.2.2, 192.0.2.3, 2001:db8::1]\n"
           "    domains: [example.com]\n"
           "collectors:\n  dnsbl:\n"
           "    catalogue_file: " +
           *catalogue_ +
           "\n    lists: [zen.spamhaus.org, dbl.spamhaus.org, multi.uribl.com, list.dnswl.org,\n"
           "            all.s5h.net, bl.spamcop.net, v6only.mailrep.test]\n";
  }

  static inline testing::LocalNsd* nsd_ = nullptr;
  static inline std::string* skip_reason_ = nullptr;
  static inline std::string* catalogue_ = nullptr;
};

Labels L(const char* key, const char* target, const char* zone) {
  return {{key, target}, {"dnsbl", zone}};
}

TEST_F(NsdTest, SweepDecodesRealAnswers) {
  Built b = Build(Yaml());
  ASSERT_TRUE(b.collector) << b.error;
  MetricSet out = Collect(*b.collector);

  // Several codes in one answer, as ZEN does.
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "192.0.2.1", "zen.spamhaus.org")), 1);
  for (const char* code : {"127.0.0.2", "127.0.0.4", "127.0.0.10"}) {
    EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listing_info",
                          {{"ip", "192.0.2.1"}, {"dnsbl", "zen.spamhaus.org"}, {"code", code}}),
              1)
        << code;
  }
  // Clean, and the refusal code is an error, not a listing.
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "192.0.2.2", "zen.spamhaus.org")), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "192.0.2.3", "zen.spamhaus.org")), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                        {{"dnsbl", "zen.spamhaus.org"}, {"reason", "refusal_code"}}),
            1);
  // IPv6 targets (reversed nibbles) and an IPv6-only list health-checked on ::ffff:7f00:2.
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "2001:db8::1", "all.s5h.net")), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "2001:db8::1", "zen.spamhaus.org")),
            0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", "v6only.mailrep.test"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "2001:db8::1", "v6only.mailrep.test")),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "192.0.2.1", "v6only.mailrep.test")),
            std::nullopt);
  // Domain lists, one of them a bitmask list.
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_domain_listed",
                        L("domain", "example.com", "dbl.spamhaus.org")),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_domain_listing_info",
                        {{"domain", "example.com"},
                         {"dnsbl", "multi.uribl.com"},
                         {"code", "127.0.0.6"},
                         {"meaning", "black: spam domain; grey: bulk mail domain"}}),
            1);
  // The allowlist.
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_allowlisted", L("ip", "192.0.2.2", "list.dnswl.org")),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_allowlisted", L("ip", "192.0.2.1", "list.dnswl.org")),
            0);
  // The wildcard zone is unhealthy and lists nobody.
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", "bl.spamcop.net"}}), 0);
  for (const char* ip : {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
    EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", ip, "bl.spamcop.net")), 0) << ip;
  }
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed_lists", {{"ip", "192.0.2.1"}}), 1);
  for (const char* zone : {"zen.spamhaus.org", "dbl.spamhaus.org", "multi.uribl.com",
                           "list.dnswl.org", "all.s5h.net"}) {
    EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", zone}}), 1) << zone;
  }
}

TEST_F(NsdTest, ProbeAndCheckCommand) {
  Built b = Build(Yaml());
  ASSERT_TRUE(b.collector) << b.error;
  std::vector<ProbeModule> modules = b.collector->ProbeModules();
  ProbeRequest request;
  request.target = "192.0.2.1";
  request.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  MetricSet out;
  StatusOr<bool> ok = modules[0].run(request, &out);
  ASSERT_OK(ok);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", L("ip", "192.0.2.1", "zen.spamhaus.org")), 1);

  std::ostringstream text;
  std::ostringstream err;
  CheckCommandContext ctx{{"192.0.2.1", "--dns-server", nsd_->v4().ToString(), "--list",
                           "zen.spamhaus.org", "--list", "bl.spamcop.net", "--format", "json"},
                          "",
                          "",
                          text,
                          err,
                          false};
  EXPECT_EQ(RunDnsblCheck(ctx), 1) << err.str();
  EXPECT_NE(text.str().find("{\"list\": \"zen.spamhaus.org\", \"status\": \"listed\""),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("{\"list\": \"bl.spamcop.net\", \"status\": \"unhealthy\""),
            std::string::npos)
      << text.str();
}

// ---------------------------------------------------------------- faults

constexpr char kFaultCatalogue[] =
    "lists:\n"
    "  - {zone: timeout.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}],\n"
    "     errors: [{code: 127.255.255.0/24, meaning: refused}]}\n"
    "  - {zone: servfail.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}]}\n"
    "  - {zone: refused.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}]}\n"
    "  - {zone: garbage.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}]}\n"
    "  - {zone: refusal.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}],\n"
    "     errors: [{code: 127.255.255.0/24, meaning: refused}]}\n"
    "  - {zone: parking.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}]}\n"
    "  - {zone: wildcard.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}]}\n"
    "  - {zone: tcponly.fault.test, kinds: [ip4], codes: [{code: 127.0.0.2, meaning: l}]}\n";

TEST(FaultTest, NoFaultEverProducesAListing) {
  auto server = testing::ChildProcess::Start(
      {"/usr/bin/python3", testing::SourceDir() + "/tests/dnsbl/dnsbl_fault_server.py"});
  ASSERT_OK(server);
  StatusOr<std::string> line = (*server)->ReadLine(std::chrono::seconds(10));
  ASSERT_TRUE(line.ok() && line->rfind("PORT ", 0) == 0) << line.status().message();
  std::string port = line->substr(5);
  std::string catalogue = WriteTemp(kFaultCatalogue);
  Built b = Build("dns: {servers: [\"127.0.0.1:" + port +
                  "\"], timeout: 300ms}\n"
                  "senders: [{ips: [192.0.2.1]}]\n"
                  "collectors:\n  dnsbl:\n    catalogue_file: " +
                  catalogue +
                  "\n    lists: [timeout.fault.test, servfail.fault.test, refused.fault.test,\n"
                  "      garbage.fault.test, refusal.fault.test, parking.fault.test,\n"
                  "      wildcard.fault.test, tcponly.fault.test]\n");
  unlink(catalogue.c_str());
  ASSERT_TRUE(b.collector) << b.error;
  MetricSet out = Collect(*b.collector);

  auto errors = [&](const char* zone, std::string_view reason) {
    return SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                       {{"dnsbl", zone}, {"reason", std::string(reason)}});
  };
  auto listed = [&](const char* zone) {
    return SampleValue(out, "mailrep_dnsbl_listed", L("ip", "192.0.2.1", zone));
  };
  auto healthy = [&](const char* zone) {
    return SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", zone}});
  };
  for (const char* zone :
       {"timeout.fault.test", "servfail.fault.test", "refused.fault.test", "garbage.fault.test",
        "refusal.fault.test", "parking.fault.test", "wildcard.fault.test"}) {
    EXPECT_EQ(listed(zone), 0) << zone;
    EXPECT_EQ(healthy(zone), 0) << zone;
  }
  // Each fault is counted under its own kind: the target and both test points.
  EXPECT_EQ(errors("timeout.fault.test", "timeout"), 3);
  EXPECT_EQ(errors("servfail.fault.test", "servfail"), 3);
  EXPECT_EQ(errors("refused.fault.test", "refused"), 3);
  EXPECT_EQ(errors("refusal.fault.test", "refusal_code"), 3);
  EXPECT_EQ(errors("parking.fault.test", "unexpected_answer"), 3);
  double garbage = 0;
  for (DnsblError e : AllDnsblErrors()) {
    std::optional<double> count = errors("garbage.fault.test", DnsblErrorName(e));
    ASSERT_TRUE(count.has_value()) << DnsblErrorName(e);
    garbage += *count;
  }
  EXPECT_EQ(garbage, 3);
  // The wildcard answers cleanly but lists its "must not be listed" point.
  EXPECT_EQ(errors("wildcard.fault.test", "unexpected_answer"), 0);
  // A truncated UDP answer is retried over TCP and then decoded normally.
  EXPECT_EQ(healthy("tcponly.fault.test"), 1);
  EXPECT_EQ(listed("tcponly.fault.test"), 1);
}

}  // namespace
}  // namespace mailrep
