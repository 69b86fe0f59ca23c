#include "collectors/auth/tls_rpt_record.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(TlsRptTest, Candidates) {
  EXPECT_TRUE(IsTlsRptTxtCandidate("v=TLSRPTv1; rua=mailto:a@example.com"));
  EXPECT_TRUE(IsTlsRptTxtCandidate("v=TLSRPTv1"));
  EXPECT_FALSE(IsTlsRptTxtCandidate("v=TLSRPTv10; rua=mailto:a@example.com"));
  EXPECT_FALSE(IsTlsRptTxtCandidate("v=tlsrptv1; rua=mailto:a@example.com"));
  EXPECT_FALSE(IsTlsRptTxtCandidate("v=STSv1; id=1"));
}

TEST(TlsRptTest, Table) {
  struct Case {
    const char* text;
    size_t rua;  // 0: invalid
  } cases[] = {
      {"v=TLSRPTv1; rua=mailto:reports@example.com", 1},
      {"v=TLSRPTv1;rua=mailto:reports@example.com;", 1},
      {"v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", 1},
      {"v=TLSRPTv1; rua=mailto:a@example.com, https://r.example.com/x", 2},
      {"v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.net", 2},
      {"v=TLSRPTv1; rua=mailto:a@example.com,ftp://x.example", 2},  // ftp noted
      {"v=TLSRPTv1; ext=1; rua=mailto:a@example.com", 1},
      {"v=TLSRPTv1; rua=ftp://x.example", 0},
      {"v=TLSRPTv1; rua=mailto:nobody", 0},
      {"v=TLSRPTv1; rua=https://", 0},
      {"v=TLSRPTv1; rua=", 0},
      {"v=TLSRPTv1; rua=mailto:a@example.com,", 0},
      {"v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", 0},
      {"v=TLSRPTv1;", 0},
      {"v=TLSRPTv1", 0},
      {"v=TLSRPTv1 rua=mailto:a@example.com", 0},
      {"v=TLSRPTv1; ruf=mailto:a@example.com", 0},
      {"rua=mailto:a@example.com; v=TLSRPTv1", 0},
      {"v=TLSRPTv1; rua=mailto:a b@example.com", 0},
  };
  for (const Case& c : cases) {
    StatusOr<TlsRptRecord> r = ParseTlsRptTxt(c.text);
    if (c.rua == 0) {
      EXPECT_FALSE(r.ok()) << c.text;
    } else {
      ASSERT_OK(r) << c.text;
      EXPECT_EQ(r->rua.size(), c.rua) << c.text;
    }
  }
}

}  // namespace
}  // namespace mailrep
