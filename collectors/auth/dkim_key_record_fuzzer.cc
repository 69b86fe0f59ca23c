// Feeds arbitrary bytes to the DKIM key-record parser, the key decoder (via
// the whole evaluation of a one-record answer) and the private-key reader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "collectors/auth/dkim_check.h"
#include "collectors/auth/dkim_key_record.h"
#include "collectors/auth/dkim_public_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mailrep;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)ParseDkimKeyRecord(text);
  DnsAnswer answer;
  answer.outcome = DnsOutcome::kData;
  DnsRecord record;
  record.type = RecordType::kTxt;
  record.texts = {text};
  answer.records.push_back(record);
  (void)EvaluateDkimKey("s._domainkey.example.com", answer, nullptr);
  StatusOr<std::string> bytes = DecodeDkimBase64(text);
  (void)ParseDkimPublicKey(DkimKeyType::kRsa, text);
  (void)ParseDkimPublicKey(DkimKeyType::kEd25519, text);
  if (bytes.ok()) (void)ParseDkimPublicKey(DkimKeyType::kRsa, *bytes);
  (void)DkimPublicKeyFromPrivateKey(text);
  return 0;
}
