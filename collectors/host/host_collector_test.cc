#include "collectors/host/host_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>

#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// Labels and value of each sample of `name`, in order.
std::vector<std::pair<Labels, double>> Samples(const MetricSet& set, const std::string& name) {
  std::vector<std::pair<Labels, double>> out;
  for (const auto& family : set.families()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      Labels labels;
      for (const auto& l : metric.label) labels.emplace_back(l.name, l.value);
      out.emplace_back(labels, metric.gauge.value);
    }
  }
  return out;
}

const prometheus::MetricFamily* Family(const MetricSet& set, const std::string& name) {
  for (const auto& family : set.families()) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

class FailingLister : public InterfaceLister {
 public:
  StatusOr<std::vector<InterfaceAddress>> List() override {
    return Status::IoError("getifaddrs: out of memory");
  }
};

HostCollector::IdentityFn FixedIdentity(std::chrono::milliseconds* seen_wait = nullptr) {
  return [seen_wait](std::chrono::milliseconds max_wait) {
    if (seen_wait != nullptr) *seen_wait = max_wait;
    return HostIdentity{"mx1", "mx1.example.test"};
  };
}

TEST(HostCollectorTest, EmitsIdentityAddressesAndMtas) {
  ScopedTempDir t;
  t.WriteFile("/etc/postfix/main.cf", "multi_instance_directories = /etc/postfix-out\n");
  t.MakeDir("/var/spool/postfix");
  t.WriteFile("/etc/postfix-out/main.cf",
              "queue_directory = /var/spool/postfix-out\nmulti_instance_name = postfix-out\n");
  t.MakeDir("/var/spool/postfix-out");
  t.MakeDir("/var/qmail/queue");
  t.WriteFile("/var/lib/dpkg/status",
              "Package: postfix\nStatus: install ok installed\nVersion: 3.7.11-0+deb12u1\n");

  std::chrono::milliseconds wait{};
  HostCollector collector(t.path(),
                          NewFixedInterfaceLister({{"lo", Ip("127.0.0.1")},
                                                   {"eth0", Ip("2a00:1450:4001::25")},
                                                   {"eth0", Ip("192.168.1.5")},
                                                   {"eth0", Ip("fe80::1")}}),
                          FixedIdentity(&wait));
  MetricSet set;
  ASSERT_OK(collector.Collect(TestContext(), &set));
  EXPECT_EQ(wait, HostCollector::kMaxDnsWait);

  EXPECT_THAT(Samples(set, "mailrep_host_info"),
              ElementsAre(Pair(Labels{{"hostname", "mx1"}, {"fqdn", "mx1.example.test"}}, 1)));
  EXPECT_THAT(Samples(set, "mailrep_host_address_info"),
              ElementsAre(Pair(Labels{{"ip", "192.168.1.5"},
                                      {"family", "ipv4"},
                                      {"interface", "eth0"},
                                      {"scope", "private"}},
                               1),
                          Pair(Labels{{"ip", "2a00:1450:4001::25"},
                                      {"family", "ipv6"},
                                      {"interface", "eth0"},
                                      {"scope", "public"}},
                               1)));
  EXPECT_THAT(Samples(set, "mailrep_mta_info"),
              ElementsAre(Pair(Labels{{"mta", "postfix"},
                                      {"mta_instance", "default"},
                                      {"queue_directory", "/var/spool/postfix"},
                                      {"version", "3.7.11-0+deb12u1"}},
                               1),
                          Pair(Labels{{"mta", "postfix"},
                                      {"mta_instance", "postfix-out"},
                                      {"queue_directory", "/var/spool/postfix-out"},
                                      {"version", "3.7.11-0+deb12u1"}},
                               1),
                          Pair(Labels{{"mta", "qmail"},
                                      {"mta_instance", "default"},
                                      {"queue_directory", "/var/qmail/queue"},
                                      {"version", "unknown"}},
                               1)));
  EXPECT_THAT(Samples(set, "mailrep_host_mtas_detected"), ElementsAre(Pair(Labels{}, 3)));

  for (const auto& family : set.families()) {
    EXPECT_EQ(family.type, prometheus::MetricType::Gauge) << family.name;
    EXPECT_THAT(family.help, testing::HasSubstr(std::string(kCachedNote))) << family.name;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        EXPECT_NE(label.name, "instance") << family.name;
      }
    }
  }
}

TEST(HostCollectorTest, NoMtasNoAddresses) {
  ScopedTempDir t;
  HostCollector collector(t.path(), NewFixedInterfaceLister({}), FixedIdentity());
  MetricSet set;
  ASSERT_OK(collector.Collect(TestContext(), &set));
  EXPECT_THAT(Samples(set, "mailrep_mta_info"), IsEmpty());
  EXPECT_THAT(Samples(set, "mailrep_host_address_info"), IsEmpty());
  ASSERT_NE(Family(set, "mailrep_mta_info"), nullptr);  // declared, so HELP/TYPE exist
  EXPECT_THAT(Samples(set, "mailrep_host_mtas_detected"), ElementsAre(Pair(Labels{}, 0)));
  EXPECT_EQ(Samples(set, "mailrep_host_info").size(), 1u);
}

TEST(HostCollectorTest, DnsWaitNeverPassesTheDeadline) {
  ScopedTempDir t;
  std::chrono::milliseconds wait{-1};
  HostCollector collector(t.path(), NewFixedInterfaceLister({}), FixedIdentity(&wait));
  MetricSet set;
  CollectContext ctx{std::stop_token(), std::chrono::steady_clock::now() - std::chrono::seconds(1)};
  ASSERT_OK(collector.Collect(ctx, &set));
  EXPECT_EQ(wait, std::chrono::milliseconds(0));
}

TEST(HostCollectorTest, ListerFailureFailsTheRun) {
  ScopedTempDir t;
  HostCollector collector(t.path(), std::make_unique<FailingLister>(), FixedIdentity());
  MetricSet set;
  Status status = collector.Collect(TestContext(), &set);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_THAT(status.message(), testing::HasSubstr("listing interface addresses"));
}

TEST(HostCollectorTest, FactoryRejectsUnknownOptions) {
  Config config;
  CollectorSettings settings;
  CollectorEnv env{config, settings, ""};
  StatusOr<ConfigNode> options = ConfigNode::Parse("bogus: 1\n", "test.yml");
  ASSERT_OK(options);
  auto collector = NewHostCollector(env, *options);
  ASSERT_FALSE(collector.ok());
  EXPECT_THAT(collector.status().message(), testing::HasSubstr("bogus"));
}

TEST(HostCollectorTest, FactoryBuildsAWorkingCollector) {
  // A fixture /etc/hosts that names this host, so no DNS lookup happens.
  char name[HOST_NAME_MAX + 1] = {};
  ASSERT_EQ(gethostname(name, sizeof(name) - 1), 0);
  ScopedTempDir t;
  t.WriteFile("/etc/hosts", std::string("127.0.1.1 ") + name + ".example.test " + name + "\n");
  Config config;
  CollectorSettings settings;
  CollectorEnv env{config, settings, t.path()};
  StatusOr<ConfigNode> options = ConfigNode::Parse("", "test.yml");
  ASSERT_OK(options);
  auto collector = NewHostCollector(env, *options);
  ASSERT_OK(collector);
  MetricSet set;
  ASSERT_OK((*collector)->Collect(TestContext(), &set));
  EXPECT_THAT(Samples(set, "mailrep_host_info"),
              ElementsAre(Pair(
                  Labels{{"hostname", name}, {"fqdn", std::string(name) + ".example.test"}}, 1)));
  EXPECT_THAT(Samples(set, "mailrep_host_mtas_detected"), ElementsAre(Pair(Labels{}, 0)));
}

}  // namespace
}  // namespace mailrep
