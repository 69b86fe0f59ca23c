// The table of `check queue --by sender|submitter|destination`: one row per
// envelope sender (the full address), submitter or recipient domain over a
// whole scan's QueueComposition, exact, most messages first. What `qmHandle
// -s` or `postqueue -p | grep` would give, in one command.
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_BY_TABLE_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_BY_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/queue/queue_composition.h"
#include "collectors/queue/queue_source.h"

namespace mailrep {

enum class QueueBy { kSender, kSubmitter, kDestination };

// "sender", "submitter", "destination"; nullopt for anything else.
std::optional<QueueBy> ParseQueueBy(std::string_view text);
std::string_view QueueByName(QueueBy by);

struct QueueByRow {
  std::string key;  // sender address ("<>" for the null sender), submitter name, domain
  SubmitterKind kind = SubmitterKind::kUnknown;  // kSubmitter only
  uint64_t messages = 0;    // destination: messages with a pending recipient there
  uint64_t recipients = 0;  // pending (destination: in that domain)
  uint64_t deferred = 0;    // messages in QueueMta::deferred_queue
  uint64_t held = 0;        // messages in QueueMta::held_queue
  std::optional<int64_t> oldest_arrival;
};

// The rows of `scan` (read with QueueScanOptions::composition). Messages
// and recipients add up over the MTA's queues (only QueueMta::whole_queue
// when it has one, whose queues overlap). With `top` > 0, the first `top`
// rows then one "other" row for the rest (when there is a rest).
std::vector<QueueByRow> QueueByRows(const QueueMta& mta, const QueueScan& scan, QueueBy by,
                                    size_t top = 0);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_BY_TABLE_H_
