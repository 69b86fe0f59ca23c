#include "collectors/milter/milter_stats.h"

#include <algorithm>
#include <limits>

#include "collectors/milter/milter_metrics.h"

namespace mailrep {
namespace {

constexpr std::array<double, 8> kSizeBuckets = {1e3, 1e4, 1e5, 5e5, 1e6, 5e6, 1e7, 2.5e7};
constexpr std::array<std::string_view, 4> kUnsubscribeProblems = {"missing", "no_one_click",
                                                                  "not_https", "dkim_not_covering"};
const std::string kOther = "other";

}  // namespace

std::string_view LinkCheckResultName(LinkCheckResult r) {
  switch (r) {
    case LinkCheckResult::kChecked:
      return "checked";
    case LinkCheckResult::kDropped:
      return "dropped";
    case LinkCheckResult::kNoDns:
      return "no_dns";
  }
  return "checked";
}

MilterStats::MilterStats(std::vector<std::string> sender_domains, std::vector<std::string> lists)
    : sender_domains_(std::move(sender_domains)),
      lists_(std::move(lists)),
      size_buckets_(kSizeBuckets.size()) {}

const std::string& MilterStats::SenderLabel(const std::string& domain) const {
  auto it = std::find(sender_domains_.begin(), sender_domains_.end(), domain);
  return it == sender_domains_.end() ? kOther : *it;
}

void MilterStats::RecordSkipped(MilterSkipReason reason) {
  std::lock_guard<std::mutex> lock(mu_);
  ++skipped_[static_cast<size_t>(reason)];
}

void MilterStats::RecordAnalysed(const std::string& sender_domain, size_t recipients,
                                 const MessageFindings& f) {
  std::lock_guard<std::mutex> lock(mu_);
  ++analysed_[{f.bulk, SenderLabel(sender_domain)}];
  recipients_ += recipients;
  if (f.bulk) {
    const UnsubscribeFindings& u = f.unsubscribe;
    if (!u.present) {
      ++unsubscribe_[0];
    } else {
      if (!u.one_click) ++unsubscribe_[1];
      if (!u.https) ++unsubscribe_[2];
      if (u.dkim_covers == false) ++unsubscribe_[3];
    }
  }
  for (FormatProblem p : f.format_problems) ++format_[static_cast<size_t>(p)];
  if (!f.format_problems.empty()) ++format_messages_;
  if (f.unconvertible_link_hosts > 0) ++unconvertible_link_messages_;
  for (const AttachmentFinding& a : f.attachments) {
    ++attachments_[static_cast<size_t>(a.attachment_class)];
    for (size_t i = 0; i < kSizeBuckets.size(); ++i) {
      if (static_cast<double>(a.size) <= kSizeBuckets[i]) ++size_buckets_[i];
    }
    ++size_count_;
    size_sum_ += static_cast<double>(a.size);
  }
}

void MilterStats::RecordLinkCheck(LinkCheckResult result,
                                  const std::vector<std::string>& listed_zones) {
  std::lock_guard<std::mutex> lock(mu_);
  ++link_checks_[static_cast<size_t>(result)];
  for (const std::string& zone : listed_zones) {
    if (std::find(lists_.begin(), lists_.end(), zone) != lists_.end()) ++listed_[zone];
  }
}

void MilterStats::Adopt(const MilterStats& other) {
  std::scoped_lock lock(mu_, other.mu_);
  for (const auto& [key, n] : other.analysed_) analysed_[{key.first, SenderLabel(key.second)}] += n;
  for (size_t i = 0; i < skipped_.size(); ++i) skipped_[i] += other.skipped_[i];
  recipients_ += other.recipients_;
  for (const auto& [zone, n] : other.listed_) {
    if (std::find(lists_.begin(), lists_.end(), zone) != lists_.end()) listed_[zone] += n;
  }
  for (size_t i = 0; i < link_checks_.size(); ++i) link_checks_[i] += other.link_checks_[i];
  for (size_t i = 0; i < unsubscribe_.size(); ++i) unsubscribe_[i] += other.unsubscribe_[i];
  for (size_t i = 0; i < format_.size(); ++i) format_[i] += other.format_[i];
  for (size_t i = 0; i < attachments_.size(); ++i) attachments_[i] += other.attachments_[i];
  for (size_t i = 0; i < size_buckets_.size(); ++i) size_buckets_[i] += other.size_buckets_[i];
  size_count_ += other.size_count_;
  size_sum_ += other.size_sum_;
  format_messages_ += other.format_messages_;
  unconvertible_link_messages_ += other.unconvertible_link_messages_;
}

void MilterStats::Export(MetricSet* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  // Every configured label combination from the start, so rates work from 0.
  std::map<std::pair<bool, std::string>, uint64_t> analysed = analysed_;
  for (bool bulk : {false, true}) {
    for (const std::string& d : sender_domains_) analysed.try_emplace({bulk, d}, 0);
    analysed.try_emplace({bulk, kOther}, 0);
  }
  for (const auto& [key, n] : analysed) {
    out->Add(kMilterMessagesFamily, {key.first ? "bulk" : "transactional", key.second},
             static_cast<double>(n));
  }
  for (MilterSkipReason r :
       {MilterSkipReason::kTooLarge, MilterSkipReason::kTooSlow, MilterSkipReason::kBusy}) {
    out->Add(kMilterSkippedFamily, {MilterSkipReasonName(r)},
             static_cast<double>(skipped_[static_cast<size_t>(r)]));
  }
  out->Add(kMilterRecipientsFamily, {}, static_cast<double>(recipients_));
  out->Declare(kMilterListedLinkFamily);
  for (const std::string& zone : lists_) {
    auto it = listed_.find(zone);
    out->Add(kMilterListedLinkFamily, {zone},
             static_cast<double>(it == listed_.end() ? 0 : it->second));
  }
  for (size_t i = 0; i < kLinkCheckResultCount; ++i) {
    out->Add(kMilterLinkChecksFamily, {LinkCheckResultName(static_cast<LinkCheckResult>(i))},
             static_cast<double>(link_checks_[i]));
  }
  for (size_t i = 0; i < kUnsubscribeProblems.size(); ++i) {
    out->Add(kMilterUnsubscribeFamily, {kUnsubscribeProblems[i]},
             static_cast<double>(unsubscribe_[i]));
  }
  for (size_t i = 0; i < kFormatProblemCount; ++i) {
    out->Add(kMilterFormatFamily, {FormatProblemName(static_cast<FormatProblem>(i))},
             static_cast<double>(format_[i]));
  }
  for (size_t i = 0; i < kAttachmentClassCount; ++i) {
    out->Add(kMilterAttachmentsFamily, {AttachmentClassName(static_cast<AttachmentClass>(i))},
             static_cast<double>(attachments_[i]));
  }
  prometheus::ClientMetric::Histogram hist;
  for (size_t i = 0; i < kSizeBuckets.size(); ++i) {
    hist.bucket.push_back({size_buckets_[i], kSizeBuckets[i]});
  }
  hist.bucket.push_back({size_count_, std::numeric_limits<double>::infinity()});
  hist.sample_count = size_count_;
  hist.sample_sum = size_sum_;
  out->AddHistogram(kMilterAttachmentSizeFamily, {}, hist);
  out->Add(kMilterFormatMessagesFamily, {}, static_cast<double>(format_messages_));
  out->Add(kMilterUnconvertibleLinkFamily, {}, static_cast<double>(unconvertible_link_messages_));
}

}  // namespace mailrep
