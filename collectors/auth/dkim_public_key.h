// DKIM keys as the checks compare them: the public key published in p=
// (RSA SubjectPublicKeyInfo or bare PKCS#1 RSAPublicKey, ed25519 raw 32
// bytes) and the public half of a signer's private key file. Uses OpenSSL;
// OpenSSL errors are turned into Status and its error queue is cleared.
// Thread-safe.
#ifndef MAILREP_COLLECTORS_AUTH_DKIM_PUBLIC_KEY_H_
#define MAILREP_COLLECTORS_AUTH_DKIM_PUBLIC_KEY_H_

#include <string>
#include <string_view>

#include "collectors/auth/dkim_key_record.h"
#include "exporter/util/status.h"

namespace mailrep {

struct DkimPublicKey {
  DkimKeyType type = DkimKeyType::kRsa;
  int bits = 0;  // RSA modulus size; 256 for ed25519
  // DER SubjectPublicKeyInfo: one canonical form, so two keys are the same
  // key exactly when these bytes are equal.
  std::string spki_der;

  bool operator==(const DkimPublicKey&) const = default;
};

// RFC 4648 base64 as DKIM writes it: padding optional, no white space (strip
// it first), no bytes after padding. InvalidArgument otherwise.
StatusOr<std::string> DecodeDkimBase64(std::string_view text);

// Decodes a p= key of the record's type. RSA: SubjectPublicKeyInfo DER, or a
// bare PKCS#1 RSAPublicKey; an SPKI holding another algorithm is an error.
// ed25519: exactly 32 raw bytes (RFC 8463; an SPKI wrapper is an error).
// kUnknown is always an error.
StatusOr<DkimPublicKey> ParseDkimPublicKey(DkimKeyType type, std::string_view key_bytes);

// Derives the public key from the contents of a signer's private key file:
// PEM ("RSA PRIVATE KEY" PKCS#1 as opendkim-genkey writes, "PRIVATE KEY"
// PKCS#8), DER PKCS#1/PKCS#8, or an ed25519 key as base64 of the 32-byte seed
// or the 64-byte seed+public key (rspamd). Encrypted keys are refused, never
// prompted for.
StatusOr<DkimPublicKey> DkimPublicKeyFromPrivateKey(std::string_view contents);

// Reads `path` (at most 1 MiB) and calls DkimPublicKeyFromPrivateKey. Errors
// name the path.
StatusOr<DkimPublicKey> LoadDkimSigningKey(const std::string& path);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DKIM_PUBLIC_KEY_H_
