#include "collectors/reports/report_invalid_reason.h"

#include <gtest/gtest.h>

#include <set>

#include "collectors/mail/mail_error.h"

namespace mailrep {
namespace {

TEST(ReportInvalidReasonTest, NamesAreDistinctAndReadBack) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ReportInvalidReason::kOther); ++i) {
    auto reason = static_cast<ReportInvalidReason>(i);
    std::string_view name = ReportInvalidReasonName(reason);
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(names.insert(name).second) << name;
    if (reason == ReportInvalidReason::kOther) continue;
    Status status = InvalidReport(reason, "detail");
    EXPECT_EQ(status.message(), std::string(name) + ": detail");
    EXPECT_EQ(InvalidReportReason(status), reason) << name;
  }
  EXPECT_EQ(ReportInvalidReasonName(static_cast<ReportInvalidReason>(99)), "unknown");
}

TEST(ReportInvalidReasonTest, CapsAreResourceExhausted) {
  EXPECT_EQ(InvalidReport(ReportInvalidReason::kDecompressedTooLarge, "x").code(),
            Status::Code::kResourceExhausted);
  EXPECT_EQ(InvalidReport(ReportInvalidReason::kXmlDtd, "x").code(),
            Status::Code::kInvalidArgument);
}

// The mail parsers' errors (collectors/mail) read back as the reasons of the same name.
TEST(ReportInvalidReasonTest, MailErrorsReadBack) {
  const std::pair<MailError, ReportInvalidReason> pairs[] = {
      {MailError::kMimeSyntax, ReportInvalidReason::kMimeSyntax},
      {MailError::kMimeTooDeep, ReportInvalidReason::kMimeTooDeep},
      {MailError::kMimeTooManyParts, ReportInvalidReason::kMimeTooManyParts},
      {MailError::kBadBase64, ReportInvalidReason::kBadBase64},
      {MailError::kTooLarge, ReportInvalidReason::kTooLarge},
  };
  for (const auto& [error, reason] : pairs) {
    Status mail = MailErrorStatus(error, "detail");
    Status report = InvalidReport(reason, "detail");
    EXPECT_EQ(InvalidReportReason(mail), reason) << MailErrorName(error);
    EXPECT_EQ(mail.code(), report.code()) << MailErrorName(error);
    EXPECT_EQ(mail.message(), report.message());
  }
}

TEST(ReportInvalidReasonTest, OtherStatusesAreOther) {
  EXPECT_EQ(InvalidReportReason(Status::Internal("zlib: out of memory")),
            ReportInvalidReason::kOther);
  EXPECT_EQ(InvalidReportReason(Status::InvalidArgument("xml_dtdx: no")),
            ReportInvalidReason::kOther);
  EXPECT_EQ(InvalidReportReason(Status::OK()), ReportInvalidReason::kOther);
}

}  // namespace
}  // namespace mailrep
