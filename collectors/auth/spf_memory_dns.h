// SpfMemoryDns: an in-memory SpfDns for tests, benchmarks and the `check`
// command's dry runs. Names are case-insensitive; a name never added is
// NXDOMAIN, an added name without records of the asked type is NODATA; CNAME
// chains are followed (a loop answers SERVFAIL). Not thread-safe; one
// evaluation at a time.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_MEMORY_DNS_H_
#define MAILREP_COLLECTORS_AUTH_SPF_MEMORY_DNS_H_

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/auth/spf_dns.h"
#include "exporter/util/status.h"

namespace mailrep {

class SpfMemoryDns : public SpfDns {
 public:
  // Makes `name` exist (NODATA instead of NXDOMAIN) without adding records.
  void AddName(std::string_view name);
  // A or AAAA, from the address text.
  Status AddAddress(std::string_view name, std::string_view address);
  // One TXT RR made of `strings` (joined without separator by readers).
  void AddTxt(std::string_view name, std::vector<std::string> strings);
  void AddMx(std::string_view name, uint16_t preference, std::string_view exchange);
  void AddPtr(std::string_view name, std::string_view target);
  void AddCname(std::string_view name, std::string_view target);
  // From now on, queries for `name` of every type that has no record yet
  // time out (the OpenSPF suite's TIMEOUT entry).
  void AddTimeout(std::string_view name);
  // Queries for names of the form error.* that were never added time out.
  void set_timeout_error_names(bool on) { timeout_error_names_ = on; }

  DnsAnswer Lookup(std::string_view name, RecordType type) override;

  int lookups() const { return lookups_; }

 private:
  struct Node {
    std::string name;  // normalized
    std::vector<DnsRecord> records;
    std::string cname;  // empty when none
    bool timeout = false;
    std::set<RecordType> answered_types;  // types with records before the timeout
  };
  Node& NodeFor(std::string_view name);
  void Add(std::string_view name, DnsRecord record);

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Found by `name` as given when it is already normalized (no allocation).
  const Node* Find(std::string_view name) const;

  std::unordered_map<std::string, Node, Hash, std::equal_to<>> nodes_;
  bool timeout_error_names_ = false;
  int lookups_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_MEMORY_DNS_H_
