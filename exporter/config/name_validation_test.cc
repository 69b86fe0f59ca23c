#include "exporter/config/name_validation.h"

#include <gtest/gtest.h>

#include <string>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(ValidateHostnameTest, Table) {
  struct Case {
    std::string name;
    const char* error;  // substring, or "" when valid
  } cases[] = {
      {"mail.example.com", ""},
      {"mail.example.com.", ""},
      {"localhost", ""},
      {"a-b.c-d.example", ""},
      {"xn--bcher-kva.example", ""},
      {"123.example", ""},
      {std::string(63, 'a') + ".example", ""},
      {"", "empty host name"},
      {".", "empty label"},
      {"a..b", "empty label"},
      {".example.com", "empty label"},
      {"mail_1.example.com", "only letters, digits"},
      {"mail example.com", "only letters, digits"},
      {"-mail.example.com", "starts or ends with '-'"},
      {"mail-.example.com", "starts or ends with '-'"},
      {std::string(64, 'a') + ".example", "label longer than 63"},
      {[] {
         std::string s;
         for (int i = 0; i < 64; ++i) s += "abc.";
         return s + "com";
       }(),
       "longer than 253"},
  };
  for (const Case& c : cases) {
    Status s = ValidateHostname(c.name);
    if (*c.error == '\0') {
      EXPECT_OK(s) << c.name << ": " << s.message();
    } else {
      EXPECT_NE(s.message().find(c.error), std::string::npos) << c.name << ": " << s.message();
    }
  }
}

TEST(ValidateDnsServerTest, Table) {
  struct Case {
    const char* server;
    const char* error;  // substring, or "" when valid
  } cases[] = {
      {"127.0.0.1", ""},
      {"127.0.0.1:53", ""},
      {"127.0.0.1:65535", ""},
      {"::1", ""},
      {"2001:db8::53", ""},
      {"[::1]", ""},
      {"[::1]:5353", ""},
      {"resolver.example.net", "give an IP address"},
      {"resolver.example.net:53", "give an IP address"},
      {"", "empty DNS server"},
      {"127.0.0.1:0", "port must be 1-65535"},
      {"127.0.0.1:65536", "port must be 1-65535"},
      {"127.0.0.1:", "port must be 1-65535"},
      {"127.0.0.1:5x", "port must be 1-65535"},
      {"[::1]:99999", "port must be 1-65535"},
      {"[::1", "missing ']'"},
      {"[127.0.0.1]:53", "brackets must hold an IPv6 address"},
      {"[::1]53", "expected :port after ']'"},
      {"2001:db8::53::1", "[address]:port"},
      {"127.0.0.300", "invalid IPv4 address"},
      {"resolver_1.example:53", "give an IP address"},
  };
  for (const Case& c : cases) {
    Status s = ValidateDnsServer(c.server);
    if (*c.error == '\0') {
      EXPECT_OK(s) << c.server << ": " << s.message();
    } else {
      EXPECT_NE(s.message().find(c.error), std::string::npos) << c.server << ": " << s.message();
    }
  }
}

}  // namespace
}  // namespace mailrep
