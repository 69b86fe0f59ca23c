// SpamStats: the spamscore collector's cumulative counters, from the verdicts
// and parse errors of the filter log lines, written as its metric families
// (spamscore_metrics.h). Every label value comes from a fixed set, the
// configured sources, or the symbol allow-list (capped): never from traffic.
// Not thread-safe (one collector owns it).
#ifndef MAILREP_COLLECTORS_SPAMSCORE_SPAM_STATS_H_
#define MAILREP_COLLECTORS_SPAMSCORE_SPAM_STATS_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "collectors/spamscore/spam_verdict.h"
#include "collectors/spamscore/symbol_allow_list.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

class SpamStats {
 public:
  // Upper bounds of the score histogram's buckets (then +Inf).
  static constexpr std::array<double, 17> kScoreBuckets = {-5, -2, 0,  1,  2,  3,  4,  5, 6,
                                                           7,  8,  10, 12, 15, 20, 25, 30};

  explicit SpamStats(SymbolAllowList symbols);

  void AddLine(const std::string& source, SpamLineResult result);
  void AddVerdict(const SpamVerdict& verdict);
  void AddError(SpamFilter filter, SpamParseError error);

  // Takes over `old`'s counts (line counts of the `sources` still followed);
  // symbol counts are labelled again through this allow-list (a symbol it no
  // longer lists joins "other").
  void AdoptCounts(const SpamStats& old, const std::vector<std::string>& sources);

  // Every family but mailrep_spam_log_source_up; `sources` get line counters
  // (at 0) even before their first line.
  void WriteMetrics(const std::vector<std::string>& sources, MetricSet* out) const;

 private:
  struct Histogram {
    std::array<uint64_t, kScoreBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  SymbolAllowList symbols_;
  std::map<SpamFilter, Histogram> scores_;
  std::map<std::pair<SpamFilter, SpamAction>, uint64_t> messages_;
  std::map<std::pair<SpamFilter, std::string>, uint64_t> symbol_hits_;
  std::map<SpamFilter, double> thresholds_;
  std::map<std::pair<SpamFilter, SpamParseError>, uint64_t> errors_;
  std::map<std::string, std::array<uint64_t, 3>> lines_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_SPAM_STATS_H_
