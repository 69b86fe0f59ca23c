// One rbldnsd dataset (a data file in the ip4set, ip4trie, ip4tset or dnset
// format of rbldnsd(8)) loaded into memory, and its lookups: for a queried
// address or domain, not listed, or the A values and TXT texts rbldnsd would
// answer.
//
// Reading follows rbldnsd 1.0 line for line:
//   - Blank lines and lines starting with '#' or ';' are comments; leading
//     and trailing blanks are ignored; a line ends at a NUL byte.
//   - Special lines start with '$' (or "#$", ";$", ":$"): $TTL, $SOA, $NS and
//     $NAMESERVER are accepted and ignored (they shape DNS metadata only);
//     $MAXRANGE4 limits range sizes (it may only shrink); $0..$9 and $= set
//     substitution variables (the first assignment wins); $TIMESTAMP stamp
//     [expires]: a stamp in the future refuses the whole file (as rbldnsd
//     does), an expiry is kept (see expires()).
//   - A line starting with ':' sets the default value for the following
//     entries (ip4tset: only the first such line counts, for all entries).
//   - '!' before an entry makes it an exclusion (not in ip4tset).
//
// A bad line is skipped and reported, and the rest of the file still loads:
// that is what rbldnsd does (it logs a warning and serves the other
// entries). Only a future $TIMESTAMP fails the whole file here. Lines longer
// than 32 KiB are skipped (rbldnsd would read their first 32 KiB).
//
// Immutable once built; lookups are const and safe from any thread.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_ZONE_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_ZONE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/dnsbl/rbldnsd_dnset.h"
#include "collectors/dnsbl/rbldnsd_ip4set.h"
#include "collectors/dnsbl/rbldnsd_ip4trie.h"
#include "collectors/dnsbl/rbldnsd_value.h"
#include "exporter/util/status.h"

namespace mailrep {

enum class RbldnsdFormat { kIp4set, kIp4trie, kIp4tset, kDnset };
// "ip4set", "ip4trie", "ip4tset", "dnset".
std::string_view RbldnsdFormatName(RbldnsdFormat format);
std::optional<RbldnsdFormat> ParseRbldnsdFormat(std::string_view name);
// True for the three IPv4 formats.
bool IsIp4Format(RbldnsdFormat format);

// What rbldnsd answers for a listed name: distinct A values (host byte
// order) and distinct TXT texts, each in data order. `a` is never empty.
struct RbldnsdAnswer {
  std::vector<uint32_t> a;
  std::vector<std::string> txt;
};

struct RbldnsdLoadReport {
  uint64_t lines = 0;          // lines read
  uint64_t entries = 0;        // entry lines accepted (listings and exclusions)
  uint64_t skipped_lines = 0;  // bad lines left out
  // "source:line: problem", for the first kMaxMessages problems (skipped
  // lines and warnings such as a cut TXT template).
  static constexpr size_t kMaxMessages = 20;
  std::vector<std::string> messages;
  uint64_t problems = 0;  // all problems, including those past kMaxMessages
};

class RbldnsdZone {
 public:
  // Builds a zone from lines fed in file order. Not thread-safe.
  class Builder {
   public:
    // `source` names the file in reports; `now_unix` judges $TIMESTAMP.
    Builder(RbldnsdFormat format, std::string source, int64_t now_unix);
    ~Builder();
    // One line without its newline. Returns an error only for what fails
    // the whole file (a future $TIMESTAMP); bad lines are reported.
    Status AddLine(std::string_view line);
    // The zone. The builder is spent.
    RbldnsdZone Finish();

   private:
    void Problem(const std::string& message, bool skipped);
    Status Special(std::string_view body);
    void Entry(std::string_view line);
    void Ip4Entry(std::string_view line, bool exclusion);
    void DnsEntry(std::string_view line, bool exclusion);
    // The value id for the text after an entry ("" = the default).
    std::optional<uint32_t> EntryValue(std::string_view rest);

    std::string source_;
    int64_t now_unix_;
    std::unique_ptr<RbldnsdZone> zone_;
    RbldnsdValue default_value_;
    std::optional<uint32_t> default_id_;
    bool tset_default_set_ = false;
    uint32_t max_range_ = 0;  // 0 = no limit
  };

  // Parses a whole data file held in memory (fuzzing, tests). Lines are split
  // at '\n'; a last line without one is read too.
  static StatusOr<RbldnsdZone> Parse(std::string_view text, RbldnsdFormat format,
                                     std::string_view source, int64_t now_unix);

  RbldnsdFormat format() const { return format_; }
  const RbldnsdLoadReport& report() const { return report_; }
  // Unix time after which rbldnsd stops answering from this data ($TIMESTAMP
  // expires); 0 = none.
  int64_t expires() const { return expires_; }
  // Bytes held by the lookup structures.
  size_t MemoryBytes() const;

  // IPv4 formats; nullopt = not listed (also for dnset zones).
  std::optional<RbldnsdAnswer> LookupIp4(uint32_t address, bool with_txt = true) const;
  // dnset; `name` in presentation form ("mail.example.com"), any case.
  std::optional<RbldnsdAnswer> LookupDomain(std::string_view name, bool with_txt = true) const;

 private:
  explicit RbldnsdZone(RbldnsdFormat format) : format_(format) {}
  RbldnsdAnswer Answer(const std::vector<uint32_t>& ids, std::string_view subject,
                       bool with_txt) const;

  RbldnsdFormat format_;
  RbldnsdLoadReport report_;
  int64_t expires_ = 0;
  RbldnsdValueTable values_;
  RbldnsdSubstitutions subst_;
  RbldnsdIp4Set ip4set_;
  RbldnsdIp4Trie ip4trie_;
  RbldnsdIp4TSet ip4tset_;
  uint32_t ip4tset_value_ = 0;
  RbldnsdDnset dnset_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_ZONE_H_
