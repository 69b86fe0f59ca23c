// Queue composition: who put the queued mail there. Each reader that can tell
// gives, per message, its QueueOrigin (the envelope sender and the submitter
// the queue file names: an authenticated login, a local user or uid, or the
// client's IP address), and QueueComposition counts messages exactly per
// queue and key over the whole scan (queues are finite). Bounding what is
// exported (top K, the rest as "other") is left to the metrics and to
// `check queue --by`.
//
// Each map holds at most `max_keys` keys; messages of further keys count under
// the key kOtherKey ("other"), so memory is bounded whatever the queue holds.
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_COMPOSITION_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_COMPOSITION_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailrep {

// What the queue file says about who submitted a message.
enum class SubmitterKind : uint8_t {
  kUnknown,  // the file does not say (or the reader cannot tell)
  kSasl,     // an authenticated (SMTP AUTH) login
  kLocal,    // a local user or uid (the sendmail command)
  kClient,   // an unauthenticated SMTP client, by IP address
};

// "unknown", "sasl", "local", "client".
std::string_view SubmitterKindName(SubmitterKind kind);

struct QueueOrigin {
  std::string sender;  // the envelope sender as written, "" for the null sender <>
  SubmitterKind kind = SubmitterKind::kUnknown;
  std::string submitter;  // login, user name or "uid=N", client IP; "" when unknown
};

// Picks the submitter from what a queue file carries, most specific first: an
// authenticated login, else a local user (when `local`), else the client IP.
// Empty strings count as absent.
void SetSubmitter(QueueOrigin* origin, std::string_view sasl_login, bool local,
                  std::string_view local_user, std::string_view client_address);

struct QueueTally {
  uint64_t messages = 0;
  uint64_t recipients = 0;                // pending recipients of those messages
  std::optional<int64_t> oldest_arrival;  // Unix seconds
};

// The key of everything past max_keys distinct keys.
inline constexpr std::string_view kOtherKey = "other";

// The sender key of a QueueOrigin: the address, "<>" for the null sender.
std::string SenderKey(std::string_view sender);
// The sender-domain label: the domain in lower case, "<>" for the null
// sender, "(none)" for an address without a domain.
std::string SenderDomainLabel(std::string_view sender);
// The submitter key: "<kind>:<name>" ("unknown:" when unknown).
std::string SubmitterKey(SubmitterKind kind, std::string_view name);
// Splits a SubmitterKey; kOtherKey gives {kUnknown, "other"}.
std::pair<SubmitterKind, std::string> SplitSubmitterKey(std::string_view key);

struct QueueComposition {
  struct PerQueue {
    std::unordered_map<std::string, QueueTally> senders;     // by SenderKey
    std::unordered_map<std::string, QueueTally> submitters;  // by SubmitterKey
    // By recipient domain (DestinationLabel): a message counts once per
    // distinct domain of its pending recipients; recipients per domain.
    std::unordered_map<std::string, QueueTally> destinations;
  };
  // Parallel to QueueScan::queues once anything was added; empty when the
  // reader did not collect composition.
  std::vector<PerQueue> queues;
  size_t max_keys = 100000;

  // Counts one message of queue `queue` (of `queue_count` queues) with
  // `recipients` pending recipients, of which `pending` are the addresses
  // known (for destinations; may be fewer).
  void Add(size_t queue, size_t queue_count, const QueueOrigin& origin, uint64_t recipients,
           std::span<const std::string> pending, std::optional<int64_t> arrival);
  // Adds `other`'s counts (for readers that scan in several threads).
  void Merge(const QueueComposition& other);
};

// The entries of `map` by messages, most first, ties by key.
std::vector<std::pair<std::string, QueueTally>> RankByMessages(
    const std::unordered_map<std::string, QueueTally>& map);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_COMPOSITION_H_
