#include "collectors/reports/report_directory.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(ReportDirectoryTest, PlainDirectoryListsRegularFiles) {
  ScopedTempDir t;
  t.WriteFile("/in/b.xml", "b");
  t.WriteFile("/in/a.eml", "aa");
  t.WriteFile("/in/.hidden", "x");
  t.MakeDir("/in/sub");
  t.WriteFile("/in/sub/c.xml", "c");
  StatusOr<ReportDirectory> l = ListReportFiles(t.Path("/in"));
  ASSERT_OK(l);
  EXPECT_FALSE(l->maildir);
  ASSERT_EQ(l->files.size(), 2u);
  EXPECT_EQ(l->files[0].path, t.Path("/in/a.eml"));
  EXPECT_EQ(l->files[0].size, 2u);
  EXPECT_GT(l->files[0].mtime_ns, 0);
}

TEST(ReportDirectoryTest, MaildirReadsNewAndCurNotTmp) {
  ScopedTempDir t;
  t.WriteFile("/md/new/1.host", "1");
  t.WriteFile("/md/cur/2.host:2,S", "2");
  t.WriteFile("/md/tmp/3.host", "3");
  StatusOr<ReportDirectory> l = ListReportFiles(t.Path("/md"));
  ASSERT_OK(l);
  EXPECT_TRUE(l->maildir);
  ASSERT_EQ(l->files.size(), 2u);
  EXPECT_EQ(l->files[0].path, t.Path("/md/cur/2.host:2,S"));
  EXPECT_EQ(l->files[1].path, t.Path("/md/new/1.host"));
}

TEST(ReportDirectoryTest, FilterKeepsTheFirstAcceptedByPath) {
  ScopedTempDir t;
  for (const char* name : {"e", "a", "d", "skip", "b", "c"})
    t.WriteFile(std::string("/in/") + name, "x");
  ReportListFilter filter;
  int seen = 0;
  filter.keep = [&](const ReportFile& f) {
    ++seen;
    return f.path != t.Path("/in/skip");
  };
  filter.max_kept = 3;
  StatusOr<ReportDirectory> l = ListReportFiles(t.Path("/in"), filter);
  ASSERT_OK(l);
  EXPECT_EQ(seen, 6);
  EXPECT_EQ(l->kept, 5u);
  ASSERT_EQ(l->files.size(), 3u);
  EXPECT_EQ(l->files[0].path, t.Path("/in/a"));
  EXPECT_EQ(l->files[1].path, t.Path("/in/b"));
  EXPECT_EQ(l->files[2].path, t.Path("/in/c"));
  filter.max_kept = 0;
  l = ListReportFiles(t.Path("/in"), filter);
  ASSERT_OK(l);
  EXPECT_EQ(l->kept, 5u);
  EXPECT_TRUE(l->files.empty());
}

TEST(ReportDirectoryTest, MissingDirectoryIsNotFound) {
  ScopedTempDir t;
  EXPECT_EQ(ListReportFiles(t.Path("/absent")).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace mailrep
