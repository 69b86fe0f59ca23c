#include "collectors/queue/qmail_fixture.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <map>

namespace mailrep {
namespace {

namespace fs = std::filesystem;

std::string FixtureDir() {
  const char* src = std::getenv("MAILREP_SOURCE_DIR");
  return (src != nullptr ? std::string(src) + "/tests/queue/fixtures"
                         : std::string(MAILREP_QUEUE_FIXTURES)) +
         "/qmail/queue";
}

void SetMtime(const std::string& path, int64_t t) {
  struct timespec times[2] = {{static_cast<time_t>(t), 0}, {static_cast<time_t>(t), 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
}

}  // namespace

void BuildQmailFixtureQueue(const std::string& queue, int64_t now) {
  fs::create_directories(fs::path(queue).parent_path());
  fs::copy(FixtureDir(), queue, fs::copy_options::recursive);
  for (const char* d : {"mess", "info", "local", "remote"}) {
    for (int n = 0; n < 23; ++n) fs::create_directories(queue + "/" + d + "/" + std::to_string(n));
  }
  for (const char* d : {"todo", "intd", "bounce", "pid", "lock"}) {
    fs::create_directories(queue + "/" + d);
  }
  const std::map<int, int64_t> age = {{2300, 3600},   {2301, 7200}, {2302, 60},
                                      {2303, 5},      {2304, 1800}, {2305, 2},
                                      {2306, 200000}, {2307, 100},  {2308, 500}};
  for (const auto& entry : fs::recursive_directory_iterator(queue)) {
    if (!entry.is_regular_file()) continue;
    std::string sub = fs::relative(entry.path(), queue).begin()->string();
    int id = std::atoi(entry.path().filename().c_str());
    int64_t t = age.count(id) ? now - age.at(id) : now - 10;
    if (sub == "local" || sub == "remote") t = now + 400;
    SetMtime(entry.path(), t);
  }
}

}  // namespace mailrep
