// DnsblListingLog: logs DNSBL listings on change only, not on every sweep.
//
//   warn "Listed on a DNSBL" {target, dnsbl, codes, meaning}
//        the first good answer listing a (target, list) pair, including the
//        first sweep after start (the current listings, once each), and a
//        change of its listing codes;
//   info "No longer listed on a DNSBL" {target, dnsbl}
//        a good answer no longer listing a pair that was listed.
//
// Codes are compared as a sorted set of the listing codes, so a list that
// rotates the order of its A records does not log again. Only listed pairs are
// kept (memory follows the listings, not the targets). Errors and answers of
// unhealthy lists must not be passed in (they say nothing about a listing).
// Not thread-safe: owned by one collector, used by one run at a time.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_LISTING_LOG_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_LISTING_LOG_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/dnsbl/dnsbl_answer.h"
#include "exporter/core/log.h"

namespace mailrep {

class DnsblListingLog {
 public:
  using Sink = std::function<void(LogLevel, std::string_view msg, LogFields fields)>;

  // `sink`: where records go (tests); default: the process log.
  explicit DnsblListingLog(Sink sink = Log);

  // One good answer (`result.ok()`) for `target` on the list `zone`.
  void Observe(const std::string& target, const std::string& zone, const DnsblResult& result);

  // Forgets the targets not in `current` (no longer checked): if one comes
  // back listed, it is logged again. Memory follows the listed pairs, not
  // `current` (a /16's 65,536 targets are not copied into a set).
  void Retain(const std::vector<std::string>& current);

  size_t listed_pairs() const { return listed_.size(); }

 private:
  Sink sink_;
  std::map<std::pair<std::string, std::string>, std::string> listed_;  // -> sorted codes
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_LISTING_LOG_H_
