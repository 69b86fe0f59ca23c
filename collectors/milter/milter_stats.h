// MilterStats: the milter's counters — what it found in the messages it saw,
// under bounded labels only (stream, a configured sender domain or "other",
// a list zone from the config, fixed code sets). Never content, subject,
// address or URL. Record() is called from the connection threads and the
// link worker, Export() from Collect(); thread-safe. Kept across reloads.
#ifndef MAILREP_COLLECTORS_MILTER_MILTER_STATS_H_
#define MAILREP_COLLECTORS_MILTER_MILTER_STATS_H_

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "collectors/content/message_analysis.h"
#include "collectors/milter/milter_protocol.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

// Why a message's links were not looked up: none is counted as checked.
enum class LinkCheckResult { kChecked, kDropped, kNoDns };
inline constexpr size_t kLinkCheckResultCount = 3;
std::string_view LinkCheckResultName(LinkCheckResult r);  // "checked", "dropped", "no_dns"

class MilterStats {
 public:
  // `sender_domains`: the envelope-sender domains that get their own label
  // value (lower case); `lists`: the zones links are looked up in.
  MilterStats(std::vector<std::string> sender_domains, std::vector<std::string> lists);

  void RecordSkipped(MilterSkipReason reason);
  void RecordAnalysed(const std::string& sender_domain, size_t recipients,
                      const MessageFindings& findings);
  void RecordLinkCheck(LinkCheckResult result, const std::vector<std::string>& listed_zones);

  // Takes the counts of `other` (an earlier generation), mapping labels that
  // are no longer configured to "other" / dropping unconfigured zones.
  void Adopt(const MilterStats& other);

  void Export(MetricSet* out) const;

  // The label a sender domain gets: itself when configured, else "other".
  const std::string& SenderLabel(const std::string& domain) const;

 private:
  std::vector<std::string> sender_domains_;
  std::vector<std::string> lists_;
  mutable std::mutex mu_;
  // Everything below is guarded by mu_.
  std::map<std::pair<bool, std::string>, uint64_t> analysed_;  // (bulk, sender label)
  std::array<uint64_t, kMilterSkipReasonCount> skipped_{};
  uint64_t recipients_ = 0;
  std::map<std::string, uint64_t> listed_;  // zone
  std::array<uint64_t, kLinkCheckResultCount> link_checks_{};
  std::array<uint64_t, 4> unsubscribe_{};
  std::array<uint64_t, kFormatProblemCount> format_{};
  std::array<uint64_t, kAttachmentClassCount> attachments_{};
  std::vector<uint64_t> size_buckets_;
  uint64_t size_count_ = 0;
  double size_sum_ = 0;
  uint64_t format_messages_ = 0;              // messages with at least one format problem
  uint64_t unconvertible_link_messages_ = 0;  // with a link host without an A-label
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MILTER_MILTER_STATS_H_
