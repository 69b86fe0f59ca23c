#include "exporter/app/run_check.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mailrep {
namespace {

std::vector<std::string> seen_args;
std::string seen_config, seen_rootfs, seen_resolv_conf;
bool seen_http = false;

int Record(const CheckCommandContext& ctx) {
  seen_args = ctx.args;
  seen_config = ctx.config_file;
  seen_rootfs = ctx.rootfs;
  seen_resolv_conf = ctx.resolv_conf;
  seen_http = ctx.http != nullptr;
  return 0;
}

const std::vector<CheckCommand> kCommands = {{"echo", "check echo ARGS", "records", Record}};

int RunCheck(std::vector<std::string> command, Flags flags = {}) {
  flags.command = std::move(command);
  std::ostringstream out, err;
  return RunCheckCommand(flags, kCommands, out, err, false);
}

TEST(RunCheckTest, GlobalFlagsAfterTheCheckNameAreTakenOut) {
  Flags flags;
  flags.config_file = "global.yml";
  ASSERT_EQ(RunCheck({"check", "echo", "192.0.2.1", "--config.file=a.yml", "--list", "x",
                      "--path.rootfs", "/host", "--dns.resolv-conf=/lab/resolv.conf"},
                     flags),
            0);
  EXPECT_EQ(seen_args, (std::vector<std::string>{"192.0.2.1", "--list", "x"}));
  EXPECT_EQ(seen_config, "a.yml");
  EXPECT_EQ(seen_rootfs, "/host");
  EXPECT_EQ(seen_resolv_conf, "/lab/resolv.conf");
  EXPECT_TRUE(seen_http);  // the libcurl fetcher, for checks that fetch over HTTPS
}

TEST(RunCheckTest, GlobalFlagsBeforeCheckStillApply) {
  Flags flags;
  flags.config_file = "global.yml";
  ASSERT_EQ(RunCheck({"check", "echo", "--config.filex=1"}, flags), 0);
  EXPECT_EQ(seen_args, (std::vector<std::string>{"--config.filex=1"}));
  EXPECT_EQ(seen_config, "global.yml");
}

TEST(RunCheckTest, MissingValueIsAUsageError) {
  EXPECT_EQ(RunCheck({"check", "echo", "--config.file"}), 2);
}

TEST(RunCheckTest, UnknownCheckIsAUsageError) { EXPECT_EQ(RunCheck({"check", "nope"}), 2); }

}  // namespace
}  // namespace mailrep
