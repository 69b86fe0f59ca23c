// Fuzzes the hand-written parsers on the HTTP path: listen addresses,
// Authorization headers, Accept-Encoding values and bcrypt-hash shape and cost checks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/http/basic_auth.h"
#include "exporter/http/gzip.h"
#include "exporter/http/listen_address.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mailrep::StatusOr<mailrep::ListenAddress> address = mailrep::ParseListenAddress(input);
  if (address.ok()) {
    std::string formatted = mailrep::FormatHostPort(address->host, address->port);
    if (!address->all_addresses && !mailrep::ParseListenAddress(formatted).ok()) __builtin_trap();
  }
  std::string user, password;
  if (mailrep::ParseBasicAuthorization(input, &user, &password)) {
    if (user.find(':') != std::string::npos) __builtin_trap();
  }
  mailrep::AcceptsGzip(input);
  if (mailrep::LooksLikeBcryptHash(input) != (mailrep::BcryptCost(input) >= 0)) __builtin_trap();
  return 0;
}
