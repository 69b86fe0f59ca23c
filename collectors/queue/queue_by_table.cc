#include "collectors/queue/queue_by_table.h"

#include <algorithm>
#include <unordered_map>

namespace mailrep {

std::optional<QueueBy> ParseQueueBy(std::string_view text) {
  for (QueueBy by : {QueueBy::kSender, QueueBy::kSubmitter, QueueBy::kDestination}) {
    if (text == QueueByName(by)) return by;
  }
  return std::nullopt;
}

std::string_view QueueByName(QueueBy by) {
  switch (by) {
    case QueueBy::kSender:
      return "sender";
    case QueueBy::kSubmitter:
      return "submitter";
    case QueueBy::kDestination:
      break;
  }
  return "destination";
}

namespace {

void AddTo(QueueByRow* row, const QueueTally& t, bool counts, bool deferred, bool held) {
  if (counts) {
    row->messages += t.messages;
    row->recipients += t.recipients;
    if (t.oldest_arrival) KeepOldest(&row->oldest_arrival, *t.oldest_arrival);
  }
  if (deferred) row->deferred += t.messages;
  if (held) row->held += t.messages;
}

}  // namespace

std::vector<QueueByRow> QueueByRows(const QueueMta& mta, const QueueScan& scan, QueueBy by,
                                    size_t top) {
  std::unordered_map<std::string, QueueByRow> rows;
  for (size_t q = 0; q < scan.composition.queues.size() && q < mta.queue_names.size(); ++q) {
    std::string_view name = mta.queue_names[q];
    bool counts = mta.whole_queue.empty() || name == mta.whole_queue;
    bool deferred = name == mta.deferred_queue;
    bool held = !mta.held_queue.empty() && name == mta.held_queue;
    if (!counts && !deferred && !held) continue;
    const QueueComposition::PerQueue& c = scan.composition.queues[q];
    const auto& map = by == QueueBy::kSender      ? c.senders
                      : by == QueueBy::kSubmitter ? c.submitters
                                                  : c.destinations;
    for (const auto& [key, t] : map) {
      QueueByRow& row = rows[key];
      if (row.key.empty()) {
        if (by == QueueBy::kSubmitter && key != kOtherKey) {
          auto [kind, submitter] = SplitSubmitterKey(key);
          row.kind = kind;
          row.key = kind == SubmitterKind::kUnknown ? "(unknown)" : submitter;
        } else {
          row.key = key;
        }
      }
      AddTo(&row, t, counts, deferred, held);
    }
  }
  std::vector<QueueByRow> sorted;
  sorted.reserve(rows.size());
  for (auto& [key, row] : rows) sorted.push_back(std::move(row));
  std::sort(sorted.begin(), sorted.end(), [](const QueueByRow& a, const QueueByRow& b) {
    if (a.messages != b.messages) return a.messages > b.messages;
    if (a.key != b.key) return a.key < b.key;
    return a.kind < b.kind;
  });
  if (top == 0 || sorted.size() <= top) return sorted;
  QueueByRow other;
  other.key = std::string(kOtherKey);
  for (size_t i = top; i < sorted.size(); ++i) {
    const QueueByRow& r = sorted[i];
    other.messages += r.messages;
    other.recipients += r.recipients;
    other.deferred += r.deferred;
    other.held += r.held;
    if (r.oldest_arrival) KeepOldest(&other.oldest_arrival, *r.oldest_arrival);
  }
  sorted.resize(top);
  sorted.push_back(std::move(other));
  return sorted;
}

}  // namespace mailrep
