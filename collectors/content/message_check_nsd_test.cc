// `check message` through the real DNS engine (c-ares, --dns-server) against
// a real NSD on loopback serving DBL-, URIBL- and SURBL-shaped zones with
// listings and the lists' refusal codes (tests/dns/local_nsd.h). Skipped
// when NSD cannot start.
#include <gtest/gtest.h>

#include <sstream>

#include "collectors/auth/psl_testing.h"
#include "collectors/content/message_check_command.h"
#include "exporter/util/testing/source_file.h"
#include "tests/dns/local_nsd.h"

namespace mailrep {
namespace {

TEST(MessageCheckNsdTest, ListedLinksThroughTheEngine) {
  using testing::NsdZone;
  std::vector<NsdZone> zones = {
      {"dbl.spamhaus.org",
       "dbltest.com A 127.0.1.2\ndbl-listed.com A 127.0.1.2\n"
       "refused-dbl.com A 127.255.255.254\n"},
      {"multi.uribl.com",
       "test.uribl.com A 127.0.0.14\nuribl-listed.net A 127.0.0.2\nrefused-uribl.com A "
       "127.0.0.1\n"},
      {"multi.surbl.org",
       "test.surbl.org A 127.0.0.254\nsurbl-listed.org A 127.0.0.64\n"
       "refused-surbl.com A 127.0.0.1\n"},
  };
  auto nsd = testing::LocalNsd::Start({zones, false, 1});
  if (!nsd.ok()) GTEST_SKIP() << nsd.status().message();

  std::ostringstream out;
  std::ostringstream err;
  CheckCommandContext ctx{{testing::SourcePath("collectors/content/testdata/listed_links.eml"),
                           "--dns-server", (*nsd)->v4().ToString(), "--format", "json"},
                          "",
                          "/nonexistent-root",
                          out,
                          err,
                          false};
  EXPECT_EQ(RunMessageCheckWith(ctx, nullptr, TestPsl().get()), 1) << err.str();
  EXPECT_EQ(out.str(),
            R"({"bulk": false, "links": {"domains": 7, "unconvertible": 0, "listed": [)"
            R"({"domain": "dbl-listed.com", "list": "dbl.spamhaus.org", "code": "127.0.1.2"}, )"
            R"({"domain": "uribl-listed.net", "list": "multi.uribl.com", "code": "127.0.0.2"}, )"
            R"({"domain": "surbl-listed.org", "list": "multi.surbl.org", "code": "127.0.0.64"}]}, )"
            R"("unsubscribe": {"present": false, "one_click": false, "https": false, )"
            R"("dkim_covers": null}, "format_problems": [], "attachments": [], "size": 512})"
            "\n");
  EXPECT_EQ(err.str(), "");
}

// A link to an internationalized domain is looked up as its A-label, the
// form DBL lists: "bücher.com" written in UTF-8, percent-encoded and as an
// HTML character reference is one listed domain, xn--bcher-kva.com.
TEST(MessageCheckNsdTest, IdnLinkListedAsItsALabel) {
  using testing::NsdZone;
  std::vector<NsdZone> zones = {
      {"dbl.spamhaus.org", "dbltest.com A 127.0.1.2\nxn--bcher-kva.com A 127.0.1.2\n"},
  };
  auto nsd = testing::LocalNsd::Start({zones, false, 1});
  if (!nsd.ok()) GTEST_SKIP() << nsd.status().message();

  std::ostringstream out;
  std::ostringstream err;
  CheckCommandContext ctx{
      {testing::SourcePath("collectors/content/testdata/idn_links.eml"), "--list",
       "dbl.spamhaus.org", "--dns-server", (*nsd)->v4().ToString(), "--format", "json"},
      "",
      "/nonexistent-root",
      out,
      err,
      false};
  EXPECT_EQ(RunMessageCheckWith(ctx, nullptr, TestPsl().get()), 1) << err.str();
  EXPECT_EQ(
      out.str(),
      R"({"bulk": false, "links": {"domains": 2, "unconvertible": 1, "listed": [)"
      R"({"domain": "xn--bcher-kva.com", "list": "dbl.spamhaus.org", "code": "127.0.1.2"}]}, )"
      R"("unsubscribe": {"present": false, "one_click": false, "https": false, )"
      R"("dkim_covers": null}, "format_problems": [], "attachments": [], "size": 542})"
      "\n");
  EXPECT_EQ(err.str(), "");
}

}  // namespace
}  // namespace mailrep
