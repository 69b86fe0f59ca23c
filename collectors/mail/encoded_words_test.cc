#include "collectors/mail/encoded_words.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(EncodedWordsTest, DecodesBAndQ) {
  EXPECT_EQ(DecodeEncodedWords("=?UTF-8?B?aW52b2ljZS5leGU=?="), "invoice.exe");
  EXPECT_EQ(DecodeEncodedWords("=?iso-8859-1?q?caf=E9_menu?=.pdf"), "caf\xE9 menu.pdf");
  EXPECT_EQ(DecodeEncodedWords("a =?utf-8?Q?b?= c"), "a b c");
}

TEST(EncodedWordsTest, WhiteSpaceBetweenWordsGoes) {
  EXPECT_EQ(DecodeEncodedWords("=?utf-8?Q?in?= \t =?utf-8?B?dm9pY2U=?=.exe"), "invoice.exe");
}

TEST(EncodedWordsTest, MalformedWordsStayAsWritten) {
  for (const char* text : {"=?utf-8?X?abc?=", "=?utf-8?B?not base64?=", "=?utf-8?B?abc",
                           "=??B?YQ==?=", "=?", "plain"}) {
    EXPECT_EQ(DecodeEncodedWords(text), text) << text;
  }
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "=?a?B?";
  EXPECT_EQ(DecodeEncodedWords(many), many);
}

}  // namespace
}  // namespace mailrep
