#include "exporter/util/ascii.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(AsciiTest, EqualsIgnoreCaseFoldsLettersOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("V=SPF1", "v=spf1"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_FALSE(EqualsIgnoreCase("a", "ab"));
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));  // differ only in bit 0x20, not letters
  EXPECT_FALSE(EqualsIgnoreCase("[", "{"));
  EXPECT_FALSE(EqualsIgnoreCase("\xc4", "\xe4"));
}

TEST(AsciiTest, ToLowerAsciiLeavesOtherBytes) {
  EXPECT_EQ(ToLowerAscii("Mail.Example.COM"), "mail.example.com");
  EXPECT_EQ(ToLowerAscii("\xc4@["), "\xc4@[");
}

TEST(AsciiTest, MailAddressDomain) {
  EXPECT_EQ(MailAddressDomain("User@Example.COM."), "example.com");
  EXPECT_EQ(MailAddressDomain("<a@b.example>"), "b.example");
  EXPECT_EQ(MailAddressDomain("a@x@y.example"), "y.example");
  EXPECT_EQ(MailAddressDomain("postmaster"), "");
  EXPECT_EQ(MailAddressDomain("a@"), "");
}

}  // namespace
}  // namespace mailrep
