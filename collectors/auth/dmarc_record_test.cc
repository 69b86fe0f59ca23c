#include "collectors/auth/dmarc_record.h"

#include <string>

#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

TEST(DmarcRecordTest, Selection) {
  struct Case {
    const char* text;
    bool dmarc;
  } cases[] = {
      {"v=DMARC1; p=none", true},
      {"v = DMARC1;p=none", true},
      {"v=DMARC1", true},
      {"v=DMARC1, p=none", true},  // selected, then rejected by the parser
      {"v=dmarc1; p=none", false},
      {" v=DMARC1; p=none", false},
      {"V=DMARC1; p=none", false},
      {"v=spf1 -all", false},
      {"", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsDmarcRecordText(c.text), c.dmarc) << c.text;
}

TEST(DmarcRecordTest, AllTags) {
  StatusOr<DmarcRecord> record = ParseDmarcRecord(
      "v=DMARC1; p=Reject; sp=quarantine; np=reject; adkim=s; aspf=s; pct=50; "
      "rua=mailto:agg@Example.COM,mailto:x@reports.example.net!10m; ruf=mailto:f@example.com; "
      "fo=1:d; rf=afrf; ri=3600; psd=n; t=n; future=ignored");
  ASSERT_OK(record);
  EXPECT_TRUE(record->valid());
  EXPECT_EQ(record->policy, DmarcPolicy::kReject);
  EXPECT_EQ(record->subdomain_policy, DmarcPolicy::kQuarantine);
  EXPECT_EQ(record->nonexistent_policy, DmarcPolicy::kReject);
  EXPECT_EQ(record->effective_policy, DmarcPolicy::kReject);
  EXPECT_EQ(record->adkim, DmarcAlignmentMode::kStrict);
  EXPECT_EQ(record->aspf, DmarcAlignmentMode::kStrict);
  EXPECT_EQ(record->pct, 50);
  ASSERT_EQ(record->rua.size(), 2u);
  EXPECT_EQ(record->rua[0].domain, "example.com");
  EXPECT_EQ(record->rua[1].uri, "mailto:x@reports.example.net");
  EXPECT_EQ(record->rua[1].size_limit_bytes, 10u << 20);
  ASSERT_EQ(record->ruf.size(), 1u);
  EXPECT_EQ(record->fo, (std::vector<std::string>{"1", "d"}));
  EXPECT_EQ(record->ri, 3600u);
  EXPECT_EQ(record->psd, 'n');
  EXPECT_FALSE(record->testing);
  EXPECT_TRUE(record->dmarcbis_tags);
  EXPECT_EQ(record->warnings.size(), 1u);  // pct < 100
}

TEST(DmarcRecordTest, Defaults) {
  StatusOr<DmarcRecord> record = ParseDmarcRecord("v=DMARC1; p=none");
  ASSERT_OK(record);
  EXPECT_EQ(record->effective_policy, DmarcPolicy::kNone);
  EXPECT_EQ(record->SubdomainPolicy(), DmarcPolicy::kNone);
  EXPECT_EQ(record->adkim, DmarcAlignmentMode::kRelaxed);
  EXPECT_EQ(record->pct, 100);
  EXPECT_EQ(record->ri, 86400u);
  EXPECT_EQ(record->psd, 'u');
  EXPECT_FALSE(record->dmarcbis_tags);
  EXPECT_TRUE(record->warnings.empty());
  EXPECT_TRUE(record->errors.empty());
}

// Records that parse but need fixing, or fall back to defaults.
TEST(DmarcRecordTest, ErrorsAndWarnings) {
  struct Case {
    std::string text;
    bool valid;
    std::optional<DmarcPolicy> effective;
    std::string message;  // substring of an error or warning
  } cases[] = {
      {"v=DMARC1; p=block", false, std::nullopt, "invalid p=block"},
      {"v=DMARC1; p=block; rua=mailto:d@example.com", false, DmarcPolicy::kNone, "act as p=none"},
      {"v=DMARC1; rua=mailto:d@example.com", false, DmarcPolicy::kNone, "p= is missing"},
      {"v=DMARC1; adkim=x", false, std::nullopt, "p= is missing"},
      {"v=DMARC1; p=reject; sp=bogus", false, std::nullopt, "invalid sp=bogus"},
      {"v=DMARC1; p=reject; np=bogus", false, DmarcPolicy::kReject, "invalid np=bogus"},
      {"v=DMARC1; p=reject; pct=101", true, DmarcPolicy::kReject, "invalid pct=101"},
      {"v=DMARC1; p=reject; pct=0", true, DmarcPolicy::kReject, "pct=0"},
      {"v=DMARC1; p=reject; adkim=x", true, DmarcPolicy::kReject, "invalid adkim=x"},
      {"v=DMARC1; p=reject; fo=2", true, DmarcPolicy::kReject, "invalid fo=2"},
      {"v=DMARC1; p=reject; fo=1", true, DmarcPolicy::kReject, "no effect without ruf"},
      {"v=DMARC1; p=reject; rf=json", true, DmarcPolicy::kReject, "invalid rf=json"},
      {"v=DMARC1; p=reject; ri=-1", true, DmarcPolicy::kReject, "invalid ri=-1"},
      {"v=DMARC1; p=reject; ri=4294967296", true, DmarcPolicy::kReject, "invalid ri"},
      {"v=DMARC1; p=reject; t=y", true, DmarcPolicy::kReject, "testing"},
      {"v=DMARC1; p=reject; psd=maybe", true, DmarcPolicy::kReject, "invalid psd"},
      {"v=DMARC1; p=reject; rua=d@example.com", true, DmarcPolicy::kReject, "no scheme"},
      {"v=DMARC1; p=reject; rua=mailto:example.com", true, DmarcPolicy::kReject, "local@domain"},
      {"v=DMARC1; p=reject; rua=mailto:a@b.com!big", true, DmarcPolicy::kReject, "size"},
      {"v=DMARC1; rua=mailto:d@example.com; p=reject", true, DmarcPolicy::kReject,
       "not right after v="},
      {"v=DMARC1; p=quarantine;;", true, DmarcPolicy::kQuarantine, ""},
  };
  for (const Case& c : cases) {
    StatusOr<DmarcRecord> record = ParseDmarcRecord(c.text);
    ASSERT_OK(record) << c.text;
    EXPECT_EQ(record->valid(), c.valid) << c.text;
    EXPECT_EQ(record->effective_policy, c.effective) << c.text;
    bool found = c.message.empty();
    for (const auto* list : {&record->errors, &record->warnings}) {
      for (const std::string& m : *list) found |= m.find(c.message) != std::string::npos;
    }
    EXPECT_TRUE(found) << c.text << ": expected '" << c.message << "'";
  }
}

TEST(DmarcRecordTest, Rejects) {
  for (const char* text : {"v=DMARC1, p=none", "p=none; v=DMARC1", "v=DMARC1; p=none; p=reject",
                           "v=DMARC1; p=none; P=reject", "v=DMARC1; p=n\x01one", "v=DMARC2; p=none",
                           "", "v=DMARC1; =x"}) {
    EXPECT_FALSE(ParseDmarcRecord(text).ok()) << text;
  }
  EXPECT_NE(ParseDmarcRecord("v=DMARC1, p=none").status().message().find("','"), std::string::npos);
}

TEST(DmarcRecordTest, ReportUris) {
  struct Case {
    const char* text;
    bool ok;
    const char* scheme;
    const char* domain;
    uint64_t size;
  } cases[] = {
      {"mailto:a@example.com", true, "mailto", "example.com", 0},
      {" MAILTO:a@Example.com.!1k ", true, "mailto", "example.com", 1024},
      {"mailto:a@example.com?subject=x!2g", true, "mailto", "example.com", 2ull << 30},
      {"https://r.example.com/dmarc", true, "https", "", 0},
      {"mailto:a@example.com!5", true, "mailto", "example.com", 5},
      {"mailto:@example.com", false, "", "", 0},
      {"mailto:a@", false, "", "", 0},
      {"mailto:a@localhost", false, "", "", 0},
      {"mailto:a@example.com!", false, "", "", 0},
      {"mailto:a@example.com!1x", false, "", "", 0},
      {"mailto:a@exa mple.com", false, "", "", 0},
      {":x", false, "", "", 0},
      {"1ttp:x", false, "", "", 0},
  };
  for (const Case& c : cases) {
    StatusOr<DmarcReportUri> uri = ParseDmarcReportUri(c.text);
    ASSERT_EQ(uri.ok(), c.ok) << c.text;
    if (!c.ok) continue;
    EXPECT_EQ(uri->scheme, c.scheme) << c.text;
    EXPECT_EQ(uri->domain, c.domain) << c.text;
    EXPECT_EQ(uri->size_limit_bytes.value_or(0), c.size) << c.text;
  }
}

}  // namespace
}  // namespace mailrep
