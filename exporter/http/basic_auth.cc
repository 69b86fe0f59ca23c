#include "exporter/http/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "exporter/util/ascii.h"
#include "exporter/util/base64.h"

namespace mailrep {
namespace {

// A bcrypt hash of a fixed string at `cost` with a random salt. Nobody is
// ever checked against its password: unknown users only pay its time.
std::string MakeDummyHash(int cost) {
  char salt[64];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt, sizeof(salt)) ==
      nullptr) {
    return "";
  }
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_r("mailrep unknown user", salt, data.get());
  return hash != nullptr && LooksLikeBcryptHash(hash) ? hash : "";
}

// Holds one of the max_concurrent_bcrypt slots for its lifetime, if it got one.
class BcryptSlot {
 public:
  BcryptSlot(std::atomic<int>* running, int limit) : running_(running) {
    acquired_ = running_->fetch_add(1) < limit;
    if (!acquired_) running_->fetch_sub(1);
  }
  ~BcryptSlot() {
    if (acquired_) running_->fetch_sub(1);
  }
  BcryptSlot(const BcryptSlot&) = delete;
  BcryptSlot& operator=(const BcryptSlot&) = delete;
  bool acquired() const { return acquired_; }

 private:
  std::atomic<int>* running_;
  bool acquired_;
};

}  // namespace

bool ParseBasicAuthorization(std::string_view header, std::string* user, std::string* password) {
  size_t start = header.find_first_not_of(' ');
  if (start == std::string_view::npos) return false;
  header.remove_prefix(start);
  size_t space = header.find(' ');
  if (space == std::string_view::npos || !EqualsIgnoreCase(header.substr(0, space), "basic")) {
    return false;
  }
  std::string_view encoded = header.substr(space + 1);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  StatusOr<std::string> decoded_or = DecodeBase64(encoded);
  if (!decoded_or.ok()) return false;
  const std::string& decoded = *decoded_or;
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  *user = decoded.substr(0, colon);
  *password = decoded.substr(colon + 1);
  return true;
}

bool LooksLikeBcryptHash(std::string_view hash) {
  if (hash.size() != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$') {
    return false;
  }
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return false;
  if (hash[4] < '0' || hash[4] > '3' || hash[5] < '0' || hash[5] > '9') return false;
  int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
  if (cost < 4 || cost > 31) return false;  // bcrypt's own range
  for (size_t i = 7; i < hash.size(); ++i) {
    char c = hash[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

int BcryptCost(std::string_view hash) {
  if (!LooksLikeBcryptHash(hash)) return -1;
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

bool VerifyBcrypt(const std::string& password, const std::string& hash) {
  if (!LooksLikeBcryptHash(hash)) return false;
  // struct crypt_data is ~32 KiB: keep it off the stack.
  auto data = std::make_unique<crypt_data>();
  data->initialized = 0;
  const char* computed = crypt_r(password.c_str(), hash.c_str(), data.get());
  if (computed == nullptr || computed[0] == '*') return false;
  std::string_view result(computed);
  return result.size() == hash.size() &&
         CRYPTO_memcmp(result.data(), hash.data(), hash.size()) == 0;
}

BasicAuthenticator::BasicAuthenticator(std::map<std::string, std::string> users,
                                       int max_concurrent_bcrypt)
    : users_(std::move(users)), max_concurrent_bcrypt_(std::max(1, max_concurrent_bcrypt)) {
  int cost = -1;
  for (const auto& [user, hash] : users_) cost = std::max(cost, BcryptCost(hash));
  if (cost < 0) return;
  dummy_hash_ = MakeDummyHash(cost);
  if (!dummy_hash_.empty()) return;
  // No salt from the system: a configured hash of that cost costs the same
  // (its result is ignored for unknown users).
  for (const auto& [user, hash] : users_) {
    if (BcryptCost(hash) == cost) dummy_hash_ = hash;
  }
}

AuthResult BasicAuthenticator::Check(std::string_view authorization_header) const {
  std::string user;
  std::string password;
  if (!ParseBasicAuthorization(authorization_header, &user, &password)) {
    return AuthResult::kDenied;
  }
  auto it = users_.find(user);
  const bool known = it != users_.end();

  Digest digest{};
  bool hashed = false;
  if (known) {
    unsigned int digest_len = 0;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    hashed = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
    const char sep = '\0';
    for (std::string_view part :
         {std::string_view(user), std::string_view(&sep, 1), std::string_view(password),
          std::string_view(&sep, 1), std::string_view(it->second)}) {
      hashed = hashed && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
    }
    hashed = hashed && EVP_DigestFinal_ex(ctx, digest.data(), &digest_len) == 1;
    EVP_MD_CTX_free(ctx);
    if (hashed) {
      std::lock_guard<std::mutex> lock(mu_);
      if (cache_.count(digest) > 0) return AuthResult::kAllowed;
    }
  }

  // Known and unknown users take the same path from here: one slot, one bcrypt.
  BcryptSlot slot(&bcrypt_running_, max_concurrent_bcrypt_);
  if (!slot.acquired()) return AuthResult::kBusy;
  bool match = VerifyBcrypt(password, known ? it->second : dummy_hash_);
  if (!known || !match) return AuthResult::kDenied;
  if (hashed) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kMaxCacheEntries) cache_.clear();
    cache_.insert(digest);
  }
  return AuthResult::kAllowed;
}

size_t BasicAuthenticator::CacheSizeForTest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cache_.size();
}

}  // namespace mailrep
