#include "exporter/http/credential_cache.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(CredentialCacheTest, RemembersExactHeadersWithinItsBound) {
  CredentialCache cache(2);
  EXPECT_FALSE(cache.Contains("Basic YWxpY2U6czNjcmV0"));
  cache.Add("Basic YWxpY2U6czNjcmV0");
  EXPECT_TRUE(cache.Contains("Basic YWxpY2U6czNjcmV0"));
  EXPECT_FALSE(cache.Contains("Basic YWxpY2U6czNjcmV1"));
  EXPECT_FALSE(cache.Contains("basic YWxpY2U6czNjcmV0"));
  cache.Add("Basic Ym9iOng=");
  cache.Add("Basic Y2Fyb2w6eQ==");  // full: starts over
  EXPECT_FALSE(cache.Contains("Basic YWxpY2U6czNjcmV0"));
  EXPECT_TRUE(cache.Contains("Basic Y2Fyb2w6eQ=="));
}

}  // namespace
}  // namespace mailrep
