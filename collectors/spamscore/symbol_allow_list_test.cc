#include "collectors/spamscore/symbol_allow_list.h"

#include <gtest/gtest.h>

#include <string>

namespace mailrep {
namespace {

TEST(SymbolAllowListTest, ExactNamesAndPrefixes) {
  SymbolAllowList list({"R_DKIM_ALLOW", "URIBL_*"});
  EXPECT_EQ(list.Label("R_DKIM_ALLOW"), "R_DKIM_ALLOW");
  EXPECT_EQ(list.Label("R_DKIM_ALLOW_X"), "other");
  EXPECT_EQ(list.Label("URIBL_BLACK"), "URIBL_BLACK");
  EXPECT_EQ(list.Label("MIME_GOOD"), "other");
  EXPECT_EQ(list.Label("URIBL_bad-name"), "other");
}

TEST(SymbolAllowListTest, DistinctLabelsAreCapped) {
  SymbolAllowList list({"X_*"});
  for (size_t i = 0; i < SymbolAllowList::kMaxLabels; ++i) {
    std::string name = "X_" + std::to_string(i);
    EXPECT_EQ(list.Label(name), name);
  }
  EXPECT_EQ(list.Label("X_NEW"), "other");
  EXPECT_EQ(list.Label("X_7"), "X_7");  // already given: still its own
}

TEST(SymbolAllowListTest, DefaultEntriesAreValid) {
  for (const std::string& e : SymbolAllowList::DefaultEntries()) {
    EXPECT_TRUE(SymbolAllowList::ValidEntry(e)) << e;
  }
  EXPECT_FALSE(SymbolAllowList::ValidEntry("*"));
  EXPECT_FALSE(SymbolAllowList::ValidEntry("A*B"));
  EXPECT_FALSE(SymbolAllowList::ValidEntry("a b"));
}

}  // namespace
}  // namespace mailrep
