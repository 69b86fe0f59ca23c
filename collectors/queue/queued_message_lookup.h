// Looking up single messages in a queue by queue id, for `check trace`: which
// queue holds the message now, since when, its pending recipients and what
// its queue file says about its submitter. Opens only the few paths where the
// id can be, never lists the queue.
//
// Postfix (`queue_directory`): incoming, active, deferred and hold, each flat
// or hashed up to kPostfixMaxHashDepth levels (PostfixQueueHashPrefix); the
// maildrop's names are not queue ids the log shows, and corrupt files are
// not readable messages. Deferral reasons from defer/ (same hashing). "since" is the file's
// status-change time: when it was moved into that queue (Postfix sets a deferred file's mtime to
// its next attempt, so the mtime is not it). Exim (`spool_directory`): input/<id>-H, or
// input/<c>/<id>-H under split_spool_directory. Exim has one queue; a message counts as "hold" when
// frozen, "incoming" before its first delivery attempt, else "deferred";
// "since" is its arrival time. Deferral reasons from msglog/<id>.
// Stateless; reads files only.
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUED_MESSAGE_LOOKUP_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUED_MESSAGE_LOOKUP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/queue/queue_composition.h"
#include "exporter/util/status.h"

namespace mailrep {

struct QueuedRecipient {
  std::string address;  // as in the queue file
  // The last deferral the MTA recorded for it (Postfix's defer log, Exim's
  // msglog): the enhanced status code ("" when none) and reason; both ""
  // when none is recorded.
  std::string dsn = "";
  std::string reason = "";
};

struct QueuedMessage {
  std::string queue;                        // "incoming", "active", "deferred", "hold"
  std::optional<int64_t> since;             // Unix seconds; see above
  std::optional<int64_t> arrival;           // Unix seconds, from the queue file
  std::vector<QueuedRecipient> recipients;  // pending, as in the file (the first 1000)
  QueueOrigin origin;                       // sender and submitter, as the file names them
};

// nullopt when the message is in none of the queues. NotFound when the
// directory does not exist, PermissionDenied when it cannot be searched;
// a queue file that is corrupt is InvalidArgument.
StatusOr<std::optional<QueuedMessage>> FindPostfixQueuedMessage(const std::string& queue_directory,
                                                                std::string_view queue_id);
StatusOr<std::optional<QueuedMessage>> FindEximQueuedMessage(const std::string& spool_directory,
                                                             std::string_view message_id);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUED_MESSAGE_LOOKUP_H_
