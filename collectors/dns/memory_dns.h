// MemoryDns: an in-memory DnsLookup for tests, benchmarks and the `check`
// command's dry runs. Names are case-insensitive; a name never added is
// NXDOMAIN, an added name without records of the asked type is NODATA; CNAME
// chains are followed (a loop answers SERVFAIL). A lookup is one hash probe
// per name in the chain; LookupRef() answers without copying (the answer is
// built once per name and type and kept until the name is changed). Not
// thread-safe; one evaluation at a time.
#ifndef MAILREP_COLLECTORS_DNS_MEMORY_DNS_H_
#define MAILREP_COLLECTORS_DNS_MEMORY_DNS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/dns/dns_lookup.h"
#include "exporter/util/status.h"

namespace mailrep {

class MemoryDns : public DnsLookup {
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
  const DnsAnswer& LookupRef(std::string_view name, RecordType type, DnsAnswer& scratch) override;

  int lookups() const { return lookups_; }

 private:
  // Kept out of line so the hash table's nodes stay small; a copy starts empty.
  class AnswerCache {
   public:
    AnswerCache() = default;
    AnswerCache(const AnswerCache&) {}
    AnswerCache& operator=(const AnswerCache&) {
      slots_.reset();
      return *this;
    }
    AnswerCache(AnswerCache&&) = default;
    AnswerCache& operator=(AnswerCache&&) = default;

    std::optional<DnsAnswer>& operator[](size_t slot) {
      if (!slots_) slots_ = std::make_unique<std::array<std::optional<DnsAnswer>, 6>>();
      return (*slots_)[slot];
    }
    void Drop(size_t slot) {
      if (slots_) (*slots_)[slot].reset();
    }

   private:
    std::unique_ptr<std::array<std::optional<DnsAnswer>, 6>> slots_;
  };
  struct Node {
    std::string name;   // normalized
    uint64_t hash = 0;  // of `name`
    std::vector<DnsRecord> records;
    std::string cname;  // empty when none
    bool timeout = false;
    std::set<RecordType> answered_types;  // types with records before the timeout
    // The kData/kNoData answer for each type at this node, built on first use
    // and dropped when the node changes. Indexed by TypeSlot().
    mutable AnswerCache answers;
  };
  static size_t TypeSlot(RecordType type);
  static const DnsAnswer& NodeAnswer(const Node& node, RecordType type);
  Node& NodeFor(std::string_view name);
  void Add(std::string_view name, DnsRecord record);

  // The node named `name` compared ignoring ASCII case, minus one trailing
  // dot ("" and "." are the root); no lower-case copy is built.
  const Node* Find(std::string_view name) const;
  // The node whose key is exactly `key` up to ASCII case.
  const Node* FindKey(std::string_view key) const;
  void Rehash(size_t slot_count);

  // Open addressing: slots_ holds an index into nodes_ plus one (0 = empty);
  // its size is a power of two, more than twice the node count. Hashes fold
  // ASCII case so any spelling of a name probes the same slots.
  std::vector<Node> nodes_;
  std::vector<uint32_t> slots_;
  bool timeout_error_names_ = false;
  int lookups_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_MEMORY_DNS_H_
