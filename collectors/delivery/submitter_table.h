// SubmitterTable: exact per-submitter counts over a MessageHistory, for
// `check logs --by submitter` (the collector's bounded, windowed counts are
// SubmitterStats'). A message is a queue id with at least one outbound
// outcome that is no hand-off (message_history.h); its submitter is that of
// the first queue id it went through (ResolveLoggedSubmitter: account, local
// user, else client address, else unknown). Per submitter: messages,
// recipients (distinct per message), messages with a deferral, messages with
// a bounce or expiry, and distinct client addresses. Pure function.
#ifndef MAILREP_COLLECTORS_DELIVERY_SUBMITTER_TABLE_H_
#define MAILREP_COLLECTORS_DELIVERY_SUBMITTER_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "collectors/delivery/message_history.h"
#include "collectors/queue/queue_composition.h"

namespace mailrep {

struct SubmitterRow {
  SubmitterKind kind = SubmitterKind::kUnknown;
  std::string name;  // "" for unknown
  uint64_t messages = 0;
  uint64_t recipients = 0;
  uint64_t deferred = 0;
  uint64_t bounced = 0;
  uint64_t client_ips = 0;
};

// Most messages first; ties by kind name, then name.
std::vector<SubmitterRow> SubmitterTable(const MessageHistory& history);

// {"submitters": [{"kind": K, "name": N, "messages": N, "recipients": N,
//   "deferred": N, "bounced": N, "client_ips": N}, ...]} (one line, no newline).
std::string SubmitterTableJson(const std::vector<SubmitterRow>& rows);
// An aligned table with a header line.
std::string SubmitterTableText(const std::vector<SubmitterRow>& rows);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SUBMITTER_TABLE_H_
