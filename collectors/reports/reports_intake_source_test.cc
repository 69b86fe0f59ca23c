// The reports collector with a tlsrpt_intake: the intake's spool is read as
// one more source, as it is (not under the root the other sources are read
// under), and sources may then be empty.
#include <gtest/gtest.h>

#include "collectors/reports/report_testdata.h"
#include "collectors/reports/reports_collector.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

class ReportsIntakeSourceTest : public ::testing::Test {
 protected:
  ReportsIntakeSourceTest() { settings_.enabled = true; }

  StatusOr<std::unique_ptr<Collector>> Build(const std::string& yaml) {
    CollectorEnv env{config_, settings_, root_.path()};
    env.clock = std::make_shared<FakeClock>(1800000000);
    StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
    if (!options.ok()) return options.status();
    return NewReportsCollector(env, *options);
  }

  std::string Intake() const {
    return "state_file: " + ours_.Path("reports.state") +
           "\npolicy_domains: [example.com]\ntlsrpt_intake: {listen_address: \":0\", spool_dir: " +
           ours_.Path("spool") + "}\n";
  }

  ScopedTempDir root_{"rootfs"};  // --path.rootfs
  ScopedTempDir ours_{"ours"};    // the exporter's own files
  Config config_;
  CollectorSettings settings_;
};

TEST_F(ReportsIntakeSourceTest, TheSpoolIsReadAsItIsNotUnderTheRoot) {
  ours_.WriteFile("spool/new/1.tlsrpt.json.gz", ReportTestdata("tlsrpt_report.json.gz"));
  ours_.MakeDir("spool/cur");
  ours_.MakeDir("spool/tmp");
  StatusOr<std::unique_ptr<Collector>> c = Build(Intake());
  ASSERT_OK(c.status());
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_tlsrpt_sessions_total",
                        {{"policy_domain", "example.com"}, {"result", "success"}}),
            5326);
}

TEST_F(ReportsIntakeSourceTest, TheSpoolIsNotAlsoASource) {
  EXPECT_FALSE(Build(Intake() + "sources: [{path: " + ours_.Path("spool") + "}]\n").ok());
  EXPECT_OK(Build(Intake() + "sources: [{path: /var/mail/reports}]\n").status());
  // Without an intake, sources stay required.
  EXPECT_FALSE(Build("state_file: " + ours_.Path("reports.state") + "\n").ok());
}

}  // namespace
}  // namespace mailrep
