#include "collectors/postmaster/postmaster_credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "collectors/postmaster/postmaster_testdata.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PostmasterCredentialsTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = tmp_.path() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  ScopedTempDir tmp_{"postmaster_credentials"};
};

TEST_F(PostmasterCredentialsTest, AuthorizedUserJson) {
  PostmasterCredentialSource source;
  source.credentials_file =
      Write("creds.json", testing::PostmasterTestdata("authorized_user.json"));
  StatusOr<PostmasterCredentials> c = PostmasterCredentials::Read(source);
  ASSERT_OK(c);
  EXPECT_EQ(c->client_id, "123456789012-loopback.apps.googleusercontent.com");
  EXPECT_EQ(c->client_secret, "GOCSPX-LOOPBACK-CLIENT-SECRET");
  EXPECT_EQ(c->refresh_token, "1//0gLOOPBACK-REFRESH-TOKEN-secret");
}

TEST_F(PostmasterCredentialsTest, SeparateFiles) {
  PostmasterCredentialSource source;
  source.client_id = "id-1.apps.googleusercontent.com";
  source.client_secret_file = Write("secret", "  GOCSPX-abcdef\n");
  source.refresh_token_file = Write("refresh", "1//0g-refresh\r\n");
  StatusOr<PostmasterCredentials> c = PostmasterCredentials::Read(source);
  ASSERT_OK(c);
  EXPECT_EQ(c->client_secret, "GOCSPX-abcdef");
  EXPECT_EQ(c->refresh_token, "1//0g-refresh");
}

TEST_F(PostmasterCredentialsTest, ErrorsNameTheFileNeverItsContents) {
  const std::string secret = "GOCSPX-VERY-SECRET-VALUE";
  struct Case {
    std::string json;
    const char* error;
  } cases[] = {
      {"{\"type\": \"service_account\", \"client_secret\": \"" + secret + "\"}",
       "\"type\" is not \"authorized_user\""},
      {"{\"client_id\": \"x\", \"client_secret\": \"" + secret + "\"}",
       "no string \"refresh_token\""},
      {"{\"client_id\": \"x\", \"client_secret\": \"" + secret + "\", \"refresh_token\": \"\"}",
       "no refresh_token"},
      {"{\"client_id\": \"x\", \"client_secret\": \"" + secret +
           "\", \"refresh_token\": \"a\\nb\"}",
       "control characters"},
      {"client_secret=" + secret, "not JSON"},
      {"[\"" + secret + "\"]", "not a JSON object"},
  };
  for (const Case& k : cases) {
    PostmasterCredentialSource source;
    source.credentials_file = Write("bad.json", k.json);
    StatusOr<PostmasterCredentials> c = PostmasterCredentials::Read(source);
    ASSERT_FALSE(c.ok()) << k.json;
    EXPECT_THAT(c.status().message(), HasSubstr(k.error));
    EXPECT_THAT(c.status().message(), HasSubstr("bad.json"));
    EXPECT_THAT(c.status().message(), Not(HasSubstr(secret)));
  }
  PostmasterCredentialSource missing;
  missing.credentials_file = tmp_.path() + "/absent.json";
  EXPECT_FALSE(PostmasterCredentials::Read(missing).ok());
  PostmasterCredentialSource partial;
  partial.client_id = "id";
  partial.client_secret_file = Write("s", secret);
  EXPECT_THAT(PostmasterCredentials::Read(partial).status().message(), HasSubstr("no credentials"));
  PostmasterCredentialSource both = partial;
  both.credentials_file = Write("c.json", "{}");
  EXPECT_THAT(PostmasterCredentials::Read(both).status().message(), HasSubstr("not both"));
  PostmasterCredentialSource empty_file = partial;
  empty_file.refresh_token_file = Write("empty", "\n");
  EXPECT_THAT(PostmasterCredentials::Read(empty_file).status().message(),
              HasSubstr("no refresh token"));
}

TEST(SecretRedactorTest, HidesSecretsAndTheirFormEncoding) {
  SecretRedactor r;
  r.Add("1//0g-refresh");
  r.Add("abc");  // too short to hide
  EXPECT_EQ(r.Redact("token 1//0g-refresh and 1%2F%2F0g-refresh, abc"),
            "token <redacted> and <redacted>, abc");
  EXPECT_EQ(r.Redact("1//0g-refresh1//0g-refresh"), "<redacted><redacted>");
  r.Clear();
  EXPECT_EQ(r.Redact("1//0g-refresh"), "1//0g-refresh");
}

}  // namespace
}  // namespace mailrep
