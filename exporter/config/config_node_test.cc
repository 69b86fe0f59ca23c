#include "exporter/config/config_node.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using std::chrono::seconds;

ConfigNode MustParse(std::string_view yaml) {
  StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "t.yml");
  EXPECT_OK(node);
  return *node;
}

// Each getter on `key` of "key: <value>"; `error` is the whole message, or "" if none.
struct GetterCase {
  const char* yaml;
  const char* error;
};

std::string ErrorOf(ConfigNode& node) {
  Status s = node.Finish();
  return s.ok() ? "" : s.message();
}

TEST(ConfigNodeTest, GetString) {
  const GetterCase cases[] = {
      {"k: hello", ""},
      {"k: \"quoted: yes\"", ""},
      {"k: 42", ""},
      {"k: [a]", "t.yml:1:1: k: expected a string, found a list"},
      {"k: {a: 1}", "t.yml:1:1: k: expected a string, found a mapping"},
      {"k:", "t.yml:1:1: k: expected a string, found null"},
  };
  for (const GetterCase& c : cases) {
    ConfigNode node = MustParse(c.yaml);
    node.GetString("k", "default");
    EXPECT_EQ(ErrorOf(node), c.error) << c.yaml;
  }
  ConfigNode node = MustParse("k: \"quoted: yes\"");
  EXPECT_EQ(node.GetString("k"), "quoted: yes");
  EXPECT_EQ(node.GetString("absent", "dflt"), "dflt");
  EXPECT_OK(node.Finish());
}

TEST(ConfigNodeTest, GetBool) {
  struct Case {
    const char* yaml;
    bool want;
    const char* error;
  } cases[] = {
      {"k: true", true, ""},
      {"k: True", true, ""},
      {"k: FALSE", false, ""},
      {"k: false", false, ""},
      {"k: yes", true, "t.yml:1:4: k: expected true or false, found \"yes\""},
      {"k: 1", true, "t.yml:1:4: k: expected true or false, found \"1\""},
      {"k: [true]", true, "t.yml:1:1: k: expected true or false, found a list"},
  };
  for (const Case& c : cases) {
    ConfigNode node = MustParse(c.yaml);
    EXPECT_EQ(node.GetBool("k", true), c.want) << c.yaml;
    EXPECT_EQ(ErrorOf(node), c.error) << c.yaml;
  }
}

TEST(ConfigNodeTest, GetInt) {
  struct Case {
    const char* yaml;
    int64_t want;
    const char* error;
  } cases[] = {
      {"k: 5", 5, ""},
      {"k: +5", 5, ""},
      {"k: -3", -3, ""},
      {"k: 0", 0, ""},
      {"k: 100", 100, ""},
      {"k: 101", 7, "t.yml:1:4: k: must be between -10 and 100, found 101"},
      {"k: -11", 7, "t.yml:1:4: k: must be between -10 and 100, found -11"},
      {"k: 99999999999999999999", 7,
       "t.yml:1:4: k: must be between -10 and 100, found 99999999999999999999"},
      {"k: 5x", 7, "t.yml:1:4: k: expected an integer, found \"5x\""},
      {"k: 1.5", 7, "t.yml:1:4: k: expected an integer, found \"1.5\""},
      {"k: ''", 7, "t.yml:1:4: k: expected an integer, found \"\""},
      {"k: {}", 7, "t.yml:1:1: k: expected an integer, found a mapping"},
  };
  for (const Case& c : cases) {
    ConfigNode node = MustParse(c.yaml);
    EXPECT_EQ(node.GetInt("k", 7, -10, 100), c.want) << c.yaml;
    EXPECT_EQ(ErrorOf(node), c.error) << c.yaml;
  }
}

TEST(ConfigNodeTest, GetDuration) {
  struct Case {
    const char* yaml;
    Duration want;
    const char* error;
  } cases[] = {
      {"k: 90s", seconds(90), ""},
      {"k: 1h30m", seconds(5400), ""},
      {"k: 15x", seconds(1),
       "t.yml:1:4: k: not a duration: \"15x\": unknown unit \"x\" (use 30s, 15m, 1h...)"},
      {"k: 60", seconds(1),
       "t.yml:1:4: k: not a duration: \"60\": missing unit (use 30s, 15m, 1h...)"},
      {"k: [1s]", seconds(1), "t.yml:1:1: k: expected a duration (30s, 15m, 1h...), found a list"},
  };
  for (const Case& c : cases) {
    ConfigNode node = MustParse(c.yaml);
    EXPECT_EQ(node.GetDuration("k", seconds(1)).count(), c.want.count()) << c.yaml;
    EXPECT_EQ(ErrorOf(node), c.error) << c.yaml;
  }
}

TEST(ConfigNodeTest, GetStringList) {
  struct Case {
    const char* yaml;
    std::vector<std::string> want;
    const char* error;
  } cases[] = {
      {"k: [a, b]", {"a", "b"}, ""},
      {"k:\n  - a\n  - 'b c'", {"a", "b c"}, ""},
      {"k: []", {}, ""},
      {"k:", {}, ""},
      {"other: 1", {}, "t.yml:1:1: other: unknown key \"other\""},
      {"k: a", {}, "t.yml:1:4: k: expected a list, found \"a\""},
      {"k: [a, [b], c]", {}, "t.yml:1:8: k[1]: expected a string, found a list"},
  };
  for (const Case& c : cases) {
    ConfigNode node = MustParse(c.yaml);
    EXPECT_EQ(node.GetStringList("k"), c.want) << c.yaml;
    EXPECT_EQ(ErrorOf(node), c.error) << c.yaml;
  }
}

TEST(ConfigNodeTest, GetMapAndPaths) {
  ConfigNode root = MustParse(
      "outer:\n"
      "  inner:\n"
      "    leaf: x\n"
      "  items:\n"
      "    - name: a\n"
      "    - name: b\n"
      "      bad: 1\n"
      "    - 3\n"
      "none:\n");
  EXPECT_EQ(root.path(), "");
  EXPECT_EQ(root.Location(), "t.yml:1:1");
  EXPECT_FALSE(root.GetMap("none").has_value());
  EXPECT_FALSE(root.GetMap("absent").has_value());
  std::optional<ConfigNode> outer = root.GetMap("outer");
  ASSERT_TRUE(outer.has_value());
  EXPECT_EQ(outer->path(), "outer");
  EXPECT_EQ(outer->Location(), "t.yml:2:3");
  std::optional<ConfigNode> inner = outer->GetMap("inner");
  ASSERT_TRUE(inner.has_value());
  EXPECT_EQ(inner->path(), "outer.inner");
  EXPECT_EQ(inner->GetString("leaf"), "x");
  EXPECT_EQ(inner->PathOf("leaf"), "outer.inner.leaf");
  EXPECT_EQ(inner->LocationOf("leaf"), "t.yml:3:11");
  std::vector<ConfigNode> items = outer->GetMapList("items");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].path(), "outer.items[0]");
  EXPECT_EQ(items[1].path(), "outer.items[1]");
  EXPECT_EQ(outer->PathOf("items", 2), "outer.items[2]");
  EXPECT_EQ(outer->LocationOf("items", 2), "t.yml:8:7");
  for (ConfigNode& item : items) {
    item.GetString("name");
    item.CheckUnknownKeys();
  }
  inner->CheckUnknownKeys();
  outer->CheckUnknownKeys();
  Status s = root.Finish();
  EXPECT_EQ(s.message(),
            "t.yml:7:7: outer.items[1].bad: unknown key \"bad\"\n"
            "t.yml:8:7: outer.items[2]: expected a mapping, found \"3\"");
}

TEST(ConfigNodeTest, KeysInDocumentOrder) {
  ConfigNode node = MustParse("zeta: 1\nalpha: 2\nmid: 3\n");
  EXPECT_EQ(node.Keys(), (std::vector<std::string>{"zeta", "alpha", "mid"}));
  EXPECT_TRUE(node.Has("alpha"));
  EXPECT_FALSE(node.Has("beta"));
}

TEST(ConfigNodeTest, UnknownKeysSuggestKnownOnes) {
  struct Case {
    const char* yaml;
    const char* error;
  } cases[] = {
      {"intervall: 1m",
       "t.yml:1:1: intervall: unknown key \"intervall\" (did you mean \"interval\"?)"},
      {"timout: 1s", "t.yml:1:1: timout: unknown key \"timout\" (did you mean \"timeout\"?)"},
      {"enabeld: true", "t.yml:1:1: enabeld: unknown key \"enabeld\" (did you mean \"enabled\"?)"},
      {"colour: red", "t.yml:1:1: colour: unknown key \"colour\""},
      {"x: 1", "t.yml:1:1: x: unknown key \"x\""},
  };
  for (const Case& c : cases) {
    ConfigNode node = MustParse(c.yaml);
    node.GetDuration("interval", seconds(1));
    node.GetDuration("timeout", seconds(1));
    node.GetBool("enabled", false);
    EXPECT_EQ(ErrorOf(node), c.error) << c.yaml;
  }
}

TEST(ConfigNodeTest, MarkKnownSilencesUnknownKey) {
  ConfigNode node = MustParse("handled_elsewhere: [1, 2]\n");
  node.MarkKnown("handled_elsewhere");
  EXPECT_OK(node.Finish());
}

TEST(ConfigNodeTest, ErrorsComeInDocumentOrder) {
  ConfigNode node = MustParse("a: 1\nb: 2\nc: 3\n");
  node.Error("c", "third");
  node.Error("a", "first");
  node.Error("", "about the root");
  node.ErrorAt("b", 0, "not a list, so about b");
  node.MarkKnown("a");
  node.MarkKnown("b");
  node.MarkKnown("c");
  EXPECT_EQ(node.Finish().message(),
            "t.yml:1:1: about the root\n"
            "t.yml:1:4: a: first\n"
            "t.yml:2:4: b: not a list, so about b\n"
            "t.yml:3:4: c: third");
  EXPECT_EQ(node.error_count(), 4u);
}

TEST(ConfigNodeTest, ErrorAboutAbsentKeyPointsAtNode) {
  ConfigNode root = MustParse("list:\n  - name: x\n");
  std::vector<ConfigNode> items = root.GetMapList("list");
  ASSERT_EQ(items.size(), 1u);
  items[0].GetString("name");
  items[0].Error("selector", "missing required key \"selector\"");
  EXPECT_EQ(root.Finish().message(),
            "t.yml:2:5: list[0].selector: missing required key \"selector\"");
}

TEST(ConfigNodeTest, CopiesShareErrorsButWithOwnErrorsDoesNot) {
  ConfigNode node = MustParse("a: x\nb: y\n");
  ConfigNode copy = node;
  copy.Error("a", "bad a");
  EXPECT_EQ(node.Errors().message(), "t.yml:1:4: a: bad a");

  ConfigNode own = node.WithOwnErrors();
  EXPECT_OK(own.Errors());
  own.GetString("a");
  own.GetString("b");
  own.Error("b", "bad b");
  EXPECT_EQ(own.Finish().message(), "t.yml:2:4: b: bad b");
  EXPECT_EQ(node.Errors().message(), "t.yml:1:4: a: bad a");
}

TEST(ConfigNodeTest, FinishTwiceReportsOnce) {
  ConfigNode node = MustParse("stray: 1\n");
  EXPECT_FALSE(node.Finish().ok());
  EXPECT_EQ(node.Finish().message(), "t.yml:1:1: stray: unknown key \"stray\"");
}

TEST(ConfigNodeTest, EmptyMap) {
  ConfigNode node = ConfigNode::EmptyMap("t.yml", "collectors.dnsbl");
  EXPECT_EQ(node.path(), "collectors.dnsbl");
  EXPECT_EQ(node.Location(), "t.yml");
  EXPECT_TRUE(node.Keys().empty());
  EXPECT_EQ(node.GetInt("n", 3, 0, 10), 3);
  node.Error("lists", "required");
  EXPECT_EQ(node.Finish().message(), "t.yml: collectors.dnsbl.lists: required");
}

TEST(ConfigNodeTest, EmptyDocumentsAreEmptyMappings) {
  for (const char* yaml : {"", "\n\n", "# only a comment\n", "---\n", "~\n"}) {
    StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "t.yml");
    ASSERT_OK(node) << yaml;
    EXPECT_TRUE(node->Keys().empty());
    EXPECT_OK(node->Finish());
  }
}

TEST(ConfigNodeTest, ParseRejects) {
  struct Case {
    std::string yaml;
    const char* error;  // prefix of the message
  } cases[] = {
      {"a: [1\n", "t.yml:2:1: YAML syntax error: "},
      {"a:\n\tb: 1\n", "t.yml:2:1: YAML syntax error: tab used for indentation"},
      {"- a\n", "t.yml:1:1: expected a mapping at the top level, found a list"},
      {"a: 1\n---\nb: 2\n", "t.yml:2:1: only one YAML document is allowed"},
      {"a: 1\n...\nb: 2\n", "t.yml:3:1: only one YAML document is allowed"},
      {", a: b\n", "t.yml:1:1: YAML syntax error: unexpected \",\""},
      {"- a\n, b\n", "t.yml:2:1: YAML syntax error: unexpected \",\""},
      {"a: 1\n, b\n", "t.yml:2:1: YAML syntax error: "},
      {std::string(ConfigNode::kMaxInputBytes + 1, '#'), "t.yml: larger than 1048576 bytes"},
      {"a: " + std::string(100, '['), "t.yml: nesting deeper than 64 levels"},
      {"a: " + std::string(100, '{'), "t.yml: nesting deeper than 64 levels"},
      {[] {
         std::string s;
         for (int i = 0; i < 100; ++i) s += "- ";
         return s + "x\n";
       }(),
       "t.yml: nesting deeper than 64 levels"},
      {[] {
         std::string s;
         for (int i = 0; i < 70; ++i) s += std::string(i * 2, ' ') + "k:\n";
         return s;
       }(),
       "t.yml:"},
  };
  for (const Case& c : cases) {
    StatusOr<ConfigNode> node = ConfigNode::Parse(c.yaml, "t.yml");
    ASSERT_FALSE(node.ok()) << c.yaml.substr(0, 80);
    EXPECT_EQ(node.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(node.status().message().rfind(c.error, 0), 0u)
        << c.yaml.substr(0, 80) << " => " << node.status().message();
  }
}

TEST(ConfigNodeTest, DeepIndentedNestingIsRejectedWithLocation) {
  std::string yaml;
  for (int i = 0; i < 70; ++i) yaml += std::string(i * 2, ' ') + "k:\n";
  StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "t.yml");
  ASSERT_FALSE(node.ok());
  EXPECT_NE(node.status().message().find("nesting deeper than 64 levels"), std::string::npos)
      << node.status().message();
}

TEST(ConfigNodeTest, DuplicateAndNonStringKeysAreErrors) {
  StatusOr<ConfigNode> node =
      ConfigNode::Parse("a: 1\nb: {x: 1, x: 2}\na: 3\n? [k]\n: v\n", "t.yml");
  ASSERT_OK(node);
  EXPECT_EQ(node->GetInt("a", 0, 0, 10), 1);  // the first of duplicates is read
  node->GetMap("b");
  EXPECT_EQ(node->Finish().message(),
            "t.yml:2:11: duplicate key \"x\" (first defined at line 2)\n"
            "t.yml:3:1: duplicate key \"a\" (first defined at line 1)\n"
            "t.yml:4:3: keys must be strings, found a list");
}

TEST(ConfigNodeTest, AliasesAreReadOnceAndDoNotExplode) {
  std::string yaml = "a0: &a0 {x: 1}\n";
  for (int i = 1; i < 40; ++i) {
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
            ", *a" + std::to_string(i - 1) + "]\n";
  }
  StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "t.yml");
  ASSERT_OK(node);
  EXPECT_EQ(node->Keys().size(), 40u);
}

TEST(ConfigNodeTest, ManyErrorsAreCapped) {
  std::string yaml;
  for (int i = 0; i < 500; ++i) yaml += "k" + std::to_string(i) + ": 1\n";
  ConfigNode node = MustParse(yaml);
  Status s = node.Finish();
  EXPECT_NE(s.message().find("... and 400 more errors"), std::string::npos);
}

}  // namespace
}  // namespace mailrep
