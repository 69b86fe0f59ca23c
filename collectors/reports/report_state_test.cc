#include "collectors/reports/report_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "exporter/util/read_file.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;

TEST(ReportStateTest, DeduplicatesByKindReporterAndId) {
  ReportState state;
  EXPECT_TRUE(state.AddReport("dmarc", "google.com", "1", 100));
  EXPECT_FALSE(state.AddReport("dmarc", "google.com", "1", 100));
  EXPECT_TRUE(state.AddReport("dmarc", "google.com", "2", 100));
  EXPECT_TRUE(state.AddReport("tlsrpt", "google.com", "1", 100));
  // Field boundaries cannot be forged with spaces.
  EXPECT_TRUE(state.AddReport("dmarc", "google.com 1", "", 100));
  EXPECT_TRUE(state.dirty());
}

TEST(ReportStateTest, RoundTripThroughAFile) {
  ScopedTempDir dir;
  std::string path = dir.Path("reports.state");
  ReportState state;
  state.AddReport("dmarc", "Yahoo! Inc.", "id with spaces\nand %", 1796169599);
  state.NoteFile("/var/mail/new/1 2.eml", 1200, 1796169599000000001);
  state.NoteReceived("dmarc", "yahoo", 1796169599);
  ASSERT_OK(state.Save(path));
  EXPECT_FALSE(state.dirty());
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary file is left beside it.
  EXPECT_EQ(stat((path + ".tmp." + std::to_string(getpid())).c_str(), &st), -1);

  StatusOr<ReportState> loaded = ReportState::Load(path);
  ASSERT_OK(loaded);
  EXPECT_FALSE(loaded->AddReport("dmarc", "Yahoo! Inc.", "id with spaces\nand %", 0));
  EXPECT_TRUE(loaded->FileUnchanged("/var/mail/new/1 2.eml", 1200, 1796169599000000001));
  EXPECT_FALSE(loaded->FileUnchanged("/var/mail/new/1 2.eml", 1201, 1796169599000000001));
  EXPECT_EQ(loaded->last_received().at({"dmarc", "yahoo"}), 1796169599);
  EXPECT_EQ(loaded->Serialize(), state.Serialize());
}

TEST(ReportStateTest, MissingFileIsAnEmptyState) {
  ScopedTempDir dir;
  StatusOr<ReportState> loaded = ReportState::Load(dir.Path("absent.state"));
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->report_count(), 0u);
}

TEST(ReportStateTest, CorruptFileIsAClearError) {
  for (const char* text :
       {"", "garbage\n", "mailrep-reports-state 2\nR notanumber 0123456789abcdef\n",
        "mailrep-reports-state 2\nR 1 a b\n", "mailrep-reports-state 2\nF 1 2 0123456789abcdeg\n",
        "mailrep-reports-state 2\nF 1 2 123\n", "mailrep-reports-state 1\n",
        "mailrep-reports-state 2\nX\n"}) {
    StatusOr<ReportState> s = ReportState::Parse(text);
    EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument) << text;
  }
  EXPECT_THAT(ReportState::Parse("mailrep-reports-state 2\nR 1 a b\n").status().message(),
              HasSubstr("line 2"));
}

TEST(ReportStateTest, PruneDropsOldThenOldest) {
  ReportState state(ReportStateLimits{3, 1000, 2});
  state.AddReport("dmarc", "r", "old", 100);  // before now - retention
  for (int i = 0; i < 5; ++i) state.AddReport("dmarc", "r", std::to_string(i), 1500 + i);
  for (int i = 0; i < 4; ++i) state.NoteFile("/f" + std::to_string(i), 1, 1);
  state.Prune(2000);
  EXPECT_EQ(state.report_count(), 3u);
  EXPECT_TRUE(state.AddReport("dmarc", "r", "0", 1500));  // the oldest went
  EXPECT_FALSE(state.AddReport("dmarc", "r", "4", 1504));
  EXPECT_EQ(state.file_count(), 2u);
  state.RetainFiles({ReportState::Fingerprint("/f0")});
  EXPECT_LE(state.file_count(), 1u);
}

TEST(ReportStateTest, ManyEntriesPastTheRecentBufferRoundTrip) {
  ReportState state;
  constexpr int kCount = 10000;  // several merges of the recent buffer
  for (int i = 0; i < kCount; ++i) {
    EXPECT_TRUE(state.AddReport("dmarc", "r", std::to_string(i), 1000 + i));
    state.NoteFile("/f" + std::to_string(i), i, i);
  }
  EXPECT_FALSE(state.AddReport("dmarc", "r", "0", 1000));
  EXPECT_FALSE(state.AddReport("dmarc", "r", std::to_string(kCount - 1), 1));
  EXPECT_EQ(state.report_count(), size_t{kCount});
  EXPECT_EQ(state.file_count(), size_t{kCount});
  EXPECT_TRUE(state.FileUnchanged("/f77", 77, 77));
  state.NoteFile("/f77", 78, 77);
  EXPECT_FALSE(state.FileUnchanged("/f77", 77, 77));
  EXPECT_TRUE(state.FileUnchanged("/f77", 78, 77));
  EXPECT_EQ(state.file_count(), size_t{kCount});

  std::string text = state.Serialize();
  std::string pieces;
  int calls = 0;
  ASSERT_OK(state.SerializeTo([&](std::string_view piece) {
    ++calls;
    pieces.append(piece);
    return Status::OK();
  }));
  EXPECT_EQ(pieces, text);
  EXPECT_GT(calls, 1);
  StatusOr<ReportState> again = ReportState::Parse(text);
  ASSERT_OK(again);
  EXPECT_EQ(again->Serialize(), text);
  EXPECT_TRUE(again->HasReport("dmarc", "r", "4321"));
  EXPECT_TRUE(again->FileUnchanged("/f77", 78, 77));

  std::vector<uint64_t> present;
  for (int i = 0; i < kCount; i += 2)
    present.push_back(ReportState::Fingerprint("/f" + std::to_string(i)));
  std::sort(present.begin(), present.end());
  state.RetainFiles(present);
  EXPECT_EQ(state.file_count(), size_t{kCount / 2});
  EXPECT_TRUE(state.FileUnchanged("/f2", 2, 2));
  EXPECT_FALSE(state.FileUnchanged("/f3", 3, 3));
}

TEST(ReportStateTest, SerializeToStopsAtTheSinksError) {
  ReportState state;
  for (int i = 0; i < 5000; ++i) state.AddReport("dmarc", "r", std::to_string(i), i);
  int calls = 0;
  Status s = state.SerializeTo([&](std::string_view) {
    ++calls;
    return Status::IoError("disk full");
  });
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace mailrep
