#include "exporter/http/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include "exporter/util/ascii.h"
#include "exporter/util/base64.h"

namespace mailrep {
namespace {

// A valid cost-10 bcrypt hash of a random string, used to spend the same time
// on unknown users as on known ones.
constexpr char kDummyHash[] = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

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
  if (cost < 4 || cost > 31) return false;
  for (size_t i = 7; i < hash.size(); ++i) {
    char c = hash[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
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

BasicAuthenticator::BasicAuthenticator(std::map<std::string, std::string> users)
    : users_(std::move(users)) {}

bool BasicAuthenticator::Check(std::string_view authorization_header) const {
  std::string user;
  std::string password;
  if (!ParseBasicAuthorization(authorization_header, &user, &password)) return false;
  auto it = users_.find(user);
  if (it == users_.end()) {
    VerifyBcrypt(password, kDummyHash);
    return false;
  }
  const std::string& hash = it->second;

  Digest digest{};
  unsigned int digest_len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool hashed = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  const char sep = '\0';
  for (std::string_view part :
       {std::string_view(user), std::string_view(&sep, 1), std::string_view(password),
        std::string_view(&sep, 1), std::string_view(hash)}) {
    hashed = hashed && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  }
  hashed = hashed && EVP_DigestFinal_ex(ctx, digest.data(), &digest_len) == 1;
  EVP_MD_CTX_free(ctx);

  if (hashed) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.count(digest) > 0) return true;
  }
  if (!VerifyBcrypt(password, hash)) return false;
  if (hashed) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kMaxCacheEntries) cache_.clear();
    cache_.insert(digest);
  }
  return true;
}

size_t BasicAuthenticator::CacheSizeForTest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cache_.size();
}

}  // namespace mailrep
