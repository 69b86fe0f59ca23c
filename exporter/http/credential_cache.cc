#include "exporter/http/credential_cache.h"

#include <openssl/sha.h>

namespace mailrep {

CredentialCache::Digest CredentialCache::Hash(std::string_view text) {
  Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

bool CredentialCache::Contains(std::string_view authorization_header) const {
  Digest digest = Hash(authorization_header);
  std::lock_guard<std::mutex> lock(mu_);
  return digests_.count(digest) > 0;
}

void CredentialCache::Add(std::string_view authorization_header) {
  Digest digest = Hash(authorization_header);
  std::lock_guard<std::mutex> lock(mu_);
  if (digests_.size() >= max_entries_) digests_.clear();
  digests_.insert(digest);
}

}  // namespace mailrep
