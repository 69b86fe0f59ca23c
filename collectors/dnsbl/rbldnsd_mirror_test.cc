#include "collectors/dnsbl/rbldnsd_mirror.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1700000000;

class RbldnsdMirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("mirror");
    ASSERT_OK(dir);
    dir_.emplace(std::move(dir).value());
    path_ = dir_->path() + "/zen.ip4set";
  }
  // Writes a temporary file and renames it into place, as rsync does; each
  // version gets its own mtime.
  void Publish(const std::string& text, int64_t mtime) {
    std::string tmp = path_ + ".tmp";
    std::ofstream(tmp, std::ios::binary) << text;
    struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, tmp.c_str(), times, 0), 0);
    ASSERT_EQ(rename(tmp.c_str(), path_.c_str()), 0);
  }
  bool Listed(const RbldnsdMirror& m, uint32_t ip) {
    std::shared_ptr<const RbldnsdZone> z = m.zone();
    return z && z->LookupIp4(ip).has_value();
  }

  std::optional<ScopedTempDir> dir_;
  std::string path_;
};

TEST_F(RbldnsdMirrorTest, LoadsSwapsAndKeepsTheGoodZone) {
  RbldnsdMirror m(path_, RbldnsdFormat::kIp4set);
  EXPECT_FALSE(m.Refresh(kNow).ok());  // no file yet
  EXPECT_FALSE(m.zone());
  EXPECT_FALSE(m.Refresh(kNow).ok());
  EXPECT_EQ(m.state().load_errors, 1u);  // counted once while missing

  Publish("10.0.0.1\n10.0.0.2\n", kNow - 100);
  ASSERT_OK(m.Refresh(kNow));
  RbldnsdMirrorState s = m.state();
  EXPECT_TRUE(s.loaded);
  EXPECT_EQ(s.entries, 2u);
  EXPECT_EQ(s.loaded_mtime_unix, kNow - 100);
  EXPECT_EQ(s.last_success_unix, kNow);
  EXPECT_TRUE(Listed(m, 0x0A000001));
  std::shared_ptr<const RbldnsdZone> held = m.zone();

  ASSERT_OK(m.Refresh(kNow + 10));  // unchanged: not read again
  EXPECT_EQ(m.state().last_success_unix, kNow);
  EXPECT_EQ(m.zone(), held);

  Publish("10.0.0.3\n10.0.0", kNow - 50);  // half-written
  Status bad = m.Refresh(kNow + 20);
  EXPECT_THAT(bad.message(), HasSubstr("half-written"));
  EXPECT_FALSE(m.Refresh(kNow + 30).ok());
  s = m.state();
  EXPECT_EQ(s.load_errors, 2u);  // once for that version
  EXPECT_FALSE(s.last_attempt_ok);
  EXPECT_EQ(s.loaded_mtime_unix, kNow - 100);  // the good zone stays
  EXPECT_TRUE(Listed(m, 0x0A000001));
  EXPECT_FALSE(Listed(m, 0x0A000003));

  Publish("10.0.0.3\n", kNow - 10);
  ASSERT_OK(m.Refresh(kNow + 40));
  EXPECT_TRUE(Listed(m, 0x0A000003));
  EXPECT_FALSE(Listed(m, 0x0A000001));
  EXPECT_TRUE(held->LookupIp4(0x0A000001));  // a held zone outlives the swap
  EXPECT_TRUE(m.state().last_attempt_ok);
}

TEST_F(RbldnsdMirrorTest, AFutureTimestampIsRefused) {
  RbldnsdMirror m(path_, RbldnsdFormat::kIp4set);
  Publish("$TIMESTAMP 2037:01:01\n10.0.0.1\n", kNow);
  EXPECT_FALSE(m.Refresh(kNow).ok());
  EXPECT_FALSE(m.zone());
  EXPECT_EQ(m.state().load_errors, 1u);
}

}  // namespace
}  // namespace mailrep
