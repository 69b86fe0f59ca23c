#include "collectors/auth/dkim_public_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "exporter/util/base64.h"

namespace mailrep {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using Bio = std::unique_ptr<BIO, BioDeleter>;

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

// Never prompts: an encrypted key fails to load.
int NoPassword(char*, int, int, void*) { return -1; }

StatusOr<DkimPublicKey> Describe(EVP_PKEY* key) {
  DkimPublicKey out;
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      out.type = DkimKeyType::kRsa;
      out.bits = EVP_PKEY_get_bits(key);
      break;
    case EVP_PKEY_ED25519:
      out.type = DkimKeyType::kEd25519;
      out.bits = 256;
      break;
    default:
      return Status::InvalidArgument("key algorithm is neither RSA nor ed25519");
  }
  int length = i2d_PUBKEY(key, nullptr);
  if (length <= 0) return Status::InvalidArgument("cannot encode key: " + OpenSslError());
  out.spki_der.resize(static_cast<size_t>(length));
  unsigned char* p = reinterpret_cast<unsigned char*>(out.spki_der.data());
  i2d_PUBKEY(key, &p);
  return out;
}

StatusOr<DkimPublicKey> FromEd25519Seed(std::string_view seed) {
  Pkey key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
  if (!key) return Status::InvalidArgument("bad ed25519 private key: " + OpenSslError());
  return Describe(key.get());
}

}  // namespace

StatusOr<std::string> DecodeDkimBase64(std::string_view text) {
  StatusOr<std::string> bytes = DecodeBase64(text);
  if (!bytes.ok() && text.find('"') != std::string_view::npos) {
    return Status::InvalidArgument(bytes.status().message() +
                                   " (a quote: the record was published with quotes)");
  }
  return bytes;
}

StatusOr<DkimPublicKey> ParseDkimPublicKey(DkimKeyType type, std::string_view key_bytes) {
  const unsigned char* data = reinterpret_cast<const unsigned char*>(key_bytes.data());
  long size = static_cast<long>(key_bytes.size());
  switch (type) {
    case DkimKeyType::kRsa: {
      const unsigned char* p = data;
      Pkey key(d2i_PUBKEY(nullptr, &p, size));
      if (key && p != data + size) return Status::InvalidArgument("trailing bytes after RSA key");
      if (!key) {
        ERR_clear_error();
        p = data;
        key.reset(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, size));
        if (key && p != data + size) {
          return Status::InvalidArgument("trailing bytes after RSA key");
        }
      }
      if (!key) return Status::InvalidArgument("not an RSA public key: " + OpenSslError());
      if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
        return Status::InvalidArgument("k=rsa but the key is not RSA");
      }
      return Describe(key.get());
    }
    case DkimKeyType::kEd25519: {
      if (key_bytes.size() != 32) {
        return Status::InvalidArgument("ed25519 key must be 32 raw bytes, got " +
                                       std::to_string(key_bytes.size()) +
                                       (key_bytes.size() == 44 ? " (an SPKI wrapper?)" : ""));
      }
      Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, data, key_bytes.size()));
      if (!key) return Status::InvalidArgument("bad ed25519 key: " + OpenSslError());
      return Describe(key.get());
    }
    case DkimKeyType::kUnknown:
      break;
  }
  return Status::InvalidArgument("unknown key type");
}

StatusOr<DkimPublicKey> DkimPublicKeyFromPrivateKey(std::string_view contents) {
  if (contents.find("-----BEGIN") != std::string_view::npos) {
    Bio bio(BIO_new_mem_buf(contents.data(), static_cast<int>(contents.size())));
    if (!bio) return Status::Internal("BIO_new_mem_buf failed");
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
    if (!key) return Status::InvalidArgument("unreadable PEM private key: " + OpenSslError());
    return Describe(key.get());
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(contents.data());
  Pkey der(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(contents.size())));
  if (der) return Describe(der.get());
  ERR_clear_error();
  std::string_view text = contents;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  StatusOr<std::string> raw = DecodeDkimBase64(text);
  if (raw.ok() && (raw->size() == 32 || raw->size() == 64)) {
    StatusOr<DkimPublicKey> key = FromEd25519Seed(std::string_view(*raw).substr(0, 32));
    if (key.ok() && raw->size() == 64) {
      // libsodium layout: seed then public key; the halves must agree.
      StatusOr<DkimPublicKey> published =
          ParseDkimPublicKey(DkimKeyType::kEd25519, std::string_view(*raw).substr(32));
      if (!published.ok() || !(*published == *key)) {
        return Status::InvalidArgument("ed25519 private key: public half does not match seed");
      }
    }
    return key;
  }
  return Status::InvalidArgument("not a PEM, DER or base64 ed25519 private key");
}

StatusOr<DkimPublicKey> LoadDkimSigningKey(const std::string& path) {
  constexpr size_t kMaxSize = 1 << 20;
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::IoError(path + ": " + std::strerror(errno));
  }
  std::string contents;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    contents.append(buffer, n);
    if (contents.size() > kMaxSize) {
      std::fclose(file);
      return Status::InvalidArgument(path + ": larger than 1 MiB, not a key file");
    }
  }
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status::IoError(path + ": read error");
  StatusOr<DkimPublicKey> key = DkimPublicKeyFromPrivateKey(contents);
  if (!key.ok()) return key.status().Annotate(path);
  return key;
}

}  // namespace mailrep
