#include "exporter/config/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/config/config_partial.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const std::vector<CollectorDefaults>& Known() {
  static const std::vector<CollectorDefaults> known = {
      {"host", true, seconds(60), seconds(30)},
      {"dnsbl", true, minutes(5), seconds(30)},
      {"queue", false, seconds(10), seconds(30)},
  };
  return known;
}

std::filesystem::path TestdataDir() {
  const char* env = std::getenv("MAILREP_SOURCE_DIR");
  std::filesystem::path root = env != nullptr ? env : MAILREP_SOURCE_DIR_DEFAULT;
  return root / "exporter" / "config" / "testdata";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// What the collector factories do next: read their own keys (none for these
// fakes) and report unknown ones.
Status FinishCollectorOptions(Config& config) {
  for (auto& [name, settings] : config.collectors) {
    if (!settings.options) return Status::Internal(name + ": no options node");
    Status s = settings.options->Finish();
    if (!s.ok()) return s;
  }
  return Status::OK();
}

StatusOr<Config> ParseAndFinish(std::string_view yaml, std::string_view source) {
  StatusOr<Config> config = ParseConfig(yaml, source, Known());
  if (!config.ok()) return config;
  Status s = FinishCollectorOptions(*config);
  if (!s.ok()) return s;
  return config;
}

void ExpectDefaults(const Config& config) {
  EXPECT_TRUE(config.dns.servers.empty());
  EXPECT_EQ(config.dns.timeout, seconds(2));
  EXPECT_TRUE(config.senders.empty());
  ASSERT_EQ(config.collectors.size(), 3u);
  const CollectorSettings& host = config.collectors.at("host");
  EXPECT_TRUE(host.enabled);
  EXPECT_EQ(host.interval, seconds(60));
  EXPECT_EQ(host.timeout, seconds(30));
  const CollectorSettings& dnsbl = config.collectors.at("dnsbl");
  EXPECT_TRUE(dnsbl.enabled);
  EXPECT_EQ(dnsbl.interval, minutes(5));
  EXPECT_EQ(dnsbl.timeout, seconds(30));
  const CollectorSettings& queue = config.collectors.at("queue");
  EXPECT_FALSE(queue.enabled);
  EXPECT_EQ(queue.interval, seconds(10));
  EXPECT_EQ(queue.timeout, seconds(10));  // min(default timeout, interval)
  for (const auto& [name, settings] : config.collectors) {
    ASSERT_TRUE(settings.options.has_value()) << name;
    EXPECT_EQ(settings.options->path(), "collectors." + name);
    EXPECT_TRUE(settings.options->Keys().empty()) << name;
  }
}

TEST(ParseConfigTest, EmptyInputsGiveDefaults) {
  // ParseConfig takes empty text (LoadConfigFile refuses an empty file).
  for (const char* yaml : {"", "# nothing here\n", "dns: {}\nsenders: []\ncollectors: {}\n",
                           "dns:\nsenders:\ncollectors:\n"}) {
    StatusOr<Config> config = ParseAndFinish(yaml, "empty.yml");
    ASSERT_OK(config) << yaml;
    EXPECT_EQ(config->source, "empty.yml");
    ExpectDefaults(*config);
  }
}

TEST(ParseConfigTest, EmbeddedDefaultParsesWithAnyKnownList) {
  StatusOr<Config> config = ParseAndFinish(EmbeddedDefaultConfig(), kEmbeddedConfigSource);
  ASSERT_OK(config);
  EXPECT_EQ(config->source, "<embedded default>");
  ExpectDefaults(*config);

  StatusOr<Config> none = ParseConfig(EmbeddedDefaultConfig(), kEmbeddedConfigSource, {});
  ASSERT_OK(none);
  EXPECT_TRUE(none->collectors.empty());

  std::vector<CollectorDefaults> other = {{"auth", false, seconds(5), seconds(60)}};
  StatusOr<Config> one = ParseConfig(EmbeddedDefaultConfig(), kEmbeddedConfigSource, other);
  ASSERT_OK(one);
  EXPECT_EQ(one->collectors.at("auth").timeout, seconds(5));
}

TEST(ParseConfigTest, ValidFull) {
  std::filesystem::path path = TestdataDir() / "valid-full.yml";
  StatusOr<Config> config = LoadConfigFile(path.string(), Known());
  ASSERT_OK(config);
  EXPECT_EQ(config->source, path.string());

  EXPECT_EQ(config->dns.servers,
            (std::vector<std::string>{"127.0.0.1", "127.0.0.1:5353", "[::1]:53", "::1"}));
  EXPECT_EQ(config->dns.timeout, seconds(3));

  ASSERT_EQ(config->senders.size(), 2u);
  const SenderConfig& first = config->senders[0];
  ASSERT_EQ(first.ips.size(), 2u);
  EXPECT_EQ(first.ips[0].ToString(), "192.0.2.10");
  EXPECT_EQ(first.ips[0].prefix_length, 32);
  EXPECT_EQ(first.ips[1].ToString(), "198.51.100.0/28");
  EXPECT_EQ(first.helo, "mail.example.com");
  EXPECT_EQ(first.domains, (std::vector<std::string>{"example.com", "example.org"}));
  ASSERT_EQ(first.dkim.size(), 2u);
  EXPECT_EQ(first.dkim[0].selector, "s2026");
  EXPECT_EQ(first.dkim[0].domain, "example.com");
  EXPECT_EQ(first.dkim[0].key_file, "/etc/mailrep/dkim/s2026.example.com.pem");
  EXPECT_EQ(first.dkim[1].selector, "mx");
  EXPECT_EQ(first.dkim[1].domain, "example.org");
  EXPECT_EQ(first.dkim[1].key_file, "");

  const SenderConfig& second = config->senders[1];
  ASSERT_EQ(second.ips.size(), 3u);
  EXPECT_EQ(second.ips[0].ToString(), "2001:db8::25");
  EXPECT_EQ(second.ips[0].prefix_length, 128);
  EXPECT_EQ(second.ips[1].ToString(), "2001:db8:1::/64");
  EXPECT_EQ(second.ips[2].address.family, IpAddress::Family::kV6);  // mapped stays IPv6
  EXPECT_EQ(second.helo, "mail6.example.com");
  EXPECT_EQ(second.domains, (std::vector<std::string>{"example.net"}));
  EXPECT_TRUE(second.dkim.empty());

  ASSERT_EQ(config->collectors.size(), 3u);
  const CollectorSettings& host = config->collectors.at("host");
  EXPECT_TRUE(host.enabled);
  EXPECT_EQ(host.interval, minutes(2));
  EXPECT_EQ(host.timeout, seconds(10));
  const CollectorSettings& dnsbl = config->collectors.at("dnsbl");
  EXPECT_FALSE(dnsbl.enabled);
  EXPECT_EQ(dnsbl.interval, minutes(15));
  EXPECT_EQ(dnsbl.timeout, seconds(30));
  const CollectorSettings& queue = config->collectors.at("queue");
  EXPECT_FALSE(queue.enabled);
  EXPECT_EQ(queue.interval, seconds(30));
  EXPECT_EQ(queue.timeout, seconds(30));

  // Collector options stay for the factory, with the common keys consumed.
  ConfigNode options = *dnsbl.options;
  EXPECT_EQ(options.path(), "collectors.dnsbl");
  EXPECT_EQ(options.GetStringList("lists"), (std::vector<std::string>{"zen.spamhaus.org"}));
  EXPECT_OK(options.Finish()) << options.Finish().ToString();
  ConfigNode host_options = *host.options;
  EXPECT_OK(host_options.Finish());
}

TEST(ParseConfigTest, UnreadOptionIsReportedByTheFactoryNotTheParser) {
  const char* yaml = "collectors:\n  dnsbl:\n    lists: [a.example]\n";
  StatusOr<Config> config = ParseConfig(yaml, "c.yml", Known());
  ASSERT_OK(config);
  ConfigNode options = *config->collectors.at("dnsbl").options;
  EXPECT_EQ(options.Finish().message(), "c.yml:3:5: collectors.dnsbl.lists: unknown key \"lists\"");
  // A second factory run (e.g. after a failed one) starts from a clean list
  // when the caller asks for one.
  ConfigNode again = config->collectors.at("dnsbl").options->WithOwnErrors();
  again.GetStringList("lists");
  EXPECT_OK(again.Finish());
}

TEST(ParseConfigTest, TimeoutDefaultsToTheSmallerOfDefaultAndInterval) {
  struct Case {
    const char* yaml;
    Duration interval;
    Duration timeout;
  } cases[] = {
      {"collectors: {host: {interval: 10s}}", seconds(10), seconds(10)},
      {"collectors: {host: {interval: 2m}}", minutes(2), seconds(30)},
      {"collectors: {host: {interval: 10s, timeout: 10s}}", seconds(10), seconds(10)},
      {"collectors: {host: {interval: 1s, timeout: 500ms}}", seconds(1), Duration(500)},
      {"collectors: {host: {timeout: 45s}}", seconds(60), seconds(45)},
  };
  for (const Case& c : cases) {
    StatusOr<Config> config = ParseAndFinish(c.yaml, "c.yml");
    ASSERT_OK(config) << c.yaml;
    EXPECT_EQ(config->collectors.at("host").interval, c.interval) << c.yaml;
    EXPECT_EQ(config->collectors.at("host").timeout, c.timeout) << c.yaml;
  }
}

TEST(ParseConfigTest, ReportsAllErrorsAtOnceInDocumentOrder) {
  const char* yaml =
      "dns:\n"
      "  timeout: 0s\n"
      "senders:\n"
      "  - ips: [192.0.2.1/24, 192.0.2.500]\n"
      "    helo: bad_name\n"
      "collectors:\n"
      "  host:\n"
      "    interval: soon\n"
      "  nope: {}\n"
      "extra: 1\n";
  StatusOr<Config> config = ParseConfig(yaml, "m.yml", Known());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(config.status().message(),
            "m.yml:2:12: dns.timeout: must be more than 0s and at most 1m, found 0s\n"
            "m.yml:4:11: senders[0].ips[0]: \"192.0.2.1/24\" has host bits set below the "
            "prefix; did you mean \"192.0.2.0/24\"?\n"
            "m.yml:4:25: senders[0].ips[1]: not an IP address: \"192.0.2.500\"\n"
            "m.yml:5:11: senders[0].helo: not a valid host name: \"bad_name\" (only letters, "
            "digits, '-' and '.' are allowed)\n"
            "m.yml:8:15: collectors.host.interval: not a duration: \"soon\": expected a number "
            "(use 30s, 15m, 1h...)\n"
            "m.yml:9:3: collectors.nope: unknown collector \"nope\"; known collectors: dnsbl, "
            "host, queue\n"
            "m.yml:10:1: extra: unknown key \"extra\"");
}

TEST(ParseConfigTest, DuplicatesWithinOneSender) {
  StatusOr<Config> config =
      ParseConfig("senders:\n  - ips: [192.0.2.1, 192.0.2.1]\n", "d.yml", Known());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "d.yml:2:22: senders[0].ips[1]: duplicate address 192.0.2.1, also listed "
            "(senders[0].ips[0] at d.yml:2:11)");
}

TEST(ParseConfigTest, OverlapsAreReportedOnTheLaterEntry) {
  struct Case {
    const char* ips;
    const char* error;
  } cases[] = {
      {"[192.0.2.0/24, 192.0.2.7]",
       "o.yml:2:25: senders[0].ips[1]: 192.0.2.7 overlaps 192.0.2.0/24 (senders[0].ips[0] at "
       "o.yml:2:11)"},
      {"[2001:db8::/32, 2001:db8:1::/48]",
       "o.yml:2:26: senders[0].ips[1]: 2001:db8:1::/48 overlaps 2001:db8::/32 (senders[0].ips[0] "
       "at o.yml:2:11)"},
      {"[192.0.2.0/25, 192.0.2.128/25, 2001:db8::/64]", ""},
  };
  for (const Case& c : cases) {
    std::string yaml = std::string("senders:\n  - ips: ") + c.ips + "\n";
    StatusOr<Config> config = ParseConfig(yaml, "o.yml", Known());
    EXPECT_EQ(config.ok() ? "" : config.status().message(), c.error) << c.ips;
  }
}

TEST(ParseConfigTest, MappedV6DoesNotCollideWithV4) {
  StatusOr<Config> config =
      ParseConfig("senders:\n  - ips: [192.0.2.1, '::ffff:192.0.2.1']\n", "d.yml", Known());
  EXPECT_OK(config);
}

TEST(LoadConfigFileTest, MissingFileIsIoErrorNamingPath) {
  StatusOr<Config> config = LoadConfigFile("/nonexistent/mailrep.yml", Known());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kIoError);
  EXPECT_NE(config.status().message().find("/nonexistent/mailrep.yml"), std::string::npos);
}

TEST(LoadConfigFileTest, DirectoryIsIoError) {
  StatusOr<Config> config = LoadConfigFile(TestdataDir().string(), Known());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kIoError);
}

TEST(ParseConfigTest, ControlCharactersInMessagesAreEscaped) {
  StatusOr<Config> config = ParseConfig(
      "senders:\n  - ips: [192.0.2.1]\n    helo: \"a\\e[2J\\rb\\nc\\0\"\n\"k\\ty\": 1\n",
      "test.yml", {});
  ASSERT_FALSE(config.ok());
  std::string m = config.status().message();
  for (char c : m) {
    unsigned char u = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || (u >= 0x20 && u != 0x7F)) << "raw control " << int{u} << " in " << m;
  }
  EXPECT_NE(m.find("a\\x1b[2J\\rb\\nc\\x00"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown key \"k\\ty\""), std::string::npos) << m;
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 1) << "one line per error: " << m;
}

TEST(MergeConfigErrorsTest, OrdersByLineAndColumnKeepingTheTailLast) {
  EXPECT_EQ(MergeConfigErrors("f.yml:9:1: a\nf.yml:12:3: b\n... and 2 more errors",
                              "f.yml:10:5: c\nf.yml: d\nf.yml:9:1: e"),
            "f.yml: d\nf.yml:9:1: a\nf.yml:9:1: e\nf.yml:10:5: c\nf.yml:12:3: b\n"
            "... and 2 more errors");
  EXPECT_EQ(MergeConfigErrors("x: 1", ""), "x: 1");
  EXPECT_EQ(MergeConfigErrors("a:99999999999999999999999:1: x", "a:-1:+2: y"),
            "a:99999999999999999999999:1: x\na:-1:+2: y")
      << "positions that are not numbers sort first, in order";
}

// Every testdata/invalid-*.yml starts with "# expect: <line>:<col>: <text>" and
// must fail with exactly one error: "<path>:<line>:<col>: <text>...".
TEST(InvalidCorpusTest, EachFileFailsWithItsOneExpectedError) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(TestdataDir())) {
    std::string name = entry.path().filename().string();
    if (name.rfind("invalid-", 0) == 0 && entry.path().extension() == ".yml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 20u);
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::string text = ReadFile(file);
    const std::string kPrefix = "# expect: ";
    ASSERT_EQ(text.rfind(kPrefix, 0), 0u) << "first line must be " << kPrefix << "...";
    std::string expect = text.substr(kPrefix.size(), text.find('\n') - kPrefix.size());
    size_t colon = expect.find(':');
    size_t second = expect.find(": ", colon + 1);
    ASSERT_NE(second, std::string::npos) << "expectation must start with <line>:<col>: ";
    ASSERT_TRUE(std::all_of(expect.begin(), expect.begin() + second, [](char c) {
      return (c >= '0' && c <= '9') || c == ':';
    })) << expect;

    StatusOr<Config> config = ParseAndFinish(text, file.string());
    ASSERT_FALSE(config.ok()) << "parsed without error";
    std::string message = config.status().message();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "more than one error:\n" << message;
    EXPECT_EQ(message.rfind(file.string() + ":" + expect, 0), 0u)
        << "want prefix: " << file.string() << ":" << expect << "\ngot: " << message;
  }
}

}  // namespace
}  // namespace mailrep
