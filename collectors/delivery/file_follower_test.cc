#include "collectors/delivery/file_follower.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace mailrep {
namespace {

namespace fs = std::filesystem;

class FileFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mailrep_follow_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "mail.log").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Append(const std::string& text) { Append(path_, text); }
  static void Append(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << text;
  }
  std::vector<std::string> Poll(FileFollower* f) {
    std::vector<std::string> lines;
    f->Poll([&](std::string_view line, bool too_long) {
      lines.push_back(too_long ? "TOO_LONG:" + std::to_string(line.size()) : std::string(line));
    });
    return lines;
  }

  fs::path dir_;
  std::string path_;
};

using Lines = std::vector<std::string>;

TEST_F(FileFollowerTest, StartsAtEndByDefaultAndHoldsPartialLines) {
  Append("old 1\nold 2\n");
  FileFollower f(path_, {});
  EXPECT_EQ(Poll(&f), Lines{});
  EXPECT_TRUE(f.up());
  Append("new 1\nnew ");
  EXPECT_EQ(Poll(&f), Lines{"new 1"});
  Append("2\n");
  EXPECT_EQ(Poll(&f), Lines{"new 2"});
}

TEST_F(FileFollowerTest, FromStart) {
  Append("old 1\nold 2\n");
  FileFollower f(path_, {.from_start = true});
  EXPECT_EQ(Poll(&f), (Lines{"old 1", "old 2"}));
}

TEST_F(FileFollowerTest, MissingFileIsWaitedForAndReadFromItsStart) {
  FileFollower f(path_, {});
  EXPECT_EQ(Poll(&f), Lines{});
  EXPECT_FALSE(f.up());
  EXPECT_FALSE(f.problem().empty());
  Append("first\n");
  EXPECT_EQ(Poll(&f), Lines{"first"});
  EXPECT_TRUE(f.up());
}

TEST_F(FileFollowerTest, RenameRotationLosesNothing) {
  Append("");
  FileFollower f(path_, {});
  Poll(&f);
  Append("a\nb\n");
  fs::rename(path_, path_ + ".1");
  Append(path_ + ".1", "late to old\n");  // writer not reopened yet
  EXPECT_EQ(Poll(&f), (Lines{"a", "b", "late to old"}));
  EXPECT_FALSE(f.up());
  Append("c\n");  // recreated
  Append(path_ + ".1", "later to old\n");
  Lines got = Poll(&f);
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()),
            (std::set<std::string>{"c", "later to old"}));
  Append("d\n");
  EXPECT_EQ(Poll(&f), Lines{"d"});
  EXPECT_EQ(Poll(&f), Lines{});
}

TEST_F(FileFollowerTest, DeleteThenRecreate) {
  Append("x\n");
  FileFollower f(path_, {});
  Poll(&f);
  Append("y\n");
  fs::remove(path_);
  EXPECT_EQ(Poll(&f), Lines{"y"});
  Append("z\n");
  EXPECT_EQ(Poll(&f), Lines{"z"});
}

TEST_F(FileFollowerTest, CopyTruncate) {
  Append("0123456789\n");
  FileFollower f(path_, {});
  Poll(&f);
  Append("kept\n");
  EXPECT_EQ(Poll(&f), Lines{"kept"});
  fs::copy_file(path_, path_ + ".1");
  fs::resize_file(path_, 0);
  Append("after\n");
  EXPECT_EQ(Poll(&f), Lines{"after"});
}

// The file is truncated and then grows past our old offset before the next
// poll: every line written after the truncation is read.
TEST_F(FileFollowerTest, CopyTruncateThenFastGrowth) {
  FileFollower f(path_, {.from_start = true});
  std::string before;
  for (int i = 0; i < 100; ++i)
    before += "Dec  7 13:00:00 host postfix/smtp[1]: old " + std::to_string(i) + "\n";
  Append(before);
  EXPECT_EQ(Poll(&f).size(), 100u);
  fs::resize_file(path_, 0);
  std::string after;
  for (int i = 0; i < 600; ++i)
    after += "Dec  7 14:00:00 host postfix/smtp[2]: new " + std::to_string(i) + "\n";
  Append(after);
  Lines got = Poll(&f);
  ASSERT_EQ(got.size(), 600u);
  EXPECT_EQ(got.front(), "Dec  7 14:00:00 host postfix/smtp[2]: new 0");
  EXPECT_EQ(got.back(), "Dec  7 14:00:00 host postfix/smtp[2]: new 599");
  Append("tail\n");
  EXPECT_EQ(Poll(&f), Lines{"tail"});
}

// Opened at the end, then truncated and regrown before the first read.
TEST_F(FileFollowerTest, CopyTruncateBeforeFirstRead) {
  Append("Dec  7 13:00:00 host postfix/smtp[1]: an old line\n");
  FileFollower f(path_, {});
  EXPECT_EQ(Poll(&f), Lines{});
  fs::resize_file(path_, 0);
  Append("Dec  7 14:00:00 host postfix/smtp[2]: one new line\nand a second new one\n");
  EXPECT_EQ(Poll(&f),
            (Lines{"Dec  7 14:00:00 host postfix/smtp[2]: one new line", "and a second new one"}));
}

TEST_F(FileFollowerTest, OverlongLinesAreReportedOnceAndSkipped) {
  Append("");
  FileFollower f(path_, {.max_line_bytes = 100});
  Poll(&f);
  Append(std::string(250, 'x'));
  EXPECT_EQ(Poll(&f), Lines{"TOO_LONG:100"});
  Append(std::string(50, 'x') + "\nok\n");
  EXPECT_EQ(Poll(&f), Lines{"ok"});
  Append(std::string(3 << 20, 'y') + "\nfine\n");  // over the real 1 MB cap too
  FileFollower big(path_, {.from_start = true});
  Lines got = Poll(&big);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), "fine");
  EXPECT_NE(std::find(got.begin(), got.end(), "TOO_LONG:1048576"), got.end());
}

// A writer appends numbered lines while the file is rotated in all three ways;
// every line must come out exactly once.
TEST_F(FileFollowerTest, RotationWhileWriting) {
  constexpr int kLines = 30000;
  Append("");
  FileFollower f(path_, {});
  Poll(&f);
  std::atomic<bool> done{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    FILE* out = std::fopen(path_.c_str(), "a");
    for (int i = 0; i < kLines; ++i) {
      std::fprintf(out, "line %d\n", i);
      std::fflush(out);
      written = i + 1;
      if (i == kLines / 3) {
        // rename rotation; the writer reopens a little later
        fs::rename(path_, path_ + ".1");
        for (int j = 0; j < 100; ++j) std::fprintf(out, "line %d\n", ++i);
        std::fclose(out);
        out = std::fopen(path_.c_str(), "a");
        written = i + 1;
      } else if (i == 2 * kLines / 3) {
        // delete then recreate
        std::fclose(out);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        fs::remove(path_ + ".1");
        fs::rename(path_, path_ + ".1");
        out = std::fopen(path_.c_str(), "a");
      }
    }
    std::fclose(out);
    done = true;
  });
  std::vector<int> seen(kLines, 0);
  auto poll = [&] {
    f.Poll([&](std::string_view line, bool) {
      int n = std::stoi(std::string(line.substr(5)));
      ASSERT_GE(n, 0);
      ASSERT_LT(n, kLines);
      ++seen[n];
    });
  };
  while (!done) {
    poll();
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
  writer.join();
  poll();
  poll();
  int missing = 0, doubled = 0;
  for (int n : seen) {
    missing += n == 0;
    doubled += n > 1;
  }
  EXPECT_EQ(missing, 0);
  EXPECT_EQ(doubled, 0);
}

}  // namespace
}  // namespace mailrep
