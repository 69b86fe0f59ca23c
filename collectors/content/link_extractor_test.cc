#include "collectors/content/link_extractor.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

std::vector<std::string> Hosts(std::string_view body, bool html, size_t max = 100) {
  LinkScan scan;
  ScanLinks(body, html, max, &scan);
  return scan.hosts;
}

using V = std::vector<std::string>;

TEST(LinkExtractorTest, BareUrisInText) {
  EXPECT_EQ(Hosts("see HTTPS://Mail.Example.COM./x, http://a.example.net:8080?q and "
                  "https://user:pw@b.example.org#f",
                  false),
            (V{"mail.example.com", "a.example.net", "b.example.org"}));
  EXPECT_EQ(Hosts("(www.example.com), xwww.no.example, www.example.org.", false),
            (V{"www.example.com", "www.example.org"}));
  // http://www.x is one link, not two.
  EXPECT_EQ(Hosts("http://www.example.com/www.other.example", false), (V{"www.example.com"}));
}

TEST(LinkExtractorTest, NoDomainNoHost) {
  EXPECT_EQ(Hosts("http://192.0.2.1/ https://[2001:db8::1]/ http://localhost/ "
                  "https://k\xC3\xB6ln.example/ mailto:a@example.com",
                  false),
            V{});
}

TEST(LinkExtractorTest, HtmlAttributes) {
  EXPECT_EQ(Hosts("<a href=\"https://a.example.com/\">x</a><img SRC = 'http://b.example.net'>"
                  "<a href=//c.example.org/p><a href=\"&#x68;ttp&colon;&sol;&sol;d&period;example"
                  ".com\"><a href=\"/rel\"><a href=\"mailto:x@e.example.com\">",
                  true),
            (V{"a.example.com", "b.example.net", "c.example.org", "d.example.com", "a.example.com",
               "b.example.net"}));
  // Not attributes: "xhref=", and in plain text nothing of HTML is read.
  EXPECT_EQ(Hosts("<a xhref=\"//c.example.org/\">", true), V{});
  EXPECT_EQ(Hosts("<a href=//c.example.org/p>", false), V{});
}

TEST(LinkExtractorTest, CappedPerScan) {
  LinkScan scan;
  ScanLinks("http://a.example.com http://b.example.com", false, 3, &scan);
  ScanLinks("http://c.example.com http://d.example.com", false, 3, &scan);
  EXPECT_EQ(scan.uris, 3u);
  EXPECT_TRUE(scan.capped);
  EXPECT_EQ(scan.hosts, (V{"a.example.com", "b.example.com", "c.example.com"}));
}

}  // namespace
}  // namespace mailrep
