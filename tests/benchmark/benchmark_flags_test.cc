#include "tests/benchmark/benchmark_flags.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace mailrep {
namespace {

struct ParseRun {
  std::optional<int> code;
  std::string out, err;
};

struct Values {
  int ips = 1024;
  std::string dir = "/tmp/x";
  bool keep = false;
};

ParseRun Parse(std::vector<const char*> args, Values* v) {
  BenchmarkFlags flags("bench", "does things");
  flags.Int("--ips", &v->ips, "addresses", 1, 65536)
      .String("--dir", &v->dir, "work directory")
      .Switch("--keep", &v->keep, "keep the directory");
  args.insert(args.begin(), "bench");
  std::ostringstream out, err;
  ParseRun r;
  r.code = flags.Parse(static_cast<int>(args.size()), args.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

TEST(BenchmarkFlagsTest, ValuesAndDefaults) {
  Values v;
  ParseRun r = Parse({}, &v);
  EXPECT_FALSE(r.code.has_value());
  EXPECT_EQ(v.ips, 1024);
  r = Parse({"--ips", "7", "--keep", "--dir", "/d"}, &v);
  EXPECT_FALSE(r.code.has_value()) << r.err;
  EXPECT_EQ(v.ips, 7);
  EXPECT_EQ(v.dir, "/d");
  EXPECT_TRUE(v.keep);
  EXPECT_TRUE(r.out.empty() && r.err.empty());
}

TEST(BenchmarkFlagsTest, HelpIsUsageOnStdoutAndExitZero) {
  Values v;
  ParseRun r = Parse({"--ips", "3", "--help"}, &v);
  ASSERT_EQ(r.code, 0);
  EXPECT_TRUE(r.err.empty());
  EXPECT_EQ(r.out.rfind("usage: bench [--ips N] [--dir VALUE] [--keep]\ndoes things\n", 0), 0u)
      << r.out;
  EXPECT_NE(r.out.find("(1..65536; default 1024)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  --help                 this text\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(default /tmp/x)"), std::string::npos) << r.out;
}

TEST(BenchmarkFlagsTest, EveryMistakeIsUsageOnStderrAndExitTwo) {
  const std::vector<std::vector<const char*>> bad = {
      {"--nope"},       {"mail.log"},  {"--ips"}, {"--ips", "0"}, {"--ips", "65537"},
      {"--ips", "12x"}, {"--ips", ""}, {"--dir"}, {"--dir", ""},  {"-x"},
  };
  for (const auto& args : bad) {
    Values v;
    ParseRun r = Parse(args, &v);
    EXPECT_EQ(r.code, 2) << args.front();
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err.rfind("bench: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("usage: bench"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace mailrep
