#include "exporter/core/process_metrics.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep {
namespace {

namespace fs = std::filesystem;

// A /proc-like tree under a fresh temporary directory, removed afterwards.
class FakeProc {
 public:
  FakeProc() { dir_.MakeDir("self/fd"); }
  void Write(const std::string& rel, const std::string& text) { dir_.WriteFile(rel, text); }
  void AddFd(const std::string& name) { Write("self/fd/" + name, ""); }
  std::string root() const { return dir_.path(); }

 private:
  ScopedTempDir dir_{"proc"};
};

// Single-sample values by metric name.
std::map<std::string, double> Values(const MetricSet& set) {
  std::map<std::string, double> out;
  for (const auto& family : set.families()) {
    EXPECT_EQ(family.metric.size(), 1u) << family.name;
    if (family.metric.empty()) continue;
    const auto& m = family.metric[0];
    out[family.name] =
        family.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
  }
  return out;
}

// utime=250 stime=50 starttime=1000 vsize=3133440 rss=359
constexpr char kStat[] =
    "8150 (cat) R 8144 8144 3676 0 -1 4194304 101 0 0 0 250 50 0 0 20 0 1 0 1000 3133440 359 "
    "18446744073709551615 1 2 3 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
constexpr char kLimits[] =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max open files            1024                 524288               files     \n"
    "Max address space         unlimited            unlimited            bytes     \n";
constexpr char kProcStat[] = "cpu  1 2 3\nintr 5\nctxt 6\nbtime 1795788660\nprocesses 7\n";

TEST(ProcessMetricsTest, AllSeriesFromFixture) {
  FakeProc proc;
  proc.Write("self/stat", kStat);
  proc.Write("self/limits", kLimits);
  proc.Write("stat", kProcStat);
  for (const char* fd : {"0", "1", "2", "5"}) proc.AddFd(fd);

  MetricSet set;
  AddProcessMetricsFrom(proc.root(), 4096, 100, &set);
  auto v = Values(set);
  EXPECT_DOUBLE_EQ(v["process_cpu_seconds_total"], 3.0);
  EXPECT_DOUBLE_EQ(v["process_resident_memory_bytes"], 359.0 * 4096);
  EXPECT_DOUBLE_EQ(v["process_virtual_memory_bytes"], 3133440.0);
  EXPECT_DOUBLE_EQ(v["process_start_time_seconds"], 1795788660.0 + 10.0);
  EXPECT_DOUBLE_EQ(v["process_open_fds"], 4.0);
  EXPECT_DOUBLE_EQ(v["process_max_fds"], 1024.0);
  EXPECT_DOUBLE_EQ(v["process_virtual_memory_max_bytes"],
                   static_cast<double>(std::numeric_limits<uint64_t>::max()));
  EXPECT_EQ(set.families().front().type, prometheus::MetricType::Counter);
  EXPECT_EQ(v.size(), 7u);
}

TEST(ProcessMetricsTest, MissingFilesDropOnlyTheirSeries) {
  FakeProc proc;
  proc.Write("self/limits", kLimits);  // no self/stat, no stat
  MetricSet set;
  AddProcessMetricsFrom(proc.root(), 4096, 100, &set);
  auto v = Values(set);
  EXPECT_EQ(v.count("process_cpu_seconds_total"), 0u);
  EXPECT_EQ(v.count("process_start_time_seconds"), 0u);
  EXPECT_DOUBLE_EQ(v["process_max_fds"], 1024.0);
  EXPECT_DOUBLE_EQ(v["process_open_fds"], 0.0);
}

TEST(ProcessMetricsTest, MissingBootTimeDropsStartTimeOnly) {
  FakeProc proc;
  proc.Write("self/stat", kStat);
  proc.Write("stat", "cpu 1 2 3\n");
  MetricSet set;
  AddProcessMetricsFrom(proc.root(), 4096, 100, &set);
  auto v = Values(set);
  EXPECT_EQ(v.count("process_start_time_seconds"), 0u);
  EXPECT_DOUBLE_EQ(v["process_cpu_seconds_total"], 3.0);
}

TEST(ProcessMetricsTest, NonexistentRootAddsNothing) {
  MetricSet set;
  AddProcessMetricsFrom("/nonexistent/proc/root", 4096, 100, &set);
  EXPECT_EQ(set.series_count(), 0u);
}

TEST(ProcessMetricsTest, StatThatCannotBeReadIsSkipped) {
  FakeProc proc;
  fs::create_directories(proc.root() + "/self/stat");  // read() fails with EISDIR
  proc.Write("self/limits", kLimits);
  MetricSet set;
  AddProcessMetricsFrom(proc.root(), 4096, 100, &set);
  auto v = Values(set);
  EXPECT_EQ(v.count("process_cpu_seconds_total"), 0u);
  EXPECT_EQ(v.count("process_start_time_seconds"), 0u);
  EXPECT_DOUBLE_EQ(v["process_max_fds"], 1024.0);
}

TEST(ProcessMetricsTest, UnreadableFileIsSkipped) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads mode 000 files";
  FakeProc proc;
  proc.Write("self/stat", kStat);
  chmod((proc.root() + "/self/stat").c_str(), 0);
  MetricSet set;
  AddProcessMetricsFrom(proc.root(), 4096, 100, &set);
  EXPECT_EQ(Values(set).count("process_cpu_seconds_total"), 0u);
}

TEST(ProcessMetricsTest, RealProcessHasEverySeries) {
  MetricSet set;
  AddProcessMetrics(&set);
  auto v = Values(set);
  for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes",
                           "process_virtual_memory_bytes", "process_start_time_seconds",
                           "process_open_fds", "process_max_fds"}) {
    EXPECT_EQ(v.count(name), 1u) << name;
  }
  EXPECT_GT(v["process_open_fds"], 2.0);
  EXPECT_GT(v["process_resident_memory_bytes"], 0.0);
  double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(v["process_start_time_seconds"], now + 1);
  EXPECT_GT(v["process_start_time_seconds"], now - 3600);
}

struct StatCase {
  const char* text;
  bool ok;
  uint64_t utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;
};

TEST(ParseProcStatTest, Table) {
  const StatCase cases[] = {
      {kStat, true, 250, 50, 1000, 3133440, 359},
      // comm with spaces and parentheses
      {"1 (a b) (c)) S 0 0 0 0 0 0 0 0 0 0 7 8 0 0 0 0 1 0 9 10 11 0", true, 7, 8, 9, 10, 11},
      {"1 (x) S 0 0 0 0 0 0 0 0 0 0 7 8 0 0 0 0 1 0 9 10", false},  // truncated
      {"1 (x) S 0 0 0 0 0 0 0 0 0 0 7 8 0 0 0 0 1 0 9 10 -1", false},
      {"1 (x) S 0 0 0 0 0 0 0 0 0 0 q 8 0 0 0 0 1 0 9 10 11", false},
      {"no parenthesis at all", false},
      {"", false},
      {")", false},
  };
  for (const auto& c : cases) {
    auto got = ParseProcStat(c.text);
    ASSERT_EQ(got.has_value(), c.ok) << c.text;
    if (!got) continue;
    EXPECT_EQ(got->utime_ticks, c.utime);
    EXPECT_EQ(got->stime_ticks, c.stime);
    EXPECT_EQ(got->start_time_ticks, c.start);
    EXPECT_EQ(got->vsize_bytes, c.vsize);
    EXPECT_EQ(got->rss_pages, c.rss);
  }
}

TEST(ParseSoftLimitTest, Table) {
  EXPECT_EQ(ParseSoftLimit(kLimits, "Max open files"), 1024u);
  EXPECT_EQ(ParseSoftLimit(kLimits, "Max address space"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(ParseSoftLimit(kLimits, "Max file locks"), std::nullopt);
  EXPECT_EQ(ParseSoftLimit("Max open filesX 5 5\n", "Max open files"), std::nullopt);
  EXPECT_EQ(ParseSoftLimit("Max open files   lots  5\n", "Max open files"), std::nullopt);
  EXPECT_EQ(ParseSoftLimit("Max open files", "Max open files"), std::nullopt);
  EXPECT_EQ(ParseSoftLimit("", "Max open files"), std::nullopt);
}

TEST(ParseBootTimeTest, Table) {
  EXPECT_EQ(ParseBootTime(kProcStat), 1795788660u);
  EXPECT_EQ(ParseBootTime("btime 12"), 12u);
  EXPECT_EQ(ParseBootTime("btime\n"), std::nullopt);
  EXPECT_EQ(ParseBootTime("btime x\n"), std::nullopt);
  EXPECT_EQ(ParseBootTime("cpu 1\n"), std::nullopt);
}

}  // namespace
}  // namespace mailrep
