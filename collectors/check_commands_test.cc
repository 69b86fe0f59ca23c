// Every `mailrep_exporter check <name>` has the same shape: the shared
// arguments (--format text|json, --help/-h) and exit codes behave alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/registry.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct CheckRun {
  int code;
  std::string out, err;
};

// The command with `args`, no config file and a root where nothing exists, so
// nothing reaches the host, the network or DNS before the arguments fail.
CheckRun RunCommand(const CheckCommand& command, std::vector<std::string> args) {
  std::ostringstream out, err;
  CheckCommandContext ctx{std::move(args), "", "/nonexistent-root", out, err};
  int code = command.run(ctx);
  return {code, out.str(), err.str()};
}

std::string UsageLine(const CheckCommand& command) {
  return "usage: mailrep_exporter " + std::string(command.usage) + "\n";
}

TEST(CheckCommandsTest, TheRegistryListsEachNameOnce) {
  std::set<std::string_view> names;
  for (const CheckCommand& command : AllCheckCommands()) {
    EXPECT_TRUE(names.insert(command.name).second) << command.name;
    EXPECT_THAT(std::string(command.usage), StartsWith("check " + std::string(command.name)));
    EXPECT_THAT(std::string(command.usage), HasSubstr("[--format text|json]"));
    EXPECT_FALSE(command.help.empty()) << command.name;
    EXPECT_NE(command.run, nullptr) << command.name;
  }
  EXPECT_EQ(names.size(), 14u);
}

TEST(CheckCommandsTest, AnUnknownFormatIsAUsageError) {
  for (const CheckCommand& command : AllCheckCommands()) {
    SCOPED_TRACE(command.name);
    CheckRun r = RunCommand(command, {"--format", "xml"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "check " + std::string(command.name) + ": --format must be text or json\n" +
                         UsageLine(command));
    EXPECT_EQ(r.out, "");
  }
}

TEST(CheckCommandsTest, AnUnknownFlagIsAUsageError) {
  for (const CheckCommand& command : AllCheckCommands()) {
    SCOPED_TRACE(command.name);
    CheckRun r = RunCommand(command, {"--no-such-flag", "x"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "check " + std::string(command.name) + ": unknown option --no-such-flag\n" +
                         UsageLine(command));
    EXPECT_EQ(r.out, "");
  }
}

TEST(CheckCommandsTest, HelpPrintsTheUsage) {
  for (const CheckCommand& command : AllCheckCommands()) {
    for (const char* flag : {"--help", "-h"}) {
      SCOPED_TRACE(std::string(command.name) + " " + flag);
      CheckRun r = RunCommand(command, {flag});
      EXPECT_EQ(r.code, 0);
      EXPECT_EQ(r.out, UsageLine(command) + std::string(command.help) + "\n");
      EXPECT_EQ(r.err, "");
    }
  }
}

// `check queue --by` takes sender, submitter or destination only, checked
// before anything is scanned.
TEST(CheckCommandsTest, QueueByIsCheckedLikeTheSharedArguments) {
  for (const CheckCommand& command : AllCheckCommands()) {
    if (command.name != "queue") continue;
    EXPECT_THAT(std::string(command.usage), HasSubstr("[--by sender|submitter|destination"));
    CheckRun r = RunCommand(command, {"--by", "account"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err,
              "check queue: --by must be sender, submitter or destination\n" + UsageLine(command));
    EXPECT_EQ(r.out, "");
    return;
  }
  FAIL() << "no check queue";
}

}  // namespace
}  // namespace mailrep
