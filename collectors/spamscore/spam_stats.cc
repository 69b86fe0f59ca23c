#include "collectors/spamscore/spam_stats.h"

#include <limits>

#include "collectors/spamscore/spamscore_metrics.h"

namespace mailrep {
namespace {

std::string_view LineResultLabel(size_t i) {
  static constexpr std::string_view kNames[] = {"parsed", "ignored", "malformed"};
  return kNames[i];
}

}  // namespace

SpamStats::SpamStats(SymbolAllowList symbols) : symbols_(std::move(symbols)) {}

void SpamStats::AddLine(const std::string& source, SpamLineResult result) {
  ++lines_[source][static_cast<size_t>(result)];
}

void SpamStats::AddVerdict(const SpamVerdict& verdict) {
  ++messages_[{verdict.filter, verdict.action}];
  if (verdict.action == SpamAction::kSkipped) return;
  Histogram& h = scores_[verdict.filter];
  size_t i = 0;
  while (i < kScoreBuckets.size() && verdict.score > kScoreBuckets[i]) ++i;
  if (i < kScoreBuckets.size()) ++h.buckets[i];
  ++h.count;
  h.sum += verdict.score;
  thresholds_[verdict.filter] = verdict.threshold;
  for (std::string_view symbol : verdict.symbols) {
    ++symbol_hits_[{verdict.filter, std::string(symbols_.Label(symbol))}];
  }
}

void SpamStats::AddError(SpamFilter filter, SpamParseError error) { ++errors_[{filter, error}]; }

void SpamStats::AdoptCounts(const SpamStats& old, const std::vector<std::string>& sources) {
  scores_ = old.scores_;
  messages_ = old.messages_;
  thresholds_ = old.thresholds_;
  errors_ = old.errors_;
  lines_.clear();
  for (const std::string& s : sources) {
    auto it = old.lines_.find(s);
    if (it != old.lines_.end()) lines_.insert(*it);
  }
  symbol_hits_.clear();
  for (const auto& [key, n] : old.symbol_hits_) {
    symbol_hits_[{key.first, std::string(symbols_.Label(key.second))}] += n;
  }
}

void SpamStats::WriteMetrics(const std::vector<std::string>& sources, MetricSet* out) const {
  out->Declare(kSpamScoreFamily);
  for (const auto& [filter, h] : scores_) {
    prometheus::ClientMetric::Histogram hist;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kScoreBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      hist.bucket.push_back({cumulative, kScoreBuckets[i]});
    }
    hist.bucket.push_back({h.count, std::numeric_limits<double>::infinity()});
    hist.sample_count = h.count;
    hist.sample_sum = h.sum;
    out->AddHistogram(kSpamScoreFamily, {SpamFilterName(filter)}, hist);
  }
  out->Declare(kSpamMessagesFamily);
  for (const auto& [key, n] : messages_) {
    out->Add(kSpamMessagesFamily, {SpamFilterName(key.first), SpamActionName(key.second)},
             static_cast<double>(n));
  }
  out->Declare(kSpamSymbolHitsFamily);
  for (const auto& [key, n] : symbol_hits_) {
    out->Add(kSpamSymbolHitsFamily, {SpamFilterName(key.first), key.second},
             static_cast<double>(n));
  }
  out->Declare(kSpamThresholdFamily);
  for (const auto& [filter, t] : thresholds_) {
    out->Add(kSpamThresholdFamily, {SpamFilterName(filter)}, t);
  }
  out->Declare(kSpamParseErrorsFamily);
  for (const auto& [key, n] : errors_) {
    out->Add(kSpamParseErrorsFamily, {SpamFilterName(key.first), SpamParseErrorName(key.second)},
             static_cast<double>(n));
  }
  out->Declare(kSpamLogLinesFamily);
  std::map<std::string, std::array<uint64_t, 3>> lines = lines_;
  for (const std::string& s : sources) lines.try_emplace(s, std::array<uint64_t, 3>{});
  for (const auto& [source, counts] : lines) {
    for (size_t i = 0; i < counts.size(); ++i) {
      out->Add(kSpamLogLinesFamily, {source, LineResultLabel(i)}, static_cast<double>(counts[i]));
    }
  }
}

}  // namespace mailrep
