#include "collectors/auth/psl.h"

#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

TEST(PublicSuffixListTest, DebianList) {
  StatusOr<std::unique_ptr<PublicSuffixList>> psl =
      PublicSuffixList::LoadFile(kDefaultPublicSuffixListPath);
  ASSERT_OK(psl) << "install the publicsuffix package";
  struct Case {
    const char* domain;
    const char* org;
  } cases[] = {
      {"example.com", "example.com"},
      {"mail.Example.COM.", "example.com"},
      {"a.b.example.co.uk", "example.co.uk"},
      {"co.uk", "co.uk"},
      {"com", "com"},
      {"foo.blogspot.com", "foo.blogspot.com"},  // private section applies
      {"x.y.example.invalidtld", "example.invalidtld"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ((*psl)->OrganizationalDomain(c.domain), c.org) << c.domain;
  }
  EXPECT_TRUE((*psl)->IsPublicSuffix("co.uk"));
  EXPECT_FALSE((*psl)->IsPublicSuffix("example.co.uk"));
}

TEST(PublicSuffixListTest, FromTextAndLatest) {
  StatusOr<std::unique_ptr<PublicSuffixList>> psl =
      PublicSuffixList::FromText("// test list\ncom\nexample.com\n*.wild.test\n");
  ASSERT_OK(psl);
  EXPECT_EQ((*psl)->OrganizationalDomain("a.b.example.com"), "b.example.com");
  EXPECT_EQ((*psl)->OrganizationalDomain("a.b.c.wild.test"), "b.c.wild.test");
  EXPECT_OK(PublicSuffixList::Latest());
  EXPECT_FALSE(PublicSuffixList::LoadFile("/nonexistent/psl.dat").ok());
}

// The list writes IDN rules in Unicode ("公司.cn", "рф"); libpsl adds their
// A-label forms when it loads a list, so link hosts converted to A-labels
// (collectors/content/link_host.h) reduce the same way.
TEST(PublicSuffixListTest, IdnRulesMatchALabels) {
  StatusOr<std::unique_ptr<PublicSuffixList>> debian =
      PublicSuffixList::LoadFile(kDefaultPublicSuffixListPath);
  ASSERT_OK(debian) << "install the publicsuffix package";
  StatusOr<std::unique_ptr<PublicSuffixList>> text =
      PublicSuffixList::FromText("cn\n\xE5\x85\xAC\xE5\x8F\xB8.cn\n\xD1\x80\xD1\x84\n");
  ASSERT_OK(text);
  for (const PublicSuffixList* psl : {debian->get(), text->get()}) {
    EXPECT_EQ(psl->OrganizationalDomain("a.b.xn--55qx5d.cn"), "b.xn--55qx5d.cn");  // 公司.cn
    EXPECT_TRUE(psl->IsPublicSuffix("xn--55qx5d.cn"));
    EXPECT_EQ(psl->OrganizationalDomain("www.xn--80ao21a.xn--p1ai"), "xn--80ao21a.xn--p1ai");
    EXPECT_TRUE(psl->IsPublicSuffix("xn--p1ai"));  // рф
  }
}

}  // namespace
}  // namespace mailrep
