#include "tests/example_collector/loadavg_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporter/core/collector_testing.h"
#include "exporter/core/metric_doc.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// Builds the collector as the exporter does: through its spec's factory, with
// the options of collectors.example_loadavg and the rootfs prefix.
StatusOr<std::unique_ptr<Collector>> Build(const std::string& yaml, const std::string& root) {
  StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
  if (!options.ok()) return options.status();
  Config config;
  CollectorSettings settings;
  return LoadavgCollectorSpec().factory(CollectorEnv{config, settings, root}, *options);
}

TEST(LoadavgCollectorTest, ExportsTheThreeWindows) {
  ScopedTempDir tree;
  tree.WriteFile("/proc/loadavg", "0.52 0.58 0.59 2/1083 12345\n");
  StatusOr<std::unique_ptr<Collector>> collector = Build("{}", tree.path());
  ASSERT_OK(collector);

  MetricSet out;
  ASSERT_OK((*collector)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_example_load_average", {{"window", "1m"}}), 0.52);
  EXPECT_EQ(SampleValue(out, "mailrep_example_load_average", {{"window", "5m"}}), 0.58);
  EXPECT_EQ(SampleValue(out, "mailrep_example_load_average", {{"window", "15m"}}), 0.59);
  // HELP comes from the description, with the framework's cached note.
  ASSERT_EQ(out.families().size(), 1u);
  EXPECT_THAT(out.families()[0].help, testing::EndsWith(std::string(kCachedNote)));
}

TEST(LoadavgCollectorTest, UnreadableOrGarbledFileFailsTheRun) {
  ScopedTempDir tree;
  StatusOr<std::unique_ptr<Collector>> collector = Build("{}", tree.path());
  ASSERT_OK(collector);
  MetricSet out;
  EXPECT_FALSE((*collector)->Collect(TestContext(), &out).ok());  // no file yet

  tree.WriteFile("/proc/loadavg", "busy\n");
  EXPECT_FALSE((*collector)->Collect(TestContext(), &out).ok());
}

TEST(LoadavgCollectorTest, OptionErrorsNameFileLineAndKey) {
  StatusOr<std::unique_ptr<Collector>> relative = Build("path: proc/loadavg\n", "");
  ASSERT_FALSE(relative.ok());
  EXPECT_THAT(relative.status().message(), testing::HasSubstr("test.yml:1"));
  EXPECT_THAT(relative.status().message(), testing::HasSubstr("absolute"));

  StatusOr<std::unique_ptr<Collector>> typo = Build("pth: /proc/loadavg\n", "");
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(typo.status().message(), testing::HasSubstr("pth"));
}

TEST(LoadavgCollectorTest, ItsFamiliesMakeItsReferenceTable) {
  std::string markdown = MetricReferenceMarkdown(CollectorMetricGroups({LoadavgCollectorSpec()}));
  EXPECT_THAT(markdown, testing::HasSubstr("#### `example_loadavg`\n"));
  EXPECT_THAT(markdown, testing::HasSubstr("| `mailrep_example_load_average` | gauge | window | "
                                           "Load average of the host"));
}

}  // namespace
}  // namespace mailrep
