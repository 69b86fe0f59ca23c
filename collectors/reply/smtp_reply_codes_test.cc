#include "collectors/reply/smtp_reply_codes.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(SmtpReplyCodesTest, EnhancedCode) {
  EXPECT_EQ(FindEnhancedCode("550 5.1.1 <user> User unknown"), "5.1.1");
  EXPECT_EQ(FindEnhancedCode("421-4.7.28 [1.2.3.4] Our system"), "4.7.28");
  EXPECT_EQ(FindEnhancedCode("Connection refused by [127.0.0.1]"), "");
  EXPECT_EQ(FindEnhancedCode("version 15.2.3.4"), "");
  EXPECT_EQ(FindEnhancedCode("5.7.26"), "5.7.26");
  EXPECT_EQ(FindEnhancedCode("x 4.2.2"), "4.2.2");
}

TEST(SmtpReplyCodesTest, ReplyCode) {
  EXPECT_EQ(FindReplyCode("host x said: 421 4.7.0 Try again"), "421");
  EXPECT_EQ(FindReplyCode("550-5.7.1 blocked"), "550");
  EXPECT_EQ(FindReplyCode("port 25250"), "");
}

TEST(SmtpReplyCodesTest, NoCodeInsideLongerDottedNumbers) {
  EXPECT_EQ(FindEnhancedCode("version 4.2.22.1 broke"), "");
}

}  // namespace
}  // namespace mailrep
