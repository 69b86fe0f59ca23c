#include "collectors/dns/static_resolver.h"

namespace mailrep {

void StaticResolver::Set(std::string_view name, RecordType type, DnsAnswer answer) {
  std::string key = NormalizeDnsName(name);
  if (answer.canonical_name.empty()) answer.canonical_name = key;
  std::lock_guard<std::mutex> lock(mu_);
  answers_[{key, type}] = std::move(answer);
}

void StaticResolver::SetAddresses(std::string_view name, const std::vector<std::string>& ips,
                                  uint32_t ttl) {
  DnsAnswer answer;
  answer.outcome = DnsOutcome::kData;
  answer.ttl = ttl;
  RecordType type = RecordType::kA;
  for (const std::string& ip : ips) {
    StatusOr<IpAddress> address = IpAddress::Parse(ip);
    if (!address.ok()) continue;
    DnsRecord record;
    record.type = address->family == IpAddress::Family::kV4 ? RecordType::kA : RecordType::kAaaa;
    record.ttl = ttl;
    record.address = *address;
    type = record.type;
    answer.records.push_back(std::move(record));
  }
  Set(name, type, std::move(answer));
}

void StaticResolver::SetTargets(std::string_view name, RecordType type,
                                const std::vector<std::string>& targets, uint32_t ttl) {
  DnsAnswer answer;
  answer.outcome = DnsOutcome::kData;
  answer.ttl = ttl;
  for (const std::string& target : targets) {
    DnsRecord record;
    record.type = type;
    record.ttl = ttl;
    record.target = NormalizeDnsName(target);
    answer.records.push_back(std::move(record));
  }
  Set(name, type, std::move(answer));
}

void StaticResolver::SetTexts(std::string_view name, const std::vector<std::string>& texts,
                              uint32_t ttl) {
  DnsAnswer answer;
  answer.outcome = DnsOutcome::kData;
  answer.ttl = ttl;
  for (const std::string& text : texts) {
    DnsRecord record;
    record.type = RecordType::kTxt;
    record.ttl = ttl;
    record.texts = {text};
    answer.records.push_back(std::move(record));
  }
  Set(name, RecordType::kTxt, std::move(answer));
}

void StaticResolver::SetOutcome(std::string_view name, RecordType type, DnsOutcome outcome) {
  DnsAnswer answer;
  answer.outcome = outcome;
  answer.error = DnsOutcomeName(outcome);
  Set(name, type, std::move(answer));
}

void StaticResolver::SetDefault(DnsAnswer answer) {
  std::lock_guard<std::mutex> lock(mu_);
  default_answer_ = std::move(answer);
}

void StaticResolver::Submit(DnsQuery query, DnsCallback done) {
  DnsAnswer answer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::string key = NormalizeDnsName(query.name);
    auto it = answers_.find({key, query.type});
    if (it != answers_.end()) {
      answer = it->second;
    } else {
      answer = default_answer_;
      answer.canonical_name = key;
    }
    queries_.push_back(std::move(query));
  }
  done(std::move(answer));
}

std::vector<DnsQuery> StaticResolver::queries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queries_;
}

}  // namespace mailrep
