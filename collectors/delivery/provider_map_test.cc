#include "collectors/delivery/provider_map.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(ProviderMapTest, Defaults) {
  ProviderMap m;
  struct Case {
    const char* relay;
    const char* domain;
    const char* want;
  } cases[] = {
      {"gmail-smtp-in.l.google.com", "", "gmail"},
      {"example-com.mail.protection.outlook.com", "example.com", "outlook"},
      {"mta7.am0.yahoodns.net", "", "yahoo"},
      {"mx01.mail.icloud.com.", "", "icloud"},
      {"mx00.gmx.net", "", "gmx"},
      {"mxs.mail.ru", "", "mailru"},
      {"mx.yandex.ru", "", "yandex"},
      {"mx1a1.comcast.net", "", "comcast"},
      {"smtp-in.orange.fr", "", "orange"},
      {"mx00.t-online.de", "", "t-online"},
      {"MX.GOOGLE.COM", "", "gmail"},
      {"notgoogle.com", "", "other"},
      {"142.250.1.27", "gmail.com", "gmail"},
      {"", "hotmail.com", "outlook"},
      {"mx.example.net", "yahoo.com", "yahoo"},
      {"mx.example.net", "example.net", "other"},
      {"", "", "other"},
  };
  for (const Case& c : cases) EXPECT_EQ(m.Lookup(c.relay, c.domain), c.want) << c.relay;
}

TEST(ProviderMapTest, OverridesAddAndReplace) {
  ProviderMap m({{"corp", {"mx.corp.example"}}, {"gmail", {"gmail.com"}}});
  EXPECT_EQ(m.Lookup("a.mx.corp.example", ""), "corp");
  EXPECT_EQ(m.Lookup("gmail-smtp-in.l.google.com", ""), "other");  // replaced
  EXPECT_EQ(m.Lookup("", "gmail.com"), "gmail");
  std::vector<std::string> names = m.names();
  EXPECT_EQ(names.back(), "other");
  EXPECT_EQ(names.size(), 12u);
}

}  // namespace
}  // namespace mailrep
