#include "collectors/dnsbl/rbldnsd_zone_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;

class RbldnsdZoneFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("rbldnsd");
    ASSERT_OK(dir);
    dir_.emplace(std::move(dir).value());
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_->path() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::optional<ScopedTempDir> dir_;
};

TEST_F(RbldnsdZoneFileTest, LoadsAFileOfManyChunks) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".1 :3:entry $\n";
  }
  StatusOr<LoadedRbldnsdFile> loaded =
      LoadRbldnsdFile(Write("big", text), RbldnsdFormat::kIp4set, 0);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->zone.report().entries, 20000u);
  EXPECT_EQ(loaded->zone.report().lines, 20000u);
  EXPECT_TRUE(loaded->zone.LookupIp4(0x0A4E1F01));  // 10.78.31.1 (i = 19999)
  EXPECT_GT(loaded->version.size, 0);
}

TEST_F(RbldnsdZoneFileTest, RefusesAHalfWrittenFile) {
  StatusOr<LoadedRbldnsdFile> loaded =
      LoadRbldnsdFile(Write("half", "10.0.0.1\n10.0.0"), RbldnsdFormat::kIp4set, 0);
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.status().message(), HasSubstr("half-written"));
}

TEST_F(RbldnsdZoneFileTest, RefusesMissingAndCompressedFiles) {
  EXPECT_FALSE(LoadRbldnsdFile(dir_->path() + "/absent", RbldnsdFormat::kDnset, 0).ok());
  EXPECT_FALSE(LoadRbldnsdFile(dir_->path(), RbldnsdFormat::kDnset, 0).ok());
  StatusOr<LoadedRbldnsdFile> gz =
      LoadRbldnsdFile(Write("gz", std::string("\x1f\x8b\x08\0", 4)), RbldnsdFormat::kDnset, 0);
  ASSERT_FALSE(gz.ok());
  EXPECT_THAT(gz.status().message(), HasSubstr("gzip"));
}

TEST_F(RbldnsdZoneFileTest, AnEmptyFileIsAnEmptyZone) {
  StatusOr<LoadedRbldnsdFile> loaded =
      LoadRbldnsdFile(Write("empty", ""), RbldnsdFormat::kIp4trie, 0);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->zone.report().entries, 0u);
}

TEST_F(RbldnsdZoneFileTest, VersionChangesWithTheFile) {
  std::string path = Write("v", "10.0.0.1\n");
  StatusOr<FileVersion> a = StatFileVersion(path);
  ASSERT_OK(a);
  Write("v2", "10.0.0.2\n10.0.0.3\n");
  ASSERT_EQ(rename((dir_->path() + "/v2").c_str(), path.c_str()), 0);
  StatusOr<FileVersion> b = StatFileVersion(path);
  ASSERT_OK(b);
  EXPECT_FALSE(*a == *b);
}

}  // namespace
}  // namespace mailrep
