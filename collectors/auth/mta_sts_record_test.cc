#include "collectors/auth/mta_sts_record.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(MtaStsTxtTest, Candidates) {
  struct Case {
    const char* text;
    bool candidate;
  } cases[] = {
      {"v=STSv1; id=1", true},  {"v=STSv1", true},
      {"v=STSv1 id=1", true},   {"v=STSv10; id=1", false},
      {"v=stsv1; id=1", false}, {" v=STSv1; id=1", false},
      {"v=spf1 -all", false},   {"", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsMtaStsTxtCandidate(c.text), c.candidate) << c.text;
}

TEST(MtaStsTxtTest, Table) {
  struct Case {
    const char* text;
    const char* id;  // nullptr: invalid
  } cases[] = {
      {"v=STSv1; id=20160831085700Z;", "20160831085700Z"},
      {"v=STSv1; id=abc", "abc"},
      {"v=STSv1;id=abc", "abc"},
      {"v=STSv1 ;\tid=abc ; ", "abc"},
      {"v=STSv1; id=abc; ext_1=x.y", "abc"},
      {"v=STSv1; foo=bar; id=A1", "A1"},
      {"v=STSv1; id=12345678901234567890123456789012", "12345678901234567890123456789012"},
      {"v=STSv1; id=123456789012345678901234567890123", nullptr},  // 33 chars
      {"v=STSv1;", nullptr},
      {"v=STSv1", nullptr},
      {"v=STSv1 id=abc", nullptr},
      {"v=STSv1; id=", nullptr},
      {"v=STSv1; id=a-b", nullptr},
      {"v=STSv1; id=a; id=b", nullptr},
      {"v=STSv1; id=a;; x=y", nullptr},
      {"v=STSv1; x=y", nullptr},
      {"v=STSv1; id=a; x", nullptr},
      {"v=STSv1; id=a; _x=1", nullptr},
      {"v=STSv1; id=a; x=a b", nullptr},
      {"v=STSv1; id=a; x=a=b", nullptr},
      {"id=abc; v=STSv1", nullptr},
  };
  for (const Case& c : cases) {
    StatusOr<MtaStsTxtRecord> r = ParseMtaStsTxt(c.text);
    if (c.id == nullptr) {
      EXPECT_FALSE(r.ok()) << c.text;
    } else {
      ASSERT_OK(r) << c.text;
      EXPECT_EQ(r->id, c.id) << c.text;
    }
  }
}

TEST(MtaStsPolicyTest, GoodPolicyCrlfAndLf) {
  for (const char* body :
       {"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
        "max_age: 1296000\r\n",
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.Example.NET\nmax_age: 1296000",
        "version:STSv1\nmode:\tenforce  \n\nmx: mail.example.com\nmx: *.example.net\n"
        "max_age: 1296000\nfuture_key: anything at all\n"}) {
    StatusOr<MtaStsPolicy> p = ParseMtaStsPolicy(body);
    ASSERT_OK(p) << body;
    EXPECT_EQ(p->mode, MtaStsMode::kEnforce);
    EXPECT_EQ(p->max_age, 1296000);
    EXPECT_EQ(p->mx, (std::vector<std::string>{"mail.example.com", "*.example.net"}));
  }
}

TEST(MtaStsPolicyTest, Table) {
  struct Case {
    const char* body;
    bool ok;
    MtaStsMode mode;
    int64_t max_age;
  } cases[] = {
      {"version: STSv1\nmode: testing\nmx: a.example\nmax_age: 0\n", true, MtaStsMode::kTesting, 0},
      {"version: STSv1\nmode: none\nmax_age: 86400\n", true, MtaStsMode::kNone, 86400},
      {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n", true,
       MtaStsMode::kEnforce, 31557600},
      // First value of a repeated field counts.
      {"version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 60\n", true,
       MtaStsMode::kTesting, 60},
      {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 00000000001\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1d\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: a.example\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmax_age: 60\n", false, {}, 0},  // no mx
      {"version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 60\n", false, {}, 0},
      {"version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 60\n", false, {}, 0},
      {"mode: enforce\nmx: a.example\nmax_age: 60\n", false, {}, 0},
      {"version: STSv1\nmx: a.example\nmax_age: 60\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 60\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: mail.*.example\nmax_age: 60\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 60\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: -bad.example\nmax_age: 60\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age 60\n", false, {}, 0},
      {"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 60\n\x01\n", false, {}, 0},
      {"<html><body>Not found</body></html>", false, {}, 0},
      {"", false, {}, 0},
  };
  for (const Case& c : cases) {
    StatusOr<MtaStsPolicy> p = ParseMtaStsPolicy(c.body);
    EXPECT_EQ(p.ok(), c.ok) << c.body << ": " << (p.ok() ? "" : p.status().message());
    if (p.ok() && c.ok) {
      EXPECT_EQ(p->mode, c.mode) << c.body;
      EXPECT_EQ(p->max_age, c.max_age) << c.body;
    }
  }
}

TEST(MtaStsPolicyTest, NotesRepeatsAndUnknownKeys) {
  StatusOr<MtaStsPolicy> p = ParseMtaStsPolicy(
      "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 60\nmax_age: 70\nextra: 1\n");
  ASSERT_OK(p);
  EXPECT_EQ(p->max_age, 60);
  EXPECT_EQ(p->notes.size(), 2u);
}

TEST(MtaStsMxTest, Matches) {
  struct Case {
    const char* pattern;
    const char* host;
    bool match;
  } cases[] = {
      {"mail.example.com", "mail.example.com", true},
      {"mail.example.com", "MAIL.Example.com.", true},
      {"mail.example.com", "mail2.example.com", false},
      {"*.example.net", "mx1.example.net", true},
      {"*.example.net", "MX1.EXAMPLE.NET.", true},
      {"*.example.net", "example.net", false},
      {"*.example.net", "a.b.example.net", false},
      {"*.example.net", "xexample.net", false},
      {"*.example.net", ".example.net", false},
      {"*.example.net", "mx1.example.net.evil", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(MtaStsMxMatches(c.pattern, c.host), c.match) << c.pattern << " " << c.host;
  }
}

TEST(MtaStsMxTest, HostNames) {
  EXPECT_TRUE(IsValidMtaStsHostName("example.com"));
  EXPECT_TRUE(IsValidMtaStsHostName("Example.COM."));
  EXPECT_TRUE(IsValidMtaStsHostName("a-b.c1.example"));
  EXPECT_FALSE(IsValidMtaStsHostName("example"));
  EXPECT_FALSE(IsValidMtaStsHostName("exa mple.com"));
  EXPECT_FALSE(IsValidMtaStsHostName("a..com"));
  EXPECT_FALSE(IsValidMtaStsHostName(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(IsValidMtaStsHostName(""));
  EXPECT_FALSE(IsValidMtaStsHostName("a.-b.com"));
}

}  // namespace
}  // namespace mailrep
