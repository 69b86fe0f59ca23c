#include "collectors/dnsbl/rbldnsd_value.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

RbldnsdValue Parse(std::string_view text, const RbldnsdValue& def) {
  StatusOr<ParsedRbldnsdValue> v = ParseRbldnsdValue(text, def);
  EXPECT_OK(v);
  return v.ok() ? v->value : RbldnsdValue{};
}

// rbldnsd(8): "All possible cases are outlined in the following example".
TEST(RbldnsdValueTest, TheFourCasesOfTheManPage) {
  RbldnsdValue def = Parse(":127.0.0.2:IP address $ is listed", DefaultRbldnsdValue());
  EXPECT_EQ(def, (RbldnsdValue{0x7F000002, "IP address $ is listed"}));
  EXPECT_EQ(Parse(":5", def), (RbldnsdValue{0x7F000005, "IP address $ is listed"}));
  EXPECT_EQ(Parse(":6:", def), (RbldnsdValue{0x7F000006, ""}));
  EXPECT_EQ(Parse("IP address $ running an open relay", def),
            (RbldnsdValue{0x7F000002, "IP address $ running an open relay"}));
  EXPECT_EQ(Parse(":7 :  spaced", def), (RbldnsdValue{0x7F000007, "spaced"}));
  EXPECT_FALSE(ParseRbldnsdValue(": 7:x", def).ok());  // no blank before the A
}

TEST(RbldnsdValueTest, BadValues) {
  EXPECT_FALSE(ParseRbldnsdValue(":", {}).ok());
  EXPECT_FALSE(ParseRbldnsdValue(":0:x", {}).ok());
  EXPECT_FALSE(ParseRbldnsdValue(":2x:y", {}).ok());
  EXPECT_FALSE(ParseRbldnsdValue(":300:y", {}).ok());
}

TEST(RbldnsdValueTest, LongTemplatesAreCut) {
  StatusOr<ParsedRbldnsdValue> v = ParseRbldnsdValue(std::string(300, 'x'), {});
  ASSERT_OK(v);
  EXPECT_TRUE(v->txt_truncated);
  EXPECT_EQ(v->value.txt.size(), 255u);
}

TEST(RbldnsdValueTest, Substitutions) {
  RbldnsdSubstitutions s;
  s.vars[1] = "See http://www.example.com/bl";
  s.vars[2] = "for details";
  // rbldnsd(8)'s example.
  EXPECT_EQ(ExpandRbldnsdTxt("$1/spammer/$ $2", "127.0.0.2", s),
            "See http://www.example.com/bl/spammer/127.0.0.2 for details");
  EXPECT_EQ(ExpandRbldnsdTxt("This spammer wants some $$$$.  $1/$", "127.0.0.4", s),
            "This spammer wants some $$.  See http://www.example.com/bl/127.0.0.4");
  EXPECT_EQ(ExpandRbldnsdTxt("unset $7 stays", "x", s), "unset $7 stays");
  EXPECT_EQ(ExpandRbldnsdTxt("ends with $", "1.2.3.4", s), "ends with 1.2.3.4");
  EXPECT_EQ(ExpandRbldnsdTxt("", "1.2.3.4", s), "");
  EXPECT_EQ(ExpandRbldnsdTxt(std::string(300, 'y'), "x", s).size(), 254u);
}

TEST(RbldnsdValueTest, BaseTemplate) {
  RbldnsdSubstitutions s;
  s.base = "See http://www.example.com/bl?$= ($) for details";
  // rbldnsd(8)'s example.
  EXPECT_EQ(ExpandRbldnsdTxt("r123", "127.0.0.2", s),
            "See http://www.example.com/bl?r123 (127.0.0.2) for details");
  EXPECT_EQ(ExpandRbldnsdTxt("", "127.0.0.3", s),
            "See http://www.example.com/bl?127.0.0.3 (127.0.0.3) for details");
  EXPECT_EQ(ExpandRbldnsdTxt("=See other blocklists for details about $", "127.0.0.4", s),
            "See other blocklists for details about 127.0.0.4");
}

TEST(RbldnsdValueTest, Table) {
  RbldnsdValueTable t;
  uint32_t a = t.Add({0x7F000002, "one"});
  uint32_t b = t.Add({0x7F000003, ""});
  EXPECT_EQ(t.a(a), 0x7F000002u);
  EXPECT_EQ(t.txt(a), "one");
  EXPECT_EQ(t.a(b), 0x7F000003u);
  EXPECT_EQ(t.txt(b), "");
  EXPECT_EQ(t.size(), 2u);
}

}  // namespace
}  // namespace mailrep
