#include "exporter/util/testing/scoped_temp_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ScopedTempDirTest, MakesWritesAndRemovesTheTree) {
  std::string path;
  {
    ScopedTempDir dir("unit");
    path = dir.path();
    ASSERT_TRUE(fs::is_directory(path));
    EXPECT_NE(path.find("mailrep_unit_"), std::string::npos) << path;
    std::string file = dir.WriteFile("/etc/postfix/main.cf", "a = b\n");
    EXPECT_EQ(file, path + "/etc/postfix/main.cf");
    EXPECT_EQ(Slurp(file), "a = b\n");
    EXPECT_TRUE(fs::is_directory(dir.MakeDir("var/spool")));
    EXPECT_EQ(dir.Path("x"), path + "/x");
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(ScopedTempDirTest, RemovesDirectoriesItCannotRead) {
  std::string path;
  {
    ScopedTempDir dir;
    path = dir.path();
    dir.WriteFile("locked/inner/file", "x");
    ASSERT_EQ(chmod(dir.Path("locked/inner").c_str(), 0), 0);
    ASSERT_EQ(chmod(dir.Path("locked").c_str(), 0), 0);
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(ScopedTempDirTest, MovesOwnership) {
  StatusOr<ScopedTempDir> made = ScopedTempDir::Create("move");
  ASSERT_OK(made);
  ScopedTempDir dir = std::move(*made);
  EXPECT_TRUE(made->path().empty());
  EXPECT_TRUE(fs::is_directory(dir.path()));
}

TEST(ScopedTempDirTest, ReleaseKeepsTheDirectory) {
  std::string kept;
  {
    ScopedTempDir dir;
    kept = dir.Release();
    EXPECT_TRUE(dir.path().empty());
  }
  EXPECT_TRUE(fs::is_directory(kept));
  fs::remove_all(kept);
}

}  // namespace
}  // namespace mailrep
