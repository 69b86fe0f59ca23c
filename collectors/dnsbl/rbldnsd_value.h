// What a listed rbldnsd entry answers (rbldnsd(8), "Resulting A values and TXT
// templates"): an A value and a TXT template, written ":A:TXT", and the TXT
// template's `$` substitutions. Pure; no I/O.
//
//   :127.0.0.3:Listed: see https://example.com/?$   A and TXT
//   :3:Listed                                       A 127.0.0.3 (one number is 127.0.0.x)
//   :3                                              A, and the TXT of the default
//   :3:                                             A, and no TXT
//   Listed, see $                                   the default's A, this TXT
//
// A template keeps at most 255 bytes (longer ones are cut, with a warning);
// an expanded TXT at most 254 (rbldnsd's limits).
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_VALUE_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_VALUE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct RbldnsdValue {
  uint32_t a = 0x7F000002;  // 127.0.0.2, host byte order
  std::string txt;          // template; "" = no TXT (unless a $= base template)
  bool operator==(const RbldnsdValue&) const = default;
};

// rbldnsd's value when a file gives none: 127.0.0.2 and no TXT.
inline RbldnsdValue DefaultRbldnsdValue() { return {}; }

struct ParsedRbldnsdValue {
  RbldnsdValue value;
  bool txt_truncated = false;  // the template was cut to 255 bytes
};

// Parses the value text after an entry (or a whole ":..." default line).
// `scope_default` supplies the A of a bare TXT and the TXT of ":A". An
// invalid A or text after ":A" is InvalidArgument ("invalid A value ...").
StatusOr<ParsedRbldnsdValue> ParseRbldnsdValue(std::string_view text,
                                               const RbldnsdValue& scope_default);

// A dataset's substitution variables: `$0`..`$9` and the base template `$=`.
struct RbldnsdSubstitutions {
  std::array<std::optional<std::string>, 10> vars;
  std::optional<std::string> base;
};

// The TXT answered for `txt_template` when `subject` (the queried address, or
// the matched domain) is listed: `$` is the subject, `$$` a dollar, `$n` the
// variable (kept as written when unset), `$=` the entry's own text inside the
// base template. A template starting with "=" bypasses the base template.
// "" means no TXT record.
std::string ExpandRbldnsdTxt(std::string_view txt_template, std::string_view subject,
                             const RbldnsdSubstitutions& subst);

// Values of one dataset, stored compactly (12 bytes each plus the text) and
// referred to by id. Not thread-safe while adding; immutable afterwards.
class RbldnsdValueTable {
 public:
  // The id entries use for an exclusion ("!entry"): never a stored value.
  static constexpr uint32_t kExcluded = 0xFFFFFFFFu;

  uint32_t Add(const RbldnsdValue& value);
  uint32_t a(uint32_t id) const { return slots_[id].a; }
  std::string_view txt(uint32_t id) const {
    return std::string_view(text_).substr(slots_[id].offset, slots_[id].length);
  }
  size_t size() const { return slots_.size(); }
  void ShrinkToFit();
  size_t MemoryBytes() const;

 private:
  struct Slot {
    uint32_t a;
    uint32_t offset;
    uint32_t length;
  };
  std::vector<Slot> slots_;
  std::string text_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_VALUE_H_
