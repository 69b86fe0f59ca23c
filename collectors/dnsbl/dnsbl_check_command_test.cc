#include "collectors/dnsbl/dnsbl_check_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "collectors/dns/static_resolver.h"
#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep {
namespace {

struct CheckRun {
  int code;
  std::string out;
  std::string err;
};

CheckRun Check(std::vector<std::string> args, Resolver* resolver) {
  std::ostringstream out;
  std::ostringstream err;
  CheckCommandContext ctx{std::move(args), "", "", out, err, false};
  int code = RunDnsblCheckWith(ctx, resolver);
  return {code, out.str(), err.str()};
}

class CheckCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    resolver_.SetAddresses("2.0.0.127.zen.spamhaus.org", {"127.0.0.2"});
    resolver_.SetAddresses("2.0.0.127.bl.spamcop.net", {"127.0.0.2"});
    resolver_.SetAddresses("2.0.0.127.psbl.surriel.com", {"127.0.0.2"});
  }
  StaticResolver resolver_;
};

TEST_F(CheckCommandTest, JsonListsListedFirst) {
  resolver_.SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.0.0.2", "127.0.0.10"});
  resolver_.SetOutcome("1.2.0.192.psbl.surriel.com", RecordType::kA, DnsOutcome::kTimeout);
  CheckRun r = Check({"192.0.2.1", "--list", "bl.spamcop.net", "--list=zen.spamhaus.org", "--list",
                      "psbl.surriel.com", "--format", "json"},
                     &resolver_);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out,
            "{\"target\": \"192.0.2.1\", \"lists\": [{\"list\": \"zen.spamhaus.org\", \"status\": "
            "\"listed\", \"severity\": \"major\", \"codes\": [\"127.0.0.2\", \"127.0.0.10\"], "
            "\"meanings\": [\"SBL: spam source or spam operation\", \"PBL: end-user range, ISP "
            "policy says no direct mail\"], \"error\": \"\", \"delist_url\": "
            "\"https://check.spamhaus.org/\"}, {\"list\": \"psbl.surriel.com\", \"status\": "
            "\"error\", \"severity\": \"minor\", \"codes\": [], \"meanings\": [], \"error\": "
            "\"timeout: timeout\", \"delist_url\": \"https://psbl.org/\"}, {\"list\": "
            "\"bl.spamcop.net\", \"status\": \"clean\", \"severity\": \"major\", \"codes\": [], "
            "\"meanings\": [], \"error\": \"\", \"delist_url\": "
            "\"https://www.spamcop.net/bl.shtml\"}]}\n");
}

TEST_F(CheckCommandTest, TextTableAndExitCodes) {
  CheckRun clean = Check({"192.0.2.1", "--list", "zen.spamhaus.org"}, &resolver_);
  EXPECT_EQ(clean.code, 0) << clean.err;
  EXPECT_NE(clean.out.find("clean       zen.spamhaus.org"), std::string::npos) << clean.out;
  EXPECT_NE(clean.out.find("0 listed, 0 allowlisted, 1 clean, 0 error, 0 unhealthy"),
            std::string::npos);

  resolver_.SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.0.0.4"});
  CheckRun listed = Check({"192.0.2.1", "--list", "zen.spamhaus.org"}, &resolver_);
  EXPECT_EQ(listed.code, 1);
  EXPECT_NE(listed.out.find("LISTED      zen.spamhaus.org  major     127.0.0.4  XBL"),
            std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find("request delisting: https://check.spamhaus.org/"), std::string::npos);

  // Nothing answered usefully: exit 2, never "clean".
  resolver_.SetAddresses("1.0.0.127.zen.spamhaus.org", {"127.0.0.2"});  // wildcard
  CheckRun unhealthy = Check({"192.0.2.1", "--list", "zen.spamhaus.org"}, &resolver_);
  EXPECT_EQ(unhealthy.code, 2);
  EXPECT_NE(unhealthy.out.find("unhealthy"), std::string::npos);
  EXPECT_EQ(unhealthy.err, "check dnsbl: no list gave an answer for 192.0.2.1\n");
}

TEST_F(CheckCommandTest, UsageErrors) {
  EXPECT_EQ(Check({}, &resolver_).code, 2);
  EXPECT_EQ(Check({"192.0.2.1", "--bogus"}, &resolver_).code, 2);
  EXPECT_EQ(Check({"192.0.2.1", "--format", "xml"}, &resolver_).code, 2);
  EXPECT_EQ(Check({"192.0.2.1", "192.0.2.2"}, &resolver_).code, 2);
  CheckRun defunct = Check({"192.0.2.1", "--list", "dnsbl.sorbs.net"}, &resolver_);
  EXPECT_EQ(defunct.code, 2);
  EXPECT_NE(defunct.err.find("defunct"), std::string::npos);
  CheckRun kind = Check({"example.com", "--list", "zen.spamhaus.org"}, &resolver_);
  EXPECT_EQ(kind.code, 2);
  EXPECT_TRUE(resolver_.queries().empty());
}

// Fails the test when asked anything.
class FailingResolver : public Resolver {
 public:
  void Submit(DnsQuery query, DnsCallback done) override {
    ADD_FAILURE() << "DNS query sent: " << query.name;
    DnsAnswer answer;
    answer.outcome = DnsOutcome::kServFail;
    done(answer);
  }
};

// The config file's mirrors answer their lists, read under --path.rootfs.
TEST(CheckCommandMirrorTest, MirroredListsAreAnsweredFromTheFile) {
  ScopedTempDir root("check_mirror");
  std::string config = root.WriteFile(
      "mailrep.yml",
      "collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org]\n"
      "    mirrors: [{zone: zen.spamhaus.org, file: /rbldnsd/zen, format: ip4set}]\n");
  root.WriteFile("/rbldnsd/zen", "127.0.0.2\n192.0.2.1 :127.0.0.4:Exploited\n");
  FailingResolver resolver;
  auto run = [&](std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    CheckCommandContext ctx{std::move(args), config, root.path(), out, err, false};
    int code = RunDnsblCheckWith(ctx, &resolver);
    return CheckRun{code, out.str(), err.str()};
  };
  CheckRun listed = run({"192.0.2.1", "--format", "json"});
  EXPECT_EQ(listed.code, 1) << listed.err;
  EXPECT_NE(listed.out.find("\"status\": \"listed\", \"severity\": \"major\", \"codes\": "
                            "[\"127.0.0.4\"]"),
            std::string::npos)
      << listed.out;
  CheckRun clean = run({"192.0.2.2", "--list", "zen.spamhaus.org"});
  EXPECT_EQ(clean.code, 0) << clean.err;

  std::remove(root.Path("/rbldnsd/zen").c_str());
  CheckRun missing = run({"192.0.2.1"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("has not loaded yet"), std::string::npos) << missing.out;
}

TEST(CheckCommandMirrorTest, ABrokenMirrorEntryIsAnError) {
  ScopedTempDir root("check_mirror");
  std::string config = root.WriteFile("mailrep.yml",
                                      "collectors:\n  dnsbl:\n    mirrors: [{zone: "
                                      "zen.spamhaus.org, file: zen, format: ip4set}]\n");
  FailingResolver resolver;
  std::ostringstream out;
  std::ostringstream err;
  CheckCommandContext ctx{{"192.0.2.1"}, config, root.path(), out, err, false};
  EXPECT_EQ(RunDnsblCheckWith(ctx, &resolver), 2);
  EXPECT_NE(err.str().find("collectors.dnsbl.mirrors[0].file: not an absolute path"),
            std::string::npos)
      << err.str();
}

}  // namespace
}  // namespace mailrep
