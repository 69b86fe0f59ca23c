// TestTree: a fixture directory tree under a fresh temporary directory,
// removed when the object goes away. For the host collector's tests.
#ifndef MAILREP_COLLECTORS_HOST_TEST_TREE_H_
#define MAILREP_COLLECTORS_HOST_TEST_TREE_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace mailrep {

class TestTree {
 public:
  TestTree() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mailrep_hostXXXXXX").string();
    root_ = mkdtemp(tmpl.data());
  }
  ~TestTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TestTree(const TestTree&) = delete;
  TestTree& operator=(const TestTree&) = delete;

  // `path` is absolute as the MTA would see it ("/etc/postfix/main.cf").
  void File(const std::string& path, const std::string& text) const {
    std::filesystem::create_directories(std::filesystem::path(root_ + path).parent_path());
    std::ofstream(root_ + path) << text;
  }
  void Dir(const std::string& path) const { std::filesystem::create_directories(root_ + path); }
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HOST_TEST_TREE_H_
