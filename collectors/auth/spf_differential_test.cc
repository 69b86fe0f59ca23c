// Differential test: random SPF policy trees evaluated by CheckSpf and by
// pyspf (Debian python3-spf, through spf_pyspf_driver.py's zone hook) must
// give the same results. The seed is printed; set MAILREP_SPF_DIFF_SEED to
// replay a run, MAILREP_SPF_DIFF_ZONES to change the number of zones.
//
// The generator stays inside the behaviour both implementations share, and
// avoids the places where pyspf departs from RFC 7208 (each is noted below).
#include <strings.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/auth/spf_evaluator.h"
#include "collectors/dns/memory_dns.h"
#include "gtest/gtest.h"

#ifndef MAILREP_SPF_PYSPF_DRIVER
#define MAILREP_SPF_PYSPF_DRIVER "spf_pyspf_driver.py"
#endif

namespace mailrep {
namespace {

struct Entry {
  std::string type;  // A AAAA MX PTR TXT CNAME TIMEOUT
  std::vector<std::string> values;
};

struct Zone {
  std::map<std::string, std::vector<Entry>> names;
  void Add(const std::string& name, std::string type, std::vector<std::string> values) {
    names[name].push_back({std::move(type), std::move(values)});
  }
};

struct Check {
  std::string ip;
  std::string mail_from;
  std::string helo;
};

std::string Json(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string ToJson(const Zone& zone, const std::vector<Check>& checks) {
  std::ostringstream out;
  out << "{\"zone\": {";
  bool first_name = true;
  for (const auto& [name, entries] : zone.names) {
    out << (first_name ? "" : ", ") << Json(name) << ": [";
    first_name = false;
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      out << (i ? ", " : "") << "[" << Json(e.type) << ", ";
      if (e.type == "TIMEOUT") {
        out << "null";
      } else if (e.type == "MX") {
        out << "[" << e.values[0] << ", " << Json(e.values[1]) << "]";
      } else if (e.type == "TXT") {
        out << "[";
        for (size_t j = 0; j < e.values.size(); ++j) out << (j ? ", " : "") << Json(e.values[j]);
        out << "]";
      } else {
        out << Json(e.values[0]);
      }
      out << "]";
    }
    out << "]";
  }
  out << "}, \"checks\": [";
  for (size_t i = 0; i < checks.size(); ++i) {
    out << (i ? ", " : "") << "[" << Json(checks[i].ip) << ", " << Json(checks[i].mail_from) << ", "
        << Json(checks[i].helo) << "]";
  }
  out << "]}";
  return out.str();
}

MemoryDns ToMemoryDns(const Zone& zone) {
  MemoryDns dns;
  for (const auto& [name, entries] : zone.names) {
    dns.AddName(name);
    for (const Entry& e : entries) {
      if (e.type == "A" || e.type == "AAAA") {
        (void)dns.AddAddress(name, e.values[0]);
      } else if (e.type == "MX") {
        dns.AddMx(name, static_cast<uint16_t>(std::stoi(e.values[0])), e.values[1]);
      } else if (e.type == "PTR") {
        dns.AddPtr(name, e.values[0]);
      } else if (e.type == "CNAME") {
        dns.AddCname(name, e.values[0]);
      } else if (e.type == "TXT") {
        dns.AddTxt(name, e.values);
      } else if (e.type == "TIMEOUT") {
        dns.AddTimeout(name);
      }
    }
  }
  return dns;
}

// Builds one random zone: domains d0..dN-1.spf.example with SPF records,
// hosts h0..h5 with addresses, explanation and blocklist-style names.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(int percent) { return Pick(100) < percent; }
  template <typename T>
  const T& OneOf(const std::vector<T>& v) {
    return v[static_cast<size_t>(Pick(static_cast<int>(v.size())))];
  }

  static std::string D(int i) { return "d" + std::to_string(i) + ".spf.example"; }
  static std::string H(int i) { return "h" + std::to_string(i) + ".spf.example"; }

  const std::vector<std::string> v4 = {"192.0.2.1",    "192.0.2.2",    "192.0.2.77",
                                       "198.51.100.5", "198.51.100.6", "203.0.113.9"};
  const std::vector<std::string> v6 = {"2001:db8::1", "2001:db8::2", "2001:db8:1::5",
                                       "2001:db8:ff::9"};

  std::string Qualifier() {
    static const std::vector<std::string> q = {"", "", "+", "-", "~", "?"};
    return OneOf(q);
  }

  std::string Cidr4() {
    return Chance(60) ? ""
                      : "/" + std::to_string(OneOf(std::vector<int>{0, 8, 16, 24, 25, 31, 32}));
  }
  std::string Cidr6() {
    return Chance(70) ? ""
                      : "//" + std::to_string(OneOf(std::vector<int>{0, 32, 48, 64, 127, 128}));
  }

  // A random mechanism for domain index `self` of `n`; `dns_terms` counts
  // the DNS-querying terms used.
  std::string Mechanism(int self, int n, int& dns_terms, bool allow_include) {
    switch (Pick(allow_include ? 11 : 9)) {
      case 0:
        return "ip4:" + OneOf(v4) + Cidr4Plain();
      case 1:
        return "ip6:" + OneOf(v6) +
               (Chance(50) ? ""
                           : "/" + std::to_string(OneOf(std::vector<int>{0, 32, 64, 112, 128})));
      case 2:
        ++dns_terms;
        return "a" + Cidr4() + Cidr6();
      case 3:
        ++dns_terms;
        return "a:" +
               (Chance(20) ? std::string(Chance(50) ? "void" : "tmo") + std::to_string(Pick(3)) +
                                 ".spf.example"
                           : H(Pick(6))) +
               Cidr4() + Cidr6();
      case 4:
        ++dns_terms;
        return Chance(50) ? "mx" + Cidr4() : "mx:" + D(Pick(n)) + Cidr4() + Cidr6();
      case 5: {
        ++dns_terms;
        static const std::vector<std::string> specs = {
            "%{i}.bl.spf.example",      "%{ir}.%{v}.rbl.spf.example", "%{l}.users.spf.example",
            "%{lr-}.users.spf.example", "%{d2}.any.spf.example",      "%{o}.senders.spf.example",
            "%{h}.helos.spf.example",   "%{l1r-}.users.spf.example"};
        return "exists:" + OneOf(specs);
      }
      case 6:
        ++dns_terms;
        return Chance(50) ? "ptr"
                          : "ptr:" + std::string(Chance(50) ? "spf.example" : "h1.spf.example");
      case 7: {
        static const std::vector<std::string> bad = {
            "ip4:192.0.2",         "a:foo",   "bogus", "ip4:192.0.2.1/33",
            "mx:%{x}.spf.example", "include", "all:x"};
        return Chance(15) ? OneOf(bad) : "ip4:" + OneOf(v4);
      }
      case 8:
        return "ip6:" + OneOf(v6) + "/64";
      default:
        ++dns_terms;
        // pyspf rejects a record that includes its own domain when parsing
        // it ("trivial recursion"), RFC 7208 only when it is evaluated (and
        // then through the 10-term limit): never include self.
        if (Chance(10)) return "include:nospf.spf.example";
        if (Chance(10)) return "include:tmo0.spf.example";
        int target = Pick(n);
        if (target == self) target = (self + 1) % n;
        return "include:" + D(target);
    }
  }

  std::string Cidr4Plain() {
    return Chance(60) ? "" : "/" + std::to_string(OneOf(std::vector<int>{0, 16, 24, 30, 32}));
  }

  void Build(Zone& zone, int n) {
    for (int i = 0; i < 6; ++i) {
      // Hosts always have A and AAAA: pyspf looks up every MX exchange and
      // every PTR name (counting voids) where RFC 7208 lets us stop early.
      zone.Add(H(i), "A", {OneOf(v4)});
      if (Chance(50)) zone.Add(H(i), "A", {OneOf(v4)});
      zone.Add(H(i), "AAAA", {OneOf(v6)});
    }
    for (int i = 0; i < 3; ++i) zone.Add("tmo" + std::to_string(i) + ".spf.example", "TIMEOUT", {});
    zone.Add("nospf.spf.example", "TXT", {"google-site-verification=x"});
    for (const std::string& ip : v4) {
      if (Chance(40)) zone.Add(ip + ".bl.spf.example", "A", {"127.0.0.2"});
    }
    zone.Add("2.2.0.192.in-addr.rbl.spf.example", "A", {"127.0.0.2"});
    zone.Add("alice.users.spf.example", "A", {"127.0.0.2"});
    zone.Add("spf.example.any.spf.example", "A", {"127.0.0.2"});
    // PTR names always resolve (no voids, no errors; see Hosts).
    for (const char* rev :
         {"1.2.0.192.in-addr.arpa", "2.2.0.192.in-addr.arpa", "5.100.51.198.in-addr.arpa"}) {
      zone.Add(rev, "PTR", {H(Pick(6))});
      if (Chance(40)) zone.Add(rev, "PTR", {H(Pick(6))});
    }
    zone.Add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "PTR",
             {H(Pick(6))});
    static const std::vector<std::string> explanations = {
        "Denied %{i} for %{s}", "%{c} is not allowed by %{d} (%{l}@%{o})", "plain text",
        "bad %{x} macro", "helo %{h} via %{v}"};
    for (int i = 0; i < 2; ++i)
      zone.Add("e" + std::to_string(i) + ".spf.example", "TXT", {OneOf(explanations)});
    for (int i = 0; i < n; ++i) {
      int dns_terms = 0;
      std::string record = Chance(10) ? "v=SPF1" : "v=spf1";
      int terms = Pick(5);
      for (int t = 0; t < terms; ++t) {
        record += " " + Qualifier() + Mechanism(i, n, dns_terms, /*allow_include=*/true);
      }
      int ending = Pick(6);
      bool has_redirect = false;
      if (ending < 4) {
        record += " " + OneOf(std::vector<std::string>{"-all", "~all", "?all", "+all"});
      } else if (ending == 4 && i + 1 < n) {
        record += " redirect=" + D(i + 1 + Pick(n - i - 1));
        has_redirect = true;
      }
      if (Chance(30)) record += " exp=e" + std::to_string(Pick(3)) + ".spf.example";
      if (has_redirect) redirect_domains_.push_back(i);
      if (Chance(20)) {
        // Split into two strings: joined without a separator.
        size_t cut = record.size() / 2;
        zone.Add(D(i), "TXT", {record.substr(0, cut), record.substr(cut)});
      } else {
        zone.Add(D(i), "TXT", {record});
      }
      if (Chance(5)) zone.Add(D(i), "TXT", {"v=spf1 -all"});  // two records: permerror
      if (Chance(40)) zone.Add(D(i), "A", {OneOf(v4)});
      if (Chance(30)) zone.Add(D(i), "AAAA", {OneOf(v6)});
      if (Chance(40)) {
        int mx = 1 + Pick(3);
        for (int m = 0; m < mx; ++m) zone.Add(D(i), "MX", {std::to_string(10 * m), H(Pick(6))});
      }
    }
  }

  std::vector<int> redirect_domains_;
  std::mt19937_64 rng_;
};

// pyspf counts redirect= toward the 10-term limit when it parses a record,
// RFC 7208 only when the redirect is followed; a zone where the worst case
// reaches the limit and uses redirect= is skipped. Returns the worst-case
// number of DNS-querying terms from `domain` (capped).
int WorstCaseTerms(const Zone& zone, const std::string& domain, int depth, bool& redirect) {
  if (depth > 12) return 100;
  auto it = zone.names.find(domain);
  if (it == zone.names.end()) return 0;
  int total = 0;
  for (const Entry& e : it->second) {
    if (e.type != "TXT") continue;
    std::string text;
    for (const std::string& s : e.values) text += s;
    if (strncasecmp(text.c_str(), "v=spf1", 6) != 0) continue;
    std::istringstream terms(text.substr(6));
    std::string term;
    while (terms >> term) {
      std::string body = term;
      if (!body.empty() && std::string("+-~?").find(body[0]) != std::string::npos) body.erase(0, 1);
      std::string name = body.substr(0, body.find_first_of(":/="));
      if (name == "a" || name == "mx" || name == "ptr" || name == "exists") ++total;
      if (name == "include" || name == "redirect") {
        ++total;
        if (name == "redirect") redirect = true;
        // Past 50 the count is high enough; the rest of the record is still
        // read, so a redirect= after a deep include still sets `redirect`.
        if (total <= 50) {
          total +=
              WorstCaseTerms(zone, body.substr(body.find_first_of(":=") + 1), depth + 1, redirect);
        }
      }
    }
  }
  return total;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(SpfDifferentialTest, MatchesPyspfOnRandomPolicies) {
  const char* python = "/usr/bin/python3";
  std::string driver = MAILREP_SPF_PYSPF_DRIVER;
  if (std::system((std::string(python) + " -c 'import spf' 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "pyspf missing: apt-get install python3-spf";
  }
  uint64_t seed =
      static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  if (const char* env = std::getenv("MAILREP_SPF_DIFF_SEED"))
    seed = std::strtoull(env, nullptr, 10);
  int zones = 400;
  if (const char* env = std::getenv("MAILREP_SPF_DIFF_ZONES")) zones = std::atoi(env);
  std::printf("differential seed: %llu (replay with MAILREP_SPF_DIFF_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));

  Generator gen(seed);
  std::vector<Zone> all_zones;
  std::vector<std::vector<Check>> all_checks;
  int skipped = 0;
  static const std::vector<std::string> ips = {"192.0.2.1",        "192.0.2.2",   "198.51.100.5",
                                               "203.0.113.200",    "2001:db8::1", "2001:db8::77",
                                               "::ffff:192.0.2.77"};
  while (static_cast<int>(all_zones.size()) < zones) {
    Zone zone;
    int n = 3 + gen.Pick(5);
    gen.Build(zone, n);
    bool redirect = false;
    int worst = 0;
    for (int i = 0; i < n; ++i)
      worst = std::max(worst, WorstCaseTerms(zone, Generator::D(i), 0, redirect));
    if (redirect && worst >= 10) {
      ++skipped;
      continue;
    }
    std::vector<Check> checks;
    for (int c = 0; c < 6; ++c) {
      std::string domain = Generator::D(gen.Pick(n));
      // No empty local-part: pyspf keeps "@domain" as %{s}, RFC 7208 §4.3
      // makes it postmaster@domain (the suite's nolocalpart case checks %{l}).
      std::string local = gen.OneOf(std::vector<std::string>{"alice", "bob", "j-doe"});
      Check check{gen.OneOf(ips), local + "@" + domain, Generator::D(gen.Pick(n))};
      if (gen.Chance(10)) check.mail_from = "";
      checks.push_back(std::move(check));
    }
    all_zones.push_back(std::move(zone));
    all_checks.push_back(std::move(checks));
  }

  std::string input_path = ::testing::TempDir() + "spf_diff_in.jsonl";
  std::string output_path = ::testing::TempDir() + "spf_diff_out.jsonl";
  {
    std::ofstream in(input_path);
    for (size_t z = 0; z < all_zones.size(); ++z) in << ToJson(all_zones[z], all_checks[z]) << "\n";
  }
  std::string command =
      std::string(python) + " '" + driver + "' json < '" + input_path + "' > '" + output_path + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream out(output_path);

  SpfOptions options;
  options.default_explanation = "DEFAULT";
  int cases = 0;
  int differences = 0;
  std::map<std::string, int> by_result;
  std::string line;
  for (size_t z = 0; z < all_zones.size(); ++z) {
    ASSERT_TRUE(std::getline(out, line)) << "pyspf output ended at zone " << z;
    // Output: [["result", "explanation"], ...]; parse the quoted strings.
    std::vector<std::string> fields;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] != '"') continue;
      std::string field;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        field += line[i];
      }
      fields.push_back(field);
    }
    ASSERT_EQ(fields.size(), 2 * all_checks[z].size()) << line;
    MemoryDns dns = ToMemoryDns(all_zones[z]);
    for (size_t c = 0; c < all_checks[z].size(); ++c) {
      const Check& check = all_checks[z][c];
      SpfCheckResult ours =
          CheckSpf({*IpAddress::Parse(check.ip), check.mail_from, check.helo}, dns, options);
      std::string want = fields[2 * c];
      std::string got(SpfResultName(ours.result));
      ++cases;
      ++by_result[got];
      bool same = want == got;
      // pyspf writes %{i} of IPv6 in upper case; compare case-insensitively.
      if (same && got == "fail" && Lower(fields[2 * c + 1]) != Lower(ours.explanation))
        same = false;
      if (!same) {
        ++differences;
        if (differences <= 10) {
          ADD_FAILURE() << "zone " << z << " check " << check.ip << " '" << check.mail_from
                        << "' helo " << check.helo << ": pyspf " << want << " \""
                        << fields[2 * c + 1] << "\", ours " << got << " \"" << ours.explanation
                        << "\" (" << ours.reason << ")\n"
                        << ToJson(all_zones[z], {check});
        }
      }
    }
  }
  std::printf("differential: %d cases over %zu zones (%d zones skipped), %d differences\n", cases,
              all_zones.size(), skipped, differences);
  for (const auto& [result, count] : by_result) std::printf("  %s: %d\n", result.c_str(), count);
  EXPECT_GE(cases, 2000);
  EXPECT_EQ(differences, 0);
}

}  // namespace
}  // namespace mailrep
