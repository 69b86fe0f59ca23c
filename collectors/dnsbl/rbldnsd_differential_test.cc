// The differential test of #14: generated ip4set, ip4trie, ip4tset and dnset
// files over the /16 10.20.0.0/16 (ranges in every written form, exclusions,
// per-entry and default values, $ substitutions, a base template, special and
// bad lines), served by Debian's real rbldnsd on 127.0.0.1 and read by
// RbldnsdZone; every one of the 65,536 addresses (and 65,536 names for the
// dnset) is asked for A and TXT, and both must agree exactly.
//
// Labelled e2e: it starts rbldnsd, under tests/e2e/netns_run.sh.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <random>
#include <set>

#include "collectors/dns/dns_engine.h"
#include "collectors/dnsbl/rbldnsd_ip4.h"
#include "collectors/dnsbl/rbldnsd_zone_file.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"
#include "tests/dns/local_rbldnsd.h"

namespace mailrep {
namespace {

constexpr uint32_t kBase = 0x0A140000;  // 10.20.0.0/16

std::string Oct(uint32_t v) { return std::to_string(v); }

// "10.20.<c>.<d>".
std::string Addr(uint32_t c, uint32_t d) { return "10.20." + Oct(c) + "." + Oct(d); }

// A random value text after an entry, in one of the forms rbldnsd(8) lists.
std::string RandomValue(std::mt19937& rng, int n) {
  switch (rng() % 7) {
    case 0:
      return "";  // the default
    case 1:
      return " :" + Oct(2 + rng() % 10) + ":entry " + Oct(n) + " $ $1";
    case 2:
      return " :" + Oct(2 + rng() % 10);  // A, the default's TXT
    case 3:
      return " :127.0.0." + Oct(2 + rng() % 10) + ":";  // A, no TXT
    case 4:
      return " text only for $ ($2) $$5";
    case 5:
      return " ; a comment: the default";
    default:
      return "\t:" + Oct(20 + rng() % 5) + ": $9 unset, $= own";
  }
}

std::string Ip4setFile() {
  std::mt19937 rng(1405);
  std::string f =
      "# generated for the rbldnsd differential test\n"
      "$SOA 1h ns.mirror.test. hostmaster.mirror.test. 0 1h 1h 1w 1h\n"
      "$NS 1h ns.mirror.test.\n"
      "$TTL 60\n"
      "$1 see http://bl.example/\n"
      ":$2 two\n"
      "10/8 :9:wide $\n"  // the /8 level, below every other
      "!10.21/16\n"
      ":127.0.0.4:default one for $ ($1)\n";
  for (int n = 0; n < 6000; ++n) {
    uint32_t c = rng() % 256;
    uint32_t d = rng() % 256;
    std::string bang = rng() % 6 == 0 ? "!" : "";
    std::string entry;
    switch (rng() % 12) {
      case 0:
        entry = "10.20." + Oct(c) + ".0/24";
        break;
      case 1:
        entry = "10.20." + Oct(c);  // a bare /24 prefix
        break;
      case 2: {
        int bits = 25 + static_cast<int>(rng() % 7);
        uint32_t net = (kBase | (c << 8) | d) & Ip4Mask(bits);
        entry = Ip4ToString(net) + "/" + Oct(bits);
        break;
      }
      case 3: {
        uint32_t e = d + rng() % (256 - d);
        entry = Addr(c, d) + "-" + Oct(e);  // last octet only
        break;
      }
      case 4: {
        uint32_t e = c + rng() % std::min<uint32_t>(4, 256 - c);
        entry = "10.20." + Oct(c) + "-10.20." + Oct(e);  // prefix range
        break;
      }
      case 5: {
        uint32_t e = c + rng() % std::min<uint32_t>(3, 256 - c);
        entry = "10.20." + Oct(c) + "-" + Oct(e);  // short prefix range
        break;
      }
      case 6: {
        uint32_t first = kBase | (c << 8) | d;
        uint32_t last = std::min<uint32_t>(first + rng() % 900, kBase | 0xFFFF);
        entry = Ip4ToString(first) + "-" + Ip4ToString(last);
        break;
      }
      case 7: {
        int bits = 17 + static_cast<int>(rng() % 6);
        entry = Ip4ToString((kBase | (c << 8)) & Ip4Mask(bits)) + "/" + Oct(bits);
        break;
      }
      default:
        entry = Addr(c, d);
    }
    if (n % 997 == 0) f += ":" + Oct(2 + n % 7) + ":default " + Oct(n) + " for $\n";
    if (n % 1201 == 0) f += "10.20." + Oct(c) + ".1/24 bad: host bits\n";
    if (n % 1303 == 0) f += "10.20.x.1\n";
    f += bang + entry + (bang.empty() ? RandomValue(rng, n) : "") + "\n";
  }
  return f;
}

std::string Ip4trieFile() {
  std::mt19937 rng(1406);
  std::string f =
      "$= [$=] from the base template for $\n"
      "$3 three\n"
      ":2:trie default $3\n"
      "10.16/12 :8:wide\n"
      "!10.20.128/17\n";
  for (int n = 0; n < 5000; ++n) {
    int bits = 16 + static_cast<int>(rng() % 17);
    uint32_t net = (kBase | (rng() & 0xFFFF)) & Ip4Mask(bits);
    std::string bang = rng() % 5 == 0 ? "!" : "";
    std::string text = Ip4ToString(net) + "/" + Oct(bits);
    if (bits == 32 && rng() % 2 == 0) text = Ip4ToString(net);
    if (bits == 24 && rng() % 2 == 0) text = "10.20." + Oct((net >> 8) & 255);  // prefix form
    if (n % 601 == 0) f += Ip4ToString(net) + "/32 =no base template for $\n";
    f += bang + text + (bang.empty() ? RandomValue(rng, n) : "") + "\n";
    if (n % 401 == 0) f += "10.20.1.0-10.20.1.9\n";  // no ranges in ip4trie
  }
  return f;
}

std::string Ip4tsetFile() {
  std::mt19937 rng(1407);
  std::string f = ":5:tset $\n";
  for (int n = 0; n < 8000; ++n) {
    f += Addr(rng() % 256, rng() % 256) + (n % 3 == 0 ? " :7:ignored" : "") + "\n";
    if (n % 999 == 0) f += ":6:second default, ignored\n";
    if (n % 777 == 0) f += "10.20.7.0/24\n";  // single addresses only
  }
  return f;
}

// The dnset is asked for Name(i) = "h<i % 256>.s<i / 256>" below its zone.
std::string Name(uint32_t i) { return "h" + Oct(i & 255) + ".s" + Oct(i >> 8); }

std::string DnsetFile() {
  std::mt19937 rng(1408);
  std::string f = ":3:dn listed $ $1\n$1 one\n";
  for (int n = 0; n < 9000; ++n) {
    uint32_t s = rng() % 256;
    uint32_t h = rng() % 256;
    std::string bang = rng() % 6 == 0 ? "!" : "";
    std::string name;
    switch (rng() % 6) {
      case 0:
        name = "*.s" + Oct(s);
        break;
      case 1:
        name = ".s" + Oct(s);
        break;
      case 2:
        name = "H" + Oct(h) + ".S" + Oct(s) + ".";  // case and a final dot
        break;
      default:
        name = "h" + Oct(h) + ".s" + Oct(s);
    }
    f += bang + name + (bang.empty() ? RandomValue(rng, n) : "") + "\n";
  }
  f += "bad..s1\n.\n";
  return f;
}

std::string JoinA(const std::vector<uint32_t>& a) {
  std::set<std::string> s;
  for (uint32_t v : a) s.insert(Ip4ToString(v));
  std::string out;
  for (const std::string& v : s) out += v + " ";
  return out;
}

std::string JoinTxt(std::vector<std::string> t) {
  std::sort(t.begin(), t.end());
  std::string out;
  for (const std::string& v : t) out += "\"" + v + "\" ";
  return out;
}

struct Outcome {
  std::string a;    // "" = not listed
  std::string txt;  // "" = no TXT
};

Outcome FromDns(const DnsAnswer& a, const DnsAnswer& t, std::string* error) {
  Outcome out;
  for (const DnsAnswer* answer : {&a, &t}) {
    if (answer->outcome != DnsOutcome::kData && answer->outcome != DnsOutcome::kNxDomain &&
        answer->outcome != DnsOutcome::kNoData) {
      *error = std::string(DnsOutcomeName(answer->outcome)) + " " + answer->error;
    }
  }
  std::vector<uint32_t> values;
  for (const DnsRecord& r : a.records) {
    if (r.address.family == IpAddress::Family::kV4) {
      values.push_back((uint32_t(r.address.bytes[0]) << 24) | (uint32_t(r.address.bytes[1]) << 16) |
                       (uint32_t(r.address.bytes[2]) << 8) | r.address.bytes[3]);
    }
  }
  std::vector<std::string> texts;
  for (const DnsRecord& r : t.records) texts.push_back(JoinedTxt(r));
  out.a = JoinA(values);
  out.txt = JoinTxt(texts);
  return out;
}

Outcome FromZone(const std::optional<RbldnsdAnswer>& answer) {
  if (!answer) return {};
  return {JoinA(answer->a), JoinTxt(answer->txt)};
}

struct Zone {
  std::string name;
  RbldnsdFormat format;
  std::string path;
};

TEST(RbldnsdDifferentialTest, EveryAddressOfASlash16AgreesWithRbldnsd) {
  ScopedTempDir dir("rbldnsd_diff");
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);  // rbldnsd runs as another user
  std::vector<Zone> zones = {
      {"set.mirror.test", RbldnsdFormat::kIp4set, dir.Path("set.data")},
      {"trie.mirror.test", RbldnsdFormat::kIp4trie, dir.Path("trie.data")},
      {"tset.mirror.test", RbldnsdFormat::kIp4tset, dir.Path("tset.data")},
      {"dn.mirror.test", RbldnsdFormat::kDnset, dir.Path("dn.data")},
  };
  std::string texts[] = {Ip4setFile(), Ip4trieFile(), Ip4tsetFile(), DnsetFile()};
  std::vector<testing::RbldnsdDataset> datasets;
  for (size_t z = 0; z < zones.size(); ++z) {
    std::ofstream(zones[z].path, std::ios::binary) << texts[z];
    ASSERT_EQ(chmod(zones[z].path.c_str(), 0644), 0);
    datasets.push_back(
        {zones[z].name, std::string(RbldnsdFormatName(zones[z].format)), zones[z].path});
  }
  StatusOr<std::unique_ptr<testing::LocalRbldnsd>> server = testing::LocalRbldnsd::Start(datasets);
  ASSERT_OK(server);
  StatusOr<std::shared_ptr<Resolver>> resolver = StartDnsEngineForCheck({(*server)->server()}, "");
  ASSERT_OK(resolver);

  for (const Zone& zone : zones) {
    auto started = std::chrono::steady_clock::now();
    StatusOr<LoadedRbldnsdFile> loaded = LoadRbldnsdFile(zone.path, zone.format, time(nullptr));
    ASSERT_OK(loaded);
    const RbldnsdZone& ours = loaded->zone;
    std::vector<DnsQuery> queries;
    std::vector<std::string> subjects;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    for (uint32_t i = 0; i < 65536; ++i) {
      std::string owner = zone.format == RbldnsdFormat::kDnset
                              ? Name(i)
                              : Oct(i & 255) + "." + Oct(i >> 8) + ".20.10";
      subjects.push_back(owner);
      queries.push_back({owner + "." + zone.name, RecordType::kA, "", deadline});
      queries.push_back({owner + "." + zone.name, RecordType::kTxt, "", deadline});
    }
    std::vector<DnsAnswer> answers = (*resolver)->ResolveAll(queries);
    ASSERT_EQ(answers.size(), 2u * 65536);
    // A UDP packet lost on a busy loopback is not a difference: ask again.
    uint64_t retried = 0;
    for (int round = 0; round < 3; ++round) {
      std::vector<size_t> again;
      for (size_t q = 0; q < answers.size(); ++q) {
        if (answers[q].outcome == DnsOutcome::kTimeout) again.push_back(q);
      }
      if (again.empty()) break;
      retried += again.size();
      std::vector<DnsQuery> repeat;
      for (size_t q : again) repeat.push_back(queries[q]);
      std::vector<DnsAnswer> more = (*resolver)->ResolveAll(std::move(repeat));
      for (size_t k = 0; k < again.size(); ++k) answers[again[k]] = std::move(more[k]);
    }
    uint64_t listed = 0, with_txt = 0, mismatches = 0, errors = 0;
    for (uint32_t i = 0; i < 65536; ++i) {
      std::string error;
      Outcome theirs = FromDns(answers[2 * i], answers[2 * i + 1], &error);
      Outcome mine = FromZone(zone.format == RbldnsdFormat::kDnset ? ours.LookupDomain(subjects[i])
                                                                   : ours.LookupIp4(kBase | i));
      if (!error.empty()) {
        if (++errors <= 5) ADD_FAILURE() << zone.name << " " << subjects[i] << ": " << error;
        continue;
      }
      listed += !mine.a.empty();
      with_txt += !mine.txt.empty();
      if (mine.a != theirs.a || mine.txt != theirs.txt) {
        if (++mismatches <= 20) {
          ADD_FAILURE() << zone.name << " " << subjects[i] << ": rbldnsd A {" << theirs.a
                        << "} TXT {" << theirs.txt << "}; ours A {" << mine.a << "} TXT {"
                        << mine.txt << "}";
        }
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << zone.name << " (" << RbldnsdFormatName(zone.format)
              << "): 65536 names asked for A and TXT, " << listed << " listed, " << with_txt
              << " with TXT, " << mismatches << " mismatches (" << retried
              << " queries asked again after a timeout); " << loaded->zone.report().entries
              << " entries, " << loaded->zone.report().skipped_lines << " bad lines skipped; "
              << seconds << " s\n";
    EXPECT_EQ(mismatches, 0u) << zone.name;
    EXPECT_EQ(errors, 0u) << zone.name << ": lookups that got no answer from rbldnsd";
    EXPECT_GT(listed, 1000u) << zone.name;
    EXPECT_LT(listed, 65536u) << zone.name;
  }
}

}  // namespace
}  // namespace mailrep
