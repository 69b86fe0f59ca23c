#include "collectors/auth/ptr_check.h"

#include <string>
#include <vector>

#include "collectors/dns/memory_dns.h"
#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

IpAddress Ip(const char* text) { return IpAddress::Parse(text).value(); }

TEST(PtrCheckTest, ReverseNames) {
  EXPECT_EQ(ReverseDnsName(Ip("192.0.2.5")), "5.2.0.192.in-addr.arpa");
  EXPECT_EQ(ReverseDnsName(Ip("::ffff:192.0.2.5")), "5.2.0.192.in-addr.arpa");
  EXPECT_EQ(ReverseDnsName(Ip("2001:db8::567:89ab")),
            "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
}

TEST(PtrCheckTest, GenericNames) {
  struct Case {
    const char* name;
    const char* ip;
    bool generic;
  } cases[] = {
      {"mail.example.com", "192.0.2.5", false},
      {"mx1.example.com", "192.0.2.5", false},
      {"smtp-out-5.example.com", "192.0.2.5", false},
      {"192-0-2-5.dyn.example.net", "192.0.2.5", true},
      {"5-2-0-192.example.net", "192.0.2.5", true},
      {"host192.0.2.5.example.net", "192.0.2.5", true},
      {"ip192_000_002_005.example.net", "192.0.2.5", true},
      {"c0000205.example.net", "192.0.2.5", true},
      {"C0000205.Example.NET.", "192.0.2.5", true},
      {"x3221225989.example.net", "192.0.2.5", true},
      {"005002000192.example.net", "192.0.2.5", true},
      {"11-192-0-2-55.example.net", "192.0.2.5", false},  // digits run on: not this IP
      {"adsl-77.example.net", "192.0.2.5", true},
      {"pool-a.example.net", "192.0.2.5", true},
      {"cpe001122.example.net", "192.0.2.5", true},
      {"mail.dynamic.example.net", "192.0.2.5", true},
      {"dhcp.example.net", "192.0.2.5", true},
      {"ppp77.example.net", "192.0.2.5", true},
      {"dsl.net", "192.0.2.5", false},             // the provider's own domain
      {"mail.cable-isp.com", "192.0.2.5", false},  // ditto
      {"dynamo.example.net", "192.0.2.5", false},  // tokens are whole words
      {"2001-db8--5.example.net", "2001:db8::5", true},
      {"20010db8000000000000000000000005.example.net", "2001:db8::5", true},
      {"2001-0db8-0000-0000-0000-0000-0000-0005.example.net", "2001:db8::5", true},
      {"mail6.example.net", "2001:db8::5", false},
      {"192-0-2-5.example.net", "::ffff:192.0.2.5", true},
  };
  for (const Case& c : cases) {
    std::string reason;
    EXPECT_EQ(LooksGenericHostName(c.name, Ip(c.ip), &reason), c.generic)
        << c.name << " " << c.ip << " " << reason;
    EXPECT_TRUE(!c.generic || !reason.empty()) << c.name;
  }
}

struct Entry {
  enum Kind { kPtr, kAddr, kTimeout, kName } kind;
  const char* name;
  const char* value;
};

TEST(PtrCheckTest, Table) {
  const char* rev4 = "5.2.0.192.in-addr.arpa";
  static const std::string rev6_name = ReverseDnsName(Ip("2001:db8::5"));
  const char* rev6 = rev6_name.c_str();
  struct Case {
    std::string name;
    const char* ip;
    const char* helo;
    std::vector<Entry> zone;
    PtrStatus status;
  } cases[] = {
      {"ok",
       "192.0.2.5",
       "mail.example.com",
       {{Entry::kPtr, rev4, "mail.example.com"}, {Entry::kAddr, "mail.example.com", "192.0.2.5"}},
       PtrStatus::kOk},
      {"ok without helo",
       "192.0.2.5",
       "",
       {{Entry::kPtr, rev4, "mail.example.com"}, {Entry::kAddr, "mail.example.com", "192.0.2.5"}},
       PtrStatus::kOk},
      {"helo case and dot",
       "192.0.2.5",
       "MAIL.example.com.",
       {{Entry::kPtr, rev4, "mail.example.com"}, {Entry::kAddr, "mail.example.com", "192.0.2.5"}},
       PtrStatus::kOk},
      {"ipv6 ok",
       "2001:db8::5",
       "mail.example.com",
       {{Entry::kPtr, rev6, "mail.example.com"},
        {Entry::kAddr, "mail.example.com", "192.0.2.5"},
        {Entry::kAddr, "mail.example.com", "2001:db8::5"}},
       PtrStatus::kOk},
      {"mapped ipv6 as ipv4",
       "::ffff:192.0.2.5",
       "",
       {{Entry::kPtr, rev4, "mail.example.com"}, {Entry::kAddr, "mail.example.com", "192.0.2.5"}},
       PtrStatus::kOk},
      {"missing", "192.0.2.5", "", {}, PtrStatus::kMissing},
      {"nodata", "192.0.2.5", "", {{Entry::kName, rev4, ""}}, PtrStatus::kMissing},
      {"ptr timeout", "192.0.2.5", "", {{Entry::kTimeout, rev4, ""}}, PtrStatus::kDnsError},
      {"no forward",
       "192.0.2.5",
       "",
       {{Entry::kPtr, rev4, "mail.example.com"}},
       PtrStatus::kNotForwardConfirmed},
      {"forward elsewhere",
       "192.0.2.5",
       "",
       {{Entry::kPtr, rev4, "mail.example.com"}, {Entry::kAddr, "mail.example.com", "192.0.2.6"}},
       PtrStatus::kNotForwardConfirmed},
      {"v6 name only has A",
       "2001:db8::5",
       "",
       {{Entry::kPtr, rev6, "mail.example.com"}, {Entry::kAddr, "mail.example.com", "192.0.2.5"}},
       PtrStatus::kNotForwardConfirmed},
      {"forward timeout",
       "192.0.2.5",
       "",
       {{Entry::kPtr, rev4, "mail.example.com"}, {Entry::kTimeout, "mail.example.com", ""}},
       PtrStatus::kDnsError},
      {"second name confirms despite timeout",
       "192.0.2.5",
       "",
       {{Entry::kPtr, rev4, "a.example.com"},
        {Entry::kPtr, rev4, "mail.example.com"},
        {Entry::kTimeout, "a.example.com", ""},
        {Entry::kAddr, "mail.example.com", "192.0.2.5"}},
       PtrStatus::kOk},
      {"generic",
       "192.0.2.5",
       "",
       {{Entry::kPtr, rev4, "192-0-2-5.dsl.example.net"},
        {Entry::kAddr, "192-0-2-5.dsl.example.net", "192.0.2.5"}},
       PtrStatus::kGeneric},
      {"generic beats helo mismatch",
       "192.0.2.5",
       "mail.example.com",
       {{Entry::kPtr, rev4, "pool-5.example.net"},
        {Entry::kAddr, "pool-5.example.net", "192.0.2.5"},
        {Entry::kAddr, "mail.example.com", "192.0.2.5"}},
       PtrStatus::kGeneric},
      {"helo differs from ptr",
       "192.0.2.5",
       "smtp.example.com",
       {{Entry::kPtr, rev4, "mail.example.com"},
        {Entry::kAddr, "mail.example.com", "192.0.2.5"},
        {Entry::kAddr, "smtp.example.com", "192.0.2.5"}},
       PtrStatus::kHeloMismatch},
      {"helo does not resolve to ip",
       "192.0.2.5",
       "mail.example.com",
       {{Entry::kPtr, rev4, "mail.example.com"},
        {Entry::kPtr, rev4, "other.example.com"},
        {Entry::kAddr, "other.example.com", "192.0.2.5"},
        {Entry::kAddr, "mail.example.com", "192.0.2.9"}},
       PtrStatus::kHeloMismatch},
      {"helo timeout",
       "192.0.2.5",
       "smtp.example.com",
       {{Entry::kPtr, rev4, "mail.example.com"},
        {Entry::kAddr, "mail.example.com", "192.0.2.5"},
        {Entry::kTimeout, "smtp.example.com", ""}},
       PtrStatus::kDnsError},
  };
  for (const Case& c : cases) {
    MemoryDns dns;
    for (const Entry& e : c.zone) {
      switch (e.kind) {
        case Entry::kPtr:
          dns.AddPtr(e.name, e.value);
          break;
        case Entry::kAddr:
          ASSERT_OK(dns.AddAddress(e.name, e.value));
          break;
        case Entry::kTimeout:
          dns.AddTimeout(e.name);
          break;
        case Entry::kName:
          dns.AddName(e.name);
          break;
      }
    }
    PtrCheckResult result = CheckPtr({Ip(c.ip), c.helo}, dns);
    EXPECT_EQ(PtrStatusName(result.status), std::string(PtrStatusName(c.status)))
        << c.name << ": " << (result.details.empty() ? "" : result.details.back());
    EXPECT_TRUE(c.status == PtrStatus::kOk || !result.details.empty()) << c.name;
  }
}

TEST(PtrCheckTest, ResultDetail) {
  MemoryDns dns;
  dns.AddPtr("5.2.0.192.in-addr.arpa", "Mail.Example.com.");
  dns.AddPtr("5.2.0.192.in-addr.arpa", "mail.example.com");
  dns.AddPtr("5.2.0.192.in-addr.arpa", "old.example.com");
  ASSERT_OK(dns.AddAddress("mail.example.com", "192.0.2.5"));
  PtrCheckResult result = CheckPtr({Ip("192.0.2.5"), "mail.example.com"}, dns);
  EXPECT_EQ(result.status, PtrStatus::kOk);
  EXPECT_EQ(result.ptr_names, (std::vector<std::string>{"mail.example.com", "old.example.com"}));
  EXPECT_EQ(result.confirmed_names, (std::vector<std::string>{"mail.example.com"}));
  EXPECT_TRUE(result.forward_confirmed);
  EXPECT_EQ(result.helo_matches_ptr, true);
  EXPECT_EQ(result.helo_resolves_to_ip, true);
  EXPECT_FALSE(result.generic);
}

TEST(PtrCheckTest, ForwardLookupsAreCapped) {
  MemoryDns dns;
  for (int i = 0; i < 15; ++i) {
    dns.AddPtr("5.2.0.192.in-addr.arpa", "n" + std::to_string(i) + ".example.com");
  }
  ASSERT_OK(dns.AddAddress("n14.example.com", "192.0.2.5"));
  PtrCheckResult result = CheckPtr({Ip("192.0.2.5"), ""}, dns);
  EXPECT_EQ(result.status, PtrStatus::kNotForwardConfirmed);
  EXPECT_EQ(dns.lookups(), 1 + static_cast<int>(kMaxPtrNames));
}

}  // namespace
}  // namespace mailrep
