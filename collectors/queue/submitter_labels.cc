#include "collectors/queue/submitter_labels.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace mailrep {

std::optional<SubmitterLabels> ParseSubmitterLabels(std::string_view text) {
  if (text == "name") return SubmitterLabels::kName;
  if (text == "hash") return SubmitterLabels::kHash;
  if (text == "none") return SubmitterLabels::kNone;
  return std::nullopt;
}

std::string SubmitterLabel(const SubmitterLabeling& labeling, SubmitterKind kind,
                           std::string_view name) {
  if (kind == SubmitterKind::kUnknown) return "(unknown)";
  switch (labeling.mode) {
    case SubmitterLabels::kName:
      return std::string(name);
    case SubmitterLabels::kNone:
      return "(hidden)";
    case SubmitterLabels::kHash:
      break;
  }
  std::string input = SubmitterKey(kind, name);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), labeling.hash_key.data(), static_cast<int>(labeling.hash_key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string label = "h:";
  for (unsigned int i = 0; i < 6 && i < mac_len; ++i) {
    label += kHex[mac[i] >> 4];
    label += kHex[mac[i] & 0xf];
  }
  return label;
}

}  // namespace mailrep
