#include "collectors/queue/queue_test_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mailrep {

void WriteTestFile(const std::string& path, std::string_view bytes, mode_t mode) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  ASSERT_TRUE(out.good()) << path;
  ASSERT_EQ(chmod(path.c_str(), mode), 0) << path;
}

std::string ReadQueueFixture(const std::string& relative) {
  const char* src = std::getenv("MAILREP_SOURCE_DIR");
  std::string path = src != nullptr ? std::string(src) + "/tests/queue/fixtures/" + relative
                                    : std::string(MAILREP_QUEUE_FIXTURES) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << path;
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

}  // namespace mailrep
