#include "exporter/app/landing_page.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(LandingPageTest, ShowsLinksCollectorsAndEscapes) {
  LandingInfo info;
  info.build = {"0.1.0", "abc"};
  info.telemetry_path = "/metrics";
  info.config_source = "<embedded default>";
  CollectorStatus failed;
  failed.name = "dnsbl";
  failed.runs = 1;
  failed.last_error = "unavailable: <script>";
  info.collectors = {{"host", "Host.", true, std::chrono::seconds(60), {}},
                     {"dnsbl", "Lists.", true, std::chrono::seconds(900), failed},
                     {"queue", "Queues.", false, {}, {}}};
  std::string html = RenderLandingPage(info);
  EXPECT_NE(html.find("<a href=\"/metrics\">"), std::string::npos);
  EXPECT_NE(html.find("&lt;embedded default&gt;"), std::string::npos);
  EXPECT_NE(html.find("unavailable: &lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("starting"), std::string::npos);
  EXPECT_NE(html.find("disabled"), std::string::npos);
  EXPECT_NE(html.find("15m"), std::string::npos);
  EXPECT_NE(html.find("No probe modules"), std::string::npos);
}

}  // namespace
}  // namespace mailrep
