#include "collectors/reports/json_value.h"

#include <gtest/gtest.h>

#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

ReportInvalidReason ReasonOf(std::string_view text, const JsonLimits& limits = {}) {
  return InvalidReportReason(ParseJson(text, limits).status());
}

TEST(JsonValueTest, ReadsEveryType) {
  StatusOr<JsonValue> v = ParseJson(
      "\xEF\xBB\xBF { \"a\": [1, -2.5e1, true, false, null], \"s\": \"x\\u00e9\\ud83d\\ude00\\n\","
      " \"o\": {}, \"e\": [] }");
  ASSERT_OK(v);
  ASSERT_TRUE(v->is_object());
  const JsonValue* a = v->Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0].number, 1);
  EXPECT_EQ(a->items[1].number, -25);
  EXPECT_TRUE(a->items[2].boolean);
  EXPECT_FALSE(a->items[3].boolean);
  EXPECT_EQ(a->items[3].type, JsonValue::Type::kBool);
  EXPECT_EQ(a->items[4].type, JsonValue::Type::kNull);
  EXPECT_EQ(v->StringAt("s"), "x\xC3\xA9\xF0\x9F\x98\x80\n");
  EXPECT_TRUE(v->Find("o")->is_object());
  EXPECT_EQ(v->Find("missing"), nullptr);
}

TEST(JsonValueTest, Counts) {
  StatusOr<JsonValue> v = ParseJson(R"({"n": 42, "f": 1.5, "neg": -1, "big": 1e300, "s": "1"})");
  ASSERT_OK(v);
  EXPECT_EQ(v->CountAt("n"), 42u);
  EXPECT_EQ(v->CountAt("f"), std::nullopt);
  EXPECT_EQ(v->CountAt("neg"), std::nullopt);
  EXPECT_EQ(v->CountAt("big"), std::nullopt);
  EXPECT_EQ(v->CountAt("s"), std::nullopt);
}

TEST(JsonValueTest, StrictSyntax) {
  for (std::string_view bad :
       {"", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "// c\n{}", "{\"a\":01}", "{\"a\":.5}",
        "{\"a\":NaN}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"tab\there\"}", "{} {}",
        "{\"a\" 1}", "tru", "1e999"}) {
    EXPECT_EQ(ReasonOf(bad), ReportInvalidReason::kJsonSyntax) << bad;
  }
}

TEST(JsonValueTest, Limits) {
  std::string deep(40, '[');
  deep += std::string(40, ']');
  EXPECT_EQ(ReasonOf(deep), ReportInvalidReason::kJsonLimits);
  EXPECT_EQ(ReasonOf("[1,2,3,4]", {.max_bytes = 100, .max_depth = 4, .max_values = 3}),
            ReportInvalidReason::kJsonLimits);
  EXPECT_EQ(ReasonOf("[1]", {.max_bytes = 2, .max_depth = 4, .max_values = 10}),
            ReportInvalidReason::kJsonLimits);
  std::string ok(32, '[');
  ok += std::string(32, ']');
  EXPECT_OK(ParseJson(ok));
}

}  // namespace
}  // namespace mailrep
