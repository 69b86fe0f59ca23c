#include "collectors/auth/mta_sts_check_command.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mailrep {
namespace {

TEST(MtaStsCollectorTest, CheckCommandUsageErrors) {
  std::ostringstream out, err;
  CheckCommandContext ctx{{"--format", "xml", "--domain", "example.com"}, "", "", out, err};
  EXPECT_EQ(kMtaStsCheckCommand.run(ctx), 2);
  CheckCommandContext bad{{"--domain", "not a domain"}, "", "", out, err};
  EXPECT_EQ(kMtaStsCheckCommand.run(bad), 2);
  EXPECT_EQ(kMtaStsCheckCommand.name, "mta_sts");
}

}  // namespace
}  // namespace mailrep
