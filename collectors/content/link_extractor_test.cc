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
                  "https://b%C3%BCcher/ http://%31%39%32.0.2.1/ mailto:a@example.com",
                  false),
            V{});
}

LinkScan Scan(std::string_view body, bool html) {
  LinkScan scan;
  ScanLinks(body, html, 100, &scan);
  return scan;
}

// Unicode host names become the A-labels the domain lists use.
TEST(LinkExtractorTest, IdnHostsBecomeALabels) {
  LinkScan scan = Scan(
      "see https://b\xC3\xBC"
      "cher.example/x, www.K\xC3\xB6ln.example and "
      "http://user@B\xC3\x9C\x43HER.example:8080?q",
      false);
  EXPECT_EQ(scan.hosts,
            (V{"xn--bcher-kva.example", "www.xn--kln-sna.example", "xn--bcher-kva.example"}));
  EXPECT_EQ(scan.unconvertible, V{});
  // Non-transitional: "ß" stays itself, not "ss".
  EXPECT_EQ(Hosts("https://fa\xC3\x9F.de/", false), V{"xn--fa-hia.de"});
  // Decomposed input (u + U+0308) is normalized to NFC first.
  EXPECT_EQ(Hosts("https://bu\xCC\x88"
                  "cher.example/",
                  false),
            V{"xn--bcher-kva.example"});
  // Japanese with the ideographic full stop as a separator and at the end.
  EXPECT_EQ(Hosts("https://\xE4\xBE\x8B\xE3\x81\x88\xE3\x80\x82jp\xE3\x80\x82", false),
            V{"xn--r8jz45g.jp"});
}

// Mixed scripts (a Cyrillic "а" in a Latin name) are valid IDNA2008: the
// name is looked up as what it is, not as the name it imitates.
TEST(LinkExtractorTest, MixedScriptHostIsItsOwnALabel) {
  EXPECT_EQ(Hosts("https://p\xD0\xB0ypal.com/login", false), V{"xn--pypal-4ve.com"});
}

TEST(LinkExtractorTest, PercentEncodedAndReferencedHosts) {
  EXPECT_EQ(Hosts("https://b%C3%BCcher.example/ http://ex%41mple.com/", false),
            (V{"xn--bcher-kva.example", "example.com"}));
  // Numeric character references beyond ASCII are UTF-8 in attribute values.
  EXPECT_EQ(
      Hosts("<a href=\"https://b&#252;cher.example/\"><img src='//b&#xFC;cher.example'>", true),
      (V{"xn--bcher-kva.example", "xn--bcher-kva.example"}));
}

// Hosts without a valid A-label are counted, never returned, never a crash.
TEST(LinkExtractorTest, InvalidIdnHostsAreUnconvertible) {
  LinkScan scan = Scan(
      "https://\xE2\x98\x83.net/ "   // a snowman: DISALLOWED
      "https://-\xC3\xBC.example/ "  // a label starting with a hyphen
      "https://b\xFC"
      "cher.example/ "               // Latin-1, not UTF-8
      "https://b%FCcher.example/ "   // percent-encoded Latin-1
      "https://%2F%2F.example/ "     // decodes to no name
      "https://ex%zzample.com/ "     // a stray '%'
      "https://\xC3\xBC..example/",  // an empty label
      false);
  EXPECT_EQ(scan.hosts, V{});
  EXPECT_EQ(scan.uris, 7u);
  EXPECT_EQ(scan.unconvertible.size(), 7u);
  // The valid links beside them are still read.
  EXPECT_EQ(Hosts("https://\xE2\x98\x83.net/ https://b\xC3\xBC"
                  "cher.example/",
                  false),
            V{"xn--bcher-kva.example"});
}

// Quotation marks and spaces after a bare link end its host.
TEST(LinkExtractorTest, UnicodePunctuationEndsBareHosts) {
  LinkScan scan = Scan(
      "\xE2\x80\x9Chttps://b\xC3\xBC"
      "cher.example\xE2\x80\x9D, "
      "\xC2\xABwww.example.com\xC2\xBB https://example.org\xC2\xA0next "
      "\xE3\x80\x8Chttps://\xE4\xBE\x8B\xE3\x81\x88.jp\xE3\x80\x8D",
      false);
  EXPECT_EQ(scan.hosts,
            (V{"xn--bcher-kva.example", "www.example.com", "example.org", "xn--r8jz45g.jp"}));
  EXPECT_EQ(scan.unconvertible, V{});
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
