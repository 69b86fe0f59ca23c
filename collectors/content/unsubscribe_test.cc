#include "collectors/content/unsubscribe.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

MailHeaders Headers(std::string_view block) {
  HeaderDefects defects;
  return ParseMailHeadersLenient(block, &defects);
}

TEST(UnsubscribeTest, OneClickNeedsThePostFieldAndAnHttpUri) {
  UnsubscribeFindings f =
      CheckUnsubscribe(Headers("List-Unsubscribe: <mailto:u@example.com>, <HTTPS://example.com/u>\n"
                               "list-unsubscribe-post:  list-unsubscribe=one-click \n"));
  EXPECT_TRUE(f.present);
  EXPECT_TRUE(f.one_click);
  EXPECT_TRUE(f.https);
  EXPECT_EQ(f.dkim_covers, std::nullopt);
  EXPECT_TRUE(f.Compliant());

  UnsubscribeFindings mailto_only =
      CheckUnsubscribe(Headers("List-Unsubscribe: <mailto:u@example.com>\n"
                               "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"));
  EXPECT_TRUE(mailto_only.present);
  EXPECT_FALSE(mailto_only.one_click);
  EXPECT_FALSE(mailto_only.Compliant());

  UnsubscribeFindings wrong_value = CheckUnsubscribe(
      Headers("List-Unsubscribe: <https://example.com/u>\nList-Unsubscribe-Post: One-Click\n"));
  EXPECT_FALSE(wrong_value.one_click);
  EXPECT_TRUE(wrong_value.https);

  UnsubscribeFindings none = CheckUnsubscribe(Headers("List-Unsubscribe: no brackets\n"));
  EXPECT_FALSE(none.present);
}

TEST(UnsubscribeTest, DkimCoverage) {
  const char* both =
      "v=1; d=example.com; s=s; h=from:List-Unsubscribe:LIST-UNSUBSCRIBE-POST; b=YQ==";
  EXPECT_TRUE(DkimSignatureCovers(both, "list-unsubscribe"));
  EXPECT_TRUE(DkimSignatureCovers(both, "List-Unsubscribe-Post"));
  EXPECT_FALSE(DkimSignatureCovers(both, "List-Id"));
  // Over-signed (named twice) still covers; a prefix of a name does not.
  EXPECT_TRUE(
      DkimSignatureCovers("h=a : list-unsubscribe : list-unsubscribe; b=", "List-Unsubscribe"));
  EXPECT_FALSE(DkimSignatureCovers("h=list-unsubscribe-postx; b=", "List-Unsubscribe-Post"));
  EXPECT_FALSE(DkimSignatureCovers("h=list-unsubscribe; h=x", "List-Unsubscribe"));  // broken
  EXPECT_FALSE(DkimSignatureCovers("v=1; b=YQ==", "List-Unsubscribe"));

  // One signature covering both is enough; two covering one each are not.
  EXPECT_EQ(CheckUnsubscribe(Headers("DKIM-Signature: h=list-unsubscribe; b=\n"
                                     "DKIM-Signature: h=list-unsubscribe-post; b=\n"))
                .dkim_covers,
            false);
  EXPECT_EQ(CheckUnsubscribe(Headers("DKIM-Signature: h=list-unsubscribe; b=\n"
                                     "DKIM-Signature: h=List-Unsubscribe:\n"
                                     "  List-Unsubscribe-Post; b=\n"))
                .dkim_covers,
            true);
}

TEST(UnsubscribeTest, Bulk) {
  EXPECT_TRUE(IsBulk(Headers("Precedence: Bulk\n"), ""));
  EXPECT_TRUE(IsBulk(Headers("Precedence: junk\n"), ""));
  EXPECT_FALSE(IsBulk(Headers("Precedence: first-class\n"), ""));
  EXPECT_TRUE(IsBulk(Headers("List-Id: <a.example.com>\n"), ""));
  EXPECT_TRUE(IsBulk(Headers("List-Unsubscribe: <https://x>\n"), ""));
  EXPECT_FALSE(IsBulk(Headers("X-Mailer-Campaign: 1\n"), ""));
  EXPECT_TRUE(IsBulk(Headers("X-Mailer-Campaign: 1\n"), "X-Mailer-Campaign"));
}

}  // namespace
}  // namespace mailrep
