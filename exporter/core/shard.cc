#include "exporter/core/shard.h"

#include <openssl/evp.h>

#include <charconv>
#include <string>

namespace mailrep {

uint64_t HashMod(std::string_view value, uint64_t modulus) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(value.data(), value.size(), digest, &length, EVP_md5(), nullptr) != 1 ||
      length != 16) {
    return 0;  // not reached: md5 is always available in libcrypto's default provider
  }
  uint64_t tail = 0;
  for (int i = 8; i < 16; ++i) tail = (tail << 8) | digest[i];
  return tail % modulus;
}

StatusOr<Shard> Shard::Parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("--shard=" + std::string(text) + ": " + std::string(why) +
                                   " (expected INDEX/TOTAL, e.g. 0/3)");
  };
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad("no '/'");
  Shard shard;
  auto parse = [](std::string_view part, uint64_t* out) {
    if (part.empty()) return false;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), *out);
    return ec == std::errc() && end == part.data() + part.size();
  };
  if (!parse(text.substr(0, slash), &shard.index)) return bad("the index is not a number");
  if (!parse(text.substr(slash + 1), &shard.total)) return bad("the total is not a number");
  if (shard.total < 1 || shard.total > 100000) return bad("the total must be 1 to 100000");
  if (shard.index >= shard.total) return bad("the index must be below the total");
  return shard;
}

}  // namespace mailrep
