#include "collectors/dns/dns_server_address.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(DnsServerAddressTest, Parses) {
  struct Case {
    const char* text;
    const char* canonical;
  } cases[] = {
      {"192.0.2.53", "192.0.2.53:53"},       {"127.0.0.1:5353", "127.0.0.1:5353"},
      {"2001:db8::53", "[2001:db8::53]:53"}, {"[2001:db8::53]", "[2001:db8::53]:53"},
      {"[::1]:5353", "[::1]:5353"},
  };
  for (const Case& c : cases) {
    StatusOr<DnsServerAddress> server = DnsServerAddress::Parse(c.text);
    ASSERT_OK(server) << c.text;
    EXPECT_EQ(server->ToString(), c.canonical);
  }
}

TEST(DnsServerAddressTest, Rejects) {
  for (const char* text :
       {"", "dns.example", "dns.example:53", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
        "127.0.0.1:53x", "[::1", "[::1]53", "[127.0.0.1]:53", "[::1]:", "::1:53:x"}) {
    StatusOr<DnsServerAddress> server = DnsServerAddress::Parse(text);
    EXPECT_FALSE(server.ok()) << text;
    if (!server.ok()) {
      EXPECT_NE(server.status().message().find("bad DNS server"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace mailrep
