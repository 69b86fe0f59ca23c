#include "collectors/reports/report_check_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "collectors/reports/report_testdata.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReportTestdataPath;
using ::testing::StartsWith;

struct CheckRun {
  int code;
  std::string out, err;
};

CheckRun Check(std::vector<std::string> args) {
  std::ostringstream out, err;
  CheckCommandContext ctx{std::move(args), "", "/nonexistent-root", out, err};
  int code = RunReportCheck(ctx);
  return {code, out.str(), err.str()};
}

TEST(ReportCheckCommandTest, DmarcJson) {
  CheckRun r = Check({ReportTestdataPath("dmarc_gzip_report.eml"), "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out,
              StartsWith("{\"kind\": \"dmarc\", \"reporter\": \"google.com\", \"report_id\": "
                         "\"4837261950012873645\", \"begin\": 1796083200, \"end\": 1796169599, "
                         "\"policy_domain\": \"example.com\""));
  EXPECT_THAT(r.out, HasSubstr("{\"source_ip\": \"192.0.2.10\", \"count\": 1520, \"disposition\": "
                               "\"none\", \"dkim_aligned\": true, \"spf_aligned\": true"));
  EXPECT_THAT(r.out, HasSubstr("{\"source_ip\": \"203.0.113.77\", \"count\": 3, \"disposition\": "
                               "\"quarantine\", \"dkim_aligned\": false, \"spf_aligned\": false"));
  EXPECT_THAT(r.out, HasSubstr("\"container\": \"mail, gzip\"}\n"));
}

TEST(ReportCheckCommandTest, TlsrptJson) {
  CheckRun r = Check({ReportTestdataPath("tlsrpt_report.json.gz"), "--format=json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("{\"kind\": \"tlsrpt\", \"reporter\": \"Example Receiver Inc.\", "
                               "\"report_id\": \"2026-12-01T00:00:00Z_example.com\""));
  EXPECT_THAT(r.out, HasSubstr("\"policies\": [{\"policy_domain\": \"example.com\", "
                               "\"policy_type\": \"sts\", \"successful\": 5326, \"failed\": 303, "
                               "\"failures\": [{\"result_type\": \"certificate-expired\", "
                               "\"receiving_mx\": \"mx1.example.com\", \"count\": 300}"));
}

TEST(ReportCheckCommandTest, ArfJsonNeverShowsRecipientsOrBody) {
  CheckRun r = Check({ReportTestdataPath("arf_complaint.eml"), "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("{\"kind\": \"arf\", \"feedback_type\": \"abuse\", \"source_ip\": "
                               "\"192.0.2.10\", \"original_message_id\": "
                               "\"<20261203080000.4711@mail.example.com>\", \"reported_domain\": "
                               "\"example.com\""));
  CheckRun text = Check({ReportTestdataPath("arf_complaint.eml")});
  EXPECT_EQ(text.code, 0);
  for (const std::string& out : {r.out, text.out}) {
    EXPECT_THAT(out, Not(HasSubstr("someone@example.net")));
    EXPECT_THAT(out, Not(HasSubstr("Private body")));
  }
}

TEST(ReportCheckCommandTest, Text) {
  CheckRun r = Check({ReportTestdataPath("dmarc_zip_report.eml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("DMARC aggregate report from Enterprise Outlook"));
  EXPECT_THAT(r.out, HasSubstr("policy: example.org p=reject sp=reject np=reject"));
  EXPECT_THAT(r.out, HasSubstr("RFC 9990 schema"));
  EXPECT_THAT(r.out, HasSubstr("198.51.100.99"));
  r = Check({ReportTestdataPath("tlsrpt_plain_json_labelled_gzip.eml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("example.com (sts): 5326 successful, 303 failed sessions"));
  EXPECT_THAT(r.out, HasSubstr("certificate-expired at mx1.example.com: 300"));
}

TEST(ReportCheckCommandTest, InvalidIsExitOne) {
  CheckRun r = Check({ReportTestdataPath("billion_laughs.xml"), "--format", "json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("{\"kind\": \"invalid\", \"reason\": \"xml_dtd\""));
  r = Check({ReportTestdataPath("zip_bomb.zip")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("invalid report: decompressed_too_large: "));
}

TEST(ReportCheckCommandTest, UsageAndUnreadable) {
  CheckRun r = Check({});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("check report: give exactly one FILE"));
  r = Check({"/nonexistent/report.xml"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("check report: "));
}

}  // namespace
}  // namespace mailrep
