#include "collectors/dns/public_resolvers.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

IpAddress Ip(const char* text) { return IpAddress::Parse(text).value(); }

TEST(PublicResolversTest, KnownAddresses) {
  for (const char* text :
       {"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222",
        "208.67.220.220", "2001:4860:4860::8888", "2001:4860:4860::8844", "2606:4700:4700::1111",
        "2606:4700:4700::1001", "2620:fe::fe", "2620:fe::9", "2620:119:35::35", "2620:119:53::53",
        "::ffff:8.8.8.8"}) {
    EXPECT_TRUE(IsWellKnownPublicResolver(Ip(text))) << text;
  }
  EXPECT_EQ(WellKnownPublicResolverName(Ip("1.1.1.1")).value(), "Cloudflare");
  EXPECT_EQ(WellKnownPublicResolverName(Ip("2620:fe::fe")).value(), "Quad9");
}

TEST(PublicResolversTest, OtherAddresses) {
  for (const char* text : {"127.0.0.1", "127.0.0.53", "::1", "10.0.0.53", "192.0.2.53", "8.8.8.9",
                           "2001:4860:4860::8889", "::8.8.8.8"}) {
    EXPECT_FALSE(IsWellKnownPublicResolver(Ip(text))) << text;
  }
}

}  // namespace
}  // namespace mailrep
