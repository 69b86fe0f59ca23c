#include "exporter/core/check_args.h"

#include <gtest/gtest.h>

#include <sstream>
#include <utility>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(CheckArgsTest, PositionalsAndRepeatedOptions) {
  StatusOr<CheckArgs> a =
      CheckArgs::Parse({"192.0.2.1", "--list", "a.example", "--list=b.example", "--format", "json"},
                       {"list", "format"});
  ASSERT_OK(a);
  EXPECT_EQ(a->positionals, std::vector<std::string>{"192.0.2.1"});
  EXPECT_EQ(a->GetAll("list"), (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(a->Get("format"), "json");
  EXPECT_EQ(a->Get("missing", "text"), "text");
  EXPECT_TRUE(a->GetAll("missing").empty());
}

TEST(CheckArgsTest, Errors) {
  EXPECT_EQ(CheckArgs::Parse({"--bogus", "x"}, {"list"}).status().message(),
            "unknown option --bogus");
  EXPECT_EQ(CheckArgs::Parse({"--list"}, {"list"}).status().message(), "--list needs a value");
}

TEST(CheckArgsTest, FlagsTakeNoValue) {
  StatusOr<CheckArgs> a =
      CheckArgs::Parse({"ID", "--show-recipients", "--logs", "f"}, {"logs"}, {"show-recipients"});
  ASSERT_OK(a);
  EXPECT_TRUE(a->Has("show-recipients"));
  EXPECT_EQ(a->positionals, std::vector<std::string>{"ID"});
  EXPECT_EQ(a->Get("logs"), "f");
  EXPECT_EQ(CheckArgs::Parse({"--show-recipients=yes"}, {}, {"show-recipients"}).status().message(),
            "--show-recipients takes no value");
  EXPECT_FALSE(CheckArgs::Parse({"--show-recipients"}, {}).ok());
}

TEST(CheckArgsTest, HelpStopsParsing) {
  for (const char* flag : {"--help", "-h"}) {
    StatusOr<CheckArgs> a = CheckArgs::Parse({"x", flag, "--bogus"}, {});
    ASSERT_OK(a);
    EXPECT_TRUE(a->help);
    EXPECT_EQ(a->positionals, std::vector<std::string>{"x"});
  }
  EXPECT_EQ(CheckArgs::Parse({"--help=yes"}, {}).status().message(), "--help takes no value");
}

TEST(CheckArgsTest, Format) {
  StatusOr<CheckArgs> a = CheckArgs::Parse({}, {"format"});
  ASSERT_OK(a);
  EXPECT_OK(a->CheckFormat());
  EXPECT_FALSE(a->json());
  a = CheckArgs::Parse({"--format=json"}, {"format"});
  ASSERT_OK(a);
  EXPECT_OK(a->CheckFormat());
  EXPECT_TRUE(a->json());
  a = CheckArgs::Parse({"--format", "xml"}, {"format"});
  ASSERT_OK(a);
  EXPECT_EQ(a->CheckFormat().message(), "--format must be text or json");
}

int Echo(const CheckCommandContext&) { return 0; }
const CheckCommand kEcho = {"echo", "check echo [--say WORD] [--format text|json]", "Echoes.",
                            Echo};

struct Outcome {
  std::optional<CheckArgs> args;
  int code = -1;
  std::string out, err;
};

Outcome Start(std::vector<std::string> argv, CheckArgSpec spec = {{"say"}}) {
  std::ostringstream out, err;
  CheckCommandContext ctx{std::move(argv), "", "", out, err};
  Outcome o;
  o.args = ParseCheckCommandArgs(kEcho, ctx, spec, &o.code);
  o.out = out.str();
  o.err = err.str();
  return o;
}

TEST(ParseCheckCommandArgsTest, ValidArguments) {
  Outcome o = Start({"--say", "hi", "--format", "json"});
  ASSERT_TRUE(o.args.has_value()) << o.err;
  EXPECT_EQ(o.args->Get("say"), "hi");
  EXPECT_TRUE(o.args->json());
  EXPECT_EQ(o.code, -1);
  EXPECT_EQ(o.out + o.err, "");
  o = Start({"a", "b"}, {.options = {}, .positionals = true});
  ASSERT_TRUE(o.args.has_value()) << o.err;
  EXPECT_EQ(o.args->positionals, (std::vector<std::string>{"a", "b"}));
}

TEST(ParseCheckCommandArgsTest, HelpPrintsTheUsageOnOut) {
  Outcome o = Start({"-h"});
  EXPECT_FALSE(o.args.has_value());
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out,
            "usage: mailrep_exporter check echo [--say WORD] [--format text|json]\nEchoes.\n");
  EXPECT_EQ(o.err, "");
}

TEST(ParseCheckCommandArgsTest, UsageErrorsNameTheUsageLine) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--format", "xml"}, "--format must be text or json"},
      {{"--bogus"}, "unknown option --bogus"},
      {{"--say"}, "--say needs a value"},
      {{"extra"}, "unexpected argument \"extra\""},
  };
  for (const auto& [argv, why] : cases) {
    Outcome o = Start(argv);
    EXPECT_FALSE(o.args.has_value());
    EXPECT_EQ(o.code, 2);
    EXPECT_EQ(o.err,
              "check echo: " + why +
                  "\nusage: mailrep_exporter check echo [--say WORD] [--format text|json]\n");
    EXPECT_EQ(o.out, "");
  }
}

}  // namespace
}  // namespace mailrep
