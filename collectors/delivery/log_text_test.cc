#include "collectors/delivery/log_text.h"

#include <gtest/gtest.h>

#include <charconv>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

TEST(LogTextTest, Durations) {
  EXPECT_EQ(ParseSeconds("0.16"), 0.16);
  EXPECT_FALSE(ParseSeconds("-1").has_value());
  EXPECT_FALSE(ParseSeconds("1x").has_value());
  EXPECT_EQ(ParseUnitDuration("6m40s"), 400);
  EXPECT_EQ(ParseUnitDuration("1d1h"), 90000);
  EXPECT_EQ(ParseUnitDuration("0.004s"), 0.004);
  EXPECT_FALSE(ParseUnitDuration("5").has_value());
  EXPECT_FALSE(ParseUnitDuration("").has_value());
  EXPECT_EQ(ParseClockDuration("00:01:02"), 62);
  EXPECT_EQ(ParseClockDuration("2+00:00:01"), 172801);
  EXPECT_FALSE(ParseClockDuration("0:1:2").has_value());
}

TEST(LogTextTest, SecondsMatchFromChars) {
  // The short-number fast path must give exactly what from_chars gives.
  const char* inputs[] = {"0",          "7",
                          "0.16",       "0.1",
                          "0.3",        "12.345",
                          "00012.50",   "123456789012345",
                          "1234567.89", "0.000000001",
                          "99.99",      "9007199254740993",
                          "1.",         "1e3",
                          "1.2.3",      "0.123456789012345678",
                          "86400",      "3.14159265358979"};
  for (const char* in : inputs) {
    std::string_view text(in);
    double want = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), want);
    std::optional<double> got = ParseSeconds(text);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      EXPECT_FALSE(got.has_value()) << in;
    } else {
      ASSERT_TRUE(got.has_value()) << in;
      EXPECT_EQ(*got, want) << in;
    }
  }
}

TEST(LogTextTest, HostIp) {
  std::string host, ip;
  SplitHostIp("mx.google.com[142.250.1.27]:25", &host, &ip);
  EXPECT_EQ(host, "mx.google.com");
  EXPECT_EQ(ip, "142.250.1.27");
  SplitHostIp("mx[2001:db8::1]:25", &host, &ip);
  EXPECT_EQ(ip, "2001:db8::1");
  SplitHostIp("private/dovecot-lmtp", &host, &ip);
  EXPECT_EQ(host, "private/dovecot-lmtp");
  EXPECT_EQ(ip, "");
  EXPECT_EQ(MailAddressDomain("a@Gmail.COM"), "gmail.com");
  EXPECT_EQ(MailAddressDomain("nobody"), "");
}

}  // namespace
}  // namespace mailrep
