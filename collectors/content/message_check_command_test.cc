#include "collectors/content/message_check_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "collectors/auth/psl_testing.h"
#include "collectors/dns/static_resolver.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/source_file.h"

namespace mailrep {
namespace {

struct CheckRun {
  int code;
  std::string out;
  std::string err;
};

std::string TestdataPath(const std::string& name) {
  return testing::SourcePath("collectors/content/testdata/" + name);
}

CheckRun Check(std::vector<std::string> args, Resolver* resolver) {
  std::ostringstream out;
  std::ostringstream err;
  CheckCommandContext ctx{std::move(args), "", "/nonexistent-root", out, err, false};
  int code = RunMessageCheckWith(ctx, resolver, TestPsl().get());
  return {code, out.str(), err.str()};
}

// The three default domain lists as their operators answer: test points
// listed, the listed domains with their codes, the refusal codes each list
// sends a blocked resolver (127.255.255.254 Spamhaus, 127.0.0.1 URIBL and
// SURBL), everything else NXDOMAIN.
void ListDomains(StaticResolver* r) {
  r->SetAddresses("dbltest.com.dbl.spamhaus.org", {"127.0.1.2"});
  r->SetAddresses("test.uribl.com.multi.uribl.com", {"127.0.0.14"});
  r->SetAddresses("test.surbl.org.multi.surbl.org", {"127.0.0.254"});
  r->SetAddresses("dbl-listed.com.dbl.spamhaus.org", {"127.0.1.2"});
  r->SetAddresses("uribl-listed.net.multi.uribl.com", {"127.0.0.2"});
  r->SetAddresses("surbl-listed.org.multi.surbl.org", {"127.0.0.64"});
  r->SetAddresses("refused-dbl.com.dbl.spamhaus.org", {"127.255.255.254"});
  r->SetAddresses("refused-uribl.com.multi.uribl.com", {"127.0.0.1"});
  r->SetAddresses("refused-surbl.com.multi.surbl.org", {"127.0.0.1"});
}

constexpr char kListedJson[] =
    R"({"bulk": false, "links": {"domains": 7, "unconvertible": 0, "listed": [)"
    R"({"domain": "dbl-listed.com", "list": "dbl.spamhaus.org", "code": "127.0.1.2"}, )"
    R"({"domain": "uribl-listed.net", "list": "multi.uribl.com", "code": "127.0.0.2"}, )"
    R"({"domain": "surbl-listed.org", "list": "multi.surbl.org", "code": "127.0.0.64"}]}, )"
    R"("unsubscribe": {"present": false, "one_click": false, "https": false, )"
    R"("dkim_covers": null}, "format_problems": [], "attachments": [], "size": 512})"
    "\n";

TEST(MessageCheckTest, ListedLinksAndRefusalCodes) {
  StaticResolver resolver;
  ListDomains(&resolver);
  CheckRun r = Check({TestdataPath("listed_links.eml"), "--format", "json"}, &resolver);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out, kListedJson);
  EXPECT_EQ(r.err, "");
  // 7 domains x 3 lists, plus each list's two test points.
  EXPECT_EQ(resolver.queries().size(), 21u + 6u);
}

TEST(MessageCheckTest, TextNamesDomainsAndListings) {
  StaticResolver resolver;
  ListDomains(&resolver);
  CheckRun r = Check({TestdataPath("listed_links.eml"), "--list", "dbl.spamhaus.org"}, &resolver);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("Links: 7 domains\n  dbl-listed.com\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  LISTED dbl-listed.com on dbl.spamhaus.org (127.0.1.2)\n"),
            std::string::npos);
  EXPECT_EQ(r.out.find("multi.uribl.com"), std::string::npos);  // only the list asked for
  EXPECT_NE(r.out.find("  1 lookups gave no answer\n"), std::string::npos);  // the refusal
}

TEST(MessageCheckTest, ABlockedResolverListsNothing) {
  // Every name answered with the refusal code: the test points fail, nothing is listed.
  StaticResolver resolver;
  resolver.SetAddresses("dbltest.com.dbl.spamhaus.org", {"127.255.255.254"});
  resolver.SetAddresses("dbl-listed.com.dbl.spamhaus.org", {"127.255.255.254"});
  CheckRun r =
      Check({TestdataPath("listed_links.eml"), "--list", "dbl.spamhaus.org", "--format", "json"},
            &resolver);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("\"listed\": []"), std::string::npos) << r.out;
  EXPECT_EQ(r.err,
            "check message: no domain list answered its test points; links were not checked\n");
}

TEST(MessageCheckTest, NoLinksNoQueries) {
  StaticResolver resolver;
  CheckRun clean = Check({TestdataPath("bulk_one_click.eml")}, &resolver);
  EXPECT_EQ(clean.code, 0) << clean.out;
  CheckRun none = Check({TestdataPath("nested_attachments.eml"), "--format", "json"}, &resolver);
  EXPECT_EQ(none.code, 1);
  // bulk_one_click's one link domain x 3 lists, and their test points.
  EXPECT_EQ(resolver.queries().size(), 3u + 6u);
}

TEST(MessageCheckTest, ExitCodesFollowProblems) {
  StaticResolver resolver;
  ListDomains(&resolver);
  EXPECT_EQ(Check({TestdataPath("transactional.eml")}, &resolver).code, 0);
  EXPECT_EQ(Check({TestdataPath("eight_bit_lf.eml")}, &resolver).code, 0);
  for (const char* file : {"bulk_exim_dkim.eml", "bulk_http_one_click.eml", "format_problems.eml",
                           "broken_boundary.eml", "deep_nesting.eml"}) {
    EXPECT_EQ(Check({TestdataPath(file)}, &resolver).code, 1) << file;
  }
  EXPECT_EQ(
      Check({TestdataPath("bulk_no_unsubscribe.eml"), "--bulk-header", "X-Campaign"}, &resolver)
          .code,
      1);
}

TEST(MessageCheckTest, UsageErrors) {
  StaticResolver resolver;
  EXPECT_EQ(Check({}, &resolver).code, 2);
  EXPECT_EQ(Check({"a.eml", "b.eml"}, &resolver).code, 2);
  CheckRun missing = Check({"/nonexistent/x.eml"}, &resolver);
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("check message: "), std::string::npos);
  ScopedTempDir dir("check_message");
  std::string big =
      dir.WriteFile("big.eml", "From: a@example.com\n\n" + std::string(33 << 20, 'x'));
  CheckRun too_big = Check({big}, &resolver);
  EXPECT_EQ(too_big.code, 2);
  EXPECT_EQ(too_big.err, "check message: " + big + " is over 33554432 bytes\n");
  CheckRun ip_list =
      Check({TestdataPath("transactional.eml"), "--list", "zen.spamhaus.org"}, &resolver);
  EXPECT_EQ(ip_list.code, 2);
  EXPECT_EQ(ip_list.err, "check message: zen.spamhaus.org does not list domains\n");
  EXPECT_EQ(Check({TestdataPath("transactional.eml"), "--list", "dnsbl.sorbs.net"}, &resolver).code,
            2);
  EXPECT_TRUE(resolver.queries().empty());
}

}  // namespace
}  // namespace mailrep
