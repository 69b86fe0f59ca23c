#include "collectors/http_fetch/form_body.h"

#include <gtest/gtest.h>

#include <vector>

namespace mailrep {
namespace {

TEST(FormBodyTest, EncodesEveryReservedByte) {
  EXPECT_EQ(FormUrlEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(FormUrlEncode("1//0g a+b=c&d"), "1%2F%2F0g%20a%2Bb%3Dc%26d");
  EXPECT_EQ(FormUrlEncode(std::string_view("\0\xff", 2)), "%00%FF");
  EXPECT_EQ(FormUrlEncode(""), "");
}

TEST(FormBodyTest, JoinsFieldsInOrder) {
  std::vector<FormField> fields = {{"grant_type", "refresh_token"}, {"refresh_token", "1//x y"}};
  EXPECT_EQ(FormUrlEncoded(fields), "grant_type=refresh_token&refresh_token=1%2F%2Fx%20y");
  EXPECT_EQ(FormUrlEncoded({}), "");
}

}  // namespace
}  // namespace mailrep
