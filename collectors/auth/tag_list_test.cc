#include "collectors/auth/tag_list.h"

#include <string>
#include <vector>

#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs ToPairs(const TagList& list) {
  Pairs out;
  for (const Tag& tag : list.tags) out.emplace_back(tag.name, tag.value);
  return out;
}

TEST(TagListTest, Parses) {
  struct Case {
    std::string text;
    Pairs tags;
  } cases[] = {
      {"v=DKIM1; p=abc", {{"v", "DKIM1"}, {"p", "abc"}}},
      {"v=DKIM1;p=abc;", {{"v", "DKIM1"}, {"p", "abc"}}},
      {"  a = 1 ;\tb=2 ;  ", {{"a", "1"}, {"b", "2"}}},
      {"a=", {{"a", ""}}},
      {"a=;b=x", {{"a", ""}, {"b", "x"}}},
      {"n=two words  here ", {{"n", "two words  here"}}},
      {"p=MIGf\r\n MA0G", {{"p", "MIGf\r\n MA0G"}}},
      {"a=1;\r\n b=2", {{"a", "1"}, {"b", "2"}}},
      {"A_1=x;a_1=y", {{"A_1", "x"}, {"a_1", "y"}}},  // names are case-sensitive
      {"x=a=b:c", {{"x", "a=b:c"}}},
  };
  for (const Case& c : cases) {
    StatusOr<TagList> list = ParseTagList(c.text);
    ASSERT_OK(list) << c.text;
    EXPECT_EQ(ToPairs(*list), c.tags) << c.text;
  }
}

TEST(TagListTest, Rejects) {
  struct Case {
    std::string text;
    std::string error;  // substring of the message
  } cases[] = {
      {"", "empty tag list"},
      {"   ", "empty tag list"},
      {";", "empty"},
      {"a=1;a=2", "duplicate tag 'a'"},
      {"a=1;;b=2", "empty tag-spec"},
      {"1a=x", "start with a letter"},
      {"a", "expected '='"},
      {"a b=1", "expected '='"},
      {"a-b=1", "expected '='"},
      {"=1", "start with a letter"},
      {"a=\x01", "invalid byte 1"},
      {std::string("a=x\0y", 5), "invalid byte 0"},
      {"a=\xc3\xa9", "invalid byte 195"},
      {"a=1\r\nb=2", "invalid byte 13"},
      {"a=1;\nb=2", "start with a letter"},
  };
  for (const Case& c : cases) {
    StatusOr<TagList> list = ParseTagList(c.text);
    ASSERT_FALSE(list.ok()) << c.text;
    EXPECT_NE(list.status().message().find(c.error), std::string::npos)
        << c.text << ": " << list.status().message();
  }
}

TEST(TagListTest, EmptySpecsWhenAllowed) {
  TagListOptions options;
  options.allow_empty_specs = true;
  StatusOr<TagList> list = ParseTagList("a=1;; ;b=2;", options);
  ASSERT_OK(list);
  EXPECT_EQ(ToPairs(*list), (Pairs{{"a", "1"}, {"b", "2"}}));
  EXPECT_FALSE(ParseTagList(";", options).ok());
}

TEST(TagListTest, FindAndSplit) {
  StatusOr<TagList> list = ParseTagList("h=sha1 : sha256;k=rsa");
  ASSERT_OK(list);
  ASSERT_NE(list->Find("h"), nullptr);
  EXPECT_EQ(*list->Find("k"), "rsa");
  EXPECT_EQ(list->Find("K"), nullptr);
  EXPECT_EQ(SplitTagValue(*list->Find("h")), (std::vector<std::string>{"sha1", "sha256"}));
  EXPECT_EQ(SplitTagValue("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(SplitTagValue(""), (std::vector<std::string>{""}));
}

}  // namespace
}  // namespace mailrep
