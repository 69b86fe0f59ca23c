#include "exporter/config/config_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

const std::vector<CollectorDefaults> kKnown = {{"dnsbl", true, std::chrono::minutes(15), {}},
                                               {"delivery", true, std::chrono::seconds(60), {}}};

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mailrep-config-file-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& text) {
    std::string path = (dir_ / "mailrep.yml").string();
    std::ofstream(path, std::ios::trunc) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ConfigFileTest, EmptyOrCommentOnlyFileIsAnError) {
  for (const char* text : {"", "\n \n", "# all commented out\n  # dns:\n", "---\n# x\n...\n"}) {
    SCOPED_TRACE(text);
    std::string path = Write(text);
    StatusOr<std::string> read = ReadConfigText(path);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(read.status().message().rfind(path + ":1:1: the config file has no settings", 0), 0u)
        << read.status().message();
    StatusOr<Config> loaded = LoadConfigFile(path, kKnown);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().message(), read.status().message());
  }
}

TEST_F(ConfigFileTest, AnyContentIsRead) {
  for (const char* text : {"collectors: {}\n", "# defaults\ndns: {}\n", "{}"}) {
    SCOPED_TRACE(text);
    StatusOr<std::string> read = ReadConfigText(Write(text));
    ASSERT_OK(read);
    EXPECT_EQ(*read, text);
  }
}

TEST_F(ConfigFileTest, MissingFileIsAnIoError) {
  StatusOr<std::string> read = ReadConfigText((dir_ / "absent.yml").string());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kIoError);
}

TEST(CollectorFingerprintsTest, ChangeOnlyWithWhatTheCollectorReads) {
  const std::string base =
      "dns: {servers: [127.0.0.1]}\n"
      "collectors:\n"
      "  dnsbl: {interval: 15m, lists: [a.example]}\n"
      "  delivery:\n"
      "    sources: [{path: /var/log/mail.log}]\n";
  auto fp = CollectorFingerprints(base, kKnown);
  ASSERT_EQ(fp.size(), 2u);
  EXPECT_NE(fp["dnsbl"], fp["delivery"]);

  // Comments, layout and key order of other sections do not count.
  auto reformatted = CollectorFingerprints(
      "# edited\ncollectors:\n  delivery:\n    sources:\n      - path: /var/log/mail.log\n"
      "  dnsbl:\n    interval: 15m   # every quarter\n    lists:\n      - a.example\n"
      "dns:\n  servers: [127.0.0.1]\n",
      kKnown);
  EXPECT_EQ(reformatted, fp);

  // Another collector's section does not count; its own does.
  auto delivery_changed = CollectorFingerprints(
      base.substr(0, base.find("    sources")) + "    sources: [{path: /var/log/maillog}]\n",
      kKnown);
  EXPECT_EQ(delivery_changed["dnsbl"], fp["dnsbl"]);
  EXPECT_NE(delivery_changed["delivery"], fp["delivery"]);

  // Shared sections count for everyone.
  auto dns_changed = CollectorFingerprints(
      "dns: {servers: [127.0.0.2]}\n" + base.substr(base.find("collectors:")), kKnown);
  EXPECT_NE(dns_changed["dnsbl"], fp["dnsbl"]);
  EXPECT_NE(dns_changed["delivery"], fp["delivery"]);

  // A section appearing, even empty, is conservatively a change.
  auto absent = CollectorFingerprints("dns: {}\n", kKnown);
  auto empty = CollectorFingerprints("dns: {}\ncollectors: {dnsbl: {}}\n", kKnown);
  EXPECT_EQ(absent["delivery"], empty["delivery"]);
}

TEST(CollectorFingerprintsTest, UnparsableTextGivesTheTextItself) {
  auto fp = CollectorFingerprints("a: [", kKnown);
  EXPECT_EQ(fp["dnsbl"], "a: [");
  EXPECT_EQ(fp["delivery"], "a: [");
}

}  // namespace
}  // namespace mailrep
