#include "exporter/http/listen_address.h"

#include <gtest/gtest.h>

#include "exporter/http/gzip.h"

namespace mailrep {
namespace {

TEST(ParseListenAddress, Table) {
  struct Case {
    const char* text;
    bool ok;
    const char* host;
    int port;
    bool all;
  };
  const Case cases[] = {
      {":9154", true, "", 9154, true},
      {"127.0.0.1:0", true, "127.0.0.1", 0, false},
      {"localhost:65535", true, "localhost", 65535, false},
      {"[::1]:8080", true, "::1", 8080, false},
      {"[::]:1", true, "::", 1, false},
      {"[fe80::1%eth0]:9", true, "fe80::1%eth0", 9, false},
      {"127.0.0.1", false, "", 0, false},
      {"127.0.0.1:", false, "", 0, false},
      {"127.0.0.1:65536", false, "", 0, false},
      {"127.0.0.1:-1", false, "", 0, false},
      {"::1:80", false, "", 0, false},
      {"[::1]80", false, "", 0, false},
      {"[::1:80", false, "", 0, false},
      {"[]:80", false, "", 0, false},
      {"a b:80", false, "", 0, false},
      {"", false, "", 0, false},
  };
  for (const Case& c : cases) {
    StatusOr<ListenAddress> got = ParseListenAddress(c.text);
    ASSERT_EQ(got.ok(), c.ok) << c.text;
    if (!c.ok) {
      EXPECT_NE(got.status().message().find(c.text), std::string::npos);
      continue;
    }
    EXPECT_EQ(got->host, c.host) << c.text;
    EXPECT_EQ(got->port, c.port) << c.text;
    EXPECT_EQ(got->all_addresses, c.all) << c.text;
  }
}

TEST(FormatHostPort, BracketsIPv6) {
  EXPECT_EQ(FormatHostPort("127.0.0.1", 80), "127.0.0.1:80");
  EXPECT_EQ(FormatHostPort("::1", 80), "[::1]:80");
}

TEST(AcceptsGzip, Table) {
  struct Case {
    const char* header;
    bool gzip;
  };
  const Case cases[] = {
      {"gzip", true},       {"deflate, gzip", true}, {"GZIP", true},
      {"gzip;q=0.5", true}, {"gzip; q=0", false},    {"gzip;q=0.000", false},
      {"*", true},          {"identity", false},     {"x-gzip2", false},
      {"", false},
  };
  for (const Case& c : cases) EXPECT_EQ(AcceptsGzip(c.header), c.gzip) << c.header;
}

}  // namespace
}  // namespace mailrep
