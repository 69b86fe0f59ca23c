#include "collectors/postmaster/postmaster_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/postmaster/postmaster_testdata.h"
#include "collectors/reports/json_value.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using testing::PostmasterTestdata;

size_t Index(std::string_view name) {
  for (size_t i = 0; i < kPostmasterMetricCount; ++i) {
    if (PostmasterMetricName(kPostmasterMetrics[i]) == name) return i;
  }
  return kPostmasterMetricCount;
}

TEST(PostmasterApiTest, DefinitionsFollowTheDiscoveryDocument) {
  EXPECT_EQ(kPostmasterMetricCount, 16u);
  const PostmasterMetric& spam = kPostmasterMetrics[0];
  EXPECT_EQ(PostmasterMetricName(spam), "spam_rate");
  EXPECT_EQ(PostmasterStandardMetric(spam.kind), "SPAM_RATE");
  EXPECT_EQ(PostmasterMetricFilter(spam), "");
  const PostmasterMetric& dkim = kPostmasterMetrics[Index("auth_success_rate_dkim")];
  EXPECT_EQ(PostmasterStandardMetric(dkim.kind), "AUTH_SUCCESS_RATE");
  EXPECT_EQ(PostmasterMetricFilter(dkim), "auth_type = \"dkim\"");
  const PostmasterMetric& tls = kPostmasterMetrics[Index("tls_encryption_rate_outbound")];
  EXPECT_EQ(PostmasterStandardMetric(tls.kind), "TLS_ENCRYPTION_RATE");
  EXPECT_EQ(PostmasterMetricFilter(tls), "traffic_direction = \"outbound\"");
  const PostmasterMetric& rbl = kPostmasterMetrics[Index("delivery_error_rate_reject_ip_in_rbls")];
  EXPECT_EQ(PostmasterStandardMetric(rbl.kind), "DELIVERY_ERROR_RATE");
  EXPECT_EQ(PostmasterMetricFilter(rbl),
            "error_type = \"reject\" AND error_reason = \"ip_in_rbls\"");
  EXPECT_LT(Index("delivery_error_rate_temp_fail_anomalous_traffic_pattern"),
            kPostmasterMetricCount);
}

TEST(PostmasterApiTest, QueryBodyUsesTheDocumentedFieldNames) {
  std::string body = PostmasterDomainStatsQueryBody({2026, 11, 30}, {2026, 12, 6}, "tok\"en");
  StatusOr<JsonValue> json = ParseJson(body);
  ASSERT_OK(json);
  const JsonValue* defs = json->Find("metricDefinitions");
  ASSERT_TRUE(defs != nullptr && defs->is_array());
  ASSERT_EQ(defs->items.size(), kPostmasterMetricCount);
  const JsonValue& third = defs->items[2];
  EXPECT_EQ(third.StringAt("name"), "auth_success_rate_dkim");
  EXPECT_EQ(third.Find("baseMetric")->StringAt("standardMetric"), "AUTH_SUCCESS_RATE");
  EXPECT_EQ(third.StringAt("filter"), "auth_type = \"dkim\"");
  EXPECT_EQ(defs->items[0].Find("filter"), nullptr);
  const JsonValue* range =
      &json->Find("timeQuery")->Find("dateRanges")->Find("dateRanges")->items.at(0);
  EXPECT_EQ(range->Find("start")->CountAt("year"), 2026u);
  EXPECT_EQ(range->Find("start")->CountAt("month"), 11u);
  EXPECT_EQ(range->Find("start")->CountAt("day"), 30u);
  EXPECT_EQ(range->Find("end")->CountAt("day"), 6u);
  EXPECT_EQ(json->StringAt("aggregationGranularity"), "DAILY");
  EXPECT_EQ(json->CountAt("pageSize"), 200u);
  EXPECT_EQ(json->StringAt("pageToken"), "tok\"en");
  EXPECT_EQ(
      ParseJson(PostmasterDomainStatsQueryBody({2026, 1, 1}, {2026, 1, 2}))->Find("pageToken"),
      nullptr);
}

TEST(PostmasterApiTest, Dates) {
  PostmasterDate d{2026, 12, 5};
  EXPECT_EQ(d.UnixSeconds(), 1796428800);
  EXPECT_EQ(PostmasterDate::FromUnixSeconds(1796428800 + 86399), d);
  EXPECT_EQ(d.ToString(), "2026-12-05");
  EXPECT_LT((PostmasterDate{2026, 11, 30}), d);
}

TEST(PostmasterApiTest, ParsesTheDocumentedStatsAndSkipsWhatItCannotUse) {
  StatusOr<PostmasterStatsPage> page =
      ParsePostmasterDomainStats(PostmasterTestdata("domain_stats.json"));
  ASSERT_OK(page);
  EXPECT_EQ(page->values.size(), 10u);
  EXPECT_EQ(page->skipped, 2u);  // an unknown metric, an intValue for a rate
  EXPECT_EQ(page->values[0].metric, 0u);
  EXPECT_EQ(page->values[0].date, (PostmasterDate{2026, 12, 4}));
  EXPECT_DOUBLE_EQ(page->values[0].value, 0.0042);
  EXPECT_EQ(page->next_page_token, "");
}

TEST(PostmasterApiTest, HostileStats) {
  struct Case {
    const char* body;
    bool ok;
    size_t values = 0;
    size_t skipped = 0;
  } cases[] = {
      {"{}", true, 0, 0},
      {"{\"domainStats\": []}", true, 0, 0},
      {"", false},
      {"<html>login</html>", false},
      {"[]", false},
      {"{\"domainStats\": {}}", false},
      {"{\"domainStats\": [1]}", false},
      {"{\"domainStats\": [], \"nextPageToken\": 5}", false},
      {"{\"domainStats\": [{\"metric\": \"spam_rate\", \"date\": {\"year\": 2026, \"month\": 2, "
       "\"day\": 31}, \"value\": {\"doubleValue\": 0.1}}]}",
       true, 0, 1},
      {"{\"domainStats\": [{\"metric\": \"spam_rate\", \"date\": {\"year\": 2026, \"month\": 2, "
       "\"day\": 3}, \"value\": {\"doubleValue\": 12.5}}]}",
       true, 0, 1},
      {"{\"domainStats\": [{\"metric\": \"spam_rate\", \"date\": {\"year\": 2026, \"month\": 2, "
       "\"day\": 3}, \"value\": {\"doubleValue\": -0.1}}]}",
       true, 0, 1},
      {"{\"domainStats\": [{\"metric\": \"spam_rate\", \"value\": {\"doubleValue\": 0.1}}]}", true,
       0, 1},
      {"{\"domainStats\": [{\"metric\": \"spam_rate\", \"date\": {\"year\": 2026.5, \"month\": 2, "
       "\"day\": 3}, \"value\": {\"doubleValue\": 0.1}}]}",
       true, 0, 1},
      {"{\"domainStats\": [{\"metric\": \"spam_rate\", \"date\": {\"year\": 2026, \"month\": 2, "
       "\"day\": 3}, \"value\": {\"doubleValue\": 0.1}}], \"nextPageToken\": \"abc\"}",
       true, 1, 0},
      {"{\"domainStats\": [{\"metric\": \"spam_rate\", \"date\": {\"year\": 2026, \"month\": 2, "
       "\"day\": 3}, \"value\": {\"doubleValue\": 0.1",
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    StatusOr<PostmasterStatsPage> page = ParsePostmasterDomainStats(c.body);
    ASSERT_EQ(page.ok(), c.ok) << page.status().message();
    if (!c.ok) continue;
    EXPECT_EQ(page->values.size(), c.values);
    EXPECT_EQ(page->skipped, c.skipped);
  }
  std::string deep(100, '[');
  EXPECT_FALSE(ParsePostmasterDomainStats(deep).ok());
  std::string long_token = "{\"nextPageToken\": \"" + std::string(3000, 'a') + "\"}";
  EXPECT_FALSE(ParsePostmasterDomainStats(long_token).ok());
}

TEST(PostmasterApiTest, ParsesTheElevenComplianceRows) {
  StatusOr<PostmasterCompliance> c =
      ParsePostmasterCompliance(PostmasterTestdata("compliance_status.json"));
  ASSERT_OK(c);
  EXPECT_FALSE(c->subdomain);
  EXPECT_EQ(c->known(), 10u);  // HONOR_UNSUBSCRIBE is STATE_UNSPECIFIED
  EXPECT_EQ(c->skipped, 0u);
  auto at = [&](PostmasterRequirement r) { return c->compliant[static_cast<size_t>(r)]; };
  EXPECT_EQ(at(PostmasterRequirement::kSpf), true);
  EXPECT_EQ(at(PostmasterRequirement::kDmarcAlignment), false);
  EXPECT_EQ(at(PostmasterRequirement::kUserReportedSpamRate), false);
  EXPECT_EQ(at(PostmasterRequirement::kHonorUnsubscribe), std::nullopt);
  EXPECT_EQ(PostmasterRequirementName(PostmasterRequirement::kSpfAndDkim), "spf_and_dkim");
  EXPECT_EQ(PostmasterRequirementName(PostmasterRequirement::kOneClickUnsubscribe),
            "one_click_unsubscribe");
}

TEST(PostmasterApiTest, ComplianceOfASubdomainAndHostileRows) {
  StatusOr<PostmasterCompliance> sub = ParsePostmasterCompliance(
      "{\"subdomainComplianceData\": {\"rowData\": [{\"requirement\": \"DKIM\", \"status\": "
      "{\"status\": \"NEEDS_WORK\"}}, {\"requirement\": \"NEW_RULE\", \"status\": {\"status\": "
      "\"COMPLIANT\"}}, {\"requirement\": \"DKIM\", \"status\": {\"status\": \"COMPLIANT\"}}, "
      "{\"requirement\": \"SPF\", \"status\": {\"status\": \"MAYBE\"}}]}, \"complianceData\": "
      "{\"rowData\": [{\"requirement\": \"SPF\", \"status\": {\"status\": \"COMPLIANT\"}}]}}");
  ASSERT_OK(sub);
  EXPECT_TRUE(sub->subdomain);
  EXPECT_EQ(sub->known(), 1u);
  EXPECT_EQ(sub->compliant[static_cast<size_t>(PostmasterRequirement::kDkim)], false);
  EXPECT_EQ(sub->skipped, 3u);

  // An empty subdomain part falls back to the registrable domain's data.
  StatusOr<PostmasterCompliance> main = ParsePostmasterCompliance(
      "{\"subdomainComplianceData\": {}, \"complianceData\": {\"rowData\": [{\"requirement\": "
      "\"SPF\", \"status\": {\"status\": \"COMPLIANT\"}}]}}");
  ASSERT_OK(main);
  EXPECT_FALSE(main->subdomain);
  EXPECT_EQ(main->compliant[0], true);

  EXPECT_EQ(ParsePostmasterCompliance("{}")->known(), 0u);
  for (const char* bad :
       {"", "[]", "{\"complianceData\": []}", "{\"complianceData\": {\"rowData\": {}}}",
        "{\"complianceData\": {\"rowData\": [\"SPF\"]}}"}) {
    EXPECT_FALSE(ParsePostmasterCompliance(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace mailrep
