// LocalRbldnsd: Debian's rbldnsd (package rbldnsd) serving rbldnsd data
// files on a free port of 127.0.0.1, in the foreground, for differential
// tests of the in-process reader (collectors/dnsbl/rbldnsd_zone.h). As root it
// runs as the user rbldns (else nobody): rbldnsd refuses to run as root, so
// the data files and their directory must be readable by that user. Test and
// benchmark only. Not thread-safe.
#ifndef MAILREP_TESTS_DNS_LOCAL_RBLDNSD_H_
#define MAILREP_TESTS_DNS_LOCAL_RBLDNSD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exporter/util/status.h"
#include "tests/dns/child_process.h"

namespace mailrep::testing {

struct RbldnsdDataset {
  std::string zone;    // "set.mirror.test"
  std::string format;  // "ip4set", "ip4trie", "ip4tset", "dnset"
  std::string path;    // absolute
};

class LocalRbldnsd {
 public:
  static constexpr const char* kRbldnsdPath = "/usr/sbin/rbldnsd";

  // Starts rbldnsd with the datasets and waits until it answers.
  static StatusOr<std::unique_ptr<LocalRbldnsd>> Start(const std::vector<RbldnsdDataset>& datasets);
  ~LocalRbldnsd();

  uint16_t port() const { return port_; }
  // "127.0.0.1:<port>", for a resolver's server list.
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  // Resident memory of the rbldnsd process in KiB (VmRSS), 0 if unknown.
  long RssKib() const;
  // Its peak resident memory in KiB (VmHWM: loading included), 0 if unknown.
  long PeakRssKib() const;
  pid_t pid() const { return process_->pid(); }

 private:
  LocalRbldnsd() = default;
  long StatusKib(const std::string& field) const;

  uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace mailrep::testing

#endif  // MAILREP_TESTS_DNS_LOCAL_RBLDNSD_H_
