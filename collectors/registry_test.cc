// The metric reference as a whole: every family the exporter serves is
// described exactly once, and each description can be a HELP line and a
// Markdown table row.
#include "collectors/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "exporter/core/metric_doc.h"

namespace mailrep {
namespace {

bool ValidName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

TEST(MetricReferenceTest, EveryFamilyIsDescribedOnce) {
  std::map<std::string, std::string, std::less<>> seen;  // name -> group
  for (const MetricGroup& group : AllMetricGroups(AllCollectors())) {
    for (const MetricFamily& family : group.families) {
      auto [it, inserted] = seen.emplace(std::string(family.name), group.title);
      EXPECT_TRUE(inserted) << family.name << " is described in " << it->second << " and in "
                            << group.title;
    }
  }
  EXPECT_GT(seen.size(), 50u);
}

TEST(MetricReferenceTest, DescriptionsAreWellFormed) {
  for (const MetricGroup& group : AllMetricGroups(AllCollectors())) {
    for (const MetricFamily& family : group.families) {
      SCOPED_TRACE(std::string(family.name));
      EXPECT_TRUE(ValidName(family.name));
      EXPECT_EQ(family.type == prometheus::MetricType::Counter, family.name.ends_with("_total"));
      for (size_t i = 0; i < family.label_count(); ++i) {
        EXPECT_TRUE(ValidName(family.labels[i])) << family.labels[i];
        EXPECT_NE(family.labels[i], "instance");  // Prometheus's, for the scrape target
      }
      ASSERT_FALSE(family.help.empty());
      EXPECT_TRUE(family.help.ends_with(".")) << family.help;
      EXPECT_EQ(family.help.find_first_of("|\\\n"), std::string_view::npos) << family.help;
      EXPECT_EQ(family.help.find(kCachedNote), std::string_view::npos)
          << "the framework appends the cached note";
    }
  }
}

TEST(MetricReferenceTest, CollectorFamiliesAreCachedAndExporterOnesAreNot) {
  for (const MetricGroup& group : AllMetricGroups(AllCollectors())) {
    for (const MetricFamily& family : group.families) {
      bool own = group.title == "exporter" || group.title == "probe";
      // A collector's /probe-only family is measured during the request.
      bool probe_only = family.help.starts_with("/probe");
      EXPECT_EQ(family.cached, !own && !probe_only) << family.name;
    }
  }
}

TEST(MetricReferenceTest, MarkdownHasOneRowPerFamily) {
  std::string markdown = MetricReferenceMarkdown(AllMetricGroups(AllCollectors()));
  EXPECT_THAT(markdown, testing::StartsWith("#### `exporter`\n"));
  EXPECT_THAT(markdown, testing::HasSubstr("#### `*_queue`\n"));
  EXPECT_THAT(markdown, testing::HasSubstr(
                            "| `mailrep_collector_runs_total` | counter | collector | Background "
                            "runs of the collector, successful or not. |\n"));
  size_t rows = 0;
  for (size_t at = markdown.find("\n| `"); at != std::string::npos;
       at = markdown.find("\n| `", at + 1)) {
    ++rows;
  }
  size_t families = 0;
  for (const MetricGroup& group : AllMetricGroups(AllCollectors()))
    families += group.families.size();
  EXPECT_EQ(rows, families);
}

}  // namespace
}  // namespace mailrep
