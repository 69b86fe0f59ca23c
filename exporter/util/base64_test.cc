#include "exporter/util/base64.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(Base64Test, DecodesWithOrWithoutPadding) {
  EXPECT_EQ(*DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(*DecodeBase64("aGVsbG8"), "hello");
  EXPECT_EQ(*DecodeBase64("YWxpY2U6czNjcmV0"), "alice:s3cret");
  EXPECT_EQ(*DecodeBase64(""), "");
}

TEST(Base64Test, RejectsWithAReason) {
  EXPECT_EQ(DecodeBase64("aGVsbG8=x").status().message(), "base64: data after '=' padding");
  EXPECT_EQ(DecodeBase64("aGVsb").status().message(), "base64: truncated (bad length)");
  EXPECT_EQ(DecodeBase64("aGVsbG8===").status().message(), "base64: bad padding");
  EXPECT_EQ(DecodeBase64("YWxpY2U6czNjcmV0=").status().message(), "base64: bad padding");
  EXPECT_EQ(DecodeBase64("aGVs bG8=").status().message(), "base64: invalid character ' '");
}

}  // namespace
}  // namespace mailrep
