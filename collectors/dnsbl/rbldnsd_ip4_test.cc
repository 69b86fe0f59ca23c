#include "collectors/dnsbl/rbldnsd_ip4.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

uint32_t Ip(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}

struct RangeCase {
  const char* text;
  uint32_t first;
  uint32_t last;
};

// rbldnsd(8)'s own examples for 127.0.0.0/24 and 127.16.0.0-127.31.255.255.
TEST(RbldnsdIp4Test, RangesFromTheManPage) {
  const RangeCase cases[] = {
      {"127.0.0.0/24", Ip(127, 0, 0, 0), Ip(127, 0, 0, 255)},
      {"127.0.0", Ip(127, 0, 0, 0), Ip(127, 0, 0, 255)},
      {"127/24", Ip(127, 0, 0, 0), Ip(127, 0, 0, 255)},
      {"127.0.0.0-127.0.0.255", Ip(127, 0, 0, 0), Ip(127, 0, 0, 255)},
      {"127.0.0.1-255", Ip(127, 0, 0, 1), Ip(127, 0, 0, 255)},
      {"127.16.0.0-127.31.255.255", Ip(127, 16, 0, 0), Ip(127, 31, 255, 255)},
      {"127.16.0-127.31.255", Ip(127, 16, 0, 0), Ip(127, 31, 255, 255)},
      {"127.16-127.31", Ip(127, 16, 0, 0), Ip(127, 31, 255, 255)},
      {"127.16-31", Ip(127, 16, 0, 0), Ip(127, 31, 255, 255)},
      {"127.16.0.0/12", Ip(127, 16, 0, 0), Ip(127, 31, 255, 255)},
      {"127.16.0/12", Ip(127, 16, 0, 0), Ip(127, 31, 255, 255)},
      {"127.16/12", Ip(127, 16, 0, 0), Ip(127, 31, 255, 255)},
      {"127.16.0-31", Ip(127, 16, 0, 0), Ip(127, 16, 31, 255)},
      {"10.1.2.3", Ip(10, 1, 2, 3), Ip(10, 1, 2, 3)},
      {"10/8", Ip(10, 0, 0, 0), Ip(10, 255, 255, 255)},
      {"10-11", Ip(10, 0, 0, 0), Ip(11, 255, 255, 255)},
  };
  for (const RangeCase& c : cases) {
    std::optional<Ip4Range> r = ParseIp4Range(c.text);
    ASSERT_TRUE(r) << c.text;
    EXPECT_EQ(r->first, c.first) << c.text;
    EXPECT_EQ(r->last, c.last) << c.text;
    EXPECT_EQ(r->consumed, std::string_view(c.text).size()) << c.text;
  }
}

TEST(RbldnsdIp4Test, RefusedRanges) {
  // "127-127.0.0" is in rbldnsd(8)'s list, but rbldnsd 1.0 refuses ends of
  // different lengths; so do we.
  for (const char* text : {"127", "127-127.0.0", "1.2-1.2.3.4", "256.0.0.0", "1.2.3.4/33",
                           "1.2.3.4/", "1.2.", ".1.2.3", "1.2.3.9-1.2.3.8", "x", ""}) {
    EXPECT_FALSE(ParseIp4Range(text)) << text;
  }
}

TEST(RbldnsdIp4Test, ConsumedStopsAtTheFirstForeignCharacter) {
  std::optional<Ip4Range> r = ParseIp4Range("1.2.3.4:5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->consumed, 7u);
  r = ParseIp4Range("1.2.3.4.5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->consumed, 7u);
}

TEST(RbldnsdIp4Test, Cidr) {
  std::optional<Ip4Cidr> c = ParseIp4Cidr("10.1.2/23");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->address, Ip(10, 1, 2, 0));
  EXPECT_EQ(c->bits, 23);
  c = ParseIp4Cidr("0/0");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->bits, 0);
  EXPECT_EQ(ParseIp4Cidr("10.1")->bits, 16);
  EXPECT_FALSE(ParseIp4Cidr("10"));
  EXPECT_EQ(ParseIp4Cidr("10.1.2.3-10.1.2.4")->consumed, 8u);  // the caller refuses the rest
}

TEST(RbldnsdIp4Test, AValues) {
  EXPECT_EQ(ParseIp4AValue("2")->address, Ip(127, 0, 0, 2));
  EXPECT_EQ(ParseIp4AValue("127.0.0.5")->address, Ip(127, 0, 0, 5));
  EXPECT_EQ(ParseIp4AValue("10.2")->address, Ip(10, 0, 0, 2));
  EXPECT_EQ(ParseIp4AValue("10.1.2")->address, Ip(10, 1, 0, 2));
  EXPECT_FALSE(ParseIp4AValue("0"));
  EXPECT_FALSE(ParseIp4AValue("0.0.0.0"));
  EXPECT_FALSE(ParseIp4AValue(""));
  EXPECT_EQ(Ip4ToString(Ip(127, 0, 0, 2)), "127.0.0.2");
}

}  // namespace
}  // namespace mailrep
