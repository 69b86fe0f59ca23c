#include "collectors/queue/spool_walker.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/fsuid.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

std::vector<std::string> WalkNames(const std::string& dir, SpoolProblemCounts* problems,
                                   Status* status, int max_depth = 2) {
  std::vector<std::string> names;
  SpoolWalkOptions options;
  options.max_depth = max_depth;
  *status = WalkSpool(dir, options, {}, problems, [&](const SpoolEntry& e) {
    names.push_back(e.subdir.empty() ? std::string(e.name)
                                     : std::string(e.subdir) + "/" + std::string(e.name));
  });
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SpoolWalkerTest, WalksHashedSubdirectories) {
  ScopedTempDir tmp;
  WriteTestFile(tmp.path() + "/q/AAAAA1", "x");
  WriteTestFile(tmp.path() + "/q/B/BBBBB2", "x");
  WriteTestFile(tmp.path() + "/q/C/D/CDDDD3", "x");
  WriteTestFile(tmp.path() + "/q/.hidden", "x");
  SpoolProblemCounts problems;
  Status status;
  EXPECT_EQ(WalkNames(tmp.path() + "/q", &problems, &status),
            (std::vector<std::string>{"AAAAA1", "B/BBBBB2", "C/D/CDDDD3"}));
  EXPECT_OK(status) << status.ToString();
  EXPECT_EQ(problems.Total(), 0u);
}

TEST(SpoolWalkerTest, CountsUnexpectedEntries) {
  ScopedTempDir tmp;
  std::string q = tmp.path() + "/q";
  WriteTestFile(q + "/A/B/C/too_deep", "x");
  WriteTestFile(q + "/real", "x");
  std::filesystem::create_symlink(q + "/real", q + "/link");
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock = q + "/sock";
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
  SpoolProblemCounts problems;
  Status status;
  EXPECT_EQ(WalkNames(q, &problems, &status), std::vector<std::string>{"real"});
  EXPECT_OK(status);
  EXPECT_EQ(problems.Get(SpoolProblem::kUnexpectedEntry), 3u);  // link, sock, A/B/C
}

TEST(SpoolWalkerTest, MissingDirectoryIsNotFound) {
  ScopedTempDir tmp;
  SpoolProblemCounts problems;
  Status status;
  WalkNames(tmp.path() + "/nope", &problems, &status);
  EXPECT_EQ(status.code(), Status::Code::kNotFound);
  EXPECT_NE(status.message().find("/nope"), std::string::npos);
}

// Files deleted between readdir and open (the active queue churns) are
// counted as vanished and the walk goes on.
TEST(SpoolWalkerTest, FilesVanishingMidWalkAreCounted) {
  ScopedTempDir tmp;
  std::string q = tmp.path() + "/q";
  for (int i = 0; i < 200; ++i) WriteTestFile(q + "/F" + std::to_string(i), "x");
  SpoolProblemCounts problems;
  int opened = 0;
  int visited = 0;
  Status status = WalkSpool(q, {}, {}, &problems, [&](const SpoolEntry& e) {
    ++visited;
    // Delete every file (including this one) before opening this one:
    // readdir may still return the others.
    if (visited == 1) {
      for (int i = 0; i < 200; ++i) unlink((q + "/F" + std::to_string(i)).c_str());
    }
    int fd = OpenSpoolEntry(e, &problems);
    if (fd >= 0) {
      ++opened;
      close(fd);
    }
  });
  EXPECT_OK(status);
  EXPECT_EQ(opened, 0);
  EXPECT_GE(visited, 1);
  EXPECT_EQ(problems.Get(SpoolProblem::kVanished), static_cast<uint64_t>(visited));
}

TEST(SpoolWalkerTest, SubdirectoryVanishingIsCounted) {
  ScopedTempDir tmp;
  std::string q = tmp.path() + "/q";
  WriteTestFile(q + "/A/AAAAA1", "x");
  WriteTestFile(q + "/B/BBBBB1", "x");
  WriteTestFile(q + "/C/CCCCC1", "x");
  SpoolProblemCounts problems;
  bool removed = false;
  std::set<std::string> seen;
  Status status = WalkSpool(q, {}, {}, &problems, [&](const SpoolEntry& e) {
    seen.insert(std::string(e.subdir));
    if (!removed) {
      removed = true;
      for (const char* d : {"A", "B", "C"}) {
        if (e.subdir != d) std::filesystem::remove_all(q + "/" + d);
      }
    }
  });
  EXPECT_OK(status);
  EXPECT_EQ(seen.size(), 1u);
  // Either readdir no longer returns the removed directories, or opening
  // them fails with ENOENT; never a crash or a failed walk.
  EXPECT_LE(problems.Get(SpoolProblem::kVanished), 2u);
}

TEST(SpoolWalkerTest, StopsWhenAsked) {
  ScopedTempDir tmp;
  std::string q = tmp.path() + "/q";
  for (int i = 0; i < 1000; ++i) WriteTestFile(q + "/F" + std::to_string(i), "x");
  std::stop_source stop;
  stop.request_stop();
  SpoolProblemCounts problems;
  int visited = 0;
  Status status =
      WalkSpool(q, {}, stop.get_token(), &problems, [&](const SpoolEntry&) { ++visited; });
  EXPECT_EQ(status.code(), Status::Code::kCancelled);
  EXPECT_LT(visited, 1000);
}

// Root ignores permissions; drop the file-system capabilities with setfsuid
// for this thread to see what an unprivileged exporter sees.
class FsuidGuard {
 public:
  explicit FsuidGuard(uid_t uid) : old_(static_cast<uid_t>(setfsuid(uid))) {}
  ~FsuidGuard() { setfsuid(old_); }

 private:
  uid_t old_;
};

TEST(SpoolWalkerTest, PermissionDeniedIsCounted) {
  ScopedTempDir tmp;
  std::string q = tmp.path() + "/q";
  WriteTestFile(q + "/A/AAAAA1", "x");
  WriteTestFile(q + "/B/BBBBB1", "x", 0600);
  ASSERT_EQ(chmod((q + "/A").c_str(), 0700), 0);
  ASSERT_EQ(chmod(tmp.path().c_str(), 0755), 0);
  ASSERT_EQ(chmod(q.c_str(), 0755), 0);
  ASSERT_EQ(chmod((q + "/B").c_str(), 0755), 0);
  SpoolProblemCounts problems;
  std::vector<std::string> names;
  int opened = 0;
  Status status;
  {
    FsuidGuard guard(65534);
    if (geteuid() != 0 && access((q + "/A").c_str(), R_OK) == 0) GTEST_SKIP();
    status = WalkSpool(q, {}, {}, &problems, [&](const SpoolEntry& e) {
      names.emplace_back(e.name);
      int fd = OpenSpoolEntry(e, &problems);
      if (fd >= 0) {
        ++opened;
        close(fd);
      }
    });
  }
  EXPECT_OK(status) << status.ToString();
  EXPECT_EQ(names, std::vector<std::string>{"BBBBB1"});  // A/ cannot be listed
  EXPECT_EQ(opened, 0);                                  // B/BBBBB1 cannot be opened
  EXPECT_EQ(problems.Get(SpoolProblem::kPermissionDenied), 2u);
}

TEST(SpoolWalkerTest, ProblemNamesAreLabelValues) {
  std::set<std::string> names;
  for (size_t i = 0; i < kNumSpoolProblems; ++i) {
    names.insert(std::string(SpoolProblemName(static_cast<SpoolProblem>(i))));
  }
  EXPECT_EQ(names.size(), kNumSpoolProblems);
  EXPECT_EQ(names.count("vanished"), 1u);
}

TEST(SpoolWalkerTest, ReadFileAtBoundsTheRead) {
  ScopedTempDir tmp;
  WriteTestFile(tmp.path() + "/d/f", std::string(100, 'x'), 0600);
  int dfd = open(tmp.path().c_str(), O_RDONLY | O_DIRECTORY);
  std::string out;
  bool truncated = false;
  EXPECT_OK(ReadFileAt(dfd, "d/f", 10, &out, &truncated));
  EXPECT_EQ(out.size(), 10u);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(ReadFileAt(dfd, "d/none", 10, &out, &truncated).code(), Status::Code::kNotFound);
  close(dfd);
}

TEST(SpoolWalkerTest, CountStatusProblemByCode) {
  struct Case {
    Status status;
    SpoolProblem want;
  };
  const Case cases[] = {
      {Status::NotFound("x"), SpoolProblem::kVanished},
      {Status::PermissionDenied("x"), SpoolProblem::kPermissionDenied},
      {Status::IoError("x"), SpoolProblem::kIoError},
      {Status::InvalidArgument("x"), SpoolProblem::kIoError},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status.ToString());
    SpoolProblemCounts problems;
    CountStatusProblem(c.status, &problems);
    EXPECT_EQ(problems.Get(c.want), 1u);
    EXPECT_EQ(problems.Total(), 1u);
  }
}

}  // namespace
}  // namespace mailrep
