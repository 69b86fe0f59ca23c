#include "collectors/reports/reports_collector.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "collectors/reports/report_testdata.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

constexpr int64_t kNow = 1800000000;  // after every fixture's date range

class ReportsCollectorTest : public ::testing::Test {
 protected:
  ReportsCollectorTest() {
    SenderConfig sender;
    sender.ips.push_back(*IpNetwork::Parse("192.0.2.0/28"));
    sender.domains.push_back("example.com");
    config_.senders.push_back(sender);
    settings_.enabled = true;
  }

  StatusOr<std::unique_ptr<Collector>> Build(const std::string& extra = "") {
    CollectorEnv env{config_, settings_, t_.path()};
    env.clock = clock_;
    env.seen_sending_ips = seen_;
    env.message_ids = message_ids_;
    StatusOr<ConfigNode> options = ConfigNode::Parse(
        "sources: [{path: /var/mail/reports}]\nstate_file: " + t_.Path("/state/reports.state") +
            "\nmx_hosts: [mx1.example.com]\n" + extra,
        "test.yml");
    if (!options.ok()) return options.status();
    return NewReportsCollector(env, *options);
  }

  MetricSet Run(Collector& c) {
    MetricSet out;
    EXPECT_OK(c.Collect(TestContext(), &out));
    return out;
  }

  std::string Add(const std::string& name, const std::string& bytes) {
    return t_.WriteFile("/var/mail/reports/new/" + name, bytes);
  }

  ScopedTempDir t_;
  Config config_;
  CollectorSettings settings_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kNow);
  std::shared_ptr<SeenSendingIps> seen_ = std::make_shared<SeenSendingIps>();
  std::shared_ptr<MessageIdIndex> message_ids_ = std::make_shared<MessageIdIndex>();

  void SetUp() override {
    t_.MakeDir("/var/mail/reports/cur");
    t_.MakeDir("/var/mail/reports/new");
    t_.MakeDir("/var/mail/reports/tmp");
    t_.MakeDir("/state");
  }
};

TEST_F(ReportsCollectorTest, DmarcCountsOurIpsAndFoldsForeignOnes) {
  Add("1.host", ReportTestdata("google_like_dmarc.xml"));
  auto c = Build();
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"kind", "dmarc"}, {"result", "ok"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_messages_total",
                        {{"ip", "192.0.2.10"}, {"receiver", "gmail"}, {"disposition", "none"}}),
            1520);
  // 2001:db8::25 is not configured, 203.0.113.77 is foreign: both are "other".
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_messages_total",
                        {{"ip", "other"}, {"disposition", "quarantine"}}),
            3);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_messages_total",
                        {{"ip", "other"}, {"disposition", "none"}}),
            12);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_messages_total", {{"ip", "203.0.113.77"}}),
            std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_aligned_messages_total",
                        {{"ip", "192.0.2.10"}, {"mechanism", "spf"}, {"result", "pass"}}),
            1520);
  EXPECT_EQ(SampleValue(out, "mailrep_report_last_received_timestamp_seconds",
                        {{"kind", "dmarc"}, {"receiver", "gmail"}}),
            1796169599);
}

// A collector timeout of 2 s or less used to leave no time before the 2 s
// margin, so every run read nothing and only the backlog grew.
TEST_F(ReportsCollectorTest, AShortTimeoutStillReadsFiles) {
  Add("1.host", ReportTestdata("google_like_dmarc.xml"));
  auto c = Build();
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(std::chrono::seconds(1)), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"kind", "dmarc"}, {"result", "ok"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_backlog_files", {}), 0);
}

TEST_F(ReportsCollectorTest, SeenSendingIpsCountAsOurs) {
  seen_->Record("93.184.216.34", kNow - 3600);
  Add("1.host",
      "<feedback><report_metadata><org_name>Yahoo</org_name><email>dmarc@yahoo.com</email>"
      "<report_id>y1</report_id><date_range><begin>1</begin><end>2</end></date_range>"
      "</report_metadata><policy_published><domain>example.com</domain></policy_published>"
      "<record><row><source_ip>93.184.216.34</source_ip><count>7</count><policy_evaluated>"
      "<disposition>reject</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated>"
      "</row><identifiers><header_from>example.com</header_from></identifiers></record>"
      "</feedback>");
  auto c = Build();
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_aligned_messages_total",
                        {{"ip", "93.184.216.34"},
                         {"receiver", "yahoo"},
                         {"mechanism", "dkim"},
                         {"result", "fail"}}),
            7);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_aligned_messages_total",
                        {{"ip", "93.184.216.34"}, {"mechanism", "dmarc"}, {"result", "fail"}}),
            7);
}

TEST_F(ReportsCollectorTest, DeduplicatesAcrossFilesAndRestarts) {
  Add("1.host", ReportTestdata("google_like_dmarc.xml"));
  Add("2.host", ReportTestdata("google_like_dmarc.xml"));  // mailed twice
  {
    auto c = Build();
    ASSERT_OK(c);
    MetricSet out = Run(**c);
    EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"result", "ok"}}), 1);
    EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"result", "duplicate"}}), 1);
  }
  // A restart: unchanged files are not read again; a changed one is, and its
  // report id is known.
  Add("1.host", ReportTestdata("google_like_dmarc.xml") + "\n");
  auto c = Build();
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"result", "ok"}}), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"result", "duplicate"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_report_messages_total", {{"ip", "192.0.2.10"}}),
            std::nullopt);
  // The last-received time came back from the state file.
  EXPECT_EQ(SampleValue(out, "mailrep_report_last_received_timestamp_seconds",
                        {{"kind", "dmarc"}, {"receiver", "gmail"}}),
            1796169599);
}

TEST_F(ReportsCollectorTest, InvalidReportsCountedByReasonAndQuarantined) {
  Add("bad.host", ReportTestdata("not_a_report.eml"));
  Add("dtd.host", ReportTestdata("billion_laughs.xml"));
  auto c = Build("quarantine_dir: " + t_.Path("/q") + "\n");
  t_.MakeDir("/q");
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"kind", "unknown"}, {"result", "invalid"}}),
            2);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_invalid_total", {{"reason", "not_a_report"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_invalid_total", {{"reason", "xml_dtd"}}), 1);
  struct stat st;
  EXPECT_EQ(stat(t_.Path("/q/bad.host").c_str(), &st), 0);
  // Not counted again on the next run.
  out = Run(**c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_invalid_total", {{"reason", "xml_dtd"}}), 1);
}

TEST_F(ReportsCollectorTest, CorruptStateStartsAfreshWithACount) {
  t_.WriteFile("/state/reports.state", "not a state file\n");
  Add("1.host", ReportTestdata("google_like_dmarc.xml"));
  auto c = Build();
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_state_errors_total", {{"operation", "load"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"result", "ok"}}), 1);
  struct stat st;
  EXPECT_EQ(stat(t_.Path("/state/reports.state.corrupt").c_str(), &st), 0);
  EXPECT_OK(ReportState::Load(t_.Path("/state/reports.state")).status());
}

TEST_F(ReportsCollectorTest, ComplaintsBySourceIpOrTopReceived) {
  std::string arf = ReportTestdata("arf_complaint.eml");
  Add("1.host", arf);
  // The same complaint without Source-IP, about another message: the top
  // Received field of the original names the sending IP.
  std::string no_source = arf;
  no_source.erase(no_source.find("Source-IP: 192.0.2.10\r\n") != std::string::npos
                      ? no_source.find("Source-IP: 192.0.2.10\r\n")
                      : no_source.find("Source-IP: 192.0.2.10\n"),
                  no_source.find("Source-IP: 192.0.2.10\r\n") != std::string::npos ? 23 : 22);
  no_source.replace(no_source.find("4711@mail"), 4, "4712");
  no_source.replace(no_source.find("[192.0.2.10])"), 12, "[192.0.2.11]");
  Add("2.host", no_source);
  auto c = Build("receivers: {examplenet: [example.net]}\n");
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  for (const char* ip : {"192.0.2.10", "192.0.2.11"}) {
    EXPECT_EQ(SampleValue(out, "mailrep_complaints_total",
                          {{"ip", ip}, {"provider", "examplenet"}, {"feedback_type", "abuse"}}),
              1)
        << ip;
  }
}

// The complaint fixture without Source-IP and with a top Received field that
// names no address, about the message `message_id`.
std::string BareComplaint(const std::string& message_id) {
  std::string arf = ReportTestdata("arf_complaint.eml");
  auto cut_line = [&arf](const std::string& start) {
    size_t from = arf.find(start);
    arf.erase(from, arf.find('\n', from) + 1 - from);
  };
  cut_line("Source-IP: ");
  cut_line("Received: from mail.example.com");
  size_t by = arf.find("      by mx.example.net");
  arf.replace(by, 6, "Received: ");
  size_t id = arf.find("<20261203080000.4711@mail.example.com>");
  arf.replace(id, 38, message_id);
  return arf;
}

TEST_F(ReportsCollectorTest, ComplaintsJoinedByMessageIdToOurLogs) {
  // The delivery collector saw it leave from 198.51.100.25 (not a configured
  // sender: found in our own logs, so ours all the same).
  message_ids_->Add(MessageIdKey("<m1@Mail.Example.com>"), "198.51.100.25", "4Nv1qT4w3Zz1", "alice",
                    kNow - 86400);
  Add("1.host", BareComplaint("<m1@mail.EXAMPLE.COM>"));  // the domain's case differs
  Add("2.host", BareComplaint("<M1@mail.example.com>"));  // the local part's does: not ours
  Add("3.host", ReportTestdata("arf_complaint.eml"));     // Source-IP wins
  auto c = Build("receivers: {examplenet: [example.net]}\n");
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  auto complaints = [&out](const char* ip) {
    return SampleValue(out, "mailrep_complaints_total",
                       {{"ip", ip}, {"provider", "examplenet"}, {"feedback_type", "abuse"}});
  };
  EXPECT_EQ(complaints("198.51.100.25"), 1);
  EXPECT_EQ(complaints("unknown"), 1);
  EXPECT_EQ(complaints("192.0.2.10"), 1);
  auto by = [&out](const char* how) {
    return SampleValue(out, "mailrep_complaints_attributed_total", {{"by", how}});
  };
  EXPECT_EQ(by("message_id"), 1);
  EXPECT_EQ(by("none"), 1);
  EXPECT_EQ(by("source_ip"), 1);
  EXPECT_EQ(by("received"), std::nullopt);
}

TEST_F(ReportsCollectorTest, TlsrptSessionsAndFailuresAreBounded) {
  t_.WriteFile("/var/mail/reports/new/t.json.gz", ReportTestdata("tlsrpt_report.json.gz"));
  auto c = Build();
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  EXPECT_EQ(SampleValue(
                out, "mailrep_tlsrpt_sessions_total",
                {{"policy_domain", "example.com"}, {"policy_type", "sts"}, {"result", "success"}}),
            5326);
  // example.org is not ours.
  EXPECT_EQ(SampleValue(out, "mailrep_tlsrpt_sessions_total",
                        {{"policy_domain", "other"}, {"result", "success"}}),
            40);
  EXPECT_EQ(SampleValue(out, "mailrep_tlsrpt_failures_total",
                        {{"result_type", "certificate-expired"}, {"mx", "mx1.example.com"}}),
            300);
}

TEST_F(ReportsCollectorTest, BacklogPastMaxReportsPerRunAndReloadKeepsCounters) {
  Add("1.host", ReportTestdata("google_like_dmarc.xml"));
  Add("2.host", ReportTestdata("microsoft_like_dmarc.xml"));
  auto c = Build("max_reports_per_run: 1\n");
  ASSERT_OK(c);
  MetricSet out = Run(**c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_backlog_files", {}), 1);
  auto next = Build("max_reports_per_run: 5\n");
  ASSERT_OK(next);
  (*next)->AdoptState(**c);
  out = Run(**next);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_backlog_files", {}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_total", {{"result", "ok"}}), 2);
  EXPECT_EQ(
      SampleValue(out, "mailrep_report_last_received_timestamp_seconds", {{"receiver", "outlook"}})
          .has_value(),
      true);
}

TEST_F(ReportsCollectorTest, OptionErrors) {
  CollectorEnv env{config_, settings_, t_.path()};
  for (const char* yaml : {"sources: [{path: relative}]\n", "sources: []\n",
                           "sources: [{path: /a}]\nstate_file: rel\n",
                           "sources: [{path: /a}]\nmax_reports_per_run: 0\n"}) {
    StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
    ASSERT_OK(options);
    EXPECT_FALSE(NewReportsCollector(env, *options).ok()) << yaml;
  }
}

}  // namespace
}  // namespace mailrep
