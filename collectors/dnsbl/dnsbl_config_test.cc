#include "collectors/dnsbl/dnsbl_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exporter/config/config_partial.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

const std::vector<CollectorDefaults> kKnown = {
    {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};

StatusOr<DnsblSettings> Parse(const std::string& yaml) {
  StatusOr<Config> config = ParseConfig(yaml, "t.yml", kKnown);
  if (!config.ok()) return config.status();
  ConfigNode options = config->collectors.at("dnsbl").options->WithOwnErrors();
  return ParseDnsblSettings(*config, options);
}

TEST(ConfigTest, DefaultsWithoutSenders) {
  StatusOr<DnsblSettings> s = Parse("");
  ASSERT_OK(s);
  EXPECT_EQ(s->lists.size(), DnsblCatalogue::BuiltIn().DefaultZones().size());
  EXPECT_TRUE(s->targets.empty());
  EXPECT_TRUE(s->use_host_addresses);
  EXPECT_EQ(s->max_block_addresses, 65536u);
  EXPECT_EQ(s->detail_max_block_addresses, 256u);
  EXPECT_TRUE(s->summary_blocks.empty());
}

TEST(ConfigTest, SeenSendersAreOffByDefault) {
  StatusOr<DnsblSettings> s = Parse("");
  ASSERT_OK(s);
  EXPECT_FALSE(s->seen_senders.enabled);
  EXPECT_EQ(s->seen_senders.window, std::chrono::hours(24));
  EXPECT_EQ(s->seen_senders.max, 256u);

  s = Parse("collectors:\n  dnsbl:\n    seen_senders: {enabled: true, window: 2h, max: 10}\n");
  ASSERT_OK(s);
  EXPECT_TRUE(s->seen_senders.enabled);
  EXPECT_EQ(s->seen_senders.window, std::chrono::hours(2));
  EXPECT_EQ(s->seen_senders.max, 10u);
}

TEST(ConfigTest, SendersBecomeTargets) {
  StatusOr<DnsblSettings> s = Parse(
      "senders:\n"
      "  - ips: [192.0.2.1, 198.51.100.0/30, 2001:db8::25]\n"
      "    domains: [Example.com]\n"
      "collectors:\n"
      "  dnsbl:\n"
      "    lists: [zen.spamhaus.org, dbl.spamhaus.org]\n");
  ASSERT_OK(s);
  ASSERT_EQ(s->targets.size(), 7u);
  EXPECT_EQ(s->targets[1].value, "198.51.100.0");
  EXPECT_EQ(s->targets[5].value, "2001:db8::25");
  EXPECT_EQ(s->targets[6].value, "example.com");
  EXPECT_FALSE(s->use_host_addresses);
  EXPECT_TRUE(DnsblProbeAllowed(*s, *ParseDnsblTarget("198.51.100.3")));
  EXPECT_FALSE(DnsblProbeAllowed(*s, *ParseDnsblTarget("198.51.100.4")));
  EXPECT_TRUE(DnsblProbeAllowed(*s, *ParseDnsblTarget("mail.example.com")));
  EXPECT_FALSE(DnsblProbeAllowed(*s, *ParseDnsblTarget("badexample.com")));
  EXPECT_FALSE(DnsblProbeAllowed(*s, *ParseDnsblTarget("8.8.8.8")));
}

TEST(ConfigTest, QueryBudgetsComeFromTheCatalogueAndTheConfig) {
  StatusOr<DnsblSettings> s = Parse(
      "collectors:\n"
      "  dnsbl:\n"
      "    lists: [zen.spamhaus.org, list.dnswl.org, bl.spamcop.net, dbl.spamhaus.org]\n"
      "    query_budgets: {list.dnswl.org: 5000, dbl.spamhaus.org: 0}\n");
  ASSERT_OK(s);
  ASSERT_EQ(s->lists.size(), 4u);
  EXPECT_EQ(s->lists[0].list.daily_query_budget, 300000u);  // catalogue
  EXPECT_EQ(s->lists[0].list.budget_group, "spamhaus");
  EXPECT_EQ(s->lists[1].list.daily_query_budget, 5000u);  // config: its own, apart from dnswl
  EXPECT_EQ(s->lists[1].list.budget_group, "list.dnswl.org");
  EXPECT_EQ(s->lists[2].list.daily_query_budget, 0u);  // none published
  EXPECT_EQ(s->lists[2].list.budget_group, "");
  EXPECT_EQ(s->lists[3].list.daily_query_budget, 0u);  // config: none
  EXPECT_EQ(s->lists[3].list.budget_group, "");

  StatusOr<DnsblSettings> bad = Parse(
      "collectors:\n"
      "  dnsbl:\n"
      "    lists: [zen.spamhaus.org]\n"
      "    query_budgets: {bl.spamcop.net: 10, zen.spamhaus.org: -1, mailspike: 10}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("collectors.dnsbl.query_budgets.bl.spamcop.net: not one "
                                        "of the checked lists"),
            std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("query_budgets.zen.spamhaus.org"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("query_budgets.mailspike: not the budget group of a "
                                        "checked list"),
            std::string::npos)
      << bad.status().message();
}

// An operator's zones share its one budget (Spamhaus: 300,000 a day for all
// its public zones from one resolver), unless the config says otherwise.
TEST(ConfigTest, ZonesOfOneOperatorShareItsBudgetGroup) {
  StatusOr<DnsblSettings> s = Parse(
      "collectors:\n  dnsbl:\n"
      "    lists: [zen.spamhaus.org, dbl.spamhaus.org, list.dnswl.org, dwl.dnswl.org,\n"
      "            bl.mailspike.net, z.mailspike.net, rep.mailspike.net]\n");
  ASSERT_OK(s);
  std::vector<std::pair<std::string, uint64_t>> got;
  for (const DnsblListConfig& c : s->lists) {
    got.emplace_back(c.list.budget_group, c.list.daily_query_budget);
  }
  EXPECT_EQ(got, (std::vector<std::pair<std::string, uint64_t>>{{"spamhaus", 300000},
                                                                {"spamhaus", 300000},
                                                                {"dnswl", 100000},
                                                                {"dnswl", 100000},
                                                                {"mailspike", 100000},
                                                                {"mailspike", 100000},
                                                                {"mailspike", 100000}}));

  // A group's name sets its budget for all its lists; a zone's takes that
  // zone out of its group with a budget of its own; 0 is none.
  s = Parse(
      "collectors:\n  dnsbl:\n"
      "    lists: [zen.spamhaus.org, dbl.spamhaus.org, list.dnswl.org, dwl.dnswl.org,\n"
      "            bl.mailspike.net]\n"
      "    query_budgets: {dbl.spamhaus.org: 20000, spamhaus: 150000, dnswl: 0}\n");
  ASSERT_OK(s);
  EXPECT_EQ(s->lists[0].list.budget_group, "spamhaus");
  EXPECT_EQ(s->lists[0].list.daily_query_budget, 150000u);
  EXPECT_EQ(s->lists[1].list.budget_group, "dbl.spamhaus.org");
  EXPECT_EQ(s->lists[1].list.daily_query_budget, 20000u);
  for (size_t i : {2, 3}) {
    EXPECT_EQ(s->lists[i].list.budget_group, "");
    EXPECT_EQ(s->lists[i].list.daily_query_budget, 0u);
  }
  EXPECT_EQ(s->lists[4].list.budget_group, "mailspike");

  // A mirrored list sends no queries: it leaves its group, the others stay.
  s = Parse(
      "collectors:\n  dnsbl:\n"
      "    lists: [zen.spamhaus.org, dbl.spamhaus.org]\n"
      "    mirrors: [{zone: zen.spamhaus.org, file: /var/lib/rbldnsd/zen, format: ip4set}]\n");
  ASSERT_OK(s);
  EXPECT_EQ(s->lists[0].list.budget_group, "");
  EXPECT_EQ(s->lists[0].list.daily_query_budget, 0u);
  EXPECT_EQ(s->lists[1].list.budget_group, "spamhaus");
}

// A catalogue_file may put its lists in the built-in groups, define groups,
// or give a list a budget of its own (the format before groups).
TEST(ConfigTest, CatalogueFileListsJoinOrMakeBudgetGroups) {
  char dir_template[] = "/tmp/dnsbl_groups_XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string path = std::string(dir_template) + "/catalogue.yml";
  std::ofstream(path) << "budget_groups: {example: 5000, spamhaus: 250000}\n"
                         "lists:\n"
                         "  - {zone: a.example.net, kinds: [ip4], budget_group: example,\n"
                         "     codes: [{code: 127.0.0.2, meaning: listed}]}\n"
                         "  - {zone: b.example.net, kinds: [ip4], budget_group: spamhaus,\n"
                         "     codes: [{code: 127.0.0.2, meaning: listed}]}\n"
                         "  - {zone: c.example.net, kinds: [ip4], daily_query_budget: 700,\n"
                         "     codes: [{code: 127.0.0.2, meaning: listed}]}\n"
                         "  - {zone: d.example.net, kinds: [ip4], budget_group: nosuch,\n"
                         "     codes: [{code: 127.0.0.2, meaning: listed}]}\n";
  StatusOr<DnsblSettings> s =
      Parse("collectors:\n  dnsbl:\n    catalogue_file: " + path +
            "\n    lists: [a.example.net, b.example.net, c.example.net, zen.spamhaus.org]\n");
  ASSERT_OK(s);
  EXPECT_EQ(s->lists[0].list.budget_group, "example");
  EXPECT_EQ(s->lists[0].list.daily_query_budget, 5000u);
  EXPECT_EQ(s->lists[1].list.budget_group, "spamhaus");
  EXPECT_EQ(s->lists[1].list.daily_query_budget, 250000u);  // the file redefines the group
  EXPECT_EQ(s->lists[2].list.budget_group, "c.example.net");
  EXPECT_EQ(s->lists[2].list.daily_query_budget, 700u);
  EXPECT_EQ(s->lists[3].list.budget_group, "spamhaus");
  EXPECT_EQ(s->lists[3].list.daily_query_budget, 250000u);

  StatusOr<DnsblSettings> bad = Parse("collectors:\n  dnsbl:\n    catalogue_file: " + path +
                                      "\n    lists: [d.example.net]\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("has budget_group \"nosuch\", which the catalogue's "
                                        "budget_groups do not define"),
            std::string::npos)
      << bad.status().message();
  std::filesystem::remove_all(dir_template);
}

TEST(ConfigTest, KeysGoWithKeyedLists) {
  StatusOr<DnsblSettings> s = Parse(
      "collectors:\n  dnsbl:\n    lists: [zen.dq.spamhaus.net]\n"
      "    keys: {spamhaus_dqs: abc123}\n    probe_targets: [203.0.113.0/24, example.org]\n");
  ASSERT_OK(s);
  EXPECT_EQ(s->lists[0].key, "abc123");
  EXPECT_TRUE(DnsblProbeAllowed(*s, *ParseDnsblTarget("203.0.113.9")));
  EXPECT_TRUE(DnsblProbeAllowed(*s, *ParseDnsblTarget("example.org")));
}

struct ErrorCase {
  const char* yaml;
  const char* message;
};

TEST(ConfigTest, ErrorsNameFileLineAndKey) {
  std::vector<ErrorCase> cases = {
      {"collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org, dnsbl.sorbs.net]\n",
       "t.yml:3:31: collectors.dnsbl.lists[1]: list \"dnsbl.sorbs.net\" is defunct: SORBS"},
      {"collectors:\n  dnsbl:\n    lists: [rbl.example.net]\n",
       "t.yml:3:13: collectors.dnsbl.lists[0]: unknown list \"rbl.example.net\""},
      {"collectors:\n  dnsbl:\n    lists: [zen.dq.spamhaus.net]\n",
       "t.yml:3:13: collectors.dnsbl.lists[0]: list \"zen.dq.spamhaus.net\" needs a key: set "
       "collectors.dnsbl.keys.spamhaus_dqs"},
      {"collectors:\n  dnsbl:\n    lists: [bl.spamcop.net, bl.spamcop.net]\n",
       "collectors.dnsbl.lists[1]: duplicate list"},
      {"collectors:\n  dnsbl:\n    max_block_addresses: 0\n",
       "t.yml:3:26: collectors.dnsbl.max_block_addresses"},
      {"collectors:\n  dnsbl:\n    keys: {abusix: \"a.b\"}\n",
       "collectors.dnsbl.keys.abusix: a key is one DNS label"},
      {"collectors:\n  dnsbl:\n    catalogue_file: /nonexistent/x.yml\n",
       "collectors.dnsbl.catalogue_file: cannot open DNSBL catalogue /nonexistent/x.yml"},
      {"collectors:\n  dnsbl:\n    probe_targets: [\"not a target\"]\n",
       "collectors.dnsbl.probe_targets: not an IP"},
      {"collectors:\n  dnsbl:\n    seen_senders: {window: 30s}\n",
       "t.yml:3:28: collectors.dnsbl.seen_senders.window: want a window from 1m to 168h"},
      {"collectors:\n  dnsbl:\n    seen_senders: {max: 0}\n",
       "collectors.dnsbl.seen_senders.max: must be between 1 and 1024, found 0"},
      {"collectors:\n  dnsbl:\n    seen_senders: {enabled: yes}\n",
       "collectors.dnsbl.seen_senders.enabled"},
      {"collectors:\n  dnsbl:\n    seen_senders: true\n", "collectors.dnsbl.seen_senders"},
  };
  for (const ErrorCase& c : cases) {
    StatusOr<DnsblSettings> s = Parse(c.yaml);
    ASSERT_FALSE(s.ok()) << c.yaml;
    EXPECT_NE(s.status().message().find(c.message), std::string::npos)
        << "want: " << c.message << "\ngot:  " << s.status().message();
  }
}

// A config file that lives as long as the object.
class TempConfigFile {
 public:
  explicit TempConfigFile(const std::string& yaml) {
    int fd = mkstemp(path_);
    if (fd >= 0) close(fd);
    std::ofstream(path_) << yaml;
  }
  ~TempConfigFile() { unlink(path_); }
  std::string path() const { return path_; }

 private:
  char path_[40] = "/tmp/mailrep-dnsbl-config-XXXXXX";
};

TEST(ConfigTest, BlockTooBigNamesTheFileLine) {
  TempConfigFile file(
      "senders:\n  - ips:\n      - 192.0.2.1\n      - 198.51.96.0/21\n"
      "collectors:\n  dnsbl:\n    max_block_addresses: 1024\n");
  StatusOr<Config> config = LoadConfigFile(file.path(), kKnown);
  ASSERT_OK(config);
  ConfigNode options = *config->collectors.at("dnsbl").options;
  StatusOr<DnsblSettings> s = ParseDnsblSettings(*config, options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            file.path() +
                ":4:9: senders[0].ips[1]: block 198.51.96.0/21 has 2048 addresses; at most 1024 "
                "per block are checked (collectors.dnsbl.max_block_addresses): list smaller "
                "blocks");
}

// A config read despite errors (config_partial.h) lacks the invalid entries;
// messages must still name the entry's own place, not its neighbour's.
TEST(ConfigTest, PartialConfigErrorsNameTheDocumentEntry) {
  TempConfigFile file(
      "senders:\n  - not a sender\n  - ips:\n      - 192.0.2.300\n      - 198.50.0.0/15\n");
  std::optional<Config> config = ReadPartialConfigFile(file.path(), kKnown);
  ASSERT_TRUE(config.has_value());
  ASSERT_EQ(config->senders.size(), 1u);
  ConfigNode options = *config->collectors.at("dnsbl").options;
  StatusOr<DnsblSettings> s = ParseDnsblSettings(*config, options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().rfind(
                file.path() + ":5:9: senders[1].ips[1]: block 198.50.0.0/15 has", 0),
            0u)
      << s.status().message();
}

StatusOr<DnsblSettings> SettingsForSenderIps(const std::string& ips) {
  TempConfigFile file("senders:\n  - ips: [" + ips + "]\n");
  StatusOr<Config> config = LoadConfigFile(file.path(), kKnown);
  if (!config.ok()) return config.status();
  ConfigNode options = *config->collectors.at("dnsbl").options;
  return ParseDnsblSettings(*config, options);
}

TEST(ConfigTest, WideIpv6BlockIsCheckedOncePer64WithAWarning) {
  StatusOr<DnsblSettings> s = SettingsForSenderIps("2001:db8:0:100::/64, 2001:db8:1::25");
  ASSERT_OK(s);
  ASSERT_EQ(s->targets.size(), 2u);
  EXPECT_EQ(s->targets[0].value, "2001:db8:0:100::");
  EXPECT_EQ(s->targets[1].value, "2001:db8:1::25");
  ASSERT_EQ(s->warnings.size(), 1u);
  EXPECT_NE(s->warnings[0].find("senders[0].ips[0]: IPv6 block 2001:db8:0:100::/64 is checked at "
                                "the first address of each of its 1 /64 networks"),
            std::string::npos)
      << s->warnings[0];

  s = SettingsForSenderIps("2001:db8:0:100::/56");
  ASSERT_OK(s);
  ASSERT_EQ(s->targets.size(), 256u);
  EXPECT_EQ(s->targets[1].value, "2001:db8:0:101::");
  EXPECT_EQ(s->targets[255].value, "2001:db8:0:1ff::");
}

TEST(ConfigTest, Ipv6BlockWithTooMany64sIsAnError) {
  StatusOr<DnsblSettings> s = SettingsForSenderIps("2001:db8::/47");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("block 2001:db8::/47 has 131072 /64 networks; at most 65536"),
            std::string::npos)
      << s.status().message();
}

TEST(ConfigTest, NarrowIpv6BlockIsExpandedFully) {
  StatusOr<DnsblSettings> s = SettingsForSenderIps("2001:db8::/120");
  ASSERT_OK(s);
  EXPECT_EQ(s->targets.size(), 256u);
  EXPECT_TRUE(s->warnings.empty());
}

// detail_max_block_addresses: a block of at most that many checked addresses
// is reported in detail (block -1), a larger one in summary.
TEST(ConfigTest, DetailThresholdEdges) {
  // 256 addresses at the default threshold of 256: in detail, as before.
  StatusOr<DnsblSettings> s = Parse("senders:\n  - ips: [192.0.2.0/24]\n");
  ASSERT_OK(s);
  ASSERT_EQ(s->targets.size(), 256u);
  EXPECT_TRUE(s->summary_blocks.empty());
  EXPECT_TRUE(std::all_of(s->targets.begin(), s->targets.end(),
                          [](const DnsblTarget& t) { return t.block == -1; }));

  // The same 256 addresses over a threshold of 255: in summary.
  s = Parse(
      "senders:\n  - ips: [192.0.2.0/24]\n"
      "collectors:\n  dnsbl:\n    detail_max_block_addresses: 255\n");
  ASSERT_OK(s);
  ASSERT_EQ(s->summary_blocks.size(), 1u);
  EXPECT_EQ(s->summary_blocks[0].cidr, "192.0.2.0/24");
  EXPECT_EQ(s->summary_blocks[0].addresses, 256u);
  EXPECT_TRUE(std::all_of(s->targets.begin(), s->targets.end(),
                          [](const DnsblTarget& t) { return t.block == 0; }));

  // 512 addresses (257 and more) at the default: in summary; a single
  // address beside it stays in detail.
  s = Parse("senders:\n  - ips: [203.0.113.7, 198.51.100.0/23, 2001:db8:0:200::/55]\n");
  ASSERT_OK(s);
  ASSERT_EQ(s->summary_blocks.size(), 2u);
  EXPECT_EQ(s->summary_blocks[0].cidr, "198.51.100.0/23");
  EXPECT_EQ(s->summary_blocks[0].kind, DnsblKind::kIp4);
  EXPECT_EQ(s->summary_blocks[1].cidr, "2001:db8:0:200::/55");
  EXPECT_EQ(s->summary_blocks[1].kind, DnsblKind::kIp6);
  EXPECT_EQ(s->summary_blocks[1].addresses, 512u);  // its /64s
  ASSERT_EQ(s->targets.size(), 1u + 512u + 512u);
  EXPECT_EQ(s->targets[0].value, "203.0.113.7");
  EXPECT_EQ(s->targets[0].block, -1);
  EXPECT_EQ(s->targets[1].block, 0);
  EXPECT_EQ(s->targets[512].block, 0);
  EXPECT_EQ(s->targets[513].block, 1);
}

TEST(ConfigTest, SixteenIsExpandedByDefault) {
  StatusOr<DnsblSettings> s = Parse("senders:\n  - ips: [10.20.0.0/16]\n");
  ASSERT_OK(s);
  ASSERT_EQ(s->targets.size(), 65536u);
  EXPECT_EQ(s->targets.back().value, "10.20.255.255");
  ASSERT_EQ(s->summary_blocks.size(), 1u);
}

TEST(ConfigTest, MirrorsNarrowTheirListsToTheFileKind) {
  StatusOr<DnsblSettings> s = Parse(
      "collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org, dbl.spamhaus.org, bl.spamcop.net]\n"
      "    mirrors:\n"
      "      - {zone: ZEN.spamhaus.org., file: /var/lib/rbldnsd/zen, format: ip4trie}\n"
      "      - {zone: dbl.spamhaus.org, file: /var/lib/rbldnsd/dbl, format: dnset}\n");
  ASSERT_OK(s);
  ASSERT_EQ(s->mirrors.size(), 2u);
  EXPECT_EQ(s->mirrors[0].zone, "zen.spamhaus.org");
  EXPECT_EQ(s->mirrors[0].file, "/var/lib/rbldnsd/zen");
  EXPECT_EQ(s->mirrors[0].format, RbldnsdFormat::kIp4trie);
  EXPECT_EQ(s->mirrors[1].format, RbldnsdFormat::kDnset);
  // zen's IPv6 data is not in an ip4 file: IPv6 targets are not checked on it.
  EXPECT_TRUE(s->lists[0].list.Supports(DnsblKind::kIp4));
  EXPECT_FALSE(s->lists[0].list.Supports(DnsblKind::kIp6));
  EXPECT_TRUE(s->lists[1].list.Supports(DnsblKind::kDomain));
  EXPECT_TRUE(s->lists[2].list.Supports(DnsblKind::kIp4));
}

TEST(ConfigTest, NoMirrorsByDefault) {
  StatusOr<DnsblSettings> s = Parse("");
  ASSERT_OK(s);
  EXPECT_TRUE(s->mirrors.empty());
  EXPECT_TRUE(s->lists[0].list.Supports(DnsblKind::kIp6));
}

// Every testdata/invalid-*.yml starts with "# expect: <line>:<col>: <text>"
// (positions in the file, the comment line included) and must fail with
// exactly that one error, as exporter/config/testdata's corpus does for the
// core keys.
TEST(InvalidCorpusTest, EachFileFailsWithItsOneExpectedError) {
  const char* source = std::getenv("MAILREP_SOURCE_DIR");
  std::filesystem::path dir =
      std::filesystem::path(source != nullptr ? source : ".") / "collectors/dnsbl/testdata";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("invalid-", 0) == 0 && entry.path().extension() == ".yml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 8u) << dir;
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    const std::string kPrefix = "# expect: ";
    ASSERT_EQ(text.rfind(kPrefix, 0), 0u) << "first line must be " << kPrefix << "...";
    std::string expect = text.substr(kPrefix.size(), text.find('\n') - kPrefix.size());

    StatusOr<Config> config = ParseConfig(text, file.string(), kKnown);
    ASSERT_OK(config);
    ConfigNode options = config->collectors.at("dnsbl").options->WithOwnErrors();
    StatusOr<DnsblSettings> s = ParseDnsblSettings(*config, options);
    ASSERT_FALSE(s.ok()) << "parsed without error";
    std::string message = s.status().message();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "more than one error:\n" << message;
    EXPECT_EQ(message, file.string() + ":" + expect);
  }
}

}  // namespace
}  // namespace mailrep
