#include "exporter/app/flags.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

std::vector<CollectorSpec> Specs() {
  return {
      {{"host", true, std::chrono::seconds(60), std::chrono::seconds(10)}, "Host.", nullptr, {}},
      {{"dnsbl", false, std::chrono::seconds(900), std::chrono::seconds(60)},
       "Lists.",
       nullptr,
       {}}};
}

StatusOr<Flags> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "mailrep_exporter");
  return ParseFlags(static_cast<int>(args.size()), args.data(), Specs());
}

TEST(FlagsTest, Defaults) {
  StatusOr<Flags> f = Parse({});
  ASSERT_OK(f);
  EXPECT_EQ(f->listen_addresses, std::vector<std::string>{kDefaultListenAddress});
  EXPECT_EQ(f->telemetry_path, "/metrics");
  EXPECT_EQ(f->log_format, "logfmt");
  EXPECT_FALSE(f->config_check);
}

TEST(FlagsTest, ShardIsParsedAndCheckedAtOnce) {
  StatusOr<Flags> f = Parse({"--shard=1/4"});
  ASSERT_OK(f);
  EXPECT_EQ(f->shard, (Shard{1, 4}));
  EXPECT_EQ(Parse({})->shard, (Shard{0, 1}));
  StatusOr<Flags> bad = Parse({"--shard", "4/4"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--shard=4/4"), std::string::npos);
}

TEST(FlagsTest, ValuesWithEqualsOrSeparateAndRepeatableListenAddress) {
  StatusOr<Flags> f =
      Parse({"--config.file=/etc/m.yml", "--web.listen-address", "127.0.0.1:0",
             "--web.listen-address=[::1]:0", "--log.level", "debug", "--config.check",
             "--path.rootfs=/fixture", "--dns.resolv-conf", "/fixture/resolv.conf"});
  ASSERT_OK(f);
  EXPECT_EQ(f->config_file, "/etc/m.yml");
  EXPECT_EQ(f->listen_addresses, (std::vector<std::string>{"127.0.0.1:0", "[::1]:0"}));
  EXPECT_EQ(f->log_level, "debug");
  EXPECT_TRUE(f->config_check);
  EXPECT_EQ(f->rootfs, "/fixture");
  EXPECT_EQ(f->resolv_conf, "/fixture/resolv.conf");
}

TEST(FlagsTest, CollectorOverrides) {
  StatusOr<Flags> f = Parse({"--collector.dnsbl", "--no-collector.host"});
  ASSERT_OK(f);
  EXPECT_EQ(f->collector_overrides.at("dnsbl"), true);
  EXPECT_EQ(f->collector_overrides.at("host"), false);
}

TEST(FlagsTest, ErrorsNameTheFlag) {
  struct Case {
    std::vector<const char*> args;
    std::string expected;
  } cases[] = {
      {{"--bogus"}, "unknown flag --bogus"},
      {{"--collector.nope"}, "no collector named \"nope\""},
      {{"--config.file"}, "--config.file needs a value"},
      {{"--version=1"}, "--version takes no value"},
      {{"--web.telemetry-path=metrics"}, "must start with /"},
      // /-/healthy is served without basic auth; metrics there would be too.
      {{"--web.telemetry-path=/-/healthy"}, "--web.telemetry-path cannot be /-/healthy"},
      {{"--web.telemetry-path", "/probe"}, "--web.telemetry-path cannot be /probe"},
      {{"--web.telemetry-path=/-/ready"}, "reserved"},
      {{"--web.telemetry-path=/-/reload"}, "reserved"},
      {{"-x"}, "unknown flag -x"},
  };
  for (const Case& c : cases) {
    StatusOr<Flags> f = Parse(c.args);
    ASSERT_FALSE(f.ok()) << c.expected;
    EXPECT_NE(f.status().message().find(c.expected), std::string::npos) << f.status().message();
  }
}

TEST(FlagsTest, FirstNonFlagStartsACommand) {
  StatusOr<Flags> f = Parse({"--log.level=warn", "check", "dnsbl", "192.0.2.1"});
  ASSERT_OK(f);
  EXPECT_EQ(f->command, (std::vector<std::string>{"check", "dnsbl", "192.0.2.1"}));
}

TEST(FlagsTest, UsageListsCollectorsWithDefaults) {
  std::string usage = Usage(Specs());
  EXPECT_NE(usage.find("--[no-]collector.host"), std::string::npos);
  EXPECT_NE(usage.find("Lists. (default: disabled)"), std::string::npos);
}

}  // namespace
}  // namespace mailrep
