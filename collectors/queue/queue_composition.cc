#include "collectors/queue/queue_composition.h"

#include <algorithm>

#include "collectors/queue/queue_source.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

void Count(std::unordered_map<std::string, QueueTally>* map, size_t max_keys, std::string key,
           uint64_t messages, uint64_t recipients, std::optional<int64_t> arrival) {
  auto it = map->find(key);
  if (it == map->end()) {
    if (map->size() >= max_keys) key = std::string(kOtherKey);
    it = map->try_emplace(std::move(key)).first;
  }
  it->second.messages += messages;
  it->second.recipients += recipients;
  if (arrival) KeepOldest(&it->second.oldest_arrival, *arrival);
}

void MergeMap(const std::unordered_map<std::string, QueueTally>& from, size_t max_keys,
              std::unordered_map<std::string, QueueTally>* to) {
  for (const auto& [key, t] : from)
    Count(to, max_keys, key, t.messages, t.recipients, t.oldest_arrival);
}

}  // namespace

std::string_view SubmitterKindName(SubmitterKind kind) {
  switch (kind) {
    case SubmitterKind::kSasl:
      return "sasl";
    case SubmitterKind::kLocal:
      return "local";
    case SubmitterKind::kClient:
      return "client";
    case SubmitterKind::kUnknown:
      break;
  }
  return "unknown";
}

void SetSubmitter(QueueOrigin* origin, std::string_view sasl_login, bool local,
                  std::string_view local_user, std::string_view client_address) {
  if (!sasl_login.empty()) {
    origin->kind = SubmitterKind::kSasl;
    origin->submitter = sasl_login;
  } else if (local && !local_user.empty()) {
    origin->kind = SubmitterKind::kLocal;
    origin->submitter = local_user;
  } else if (!client_address.empty()) {
    origin->kind = SubmitterKind::kClient;
    origin->submitter = client_address;
  } else {
    origin->kind = SubmitterKind::kUnknown;
    origin->submitter.clear();
  }
}

std::string SenderKey(std::string_view sender) {
  return sender.empty() ? std::string("<>") : std::string(sender);
}

std::string SenderDomainLabel(std::string_view sender) {
  if (sender.empty() || sender == "<>") return "<>";
  std::string domain = MailAddressDomain(sender);
  return domain.empty() ? "(none)" : domain;
}

std::string SubmitterKey(SubmitterKind kind, std::string_view name) {
  std::string key(SubmitterKindName(kind));
  key += ':';
  if (kind != SubmitterKind::kUnknown) key += name;
  return key;
}

std::pair<SubmitterKind, std::string> SplitSubmitterKey(std::string_view key) {
  size_t colon = key.find(':');
  if (colon != std::string_view::npos) {
    std::string_view kind = key.substr(0, colon);
    for (SubmitterKind k : {SubmitterKind::kSasl, SubmitterKind::kLocal, SubmitterKind::kClient,
                            SubmitterKind::kUnknown}) {
      if (kind == SubmitterKindName(k)) return {k, std::string(key.substr(colon + 1))};
    }
  }
  return {SubmitterKind::kUnknown, std::string(key)};
}

void QueueComposition::Add(size_t queue, size_t queue_count, const QueueOrigin& origin,
                           uint64_t recipients, std::span<const std::string> pending,
                           std::optional<int64_t> arrival) {
  if (queues.size() < queue_count) queues.resize(queue_count);
  if (queue >= queues.size()) return;
  PerQueue& q = queues[queue];
  Count(&q.senders, max_keys, SenderKey(origin.sender), 1, recipients, arrival);
  Count(&q.submitters, max_keys, SubmitterKey(origin.kind, origin.submitter), 1, recipients,
        arrival);
  std::unordered_map<std::string, uint64_t> per_domain;
  for (const std::string& a : pending) {
    std::string domain = MailAddressDomain(a);
    ++per_domain[domain.empty() ? "(none)" : domain];
  }
  for (auto& [domain, n] : per_domain) {
    Count(&q.destinations, max_keys, domain, 1, n, arrival);
  }
}

void QueueComposition::Merge(const QueueComposition& other) {
  if (queues.size() < other.queues.size()) queues.resize(other.queues.size());
  for (size_t i = 0; i < other.queues.size(); ++i) {
    MergeMap(other.queues[i].senders, max_keys, &queues[i].senders);
    MergeMap(other.queues[i].submitters, max_keys, &queues[i].submitters);
    MergeMap(other.queues[i].destinations, max_keys, &queues[i].destinations);
  }
}

std::vector<std::pair<std::string, QueueTally>> RankByMessages(
    const std::unordered_map<std::string, QueueTally>& map) {
  std::vector<std::pair<std::string, QueueTally>> ranked(map.begin(), map.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second.messages != b.second.messages ? a.second.messages > b.second.messages
                                                  : a.first < b.first;
  });
  return ranked;
}

}  // namespace mailrep
