#include "collectors/host/host_identity.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep {
namespace {

constexpr char kHosts[] =
    "127.0.0.1\tlocalhost\n"
    "# 127.0.1.1 mx1.wrong.test mx1\n"
    "127.0.1.1\tmx1.example.test mx1   # Debian's installer line\n"
    "::1     localhost ip6-localhost ip6-loopback\n"
    "192.0.2.7 web web.example.test www\n"
    "192.0.2.8 bare\n"
    "192.0.2.9 .dot. dotted\n";

struct HostsCase {
  const char* hostname;
  std::optional<std::string> want;
};

TEST(FqdnFromHostsFileTest, Table) {
  const HostsCase cases[] = {
      {"mx1", "mx1.example.test"},
      {"MX1", "mx1.example.test"},
      {"mx1.example.test", "mx1.example.test"},
      {"web", "web.example.test"},
      {"www", "web.example.test"},
      {"bare", std::nullopt},
      {"dotted", std::nullopt},
      {"absent", std::nullopt},
      {"", std::nullopt},
      {"127.0.1.1", std::nullopt},  // addresses are not names
  };
  for (const auto& c : cases)
    EXPECT_EQ(FqdnFromHostsFile(kHosts, c.hostname), c.want) << c.hostname;
  EXPECT_EQ(FqdnFromHostsFile("", "mx1"), std::nullopt);
  EXPECT_EQ(FqdnFromHostsFile("mx1", "mx1"), std::nullopt);
}

TEST(HostIdentityTest, FromHostsFileWithoutDns) {
  ScopedTempDir t;
  t.WriteFile("/etc/hosts", kHosts);
  HostIdentity id = HostIdentityFor("mx1", t.path(), std::chrono::milliseconds(0));
  EXPECT_EQ(id.hostname, "mx1");
  EXPECT_EQ(id.fqdn, "mx1.example.test");
}

TEST(HostIdentityTest, FallsBackToTheHostname) {
  ScopedTempDir t;  // no /etc/hosts at all
  EXPECT_EQ(HostIdentityFor("box", t.path(), std::chrono::milliseconds(0)).fqdn, "box");
  EXPECT_EQ(HostIdentityFor("box.example.test", t.path(), std::chrono::milliseconds(0)).fqdn,
            "box.example.test");
  EXPECT_EQ(HostIdentityFor("", t.path(), std::chrono::milliseconds(0)).fqdn, "");
}

TEST(HostIdentityTest, RealHostnameIsNotEmpty) {
  ScopedTempDir t;
  HostIdentity id = LookUpHostIdentity(t.path(), std::chrono::milliseconds(0));
  EXPECT_FALSE(id.hostname.empty());
  EXPECT_FALSE(id.fqdn.empty());
}

}  // namespace
}  // namespace mailrep
