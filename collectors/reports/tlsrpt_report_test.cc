#include "collectors/reports/tlsrpt_report.h"

#include <gtest/gtest.h>

#include "collectors/reports/bounded_gunzip.h"
#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

TEST(TlsrptReportTest, TheRfc8460Shape) {
  StatusOr<std::string> json = BoundedGunzip(ReportTestdata("tlsrpt_report.json.gz"), 1 << 20);
  ASSERT_OK(json);
  StatusOr<TlsrptReport> r = ParseTlsrptReport(*json);
  ASSERT_OK(r);
  EXPECT_EQ(r->reporter, "Example Receiver Inc.");
  EXPECT_EQ(r->report_id, "2026-12-01T00:00:00Z_example.com");
  EXPECT_EQ(r->begin, 1796083200);
  EXPECT_EQ(r->end, 1796169599);
  ASSERT_EQ(r->policies.size(), 2u);
  const TlsrptPolicy& sts = r->policies[0];
  EXPECT_EQ(sts.policy_domain, "example.com");
  EXPECT_EQ(sts.policy_type, "sts");
  EXPECT_EQ(sts.mx_hosts, std::vector<std::string>{"mx1.example.com"});
  EXPECT_EQ(sts.successful, 5326u);
  EXPECT_EQ(sts.failed, 303u);
  ASSERT_EQ(sts.failures.size(), 2u);
  EXPECT_EQ(sts.failures[0].result_type, "certificate-expired");
  EXPECT_EQ(sts.failures[0].receiving_mx, "mx1.example.com");
  EXPECT_EQ(sts.failures[0].receiving_ip, "192.0.2.25");
  EXPECT_EQ(sts.failures[0].count, 300u);
  EXPECT_EQ(r->policies[1].policy_type, "no-policy-found");
  EXPECT_TRUE(r->policies[1].failures.empty());
}

TEST(TlsrptReportTest, TolerantWhereReportersDiffer) {
  StatusOr<TlsrptReport> r =
      ParseTlsrptReport(R"({"organization-name": "x", "report-id": "1", "policies": []})");
  ASSERT_OK(r);
  EXPECT_TRUE(r->policies.empty());
  EXPECT_FALSE(r->begin.has_value());
  r = ParseTlsrptReport(
      R"({"organization-name": "x", "report-id": "1", "date-range": {"start-datetime": "bad"},
          "policies": [{"policy": {"policy-type": "tlsa", "policy-domain": "d"}}]})");
  ASSERT_OK(r);
  EXPECT_FALSE(r->begin.has_value());
  EXPECT_EQ(r->policies[0].successful, 0u);
}

TEST(TlsrptReportTest, SchemaErrors) {
  for (std::string_view bad : {
           R"([])",
           R"({"report-id": "1", "policies": []})",
           R"({"organization-name": "x", "policies": []})",
           R"({"organization-name": "x", "report-id": "1"})",
           R"({"organization-name": "x", "report-id": "1", "policies": [1]})",
           R"({"organization-name": "x", "report-id": "1", "policies": [{"policy": {}}]})",
           R"({"organization-name": "x", "report-id": "1", "policies": [{"policy":
               {"policy-type": "sts", "policy-domain": "d"}, "summary":
               {"total-successful-session-count": -1}}]})",
           R"({"organization-name": "x", "report-id": "1", "policies": [{"policy":
               {"policy-type": "sts", "policy-domain": "d"}, "failure-details": [{}]}]})",
       }) {
    EXPECT_EQ(InvalidReportReason(ParseTlsrptReport(bad).status()),
              ReportInvalidReason::kTlsrptSchema)
        << bad;
  }
  EXPECT_EQ(InvalidReportReason(ParseTlsrptReport("{").status()), ReportInvalidReason::kJsonSyntax);
}

TEST(TlsrptReportTest, Rfc3339) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2026-12-01T00:00:00Z"), 1796083200);
  EXPECT_EQ(ParseRfc3339("2026-12-01T01:00:00.123+01:00"), 1796083200);
  EXPECT_EQ(ParseRfc3339("2026-11-30T19:00:00-05:00"), 1796083200);
  EXPECT_EQ(ParseRfc3339("2024-02-29T00:00:00z"), 1709164800);
  for (std::string_view bad : {"", "2026-12-01", "2026-13-01T00:00:00Z", "2026-12-01T00:00:00",
                               "2026-12-01T00:00:00Zx", "2026-12-01T00:00:00+0100"}) {
    EXPECT_EQ(ParseRfc3339(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace mailrep
