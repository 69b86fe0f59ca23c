#include "exporter/http/basic_auth.h"

#include <gtest/gtest.h>

#include "exporter/http/http_test_support.h"

namespace mailrep {
namespace {

TEST(ParseBasicAuthorization, Table) {
  struct Case {
    const char* header;
    bool ok;
    const char* user;
    const char* password;
  };
  const Case cases[] = {
      {"Basic YWxpY2U6czNjcmV0", true, "alice", "s3cret"},
      {"basic YWxpY2U6czNjcmV0", true, "alice", "s3cret"},
      {"  Basic   YWxpY2U6czNjcmV0  ", true, "alice", "s3cret"},
      {"Basic YWxpY2U6", true, "alice", ""},
      {"Basic OnA=", true, "", "p"},
      {"Basic YTpiOmM=", true, "a", "b:c"},
      {"Basic YWxpY2U=", false, "", ""},           // no colon
      {"Basic YWxpY2U6czNjcmV0=", false, "", ""},  // bad length
      {"Basic YWxp!2U6", false, "", ""},
      {"Basic ====", false, "", ""},
      {"Basic", false, "", ""},
      {"Bearer YWxpY2U6czNjcmV0", false, "", ""},
      {"", false, "", ""},
  };
  for (const Case& c : cases) {
    std::string user, password;
    EXPECT_EQ(ParseBasicAuthorization(c.header, &user, &password), c.ok) << c.header;
    if (c.ok) {
      EXPECT_EQ(user, c.user) << c.header;
      EXPECT_EQ(password, c.password) << c.header;
    }
  }
}

TEST(LooksLikeBcryptHash, Table) {
  const std::string body = "QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
  EXPECT_TRUE(LooksLikeBcryptHash("$2y$10$" + body));
  EXPECT_TRUE(LooksLikeBcryptHash("$2a$04$" + body));
  EXPECT_TRUE(LooksLikeBcryptHash("$2b$31$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2x$10$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2y$03$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2y$32$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2y$10$" + body.substr(1)));
  EXPECT_FALSE(LooksLikeBcryptHash("$5$rounds=1000$abc"));
  EXPECT_FALSE(LooksLikeBcryptHash("plain"));
  EXPECT_FALSE(LooksLikeBcryptHash(""));
}

TEST(VerifyBcrypt, MatchesOnlyTheRightPassword) {
  std::string hash = testing::BcryptHash("correct horse");
  ASSERT_TRUE(LooksLikeBcryptHash(hash)) << hash;
  EXPECT_TRUE(VerifyBcrypt("correct horse", hash));
  EXPECT_FALSE(VerifyBcrypt("correct horsE", hash));
  EXPECT_FALSE(VerifyBcrypt("", hash));
  EXPECT_FALSE(VerifyBcrypt("correct horse", "not a hash"));
}

TEST(BasicAuthenticator, ChecksAndCachesOnlySuccesses) {
  BasicAuthenticator empty({});
  EXPECT_FALSE(empty.enabled());

  BasicAuthenticator auth({{"alice", testing::BcryptHash("s3cret")}});
  EXPECT_TRUE(auth.enabled());
  EXPECT_FALSE(auth.Check(""));
  EXPECT_FALSE(auth.Check("Basic YWxpY2U6d3Jvbmc="));  // alice:wrong
  EXPECT_FALSE(auth.Check("Basic Ym9iOnMzY3JldA=="));  // bob:s3cret
  EXPECT_EQ(auth.CacheSizeForTest(), 0u);
  EXPECT_TRUE(auth.Check("Basic YWxpY2U6czNjcmV0"));  // alice:s3cret
  EXPECT_EQ(auth.CacheSizeForTest(), 1u);
  EXPECT_TRUE(auth.Check("Basic YWxpY2U6czNjcmV0"));
  EXPECT_EQ(auth.CacheSizeForTest(), 1u);
  EXPECT_FALSE(auth.Check("Basic YWxpY2U6d3Jvbmc="));
}

}  // namespace
}  // namespace mailrep
