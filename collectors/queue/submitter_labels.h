// How a submitter (an account name, a local user, a client IP) appears in a
// metric label, chosen by the operator with `submitter_labels`:
//   name  the name itself
//   hash  "h:" + the first 12 hex digits of HMAC-SHA256(submitter_hash_key,
//         "<kind>:<name>"): stable across restarts and hosts sharing the key,
//         so series can be told apart and followed without exporting the
//         name; whoever holds the key can match a name to its label (for
//         example with `check queue --by submitter --hash-key KEY`)
//   none  no name at all: submitters are counted per kind only
#ifndef MAILREP_COLLECTORS_QUEUE_SUBMITTER_LABELS_H_
#define MAILREP_COLLECTORS_QUEUE_SUBMITTER_LABELS_H_

#include <optional>
#include <string>
#include <string_view>

#include "collectors/queue/queue_composition.h"

namespace mailrep {

enum class SubmitterLabels { kName, kHash, kNone };

// "name", "hash", "none"; nullopt for anything else.
std::optional<SubmitterLabels> ParseSubmitterLabels(std::string_view text);

struct SubmitterLabeling {
  SubmitterLabels mode = SubmitterLabels::kName;
  std::string hash_key;  // for kHash
};

// The label value of submitter `name` of `kind` ("(unknown)" for kUnknown
// whatever the mode; "(hidden)" for kNone).
std::string SubmitterLabel(const SubmitterLabeling& labeling, SubmitterKind kind,
                           std::string_view name);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_SUBMITTER_LABELS_H_
