// LocalNsd: a private NSD (Debian package nsd) serving generated zones on a
// free port of 127.0.0.1 (and ::1), run unprivileged in the foreground from a
// temporary directory, with response rate limiting off. Test and benchmark
// only. Not thread-safe.
#ifndef MAILREP_TESTS_DNS_LOCAL_NSD_H_
#define MAILREP_TESTS_DNS_LOCAL_NSD_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/dns/dns_server_address.h"
#include "exporter/util/status.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "tests/dns/child_process.h"

namespace mailrep::testing {

struct NsdZone {
  std::string origin;  // "mailrep.test"
  // Zone-file lines relative to the origin; $TTL 300, the SOA (negative TTL
  // `negative_ttl`) and an NS record are added in front.
  std::string records;
  uint32_t negative_ttl = 60;
};

struct LocalNsdOptions {
  std::vector<NsdZone> zones;
  bool ipv6 = true;
  int server_count = 1;  // NSD worker processes
};

class LocalNsd {
 public:
  static constexpr const char* kNsdPath = "/usr/sbin/nsd";

  // Writes the config and zones, starts NSD and waits until it answers.
  static StatusOr<std::unique_ptr<LocalNsd>> Start(const LocalNsdOptions& options);
  ~LocalNsd();

  uint16_t port() const { return port_; }
  DnsServerAddress v4() const;
  DnsServerAddress v6() const;
  const std::string& dir() const { return dir_->path(); }

 private:
  LocalNsd() = default;

  std::optional<ScopedTempDir> dir_;
  uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace mailrep::testing

#endif  // MAILREP_TESTS_DNS_LOCAL_NSD_H_
