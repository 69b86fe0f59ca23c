#include "exporter/util/lines.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailrep {
namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  while (std::optional<std::string_view> line = NextLine(&text)) out.emplace_back(*line);
  return out;
}

TEST(NextLineTest, SplitsOnNewlineOnly) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Lines(""), V{});
  EXPECT_EQ(Lines("a"), V{"a"});
  EXPECT_EQ(Lines("a\n"), V{"a"});
  EXPECT_EQ(Lines("a\nb"), (V{"a", "b"}));
  EXPECT_EQ(Lines("a\n\nb\n"), (V{"a", "", "b"}));
  EXPECT_EQ(Lines("\n"), V{""});
  EXPECT_EQ(Lines("a\r\nb"), (V{"a\r", "b"}));  // CR is the caller's business
}

TEST(NextLineTest, LeavesTheRest) {
  std::string_view text = "one\ntwo\nthree";
  EXPECT_EQ(NextLine(&text), "one");
  EXPECT_EQ(text, "two\nthree");
}

TEST(ForEachLineTest, StopsWhenTheCallbackSaysSo) {
  std::vector<std::string> seen;
  ForEachLine("a\nstop\nc\n", [&](std::string_view line) {
    seen.emplace_back(line);
    return line != "stop";
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "stop"}));
}

using Delivered = std::vector<std::pair<std::string, bool>>;

Delivered Assemble(size_t max, const std::vector<std::string_view>& chunks) {
  Delivered out;
  auto collect = [&](std::string_view line, bool too_long) { out.emplace_back(line, too_long); };
  LineAssembler lines(max);
  for (std::string_view chunk : chunks) lines.Feed(chunk, collect);
  lines.Finish(collect);
  return out;
}

TEST(LineAssemblerTest, JoinsLinesAcrossChunks) {
  EXPECT_EQ(Assemble(100, {"ab", "c\nd", "e\n", "\n", "f"}),
            (Delivered{{"abc", false}, {"de", false}, {"", false}, {"f", false}}));
}

TEST(LineAssemblerTest, HoldsThePartialLineUntilFinish) {
  Delivered out;
  auto collect = [&](std::string_view line, bool too_long) { out.emplace_back(line, too_long); };
  LineAssembler lines(100);
  lines.Feed("x\npart", collect);
  EXPECT_EQ(out, (Delivered{{"x", false}}));
  lines.Finish(collect);
  EXPECT_EQ(out, (Delivered{{"x", false}, {"part", false}}));
  lines.Finish(collect);  // nothing held any more
  EXPECT_EQ(out.size(), 2u);
}

TEST(LineAssemblerTest, TruncatesALongLineOnceAndSkipsItsRest) {
  EXPECT_EQ(Assemble(4, {"abcdefgh\nok\n"}), (Delivered{{"abcd", true}, {"ok", false}}));
  // Over the cap across chunks: delivered when the cap is passed, the rest
  // (up to the newline, in later chunks) skipped.
  EXPECT_EQ(Assemble(4, {"ab", "cde", "fg", "h\nok"}), (Delivered{{"abcd", true}, {"ok", false}}));
  // Exactly the cap is not too long.
  EXPECT_EQ(Assemble(4, {"ab", "cd\n"}), (Delivered{{"abcd", false}}));
  // A long last line without its newline is not delivered again at the end.
  EXPECT_EQ(Assemble(4, {"abcdefgh"}), (Delivered{{"abcd", true}}));
}

TEST(LineAssemblerTest, ResetDropsThePartialLine) {
  Delivered out;
  auto collect = [&](std::string_view line, bool too_long) { out.emplace_back(line, too_long); };
  LineAssembler lines(4);
  lines.Feed("abcdef", collect);  // too long, now skipping
  lines.Reset();
  lines.Feed("xy\n", collect);
  EXPECT_EQ(out, (Delivered{{"abcd", true}, {"xy", false}}));
}

}  // namespace
}  // namespace mailrep
