#include "collectors/auth/dmarc_check_command.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/auth/psl_testing.h"
#include "collectors/dns/static_resolver.h"

namespace mailrep {
namespace {

TEST(DmarcCheckPrintTest, TextAndJson) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("_dmarc.example.com", {"v=DMARC1; p=quarantine; rua=mailto:r@example.net"});
  DmarcCheckResult r = RunDmarcCheck(*dns, *TestPsl(), "mail.example.com",
                                     std::chrono::steady_clock::now() + std::chrono::seconds(5));
  DmarcConfiguredAlignment alignment{true, false};
  std::ostringstream text;
  PrintDmarcCheck(r, &alignment, false, text);
  EXPECT_EQ(text.str(),
            "DMARC for mail.example.com: valid\n"
            "  record at:    _dmarc.example.com  (organizational domain fallback)\n"
            "  record:       v=DMARC1; p=quarantine; rua=mailto:r@example.net\n"
            "  policy:       quarantine, pct 100, aspf relaxed, adkim relaxed\n"
            "  alignment:    SPF aligned, DKIM not aligned (configured identities)\n"
            "  rua:          mailto:r@example.net  not_authorized\n"
            "  rua mailto:r@example.net: no v=DMARC1 record at "
            "example.com._report._dmarc.example.net; receivers will not send these reports\n");
  std::ostringstream json;
  PrintDmarcCheck(r, nullptr, true, json);
  EXPECT_EQ(json.str(),
            "{\"domain\": \"mail.example.com\", \"status\": \"valid\", \"organizational_domain\": "
            "\"example.com\", \"record_domain\": \"example.com\", \"from_organizational_domain\": "
            "true, \"records_found\": 1, \"record\": \"v=DMARC1; p=quarantine; "
            "rua=mailto:r@example.net\", \"policy\": \"quarantine\", \"pct\": 100, \"adkim\": "
            "\"relaxed\", \"aspf\": \"relaxed\", \"report_destinations\": [{\"tag\": \"rua\", "
            "\"uri\": \"mailto:r@example.net\", \"external\": true, \"authorization_name\": "
            "\"example.com._report._dmarc.example.net\", \"status\": \"not_authorized\"}], "
            "\"details\": [\"rua mailto:r@example.net: no v=DMARC1 record at "
            "example.com._report._dmarc.example.net; receivers will not send these reports\"]}");
  EXPECT_FALSE(DmarcCheckPassed(r));
}

TEST(DmarcCheckCommandTest, UsageErrors) {
  for (std::vector<std::string> args : {std::vector<std::string>{},
                                        {"--domain", "example.com", "--format", "xml"},
                                        {"--domain", "example.com", "extra"},
                                        {"--bogus", "x"}}) {
    std::ostringstream out;
    std::ostringstream err;
    CheckCommandContext ctx{args, "", "", out, err, false};
    EXPECT_EQ(kDmarcCheckCommand.run(ctx), 2);
    EXPECT_FALSE(err.str().empty());
  }
}

}  // namespace
}  // namespace mailrep
