// Basic authentication against exporter-toolkit's basic_auth_users (bcrypt).
//
// BasicAuthenticator checks an `Authorization: Basic ...` header value. bcrypt
// costs tens of milliseconds, so successful (user, password, hash) triples are
// remembered by their SHA-256 (never the plaintext) and later scrapes skip
// bcrypt. Comparisons are constant-time. Unknown users still pay one bcrypt so
// response time does not reveal which users exist. Thread-safe.
#ifndef MAILREP_EXPORTER_HTTP_BASIC_AUTH_H_
#define MAILREP_EXPORTER_HTTP_BASIC_AUTH_H_

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace mailrep {

inline constexpr char kBasicAuthRealm[] = "mailrep_exporter";

// Splits "Basic base64(user:password)". False for any other scheme or for
// malformed base64 / a missing ':'. The scheme name is case-insensitive.
bool ParseBasicAuthorization(std::string_view header, std::string* user, std::string* password);

// True for "$2a$", "$2b$" or "$2y$" + two-digit cost + "$" + 53 salt/hash chars.
bool LooksLikeBcryptHash(std::string_view hash);

// True when `password` matches the bcrypt `hash` (crypt_r + CRYPTO_memcmp).
bool VerifyBcrypt(const std::string& password, const std::string& hash);

class BasicAuthenticator {
 public:
  // user -> bcrypt hash; an empty map disables authentication.
  explicit BasicAuthenticator(std::map<std::string, std::string> users);

  BasicAuthenticator(const BasicAuthenticator&) = delete;
  BasicAuthenticator& operator=(const BasicAuthenticator&) = delete;

  bool enabled() const { return !users_.empty(); }

  // True when the header value (may be empty) names a configured user with
  // the right password.
  bool Check(std::string_view authorization_header) const;

  // Number of remembered successful checks (for tests).
  size_t CacheSizeForTest() const;

 private:
  using Digest = std::array<uint8_t, 32>;
  static constexpr size_t kMaxCacheEntries = 1024;

  const std::map<std::string, std::string> users_;
  mutable std::mutex mu_;
  mutable std::set<Digest> cache_;  // guarded by mu_
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_BASIC_AUTH_H_
