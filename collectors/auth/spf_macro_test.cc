#include "collectors/auth/spf_macro.h"

#include <string>

#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

SpfMacroContext Context(const char* ip = "192.0.2.3") {
  SpfMacroContext context;
  context.sender = "strong-bad@email.example.com";
  context.local_part = "strong-bad";
  context.sender_domain = "email.example.com";
  context.domain = "email.example.com";
  context.ip = *IpAddress::Parse(ip);
  context.helo = "mx.example.org";
  context.receiver = "mx.example.net";
  context.now_seconds = 1700000000;
  context.validated_name = [](std::string_view) { return std::string("mx.example.org"); };
  return context;
}

// RFC 7208 §7.4 examples, plus escapes and the explanation-only letters.
TEST(SpfMacroTest, ExpandsRfcExamples) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"%{s}", "strong-bad@email.example.com"},
      {"%{o}", "email.example.com"},
      {"%{d}", "email.example.com"},
      {"%{d4}", "email.example.com"},
      {"%{d3}", "email.example.com"},
      {"%{d2}", "example.com"},
      {"%{d1}", "com"},
      {"%{dr}", "com.example.email"},
      {"%{d2r}", "example.email"},
      {"%{l}", "strong-bad"},
      {"%{l-}", "strong.bad"},
      {"%{lr}", "strong-bad"},
      {"%{lr-}", "bad.strong"},
      {"%{l1r-}", "strong"},
      {"%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"},
      {"%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"},
      {"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
      {"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"},
      {"%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"},
      {"%{p}", "mx.example.org"},
      {"%{p2}", "example.org"},
      {"%{h}", "mx.example.org"},
      {"%{s+-}", "strong.bad@email.example.com"},
      {"%{d999}", "email.example.com"},
      {"%%%_%-", "% %20"},
      {"%{L}", "strong-bad"},
      {"%{S}", "strong-bad%40email.example.com"},
      {"%{c} %{r} %{t}", "192.0.2.3 mx.example.net 1700000000"},
      {"This is a test.", "This is a test."},
  };
  for (const Case& c : cases) {
    StatusOr<std::string> got = ExpandSpfMacroString(c.text, Context(), SpfMacroUse::kExplanation);
    ASSERT_OK(got) << c.text;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(SpfMacroTest, ExpandsIpv6) {
  SpfMacroContext context = Context("2001:db8::cb01");
  StatusOr<std::string> got =
      ExpandSpfMacroString("%{ir}.%{v}._spf.%{d2}", context, SpfMacroUse::kDomainSpec);
  ASSERT_OK(got);
  EXPECT_EQ(*got,
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
  got = ExpandSpfMacroString("%{c}", context, SpfMacroUse::kExplanation);
  EXPECT_EQ(*got, "2001:db8::cb01");
}

TEST(SpfMacroTest, UpperCaseLettersAreUrlEscaped) {
  SpfMacroContext context = Context();
  context.local_part = "~jack&jill=up-a_b3.c";
  StatusOr<std::string> got = ExpandSpfMacroString("%{L}", context, SpfMacroUse::kDomainSpec);
  EXPECT_EQ(*got, "~jack%26jill%3Dup-a_b3.c");
  context.helo = "JUMPIN' JUPITER";
  got = ExpandSpfMacroString("%{H}", context, SpfMacroUse::kDomainSpec);
  EXPECT_EQ(*got, "JUMPIN%27%20JUPITER");
}

TEST(SpfMacroTest, SyntaxErrors) {
  struct Case {
    const char* text;
    SpfMacroUse use;
  } cases[] = {
      {"%", SpfMacroUse::kDomainSpec},          {"%x", SpfMacroUse::kDomainSpec},
      {"%{", SpfMacroUse::kDomainSpec},         {"%{}", SpfMacroUse::kDomainSpec},
      {"%{x}", SpfMacroUse::kDomainSpec},       {"%{d0}", SpfMacroUse::kDomainSpec},
      {"%{d00r}", SpfMacroUse::kDomainSpec},    {"%{d2r*}", SpfMacroUse::kDomainSpec},
      {"%{dr2}", SpfMacroUse::kDomainSpec},     {"%{c}", SpfMacroUse::kDomainSpec},
      {"%{r}", SpfMacroUse::kDomainSpec},       {"%{T}", SpfMacroUse::kDomainSpec},
      {"a b", SpfMacroUse::kDomainSpec},        {"The %{x}-files.", SpfMacroUse::kExplanation},
      {"tab\there", SpfMacroUse::kExplanation}, {"\xef\xbb\xbf", SpfMacroUse::kExplanation},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(ValidateSpfMacroString(c.text, c.use).ok()) << c.text;
    EXPECT_FALSE(ExpandSpfMacroString(c.text, Context(), c.use).ok()) << c.text;
  }
  EXPECT_OK(ValidateSpfMacroString("a b %{c}", SpfMacroUse::kExplanation));
}

TEST(SpfMacroTest, OutputIsBounded) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "%{S}";
  StatusOr<std::string> got = ExpandSpfMacroString(text, Context(), SpfMacroUse::kDomainSpec);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("too long"), std::string::npos);
}

// Far past the output cap, a domain-spec still expands to exactly what the
// whole expansion cut to 253 octets would be (computed here the slow way),
// and past the work cap it is an error.
TEST(SpfMacroTest, ExplodingDomainSpecsMatchTheFullTruncation) {
  auto repeat = [](std::string_view piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
  };
  auto truncate = [](std::string name) {
    if (!name.empty() && name.back() == '.') name.pop_back();
    while (name.size() > 253 && name.find('.') != std::string::npos) {
      name.erase(0, name.find('.') + 1);
    }
    return name;
  };
  std::string domain = repeat(std::string(50, 'x') + ".", 4) + "long.example.com";
  SpfMacroContext context = Context();
  context.domain = domain;
  struct Case {
    std::string spec;
    std::string full;  // the whole expansion
  } cases[] = {
      {repeat("%{d}", 300), repeat(domain, 300)},
      {repeat("%{d}.", 300), repeat(domain + ".", 300)},
      {repeat("%{i}", 2000) + ".example.com", repeat("192.0.2.3", 2000) + ".example.com"},
      {repeat("%{ir}.", 2000), repeat("3.2.0.192.", 2000)},
      {repeat("%{d2}-", 5000) + "%{d}", repeat("example.com-", 5000) + domain},
      {repeat("%{S}", 800), repeat("strong-bad%40email.example.com", 800)},
  };
  for (const Case& c : cases) {
    StatusOr<std::string> got = ExpandSpfDomainSpec(c.spec, context);
    ASSERT_OK(got);
    EXPECT_EQ(*got, truncate(c.full)) << c.spec.substr(0, 40);
    EXPECT_LE(got->size(), 253u);
  }
  // One label longer than the cap, and more than kMaxSpfMacroWork in all.
  const std::string long_label(200, 'y');  // context holds a view: keep it alive
  context.domain = long_label;
  EXPECT_FALSE(ExpandSpfDomainSpec(repeat("%{d}", 50), context).ok());
  context.domain = domain;
  EXPECT_FALSE(ExpandSpfDomainSpec(repeat("%{d}", 5000), context).ok());
}

TEST(SpfMacroTest, DomainSpecTruncationAndTrailingDot) {
  SpfMacroContext context = Context();
  context.sender_domain = "somewhat.long.exp.example.com";
  StatusOr<std::string> got =
      ExpandSpfDomainSpec("foobar.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.%{o}.example.com", context);
  ASSERT_OK(got);
  EXPECT_LE(got->size(), 253u);
  EXPECT_EQ(got->rfind("somewhat.long.exp.example.com.somewhat", 0), 0u) << *got;
  got = ExpandSpfDomainSpec("%{d}.d.spf.example.com.", context);
  EXPECT_EQ(*got, "email.example.com.d.spf.example.com");
}

TEST(SpfMacroTest, UsesPtr) {
  EXPECT_TRUE(SpfMacroStringUsesPtr("%{p}.example.com"));
  EXPECT_TRUE(SpfMacroStringUsesPtr("x.%{P2}"));
  EXPECT_FALSE(SpfMacroStringUsesPtr("%%{p}"));
  EXPECT_FALSE(SpfMacroStringUsesPtr("%{d}.p"));
}

}  // namespace
}  // namespace mailrep
