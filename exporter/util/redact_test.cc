#include "exporter/util/redact.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(RedactSecretsTest, EveryOccurrenceOfEverySecret) {
  EXPECT_EQ(RedactSecrets("key=abc123 again abc123, token tok-9", {"abc123", "tok-9"}),
            "key=<redacted> again <redacted>, token <redacted>");
}

TEST(RedactSecretsTest, EmptySecretsAndNoSecretsLeaveTheText) {
  EXPECT_EQ(RedactSecrets("plain", {}), "plain");
  EXPECT_EQ(RedactSecrets("plain", {""}), "plain");
}

TEST(RedactSecretsTest, ASecretInsideTheMarkerDoesNotLoop) {
  EXPECT_EQ(RedactSecrets("redacted", {"redacted"}), "<redacted>");
  EXPECT_EQ(RedactSecrets("xx", {"x"}), "<redacted><redacted>");
}

}  // namespace
}  // namespace mailrep
