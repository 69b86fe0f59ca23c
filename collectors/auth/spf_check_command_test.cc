#include "collectors/auth/spf_check_command.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mailrep {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(SpfCheckPrintTest, JsonHasTheRequiredKeys) {
  SpfCheckResult r;
  r.result = SpfResult::kFail;
  r.explanation = "not allowed";
  r.dns_terms = 3;
  std::ostringstream out;
  PrintSpfCheck(Ip("192.0.2.1"), "a@example.com", "", r, true, out);
  EXPECT_EQ(out.str(),
            "{\"result\": \"fail\", \"explanation\": \"not allowed\", \"reason\": \"\", "
            "\"domain\": \"\", \"record\": \"\", \"dns_lookups\": 3, \"void_lookups\": 0, "
            "\"warnings\": []}");
}

}  // namespace
}  // namespace mailrep
