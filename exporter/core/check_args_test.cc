#include "exporter/core/check_args.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mailrep
