#include "collectors/auth/spf_evaluator.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "collectors/auth/spf_macro.h"
#include "collectors/dns/memory_dns.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

// One zone for the table below; documentation addresses only.
MemoryDns Zone() {
  MemoryDns dns;
  dns.AddTxt("pass.example.com", {"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"});
  dns.AddTxt("soft.example.com", {"v=spf1 a ~all"});
  (void)dns.AddAddress("soft.example.com", "192.0.2.10");
  dns.AddTxt("neutral.example.com", {"v=spf1 ?all"});
  dns.AddTxt("noall.example.com", {"v=spf1 ip4:192.0.2.1"});
  dns.AddTxt("split.example.com", {"v=spf1 ip4:", "198.51.100.7 -all"});
  dns.AddTxt("other.example.com", {"google-site-verification=abc"});
  dns.AddTxt("two.example.com", {"v=spf1 -all"});
  dns.AddTxt("two.example.com", {"v=spf1 +all"});
  dns.AddTxt("syntax.example.com", {"v=spf1 ip4:192.0.2.1 -all moo"});
  dns.AddTxt("mx.example.com", {"v=spf1 mx/30 -all"});
  dns.AddMx("mx.example.com", 20, "mx2.example.com");
  dns.AddMx("mx.example.com", 10, "mx1.example.com");
  (void)dns.AddAddress("mx1.example.com", "198.51.100.1");
  (void)dns.AddAddress("mx2.example.com", "198.51.100.9");
  dns.AddTxt("inc.example.com", {"v=spf1 include:pass.example.com -all"});
  dns.AddTxt("incnone.example.com", {"v=spf1 include:nothing.example.com -all"});
  dns.AddTxt("inctemp.example.com", {"v=spf1 include:timeout.example.com -all"});
  dns.AddTimeout("timeout.example.com");
  dns.AddTxt("atemp.example.com", {"v=spf1 a:timeout.example.com -all"});
  dns.AddTxt("exists.example.com", {"v=spf1 exists:%{ir}.bl.example.com -all"});
  (void)dns.AddAddress("7.100.51.198.bl.example.com", "127.0.0.2");
  dns.AddTxt("redir.example.com", {"v=spf1 exp=nope.example.com redirect=exp.example.com"});
  dns.AddTxt("exp.example.com", {"v=spf1 -all exp=why.example.com"});
  dns.AddTxt("why.example.com", {"%{c} may not send for %{d} (%{s})"});
  dns.AddTxt("ptr.example.com", {"v=spf1 ptr -all"});
  dns.AddPtr("5.2.0.192.in-addr.arpa", "host.ptr.example.com");
  (void)dns.AddAddress("host.ptr.example.com", "192.0.2.5");
  dns.AddTxt("voids.example.com",
             {"v=spf1 a:v1.example.com a:v2.example.com a:v3.example.com ?all"});
  dns.AddTxt("helo.example.com", {"v=spf1 ip4:203.0.113.5 -all"});
  return dns;
}

TEST(SpfEvaluatorTest, Table) {
  struct Case {
    const char* ip;
    const char* mail_from;
    SpfResult want;
    int terms;
    int voids;
  } cases[] = {
      {"192.0.2.1", "user@pass.example.com", SpfResult::kPass, 0, 0},
      {"2001:db8::1", "user@pass.example.com", SpfResult::kPass, 0, 0},
      {"::ffff:192.0.2.1", "user@pass.example.com", SpfResult::kPass, 0, 0},
      {"198.51.100.1", "user@pass.example.com", SpfResult::kFail, 0, 0},
      {"198.51.100.1", "user@soft.example.com", SpfResult::kSoftFail, 1, 0},
      {"192.0.2.10", "user@soft.example.com", SpfResult::kPass, 1, 0},
      {"198.51.100.1", "user@neutral.example.com", SpfResult::kNeutral, 0, 0},
      {"198.51.100.1", "user@noall.example.com", SpfResult::kNeutral, 0, 0},
      {"198.51.100.7", "user@split.example.com", SpfResult::kPass, 0, 0},
      {"198.51.100.8", "user@split.example.com", SpfResult::kFail, 0, 0},
      {"198.51.100.7", "user@other.example.com", SpfResult::kNone, 0, 0},
      {"198.51.100.7", "user@missing.example.com", SpfResult::kNone, 0, 0},
      {"198.51.100.7", "user@timeout.example.com", SpfResult::kTempError, 0, 0},
      {"198.51.100.7", "user@two.example.com", SpfResult::kPermError, 0, 0},
      {"192.0.2.1", "user@syntax.example.com", SpfResult::kPermError, 0, 0},
      {"198.51.100.2", "user@mx.example.com", SpfResult::kPass, 1, 0},
      {"198.51.100.8", "user@mx.example.com", SpfResult::kPass, 1, 0},
      {"198.51.100.12", "user@mx.example.com", SpfResult::kFail, 1, 0},
      {"192.0.2.1", "user@inc.example.com", SpfResult::kPass, 1, 0},
      {"198.51.100.1", "user@inc.example.com", SpfResult::kFail, 1, 0},
      {"198.51.100.1", "user@incnone.example.com", SpfResult::kPermError, 1, 1},
      {"198.51.100.1", "user@inctemp.example.com", SpfResult::kTempError, 1, 0},
      {"198.51.100.1", "user@atemp.example.com", SpfResult::kTempError, 1, 0},
      {"198.51.100.7", "user@exists.example.com", SpfResult::kPass, 1, 0},
      {"198.51.100.8", "user@exists.example.com", SpfResult::kFail, 1, 1},
      {"192.0.2.5", "user@ptr.example.com", SpfResult::kPass, 1, 0},
      {"192.0.2.6", "user@ptr.example.com", SpfResult::kFail, 1, 1},
      {"198.51.100.1", "user@voids.example.com", SpfResult::kPermError, 3, 3},
      {"198.51.100.1", "user@redir.example.com", SpfResult::kFail, 1, 0},
      {"198.51.100.1", "user@[192.0.2.1]", SpfResult::kNone, 0, 0},
      {"198.51.100.1", "user@localhost", SpfResult::kNone, 0, 0},
  };
  for (const Case& c : cases) {
    MemoryDns dns = Zone();
    SpfCheckResult r = CheckSpf({Ip(c.ip), c.mail_from, "helo.example.com"}, dns);
    EXPECT_EQ(SpfResultName(r.result), std::string(SpfResultName(c.want)))
        << c.ip << " " << c.mail_from << ": " << r.reason;
    EXPECT_EQ(r.dns_terms, c.terms) << c.mail_from;
    EXPECT_EQ(r.void_lookups, c.voids) << c.mail_from;
  }
}

TEST(SpfEvaluatorTest, ResultNames) {
  EXPECT_EQ(SpfResultName(SpfResult::kNone), "none");
  EXPECT_EQ(SpfResultName(SpfResult::kSoftFail), "softfail");
  EXPECT_EQ(SpfResultName(SpfResult::kTempError), "temperror");
  EXPECT_EQ(SpfResultName(SpfResult::kPermError), "permerror");
  EXPECT_EQ(SpfWarningCodeName(SpfWarningCode::kLookupsNearLimit), "lookups_near_limit");
}

TEST(SpfEvaluatorTest, NullSenderChecksHeloAsPostmaster) {
  MemoryDns dns = Zone();
  SpfOptions options;
  options.default_explanation = "%{s}";
  SpfCheckResult r = CheckSpf({Ip("198.51.100.1"), "", "helo.example.com"}, dns, options);
  EXPECT_EQ(r.result, SpfResult::kFail);
  EXPECT_EQ(r.domain, "helo.example.com");
  EXPECT_EQ(r.explanation, "postmaster@helo.example.com");
  EXPECT_EQ(r.record, "v=spf1 ip4:203.0.113.5 -all");
}

TEST(SpfEvaluatorTest, ExplanationComesFromTheFailingRecord) {
  MemoryDns dns = Zone();
  SpfCheckResult r = CheckSpf({Ip("198.51.100.1"), "joe@redir.example.com", "h.example.com"}, dns);
  EXPECT_EQ(r.result, SpfResult::kFail);
  EXPECT_EQ(r.explanation, "198.51.100.1 may not send for exp.example.com (joe@redir.example.com)");
  SpfCheckResult d = CheckSpf({Ip("198.51.100.1"), "joe@pass.example.com", "h.example.com"}, dns);
  EXPECT_EQ(d.explanation, "198.51.100.1 is not authorized to send mail for pass.example.com");
}

TEST(SpfEvaluatorTest, VoidLimitIsConfigurable) {
  MemoryDns dns = Zone();
  SpfOptions options;
  options.max_void_lookups = 3;
  SpfCheckResult r =
      CheckSpf({Ip("198.51.100.1"), "u@voids.example.com", "h.example.com"}, dns, options);
  EXPECT_EQ(r.result, SpfResult::kNeutral);
  EXPECT_EQ(r.void_lookups, 3);
}

bool HasWarning(const SpfCheckResult& r, SpfWarningCode code) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const SpfWarning& w) { return w.code == code; });
}

TEST(SpfEvaluatorTest, Warnings) {
  struct Case {
    const char* record;
    SpfWarningCode code;
  } cases[] = {
      {"v=spf1 +all", SpfWarningCode::kPassAll},
      {"v=spf1 mx all", SpfWarningCode::kPassAll},
      {"v=spf1 ip4:192.0.2.0/24 ?all", SpfWarningCode::kNeutralAll},
      {"v=spf1 ip4:192.0.2.0/24", SpfWarningCode::kNoAll},
      {"v=spf1 -all redirect=x.example.com", SpfWarningCode::kRedirectWithAll},
      {"v=spf1 ptr -all", SpfWarningCode::kPtrMechanism},
      {"v=spf1 exists:%{p}.x.example.com -all", SpfWarningCode::kPtrMacro},
      {"v=spf1 ip4:10.0.0.0/8 -all", SpfWarningCode::kWideNetwork},
      {"v=spf1 a:n1.example.com -all", SpfWarningCode::kVoidLookup},
      {"v=spf1 a a a a a a a a -all", SpfWarningCode::kLookupsNearLimit},
      {"v=spf1 default=pass -all", SpfWarningCode::kObsoleteModifier},
  };
  for (const Case& c : cases) {
    MemoryDns dns;
    dns.AddTxt("w.example.com", {c.record});
    (void)dns.AddAddress("w.example.com", "192.0.2.200");
    SpfCheckResult r = CheckSpf({Ip("198.51.100.1"), "u@w.example.com", "h.example.com"}, dns);
    EXPECT_TRUE(HasWarning(r, c.code)) << c.record << " lacks " << SpfWarningCodeName(c.code);
  }
  MemoryDns dns;
  dns.AddTxt("big.example.com",
             {"v=spf1 " + std::string(240, 'x') + "=1", std::string(240, ' ') + "-all"});
  SpfCheckResult r = CheckSpf({Ip("198.51.100.1"), "u@big.example.com", "h.example.com"}, dns);
  EXPECT_EQ(r.result, SpfResult::kFail);
  EXPECT_TRUE(HasWarning(r, SpfWarningCode::kLargeAnswer));
  dns.AddTxt("two.example.com", {"v=spf1 -all"});
  dns.AddTxt("two.example.com", {"v=spf1 mx -all"});
  r = CheckSpf({Ip("198.51.100.1"), "u@two.example.com", "h.example.com"}, dns);
  EXPECT_TRUE(HasWarning(r, SpfWarningCode::kMultipleRecords));
  MemoryDns clean;
  clean.AddTxt("ok.example.com", {"v=spf1 ip4:192.0.2.0/24 -all"});
  r = CheckSpf({Ip("198.51.100.1"), "u@ok.example.com", "h.example.com"}, clean);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(SpfEvaluatorTest, HostileInputIsBounded) {
  MemoryDns dns;
  std::string thousands = "v=spf1";
  for (int i = 0; i < 4000; ++i) thousands += " a:h" + std::to_string(i) + ".example.com";
  dns.AddTxt("many.example.com", {thousands});
  for (int i = 0; i < 20; ++i)
    (void)dns.AddAddress("h" + std::to_string(i) + ".example.com", "192.0.2.99");
  for (int i = 0; i < 100; ++i) {
    dns.AddTxt("d" + std::to_string(i) + ".example.com",
               {"v=spf1 include:d" + std::to_string(i + 1) + ".example.com -all"});
  }
  dns.AddTxt("loop.example.com", {"v=spf1 include:loop.example.com"});
  dns.AddTxt("rloop.example.com", {"v=spf1 redirect=rloop.example.com"});
  dns.AddTxt("huge.example.com", {"v=spf1 " + std::string(65000, 'a') + "=b -all"});
  std::string explode = "v=spf1 exists:";
  for (int i = 0; i < 200; ++i) explode += "%{s}";
  dns.AddTxt("explode.example.com", {explode + ".example.com -all"});
  std::string manymx = "v=spf1 mx -all";
  dns.AddTxt("mx.example.com", {manymx});
  for (int i = 0; i < 11; ++i) dns.AddMx("mx.example.com", 10, "m.example.com");

  struct Case {
    const char* domain;
    SpfResult want;
  } cases[] = {
      {"many.example.com", SpfResult::kPermError}, {"d0.example.com", SpfResult::kPermError},
      {"loop.example.com", SpfResult::kPermError}, {"rloop.example.com", SpfResult::kPermError},
      {"huge.example.com", SpfResult::kFail},      {"explode.example.com", SpfResult::kFail},
      {"mx.example.com", SpfResult::kPermError},
  };
  auto start = std::chrono::steady_clock::now();
  std::string sender = "u@" + std::string(60, 'x') + ".example.com";
  for (const Case& c : cases) {
    SpfCheckResult r = CheckSpfHost(Ip("198.51.100.1"), c.domain, sender, "h.example.com", dns);
    EXPECT_EQ(r.result, c.want) << c.domain << ": " << r.reason;
    EXPECT_LE(r.dns_terms, 11) << c.domain;
    EXPECT_LE(r.dns_queries, 40) << c.domain;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// Counts the lookups the evaluator makes and the longest name it asks for;
// past kHardStop lookups it answers SERVFAIL so that even a broken limit
// cannot make the test run away.
class CountingDns : public DnsLookup {
 public:
  static constexpr int kHardStop = 1000;
  explicit CountingDns(MemoryDns& zone) : zone_(zone) {}
  DnsAnswer Lookup(std::string_view name, RecordType type) override {
    ++lookups_;
    longest_name_ = std::max(longest_name_, name.size());
    if (lookups_ > kHardStop) {
      DnsAnswer answer;
      answer.outcome = DnsOutcome::kServFail;
      return answer;
    }
    return zone_.Lookup(name, type);
  }
  int lookups() const { return lookups_; }
  size_t longest_name() const { return longest_name_; }

 private:
  MemoryDns& zone_;
  int lookups_ = 0;
  size_t longest_name_ = 0;
};

std::string Repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

// 255-byte character-strings, as a TXT RR of that size has to be sent.
std::vector<std::string> Chunks(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); i += 255) out.push_back(text.substr(i, 255));
  return out;
}

// "v=spf1 ip4:192.0.2.0 ip4:192.0.2.1 ..." padded with ip4 terms to `bytes`.
std::string Ip4Padded(size_t bytes, std::string_view tail) {
  std::string text = "v=spf1";
  for (int i = 0; text.size() + tail.size() + 20 < bytes; ++i) {
    text += " ip4:192.0.2." + std::to_string(i % 256);
  }
  return text + " " + std::string(tail);
}

// A 220-octet name of valid labels under example.com.
std::string LongDomain() { return Repeat(Repeat("x", 50) + ".", 4) + "long.example.com"; }

// Each hostile zone ends in the RFC's result after a bounded number of DNS
// lookups (counted, not timed); no name longer than 253 octets is queried.
TEST(SpfEvaluatorTest, HostileRecordsEndInBoundedSteps) {
  struct Case {
    const char* name;
    std::function<void(MemoryDns&)> zone;  // the policy starts at s.example.com
    SpfResult want;
    int max_lookups;
    const char* ip = "198.51.100.1";
  };
  const std::string long_domain = LongDomain();
  std::vector<Case> cases = {
      {"5000 a terms: the 11th DNS term is a permerror",
       [](MemoryDns& dns) {
         std::string text = "v=spf1";
         for (int i = 0; i < 5000; ++i) text += " a:h" + std::to_string(i) + ".example.com";
         dns.AddTxt("s.example.com", Chunks(text + " -all"));
         for (int i = 0; i < 20; ++i) {
           (void)dns.AddAddress("h" + std::to_string(i) + ".example.com", "192.0.2.99");
         }
       },
       SpfResult::kPermError, 11},
      {"5000 ip4 terms need no lookups",
       [](MemoryDns& dns) {
         std::string text = "v=spf1";
         for (int i = 0; i < 5000; ++i) text += " ip4:192.0.2." + std::to_string(i % 256);
         dns.AddTxt("s.example.com", Chunks(text + " -all"));
       },
       SpfResult::kFail, 1},
      {"64 KiB TXT answer of valid terms",
       [](MemoryDns& dns) { dns.AddTxt("s.example.com", Chunks(Ip4Padded(65535, "-all"))); },
       SpfResult::kFail, 1},
      {"64 KiB TXT answer ending in a syntax error",
       [](MemoryDns& dns) { dns.AddTxt("s.example.com", Chunks(Ip4Padded(65535, "-all moo"))); },
       SpfResult::kPermError, 1},
      {"64 KiB modifier name",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", Chunks("v=spf1 " + Repeat("a", 65000) + "=b -all"));
       },
       SpfResult::kFail, 1},
      {"250 SPF records at one name",
       [](MemoryDns& dns) {
         for (int i = 0; i < 250; ++i) dns.AddTxt("s.example.com", {Ip4Padded(255, "-all")});
       },
       SpfResult::kPermError, 1},
      {"include chain 100 deep",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 include:d0.example.com -all"});
         for (int i = 0; i < 100; ++i) {
           dns.AddTxt("d" + std::to_string(i) + ".example.com",
                      {"v=spf1 include:d" + std::to_string(i + 1) + ".example.com -all"});
         }
       },
       SpfResult::kPermError, 11},
      {"include of itself",
       [](MemoryDns& dns) { dns.AddTxt("s.example.com", {"v=spf1 include:s.example.com"}); },
       SpfResult::kPermError, 11},
      {"include cycle of two",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 include:t.example.com -all"});
         dns.AddTxt("t.example.com", {"v=spf1 include:s.example.com -all"});
       },
       SpfResult::kPermError, 11},
      {"redirect to itself",
       [](MemoryDns& dns) { dns.AddTxt("s.example.com", {"v=spf1 redirect=s.example.com"}); },
       SpfResult::kPermError, 11},
      {"redirect cycle of three",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 redirect=t.example.com"});
         dns.AddTxt("t.example.com", {"v=spf1 redirect=u.example.com"});
         dns.AddTxt("u.example.com", {"v=spf1 redirect=S.example.com."});
       },
       SpfResult::kPermError, 11},
      {"redirect chain 100 long",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 redirect=r0.example.com"});
         for (int i = 0; i < 100; ++i) {
           dns.AddTxt("r" + std::to_string(i) + ".example.com",
                      {"v=spf1 redirect=r" + std::to_string(i + 1) + ".example.com"});
         }
       },
       SpfResult::kPermError, 11},
      {"%{d} x300 on a 220-octet domain: cut to 253 octets, queried once",
       [&](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 redirect=" + long_domain});
         dns.AddTxt(long_domain, {"v=spf1 exists:" + Repeat("%{d}", 300) + ".example.com -all"});
       },
       SpfResult::kFail, 3},
      {"%{i} x2000: cut to 253 octets, queried once",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", Chunks("v=spf1 exists:" + Repeat("%{i}", 2000) + " -all"));
       },
       SpfResult::kFail, 2},
      {"%{ir} x500 for IPv6: cut to 253 octets, queried once",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", Chunks("v=spf1 exists:" + Repeat("%{ir}.", 500) +
                                            "x.example "
                                            "-all"));
       },
       SpfResult::kFail, 2, "2001:db8::1"},
      {"URL-escaped %{S} x1000: cut to 253 octets, queried once",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", Chunks("v=spf1 exists:" + Repeat("%{S}", 1000) + " -all"));
       },
       SpfResult::kFail, 2},
      {"%{o} x5000 (1.1 MB) passes the work cap: no match, no query",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", Chunks("v=spf1 exists:" + Repeat("%{o}", 5000) + " -all"));
       },
       SpfResult::kFail, 1},
      {"include target that explodes: cut, queried, no record",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 include:" + Repeat("%{i}", 1000) + " -all"});
       },
       SpfResult::kPermError, 2},
      {"redirect target that explodes: cut, queried, no record",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 redirect=" + Repeat("%{o}", 1000)});
       },
       SpfResult::kPermError, 2},
      {"%{d} x4 under the cap is cut to 253 octets and queried once",
       [&](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 redirect=" + long_domain});
         dns.AddTxt(long_domain, {"v=spf1 exists:%{d}.%{d}.%{d}.%{d}.example.com -all"});
       },
       SpfResult::kFail, 3},
      {"5000 MX records",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 mx -all"});
         for (int i = 0; i < 5000; ++i) {
           dns.AddMx("s.example.com", 10, "m" + std::to_string(i) + ".example.com");
         }
       },
       SpfResult::kPermError, 2},
      {"1000 PTR names: only 10 are validated",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 ptr -all"});
         for (int i = 0; i < 1000; ++i) {
           std::string host = "p" + std::to_string(i) + ".s.example.com";
           dns.AddPtr("1.100.51.198.in-addr.arpa", host);
           (void)dns.AddAddress(host, "192.0.2.200");
         }
       },
       SpfResult::kFail, 12},
      {"5000 A records at one name",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 a:many.example.com -all"});
         for (int i = 0; i < 5000; ++i) {
           (void)dns.AddAddress("many.example.com", "10." + std::to_string(i / 256) + "." +
                                                        std::to_string(i % 256) + ".1");
         }
       },
       SpfResult::kFail, 2},
      {"9 void names: the third void lookup is a permerror",
       [](MemoryDns& dns) {
         std::string text = "v=spf1";
         for (int i = 0; i < 9; ++i) text += " a:void" + std::to_string(i) + ".example.com";
         dns.AddTxt("s.example.com", {text + " -all"});
       },
       SpfResult::kPermError, 4},
      {"CNAME loop under an include",
       [](MemoryDns& dns) {
         dns.AddTxt("s.example.com", {"v=spf1 include:c1.example.com -all"});
         dns.AddCname("c1.example.com", "c2.example.com");
         dns.AddCname("c2.example.com", "c1.example.com");
       },
       SpfResult::kTempError, 2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    MemoryDns zone;
    c.zone(zone);
    CountingDns dns(zone);
    SpfCheckResult r =
        CheckSpfHost(Ip(c.ip), "s.example.com", "u@" + long_domain, "h.example.com", dns);
    EXPECT_EQ(SpfResultName(r.result), std::string(SpfResultName(c.want))) << r.reason;
    EXPECT_LE(dns.lookups(), c.max_lookups);
    EXPECT_EQ(r.dns_queries, dns.lookups());
    EXPECT_LE(dns.longest_name(), 253u);
    EXPECT_LE(r.dns_terms, 11);
    EXPECT_LE(r.void_lookups, 3);
    EXPECT_LE(r.explanation.size(), kMaxSpfMacroOutput);
  }
}

TEST(SpfEvaluatorTest, TimeBudgetGivesTemperror) {
  MemoryDns dns = Zone();
  SpfOptions options;
  options.time_budget = std::chrono::milliseconds(0);
  SpfCheckResult r =
      CheckSpf({Ip("192.0.2.1"), "u@pass.example.com", "h.example.com"}, dns, options);
  EXPECT_EQ(r.result, SpfResult::kTempError);
  EXPECT_NE(r.reason.find("timeout"), std::string::npos) << r.reason;
}

TEST(SpfEvaluatorTest, ServfailNeverPassesOrFails) {
  for (const char* record :
       {"v=spf1 a:t.example.com +all", "v=spf1 mx:t.example.com +all",
        "v=spf1 exists:t.example.com +all", "v=spf1 include:t.example.com +all",
        "v=spf1 redirect=t.example.com"}) {
    MemoryDns dns;
    dns.AddTxt("s.example.com", {record});
    dns.AddTimeout("t.example.com");
    SpfCheckResult r = CheckSpf({Ip("192.0.2.1"), "u@s.example.com", "h.example.com"}, dns);
    EXPECT_EQ(r.result, SpfResult::kTempError) << record;
  }
}

}  // namespace
}  // namespace mailrep
