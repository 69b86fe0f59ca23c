// Basic authentication against exporter-toolkit's basic_auth_users (bcrypt).
//
// BasicAuthenticator checks an `Authorization: Basic ...` header value.
// bcrypt costs tens to hundreds of milliseconds, so:
// - hashes are bounded at load (kMinBcryptCost..kMaxBcryptCost, enforced by
//   LoadWebConfig): a cost-31 hash would hold a server thread for days;
// - successful (user, password, hash) triples are remembered by their SHA-256
//   (never the plaintext), so later scrapes skip bcrypt;
// - at most `max_concurrent_bcrypt` bcrypt computations run at once; a check
//   that would need another gets kBusy at once (the server answers 429), so a
//   wrong-password flood cannot occupy every server thread;
// - an unknown user is compared against a dummy hash of the highest cost
//   among the configured users, so response time does not reveal which users
//   exist (with one cost for all users, known and unknown take the same time).
// Comparisons are constant-time (CRYPTO_memcmp). Thread-safe.
#ifndef MAILREP_EXPORTER_HTTP_BASIC_AUTH_H_
#define MAILREP_EXPORTER_HTTP_BASIC_AUTH_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace mailrep {

inline constexpr char kBasicAuthRealm[] = "mailrep_exporter";

// bcrypt costs a web config may use. Below 10 a stolen hash is cheap to
// brute-force (10 is what htpasswd -B and the Prometheus docs suggest); above
// 12 (about 0.25 s per check on one idle core, doubling per step) a handful
// of wrong-password requests costs seconds of CPU each.
inline constexpr int kMinBcryptCost = 10;
inline constexpr int kMaxBcryptCost = 12;
// bcrypt computations allowed at once by default (HttpServer runs 4 threads).
inline constexpr int kDefaultMaxConcurrentBcrypt = 2;

// Splits "Basic base64(user:password)". False for any other scheme or for
// malformed base64 / a missing ':'. The scheme name is case-insensitive.
bool ParseBasicAuthorization(std::string_view header, std::string* user, std::string* password);

// True for "$2a$", "$2b$" or "$2y$" + two-digit cost (04..31) + "$" + 53
// salt/hash chars.
bool LooksLikeBcryptHash(std::string_view hash);
// The cost of a hash LooksLikeBcryptHash accepts; -1 otherwise.
int BcryptCost(std::string_view hash);

// True when `password` matches the bcrypt `hash` (crypt_r + CRYPTO_memcmp).
bool VerifyBcrypt(const std::string& password, const std::string& hash);

enum class AuthResult {
  kAllowed,
  kDenied,  // no or malformed header, unknown user or wrong password
  kBusy,    // max_concurrent_bcrypt checks already running; try again later
};

class BasicAuthenticator {
 public:
  // user -> bcrypt hash; an empty map disables authentication. With users,
  // the constructor computes the dummy hash (one bcrypt at the highest cost).
  explicit BasicAuthenticator(std::map<std::string, std::string> users,
                              int max_concurrent_bcrypt = kDefaultMaxConcurrentBcrypt);

  BasicAuthenticator(const BasicAuthenticator&) = delete;
  BasicAuthenticator& operator=(const BasicAuthenticator&) = delete;

  bool enabled() const { return !users_.empty(); }

  // Checks a header value (may be empty).
  AuthResult Check(std::string_view authorization_header) const;

  // Number of remembered successful checks (for tests).
  size_t CacheSizeForTest() const;
  // The hash unknown users are compared against (for tests).
  const std::string& DummyHashForTest() const { return dummy_hash_; }
  // bcrypt computations running now (for tests).
  int BcryptRunningForTest() const { return bcrypt_running_.load(); }

 private:
  using Digest = std::array<uint8_t, 32>;
  static constexpr size_t kMaxCacheEntries = 1024;

  const std::map<std::string, std::string> users_;
  const int max_concurrent_bcrypt_;
  std::string dummy_hash_;
  mutable std::atomic<int> bcrypt_running_{0};
  mutable std::mutex mu_;
  mutable std::set<Digest> cache_;  // guarded by mu_
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_BASIC_AUTH_H_
