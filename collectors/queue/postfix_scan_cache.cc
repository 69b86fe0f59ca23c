#include "collectors/queue/postfix_scan_cache.h"

#include <iterator>
#include <utility>

namespace mailrep {

PostfixScanCache::PostfixScanCache() : state_(std::make_unique<State>()) {}
PostfixScanCache::~PostfixScanCache() = default;
size_t PostfixScanCache::messages() const { return state_->messages.size(); }
size_t PostfixScanCache::domains() const { return state_->domain_names.size() - 1; }
void PostfixScanCache::Clear() { state_->Clear(); }

uint32_t PostfixScanCache::State::InternLocked(std::string&& domain, size_t max_domains) {
  auto it = domain_ids.find(domain);
  if (it != domain_ids.end()) return it->second;
  if (domain_names.size() > max_domains) return 0;
  auto id = static_cast<uint32_t>(domain_names.size());
  domain_names.push_back(domain);
  domain_ids.emplace(std::move(domain), id);
  return id;
}

void PostfixScanCache::State::Clear() {
  messages.clear();
  domain_ids.clear();
  domain_names.resize(1);
}

void PostfixScanCache::State::Sweep(size_t live_domains) {
  for (auto it = messages.begin(); it != messages.end();) {
    it = it->second.generation == generation ? std::next(it) : messages.erase(it);
  }
  if (domain_names.size() > 2 * live_domains + 1024) Clear();
}

}  // namespace mailrep
