// PublicSuffixList: organizational domains (RFC 7489 §3.2) from the Public
// Suffix List through libpsl. Immutable after loading; const methods are
// thread-safe.
#ifndef MAILREP_COLLECTORS_AUTH_PSL_H_
#define MAILREP_COLLECTORS_AUTH_PSL_H_

#include <memory>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

struct psl_ctx_st;

namespace mailrep {

// Debian's copy (package publicsuffix).
inline constexpr char kDefaultPublicSuffixListPath[] =
    "/usr/share/publicsuffix/public_suffix_list.dat";

class PublicSuffixList {
 public:
  ~PublicSuffixList();
  PublicSuffixList(const PublicSuffixList&) = delete;
  PublicSuffixList& operator=(const PublicSuffixList&) = delete;

  // Loads a list in the publicsuffix.org text format (ICANN and private
  // sections both apply).
  static StatusOr<std::unique_ptr<PublicSuffixList>> LoadFile(const std::string& path);
  // Parses list text held in memory (tests).
  static StatusOr<std::unique_ptr<PublicSuffixList>> FromText(std::string_view text);
  // libpsl's newest of its built-in data and the distribution's file.
  static StatusOr<std::unique_ptr<PublicSuffixList>> Latest();

  // The registrable domain of `domain` (public suffix + one label), lower
  // case without a trailing dot: "mail.example.co.uk" -> "example.co.uk".
  // A name that is itself a public suffix (or a single label) is returned
  // normalized as is. IDN rules match names in A-label form ("xn--..."; libpsl
  // adds the A-label of each Unicode rule when it loads a list).
  std::string OrganizationalDomain(std::string_view domain) const;
  bool IsPublicSuffix(std::string_view domain) const;

 private:
  explicit PublicSuffixList(psl_ctx_st* ctx) : ctx_(ctx) {}
  psl_ctx_st* ctx_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_PSL_H_
