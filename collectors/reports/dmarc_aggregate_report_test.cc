#include "collectors/reports/dmarc_aggregate_report.h"

#include <gtest/gtest.h>

#include <chrono>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

ReportInvalidReason ReasonOf(std::string_view xml) {
  return InvalidReportReason(ParseDmarcAggregateReport(xml).status());
}

constexpr char kMinimal[] =
    "<feedback><report_metadata><org_name>r</org_name><report_id>1</report_id>"
    "<date_range><begin>10</begin><end>20</end></date_range></report_metadata>"
    "<policy_published><domain>example.com</domain><p>none</p></policy_published>"
    "%RECORD%</feedback>";

std::string Minimal(std::string_view record) {
  std::string xml = kMinimal;
  xml.replace(xml.find("%RECORD%"), 8, record);
  return xml;
}

TEST(DmarcAggregateReportTest, GoogleLikeRfc7489) {
  StatusOr<DmarcAggregateReport> r =
      ParseDmarcAggregateReport(ReportTestdata("google_like_dmarc.xml"));
  ASSERT_OK(r);
  const DmarcReportHeader& h = r->header;
  EXPECT_FALSE(h.rfc9990_namespace);
  EXPECT_EQ(h.reporter, "google.com");
  EXPECT_EQ(h.reporter_email, "noreply-dmarc-support@google.com");
  EXPECT_EQ(h.report_id, "4837261950012873645");
  EXPECT_EQ(h.begin, 1796083200);
  EXPECT_EQ(h.end, 1796169599);
  EXPECT_EQ(h.policy_domain, "example.com");
  EXPECT_EQ(h.p, "quarantine");
  EXPECT_EQ(h.pct, "100");
  EXPECT_EQ(h.records, 3u);
  ASSERT_EQ(r->records.size(), 3u);
  const DmarcAggregateRecord& ok = r->records[0];
  EXPECT_EQ(ok.source_ip, "192.0.2.10");
  EXPECT_EQ(ok.count, 1520u);
  EXPECT_EQ(ok.disposition, "none");
  EXPECT_TRUE(ok.dkim_aligned());
  EXPECT_TRUE(ok.spf_aligned());
  ASSERT_EQ(ok.dkim.size(), 1u);
  EXPECT_EQ(ok.dkim[0].selector, "s2026");
  EXPECT_EQ(ok.spf[0].domain, "bounce.example.com");
  const DmarcAggregateRecord& forwarded = r->records[1];
  EXPECT_EQ(forwarded.source_ip, "2001:db8::25");
  EXPECT_TRUE(forwarded.dkim_aligned());
  EXPECT_FALSE(forwarded.spf_aligned());
  EXPECT_EQ(forwarded.reasons, std::vector<std::string>{"forwarded"});
  EXPECT_EQ(r->records[2].disposition, "quarantine");
  EXPECT_EQ(r->records[2].spf[0].result, "softfail");
}

TEST(DmarcAggregateReportTest, MicrosoftLikeRfc9990Namespace) {
  StatusOr<DmarcAggregateReport> r =
      ParseDmarcAggregateReport(ReportTestdata("microsoft_like_dmarc.xml"));
  ASSERT_OK(r);
  const DmarcReportHeader& h = r->header;
  EXPECT_TRUE(h.rfc9990_namespace);
  EXPECT_EQ(h.version, "1.0");
  EXPECT_EQ(h.reporter, "Enterprise Outlook");
  EXPECT_EQ(h.generator, "Example Reporter 2.1");
  EXPECT_EQ(h.np, "reject");
  EXPECT_EQ(h.testing, "n");
  EXPECT_EQ(h.discovery_method, "treewalk");
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_EQ(r->records[0].envelope_from, "example.org");
  EXPECT_EQ(r->records[0].spf[0].scope, "mfrom");
  EXPECT_EQ(r->records[1].disposition, "reject");
  EXPECT_FALSE(r->records[1].dkim_aligned());
  EXPECT_TRUE(r->records[1].dkim.empty());
}

TEST(DmarcAggregateReportTest, StreamsByteByByte) {
  std::string xml = ReportTestdata("microsoft_like_dmarc.xml");
  std::vector<std::string> ips;
  DmarcAggregateParser parser([&](const DmarcAggregateRecord& r) {
    ips.push_back(r.source_ip);
    return Status::OK();
  });
  for (char c : xml) ASSERT_OK(parser.Feed(std::string_view(&c, 1)));
  StatusOr<DmarcReportHeader> h = parser.Finish();
  ASSERT_OK(h);
  EXPECT_EQ(h->records, 2u);
  EXPECT_EQ(ips, (std::vector<std::string>{"198.51.100.20", "198.51.100.99"}));
}

TEST(DmarcAggregateReportTest, PrefixedNamespaceAndWhitespace) {
  StatusOr<DmarcAggregateReport> r = ParseDmarcAggregateReport(
      "<d:feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\"><d:report_metadata>"
      "<d:org_name> r </d:org_name><d:report_id>1</d:report_id><d:date_range>"
      "<d:begin>\n10\n</d:begin><d:end>20.0</d:end></d:date_range></d:report_metadata>"
      "<d:policy_published><d:domain>example.com</d:domain></d:policy_published>"
      "<d:record><d:row><d:source_ip>192.0.2.1</d:source_ip><d:count> 5 </d:count>"
      "<d:policy_evaluated><d:disposition>None</d:disposition><d:dkim>PASS</d:dkim>"
      "</d:policy_evaluated></d:row></d:record></d:feedback>");
  ASSERT_OK(r);
  EXPECT_TRUE(r->header.rfc9990_namespace);
  EXPECT_EQ(r->header.reporter, "r");
  EXPECT_EQ(r->header.begin, 10);
  EXPECT_EQ(r->header.end, 20);
  ASSERT_EQ(r->records.size(), 1u);
  EXPECT_EQ(r->records[0].count, 5u);
  EXPECT_EQ(r->records[0].disposition, "none");
  EXPECT_TRUE(r->records[0].dkim_aligned());
  EXPECT_FALSE(r->records[0].spf_aligned());
}

TEST(DmarcAggregateReportTest, EntityBombFailsFast) {
  auto start = std::chrono::steady_clock::now();
  StatusOr<DmarcAggregateReport> r =
      ParseDmarcAggregateReport(ReportTestdata("billion_laughs.xml"));
  EXPECT_EQ(InvalidReportReason(r.status()), ReportInvalidReason::kXmlDtd) << r.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  EXPECT_EQ(ReasonOf(ReportTestdata("external_entity.xml")), ReportInvalidReason::kXmlDtd);
  // An entity reference without a declaration is not expanded from anywhere.
  EXPECT_EQ(ReasonOf("<feedback>&xxe;</feedback>"), ReportInvalidReason::kXmlSyntax);
}

TEST(DmarcAggregateReportTest, Invalid) {
  EXPECT_EQ(ReasonOf("<feedback><unclosed></feedback>"), ReportInvalidReason::kXmlSyntax);
  EXPECT_EQ(ReasonOf(""), ReportInvalidReason::kXmlSyntax);
  EXPECT_EQ(ReasonOf("<html><body/></html>"), ReportInvalidReason::kDmarcSchema);
  EXPECT_EQ(ReasonOf("<feedback/>"), ReportInvalidReason::kDmarcSchema);
  EXPECT_EQ(ReasonOf(Minimal("<record><row><count>1</count></row></record>")),
            ReportInvalidReason::kDmarcSchema);
  EXPECT_EQ(ReasonOf(Minimal("<record><row><source_ip>192.0.2.1</source_ip><count>-1</count>"
                             "</row></record>")),
            ReportInvalidReason::kDmarcSchema);
  EXPECT_EQ(ReasonOf(Minimal("<record><row><source_ip>192.0.2.1</source_ip></row></record>")),
            ReportInvalidReason::kDmarcSchema);
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "<x>";
  for (int i = 0; i < 20; ++i) deep += "</x>";
  EXPECT_EQ(ReasonOf("<feedback>" + deep + "</feedback>"), ReportInvalidReason::kDmarcSchema);
  EXPECT_EQ(ReasonOf("<feedback><report_metadata><org_name>" + std::string(10000, 'a') +
                     "</org_name></report_metadata></feedback>"),
            ReportInvalidReason::kDmarcSchema);
  EXPECT_OK(ParseDmarcAggregateReport(Minimal("")));
}

// Found by the fuzzer: auth_results fields outside a <dkim> or <spf>, after
// a record that had one, must not touch the previous record's results.
TEST(DmarcAggregateReportTest, AuthFieldsOutsideTheirElement) {
  StatusOr<DmarcAggregateReport> r = ParseDmarcAggregateReport(Minimal(
      "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row>"
      "<auth_results><dkim><domain>a</domain></dkim><result>x</result></auth_results></record>"
      "<record><row><source_ip>192.0.2.2</source_ip><count>1</count></row>"
      "<auth_results><result>pass</result><spf><result>pass</result></spf>"
      "<dkim/><domain>b</domain></auth_results></record>"));
  ASSERT_OK(r);
  ASSERT_EQ(r->records.size(), 2u);
  ASSERT_EQ(r->records[0].dkim.size(), 1u);
  EXPECT_EQ(r->records[0].dkim[0].domain, "a");
  ASSERT_EQ(r->records[1].dkim.size(), 1u);
  EXPECT_EQ(r->records[1].dkim[0].domain, "");
  EXPECT_EQ(r->records[1].spf[0].result, "pass");
}

TEST(DmarcAggregateReportTest, RecordCap) {
  std::string record =
      "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>";
  std::string xml = Minimal(record + record + record);
  EXPECT_OK(ParseDmarcAggregateReport(xml, 3));
  EXPECT_EQ(InvalidReportReason(ParseDmarcAggregateReport(xml, 2).status()),
            ReportInvalidReason::kTooManyRecords);
}

TEST(DmarcAggregateReportTest, LooksLikeXml) {
  EXPECT_TRUE(LooksLikeXml("\xEF\xBB\xBF\r\n <?xml"));
  EXPECT_FALSE(LooksLikeXml("From: x"));
  EXPECT_FALSE(LooksLikeXml("  "));
}

}  // namespace
}  // namespace mailrep
