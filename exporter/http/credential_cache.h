// CredentialCache: Authorization header values that already passed the
// password check, remembered by SHA-256 (never the plaintext). The HTTP
// server asks it, without running bcrypt, whether a request may be served on
// a fast thread or must first go to the password-checking threads. One cache
// belongs to one set of users: the server drops it when the users change.
// Bounded (emptied when full). Thread-safe.
#ifndef MAILREP_EXPORTER_HTTP_CREDENTIAL_CACHE_H_
#define MAILREP_EXPORTER_HTTP_CREDENTIAL_CACHE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <set>
#include <string_view>

namespace mailrep {

class CredentialCache {
 public:
  explicit CredentialCache(size_t max_entries = 1024) : max_entries_(max_entries) {}

  bool Contains(std::string_view authorization_header) const;
  void Add(std::string_view authorization_header);

 private:
  using Digest = std::array<uint8_t, 32>;
  static Digest Hash(std::string_view text);

  const size_t max_entries_;
  mutable std::mutex mu_;
  std::set<Digest> digests_;  // guarded by mu_
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_CREDENTIAL_CACHE_H_
