#include "collectors/all_check_command.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "collectors/auth/psl_testing.h"
#include "collectors/dns/static_resolver.h"

namespace mailrep {
namespace {

constexpr char kConfig[] = R"(senders:
  - ips: [192.0.2.10]
    helo: mail.example.com
    domains: [example.com]
    dkim:
      - {selector: s1, domain: example.com}
collectors:
  dnsbl:
    lists: [zen.spamhaus.org]
  spf:
    interval: 5m
)";

struct CheckRun {
  int code;
  std::string out;
  std::string err;
};

class CheckAllTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mailrep_check_all_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    WriteConfig(kConfig);
    // Every check passes.
    dns_.SetTargets("10.2.0.192.in-addr.arpa", RecordType::kPtr, {"mail.example.com"});
    dns_.SetAddresses("mail.example.com", {"192.0.2.10"});
    dns_.SetTexts("example.com", {"v=spf1 ip4:192.0.2.10 -all"});
    dns_.SetTexts("mail.example.com", {"v=spf1 a -all"});
    dns_.SetTexts("s1._domainkey.example.com",
                  {"v=DKIM1; k=ed25519; p=btSneBwJf6Y9x1Y0Hr9r5mFuB/IuIVe1WELWTavT+4w="});
    dns_.SetTexts("_dmarc.example.com", {"v=DMARC1; p=reject; rua=mailto:dmarc@example.com"});
    dns_.SetAddresses("2.0.0.127.zen.spamhaus.org", {"127.0.0.2"});  // the list's test point
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteConfig(const std::string& text) { std::ofstream(dir_ / "mailrep.yml") << text; }

  CheckRun Check(std::vector<std::string> args, bool terminal = false) {
    std::ostringstream out;
    std::ostringstream err;
    CheckCommandContext ctx{std::move(args), (dir_ / "mailrep.yml").string(), "", out, err,
                            terminal};
    int code = RunCheckAllWith(ctx, &dns_, TestPsl().get());
    return {code, out.str(), err.str()};
  }

  std::filesystem::path dir_;
  StaticResolver dns_;
};

TEST_F(CheckAllTest, AllGoodTextReport) {
  CheckRun r = Check({});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  for (const char* want : {
           "Sender group 1: HELO mail.example.com; domains example.com\n",
           "\n  IP 192.0.2.10\n",
           "    OK    Reverse DNS of 192.0.2.10: ok\n"
           "            PTR mail.example.com  (forward-confirmed)\n",
           "    OK    SPF for 192.0.2.10 sending as postmaster@example.com: pass\n",
           "    OK    SPF for 192.0.2.10 sending as postmaster@mail.example.com (HELO identity): "
           "pass\n",
           "    OK    DNSBL check of 192.0.2.10 against 1 lists\n",
           "clean       zen.spamhaus.org",
           "\n  Domains\n    OK    DKIM key s1._domainkey.example.com: valid\n",
           "    OK    DMARC for example.com: valid\n",
           "          alignment:    SPF aligned, DKIM aligned (configured identities)\n",
           "\nSummary: 6 OK, 0 WARN, 0 FAIL\n",
       }) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n---\n" << r.out;
  }
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no colour when not a terminal";
}

TEST_F(CheckAllTest, ProblemsAreRedOnATerminal) {
  dns_.SetAddresses("10.2.0.192.zen.spamhaus.org", {"127.0.0.2"});
  dns_.SetTexts("example.com", {"v=spf1 ip4:198.51.100.0/24 -all"});
  dns_.SetOutcome("s1._domainkey.example.com", RecordType::kTxt, DnsOutcome::kTimeout);
  CheckRun r = Check({}, true);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("\033[1;31mFAIL  \033[0mSPF for 192.0.2.10 sending as "
                       "postmaster@example.com: fail\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\033[1;31mFAIL  \033[0mDNSBL check of 192.0.2.10"), std::string::npos);
  EXPECT_NE(r.out.find("\033[33mWARN  \033[0mDKIM key s1._domainkey.example.com: dns_error"),
            std::string::npos);
  EXPECT_NE(r.out.find("\033[32mOK    \033[0mReverse DNS of 192.0.2.10: ok"), std::string::npos);
  EXPECT_NE(r.out.find("Summary: 3 OK, 1 WARN, 2 FAIL"), std::string::npos) << r.out;
}

TEST_F(CheckAllTest, JsonIsOneDocument) {
  dns_.SetOutcome("_dmarc.example.com", RecordType::kTxt, DnsOutcome::kNxDomain);
  CheckRun r = Check({"--format", "json", "--dns-server", "127.0.0.1:53"});
  EXPECT_EQ(r.code, 1) << r.err;
  YAML::Node doc = YAML::Load(r.out);
  EXPECT_EQ(doc["verdict"].as<std::string>(), "fail");
  EXPECT_EQ(doc["ok"].as<int>(), 5);
  EXPECT_EQ(doc["fail"].as<int>(), 1);
  const YAML::Node& sender = doc["senders"][0];
  EXPECT_EQ(sender["helo"].as<std::string>(), "mail.example.com");
  EXPECT_EQ(sender["domains"][0].as<std::string>(), "example.com");
  const YAML::Node& ip = sender["ips"][0];
  EXPECT_EQ(ip["ip"].as<std::string>(), "192.0.2.10");
  ASSERT_EQ(ip["checks"].size(), 4u);
  EXPECT_EQ(ip["checks"][0]["check"].as<std::string>(), "ptr");
  EXPECT_EQ(ip["checks"][0]["result"]["status"].as<std::string>(), "ok");
  EXPECT_EQ(ip["checks"][1]["result"]["result"].as<std::string>(), "pass");
  EXPECT_EQ(ip["checks"][3]["check"].as<std::string>(), "dnsbl");
  EXPECT_EQ(ip["checks"][3]["result"]["lists"][0]["status"].as<std::string>(), "clean");
  const YAML::Node& domains = sender["domain_checks"];
  ASSERT_EQ(domains.size(), 2u);
  EXPECT_EQ(domains[0]["result"]["status"].as<std::string>(), "valid");
  EXPECT_EQ(domains[1]["check"].as<std::string>(), "dmarc");
  EXPECT_EQ(domains[1]["verdict"].as<std::string>(), "fail");
  EXPECT_EQ(domains[1]["result"]["status"].as<std::string>(), "missing");
  EXPECT_EQ(domains[1]["result"]["spf_aligned"].as<bool>(), true);
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line";
}

TEST_F(CheckAllTest, ErrorsExitTwo) {
  EXPECT_EQ(Check({"--format", "xml"}).code, 2);
  EXPECT_EQ(Check({"extra"}).code, 2);
  WriteConfig("senders: []\n");
  CheckRun none = Check({});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("lists no senders"), std::string::npos) << none.err;
  WriteConfig("senders:\n  - ips: [not-an-ip]\n");
  CheckRun bad = Check({});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("mailrep.yml"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace mailrep
