#include "collectors/host/mta_config_parse.h"

#include <gtest/gtest.h>

#include <array>

namespace mailrep {
namespace {

TEST(PostfixMainCfTest, ParsesAssignmentsContinuationsAndComments) {
  PostfixParams params = ParsePostfixMainCf(
      "# comment\n"
      "queue_directory = /var/spool/postfix\n"
      "\n"
      "multi_instance_directories = /etc/postfix-out\n"
      "   /etc/postfix-in\n"
      "# a comment inside the continuation is skipped\n"
      "\t/etc/postfix-x\n"
      "myhostname=mx.example.test\r\n"
      "  orphan continuation goes to myhostname\n"
      "not an assignment\n"
      "bad name = 1\n"
      "syslog_name = first\n"
      "syslog_name = second\n"
      "empty =\n");
  EXPECT_EQ(params["queue_directory"], "/var/spool/postfix");
  EXPECT_EQ(params["multi_instance_directories"],
            "/etc/postfix-out /etc/postfix-in /etc/postfix-x");
  EXPECT_EQ(params["myhostname"], "mx.example.test orphan continuation goes to myhostname");
  EXPECT_EQ(params["syslog_name"], "second");
  EXPECT_EQ(params["empty"], "");
  EXPECT_EQ(params.count("bad name"), 0u);
  EXPECT_EQ(params.size(), 5u);
}

TEST(PostfixMainCfTest, LeadingContinuationWithoutParameterIsIgnored) {
  EXPECT_TRUE(ParsePostfixMainCf("  = x\n\tfoo = bar\n").empty());
}

struct ExpandCase {
  const char* value;
  const char* want;
};

TEST(PostfixExpandTest, Table) {
  PostfixParams params = {{"a", "A"},           {"empty", ""},      {"dir", "/var/spool/$name"},
                          {"name", "postfix2"}, {"loop", "x$loop"}, {"self", "${self}"}};
  const ExpandCase cases[] = {
      {"plain", "plain"},
      {"$a", "A"},
      {"${a}/$(a)", "A/A"},
      {"$dir", "/var/spool/postfix2"},
      {"$unknown|", "|"},
      {"$$a", "$a"},
      {"a$", "a$"},
      {"$-x", "$-x"},
      {"${a?set}", "set"},
      {"${empty?set}", ""},
      {"${unknown?set}", ""},
      {"${a:unset}", ""},
      {"${empty:unset}", "unset"},
      {"${a?{yes}:{no}}", "yes"},
      {"${empty?{yes}:{no}}", "no"},
      {"${a?{$name}:{postfix}}", "postfix2"},
      {"${empty?{$name}:{postfix}}", "postfix"},
      {"${a?{only}}", "only"},
      {"${a!bogus}", ""},
      {"${unbalanced", "${unbalanced"},
      {"$self", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(ExpandPostfixValue(c.value, params), c.want) << c.value;
  // A cycle ends at the depth bound instead of recursing forever.
  EXPECT_EQ(ExpandPostfixValue("$loop", params).substr(0, 3), "xxx");
  EXPECT_LE(ExpandPostfixValue("$loop", params).size(), 4096u);
}

TEST(PostfixExpandTest, ExponentialDefinitionsAreBounded) {
  PostfixParams params;
  for (int i = 0; i < 40; ++i) {
    params["p" + std::to_string(i)] = "$p" + std::to_string(i + 1) + "$p" + std::to_string(i + 1) +
                                      "${p" + std::to_string(i + 1) + "?{x}:{y}}";
  }
  params["p40"] = "z";
  EXPECT_LE(ExpandPostfixValue("$p0", params).size(), 4096u);
}

TEST(PostfixListTest, SplitsOnSpacesAndCommas) {
  EXPECT_EQ(SplitPostfixList(" /a, /b\t/c ,,/d\n"),
            (std::vector<std::string>{"/a", "/b", "/c", "/d"}));
  EXPECT_TRUE(SplitPostfixList(" , ").empty());
}

constexpr std::array<std::string_view, 3> kWanted = {"postfix", "exim4-daemon-light", "opensmtpd"};

TEST(DpkgStatusTest, VersionsOfInstalledWantedPackages) {
  std::string status =
      "Package: postfix\n"
      "Status: install ok installed\n"
      "Priority: optional\n"
      "Version: 3.7.11-0+deb12u1\n"
      "Description: High-performance mail transport agent\n"
      " Postfix is Wietse Venema's mail transport agent.\n"
      " Version: 9.9 (a continuation line, not a field)\n"
      "\n"
      "Package: exim4-daemon-light\n"
      "Status: deinstall ok config-files\n"
      "Version: 4.96-15+deb12u4\n"
      "\n"
      "Package: libc6\n"
      "Status: install ok installed\n"
      "Version: 2.36-9\n"
      "\r\n"
      "Package: opensmtpd\n"
      "Version: 6.8.0p2-4\n"
      "Status: install ok installed";
  auto versions = ParseDpkgStatus(status, kWanted);
  EXPECT_EQ(versions, (std::map<std::string, std::string>{{"postfix", "3.7.11-0+deb12u1"},
                                                          {"opensmtpd", "6.8.0p2-4"}}));
}

TEST(DpkgStatusTest, JunkGivesNothing) {
  EXPECT_TRUE(ParseDpkgStatus("", kWanted).empty());
  EXPECT_TRUE(ParseDpkgStatus("Package: postfix\nVersion: 1\n", kWanted).empty());
  EXPECT_TRUE(ParseDpkgStatus("\n\n:::\nPackage:\nStatus: installed\n", kWanted).empty());
}

TEST(EximConfigTest, SpoolDirectory) {
  EXPECT_EQ(ParseEximSpoolDirectory("# c\nprimary_hostname = x\nspool_directory = /srv/exim\n"),
            "/srv/exim");
  EXPECT_EQ(ParseEximSpoolDirectory("  spool_directory=/srv/exim  \n"), "/srv/exim");
  EXPECT_EQ(ParseEximSpoolDirectory("spool_directory = SPOOLDIR\n"), std::nullopt);
  EXPECT_EQ(ParseEximSpoolDirectory("spool_directory = ${if exists{/x}{/x}{/y}}\n"), std::nullopt);
  EXPECT_EQ(ParseEximSpoolDirectory("begin routers\nspool_directory = /srv/exim\n"), std::nullopt);
  EXPECT_EQ(ParseEximSpoolDirectory("spool_directory_x = /a\n"), std::nullopt);
  EXPECT_EQ(ParseEximSpoolDirectory(""), std::nullopt);
}

TEST(SendmailConfigTest, QueueDirectory) {
  EXPECT_EQ(ParseSendmailQueueDirectory("O QueueDirectory=/var/spool/mqueue\n"),
            "/var/spool/mqueue");
  EXPECT_EQ(ParseSendmailQueueDirectory("# O QueueDirectory=/x\nO QueueDirectory=/q/qd*\n"), "/q");
  EXPECT_EQ(ParseSendmailQueueDirectory("O QueueDirectory=/qd*\n"), "/");
  EXPECT_EQ(ParseSendmailQueueDirectory("O QueueDirectory=relative\n"), std::nullopt);
  EXPECT_EQ(ParseSendmailQueueDirectory("O QueueDirectoryX=/x\n"), std::nullopt);
  EXPECT_EQ(ParseSendmailQueueDirectory(""), std::nullopt);
}

}  // namespace
}  // namespace mailrep
