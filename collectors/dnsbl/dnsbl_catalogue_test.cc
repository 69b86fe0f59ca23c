#include "collectors/dnsbl/dnsbl_catalogue.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(CatalogueTest, BuiltInParses) {
  StatusOr<DnsblCatalogue> parsed = DnsblCatalogue::Parse(BuiltInCatalogueText(), "catalogue.yml");
  ASSERT_OK(parsed);
  EXPECT_EQ(DnsblCatalogue::BuiltIn().lists().size(), parsed->lists().size());
  EXPECT_GT(parsed->lists().size(), 20u);
}

TEST(CatalogueTest, DefaultSetIsUsableAndKeyless) {
  const DnsblCatalogue& c = DnsblCatalogue::BuiltIn();
  std::vector<std::string> defaults = c.DefaultZones();
  EXPECT_EQ(defaults, (std::vector<std::string>{
                          "zen.spamhaus.org", "dbl.spamhaus.org", "bl.spamcop.net",
                          "psbl.surriel.com", "bl.mailspike.net", "dnsbl-1.uceprotect.net",
                          "all.s5h.net", "list.dnswl.org", "multi.surbl.org", "multi.uribl.com"}));
  for (const std::string& zone : defaults) {
    const DnsblList* list = c.Find(zone);
    ASSERT_NE(list, nullptr);
    EXPECT_TRUE(list->defunct.empty());
    EXPECT_TRUE(list->key.empty());
    EXPECT_FALSE(list->delist_url.empty()) << zone;
    EXPECT_GT(list->queries_per_second, 0) << zone;
  }
}

TEST(CatalogueTest, EveryUsableListHasTestPointsAndCodes) {
  for (const DnsblList& list : DnsblCatalogue::BuiltIn().lists()) {
    if (!list.defunct.empty()) continue;
    EXPECT_FALSE(list.test_listed.empty()) << list.zone;
    EXPECT_TRUE(list.has_listing_codes() || list.has_allowlisting_codes()) << list.zone;
    for (const DnsblCodeRange& r : list.codes) EXPECT_EQ(r.first >> 24, 127u) << list.zone;
  }
  const DnsblList* hostkarma = DnsblCatalogue::BuiltIn().Find("hostkarma.junkemailfilter.com");
  ASSERT_NE(hostkarma, nullptr);
  EXPECT_TRUE(hostkarma->test_clean.empty());  // 127.0.0.1 is its allowlist value
}

TEST(CatalogueTest, ClassificationAndKeys) {
  const DnsblCatalogue& c = DnsblCatalogue::BuiltIn();
  EXPECT_EQ(c.Find("ZEN.Spamhaus.org.")->severity, DnsblSeverity::kMajor);
  EXPECT_EQ(c.Find("psbl.surriel.com")->severity, DnsblSeverity::kMinor);
  EXPECT_EQ(c.Find("zen.dq.spamhaus.net")->key, "spamhaus_dqs");
  EXPECT_EQ(c.Find("combined.mail.abusix.zone")->key, "abusix");
  EXPECT_TRUE(c.Find("list.dnswl.org")->has_allowlisting_codes());
  EXPECT_FALSE(c.Find("list.dnswl.org")->has_listing_codes());
  EXPECT_TRUE(c.Find("all.s5h.net")->Supports(DnsblKind::kIp6));
  EXPECT_EQ(c.Find("dbl.spamhaus.org")->health_kind(), DnsblKind::kDomain);
  EXPECT_EQ(c.Find("dbl.spamhaus.org")->test_clean, "invalid");
  EXPECT_EQ(c.Find("zen.spamhaus.org")->test_listed, "127.0.0.2");
  EXPECT_EQ(c.Find("zen.spamhaus.org")->test_clean, "127.0.0.1");
}

TEST(CatalogueTest, DefunctListsCoverTheirSubzones) {
  const DnsblCatalogue& c = DnsblCatalogue::BuiltIn();
  for (const char* zone : {"dnsbl.sorbs.net", "spam.dnsbl.sorbs.net", "sorbs.net",
                           "ix.dnsbl.manitu.net", "dnsbl.ahbl.org", "rhsbl.ahbl.org",
                           "dnsbl.njabl.org", "rbl.spamhaus.org", "dwl.spamhaus.org"}) {
    EXPECT_NE(c.FindDefunct(zone), nullptr) << zone;
  }
  for (const char* zone : {"zen.spamhaus.org", "notsorbs.net", "bl.spamcop.net"}) {
    EXPECT_EQ(c.FindDefunct(zone), nullptr) << zone;
  }
}

TEST(CatalogueTest, ErrorsNameFileLineAndKey) {
  const char* text =
      "lists:\n"
      "  - zone: bad.example\n"
      "    kinds: [ip4, ipx]\n"
      "    codes:\n"
      "      - {code: 10.0.0.2, meaning: outside}\n"
      "      - {code: 127.0.0.9-127.0.0.3, meaning: backwards}\n"
      "    colour: red\n"
      "  - zone: ok.example\n"
      "    kinds: [domain]\n"
      "    bits: [{bit: 3, meaning: not a bit}]\n";
  StatusOr<DnsblCatalogue> c = DnsblCatalogue::Parse(text, "extra.yml");
  ASSERT_FALSE(c.ok());
  std::string m = c.status().message();
  EXPECT_NE(m.find("extra.yml:3:18: lists[0].kinds[1]: must be ip4, ip6 or domain"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("extra.yml:5:16: lists[0].codes[0].code: DNSBL answer codes must be inside "
                   "127.0.0.0/8"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("lists[0].codes[1].code: range ends before it starts"), std::string::npos) << m;
  EXPECT_NE(m.find("lists[0].colour: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("lists[1].bits[0].bit: must be one of 1, 2, 4"), std::string::npos) << m;
}

TEST(CatalogueTest, MergeReplacesAndAdds) {
  DnsblCatalogue c = DnsblCatalogue::BuiltIn();
  StatusOr<DnsblCatalogue> extra = DnsblCatalogue::Parse(
      "lists:\n"
      "  - {zone: bl.spamcop.net, kinds: [ip4], codes: [{code: 127.0.0.3, meaning: x}]}\n"
      "  - {zone: rbl.example.net, kinds: [ip4], severity: major,\n"
      "     codes: [{code: 127.0.0.0/24, meaning: listed}]}\n",
      "extra.yml");
  ASSERT_OK(extra);
  size_t before = c.lists().size();
  c.Merge(*extra);
  EXPECT_EQ(c.lists().size(), before + 1);
  EXPECT_EQ(c.Find("bl.spamcop.net")->codes[0].first, 0x7F000003u);
  EXPECT_EQ(c.Find("rbl.example.net")->codes[0].last, 0x7F0000FFu);
}

TEST(CatalogueTest, GarbageIsAnErrorNotACrash) {
  for (const char* text : {"", "lists: 3", "lists: [1, 2]", "[", "lists:\n  - zone: [x]\n",
                           "lists:\n  - {zone: a.b, kinds: [ip4], codes: [{code: '', "
                           "meaning: m}], queries_per_second: fast}\n"}) {
    StatusOr<DnsblCatalogue> c = DnsblCatalogue::Parse(text, "x.yml");
    if (c.ok()) {
      EXPECT_TRUE(c->lists().empty()) << text;
    }
  }
}

TEST(CatalogueTest, OperatorsBudgetsAreSharedByTheirZones) {
  const DnsblCatalogue& c = DnsblCatalogue::BuiltIn();
  EXPECT_EQ(c.budget_groups(),
            (std::map<std::string, uint64_t, std::less<>>{
                {"dnswl", 100000}, {"mailspike", 100000}, {"spamhaus", 300000}}));
  for (const char* zone : {"zen.spamhaus.org", "sbl.spamhaus.org", "xbl.spamhaus.org",
                           "pbl.spamhaus.org", "dbl.spamhaus.org"}) {
    EXPECT_EQ(c.Find(zone)->budget_group, "spamhaus") << zone;
  }
  for (const char* zone : {"list.dnswl.org", "dwl.dnswl.org"}) {
    EXPECT_EQ(c.Find(zone)->budget_group, "dnswl") << zone;
  }
  for (const char* zone : {"bl.mailspike.net", "z.mailspike.net", "rep.mailspike.net"}) {
    EXPECT_EQ(c.Find(zone)->budget_group, "mailspike") << zone;
  }
  // Every group named is defined; no built-in list has a budget of its own.
  for (const DnsblList& list : c.lists()) {
    EXPECT_EQ(list.daily_query_budget, 0u) << list.zone;
    if (list.budget_group.empty()) continue;
    EXPECT_EQ(c.budget_groups().count(list.budget_group), 1u) << list.zone;
  }
  EXPECT_EQ(c.Find("zen.dq.spamhaus.net")->budget_group, "");  // keyed: counted per key
}

TEST(CatalogueTest, BudgetGroupsParseAndMerge) {
  StatusOr<DnsblCatalogue> bad = DnsblCatalogue::Parse(
      "budget_groups: {a.b: 10, ok: 0}\n"
      "lists:\n"
      "  - {zone: x.test, kinds: [ip4], budget_group: g, daily_query_budget: 5,\n"
      "     codes: [{code: 127.0.0.2, meaning: m}]}\n"
      "  - {zone: y.test, kinds: [ip4], budget_group: \"g.h\",\n"
      "     codes: [{code: 127.0.0.2, meaning: m}]}\n",
      "t.yml");
  ASSERT_FALSE(bad.ok());
  std::string message = bad.status().message();
  EXPECT_NE(message.find("budget_groups.a.b: a group name is letters"), std::string::npos)
      << message;
  EXPECT_NE(message.find("budget_groups.ok: must be between 1"), std::string::npos) << message;
  EXPECT_NE(message.find("daily_query_budget: give a list budget_group"), std::string::npos)
      << message;
  EXPECT_NE(message.find("budget_group: a group name is letters"), std::string::npos) << message;

  StatusOr<DnsblCatalogue> extra =
      DnsblCatalogue::Parse("budget_groups: {spamhaus: 1000, mine: 7}\n", "extra.yml");
  ASSERT_OK(extra);
  DnsblCatalogue merged = DnsblCatalogue::BuiltIn();
  merged.Merge(*extra);
  EXPECT_EQ(merged.budget_groups().at("spamhaus"), 1000u);
  EXPECT_EQ(merged.budget_groups().at("mine"), 7u);
  EXPECT_EQ(merged.budget_groups().at("dnswl"), 100000u);
}

}  // namespace
}  // namespace mailrep
