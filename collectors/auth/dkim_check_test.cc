#include "collectors/auth/dkim_check.h"

#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/auth/dkim_key_record.h"
#include "collectors/auth/dkim_public_key.h"
#include "collectors/dns/memory_dns.h"
#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Keys are slow to generate; each kind ("2048", "ed25519", "2048-other", ...)
// is made once per test binary.
EVP_PKEY* Key(const std::string& kind) {
  static std::map<std::string, Pkey>* keys = new std::map<std::string, Pkey>();
  auto it = keys->find(kind);
  if (it != keys->end()) return it->second.get();
  EVP_PKEY* key = kind.starts_with("ed25519") ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                              : EVP_RSA_gen(static_cast<unsigned>(std::stoi(kind)));
  (*keys)[kind] = Pkey(key);
  return key;
}

std::string SpkiDer(EVP_PKEY* key) {
  int length = i2d_PUBKEY(key, nullptr);
  std::string der(static_cast<size_t>(length), '\0');
  unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_PUBKEY(key, &p);
  return der;
}

// What a DNS operator publishes in p=.
std::string PublishedKey(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
    std::string raw(32, '\0');
    size_t length = raw.size();
    EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &length);
    return Base64(raw);
  }
  return Base64(SpkiDer(key));
}

std::string PrivatePem(EVP_PKEY* key, bool pkcs1) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (pkcs1) {
    OSSL_ENCODER_CTX* ctx = OSSL_ENCODER_CTX_new_for_pkey(key, OSSL_KEYMGMT_SELECT_KEYPAIR, "PEM",
                                                          "type-specific", nullptr);
    EXPECT_EQ(OSSL_ENCODER_to_bio(ctx, bio), 1);
    OSSL_ENCODER_CTX_free(ctx);
  } else {
    EXPECT_EQ(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  return pem;
}

std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = testing::TempDir() + "/dkim_check_test_" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

// One TXT RR split into character-strings of at most 255 bytes.
std::vector<std::string> Split255(const std::string& text) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < text.size(); i += 255) parts.push_back(text.substr(i, 255));
  return parts;
}

DnsAnswer TxtAnswer(const std::vector<std::vector<std::string>>& records) {
  DnsAnswer answer;
  answer.outcome = DnsOutcome::kData;
  for (const auto& strings : records) {
    DnsRecord record;
    record.type = RecordType::kTxt;
    record.texts = strings;
    answer.records.push_back(record);
  }
  return answer;
}

TEST(DkimKeyRecordTest, ParsesTags) {
  StatusOr<DkimKeyRecord> record = ParseDkimKeyRecord(
      "v=DKIM1; k=ed25519; h=sha256; s=email:tlsrpt; t=y:s; n=hi; p=ab cd\r\n ef");
  ASSERT_OK(record);
  EXPECT_TRUE(record->has_version);
  EXPECT_EQ(record->key_type, DkimKeyType::kEd25519);
  EXPECT_TRUE(record->testing());
  EXPECT_TRUE(record->strict_identity());
  EXPECT_TRUE(record->for_email());
  EXPECT_TRUE(record->allows_sha256());
  EXPECT_EQ(record->public_key_base64, "abcdef");
  EXPECT_EQ(record->notes, "hi");

  StatusOr<DkimKeyRecord> defaults = ParseDkimKeyRecord("p=");
  ASSERT_OK(defaults);
  EXPECT_FALSE(defaults->has_version);
  EXPECT_EQ(defaults->key_type, DkimKeyType::kRsa);
  EXPECT_TRUE(defaults->revoked());
  EXPECT_TRUE(defaults->for_email());
  EXPECT_FALSE(defaults->testing());
}

TEST(DkimKeyRecordTest, Rejects) {
  for (const char* text : {"k=rsa; v=DKIM1; p=abc", "v=DKIM2; p=abc", "v=dkim1; p=abc", "k=rsa",
                           "p=abc; p=abc", "v=DKIM1, p=abc", ""}) {
    EXPECT_FALSE(ParseDkimKeyRecord(text).ok()) << text;
  }
}

TEST(DkimPublicKeyTest, Base64) {
  EXPECT_EQ(*DecodeDkimBase64("aGVsbG8="), "hello");
  EXPECT_EQ(*DecodeDkimBase64("aGVsbG8"), "hello");
  EXPECT_EQ(*DecodeDkimBase64(""), "");
  EXPECT_FALSE(DecodeDkimBase64("aGVsbG8=x").ok());
  EXPECT_FALSE(DecodeDkimBase64("aGVsb").ok());
  EXPECT_FALSE(DecodeDkimBase64("aGVs bG8=").ok());
  EXPECT_FALSE(DecodeDkimBase64("aGVsbG8===").ok());
  EXPECT_NE(DecodeDkimBase64("\"aGVs\"").status().message().find("quote"), std::string::npos);
}

TEST(DkimPublicKeyTest, AcceptsBarePkcs1RsaKey) {
  EVP_PKEY* key = Key("2048");
  std::string spki = SpkiDer(key);
  // The RSAPublicKey inside the SPKI BIT STRING starts after the fixed header.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(spki.data());
  Pkey reparsed(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  unsigned char* pkcs1 = nullptr;
  int length = i2d_PublicKey(reparsed.get(), &pkcs1);
  ASSERT_GT(length, 0);
  std::string bare(reinterpret_cast<char*>(pkcs1), static_cast<size_t>(length));
  OPENSSL_free(pkcs1);
  StatusOr<DkimPublicKey> from_bare = ParseDkimPublicKey(DkimKeyType::kRsa, bare);
  StatusOr<DkimPublicKey> from_spki = ParseDkimPublicKey(DkimKeyType::kRsa, spki);
  ASSERT_OK(from_bare);
  ASSERT_OK(from_spki);
  EXPECT_EQ(*from_bare, *from_spki);
  EXPECT_EQ(from_bare->bits, 2048);
  EXPECT_FALSE(ParseDkimPublicKey(DkimKeyType::kEd25519, spki).ok());
  EXPECT_FALSE(ParseDkimPublicKey(DkimKeyType::kRsa, spki + "x").ok());
  EXPECT_FALSE(ParseDkimPublicKey(DkimKeyType::kUnknown, spki).ok());
}

TEST(DkimPublicKeyTest, PrivateKeyFormats) {
  for (const std::string kind : {"1024", "2048", "ed25519"}) {
    EVP_PKEY* key = Key(kind);
    StatusOr<DkimPublicKey> expected =
        ParseDkimPublicKey(kind == "ed25519" ? DkimKeyType::kEd25519 : DkimKeyType::kRsa,
                           *DecodeDkimBase64(PublishedKey(key)));
    ASSERT_OK(expected) << kind;
    for (bool pkcs1 : {true, false}) {
      if (pkcs1 && kind == "ed25519") continue;  // no type-specific form for ed25519
      StatusOr<DkimPublicKey> derived = DkimPublicKeyFromPrivateKey(PrivatePem(key, pkcs1));
      ASSERT_OK(derived) << kind;
      EXPECT_EQ(*derived, *expected) << kind << " pkcs1=" << pkcs1;
    }
  }
  // rspamd-style ed25519: base64 of the 32-byte seed, or of seed + public key.
  EVP_PKEY* ed = Key("ed25519");
  std::string seed(32, '\0');
  size_t length = seed.size();
  ASSERT_EQ(
      EVP_PKEY_get_raw_private_key(ed, reinterpret_cast<unsigned char*>(seed.data()), &length), 1);
  std::string pub = *DecodeDkimBase64(PublishedKey(ed));
  StatusOr<DkimPublicKey> expected = ParseDkimPublicKey(DkimKeyType::kEd25519, pub);
  EXPECT_EQ(*DkimPublicKeyFromPrivateKey(Base64(seed) + "\n"), *expected);
  EXPECT_EQ(*DkimPublicKeyFromPrivateKey(Base64(seed + pub)), *expected);
  std::string wrong_pub = pub;
  wrong_pub[0] ^= 1;
  EXPECT_FALSE(DkimPublicKeyFromPrivateKey(Base64(seed + wrong_pub)).ok());
  EXPECT_FALSE(DkimPublicKeyFromPrivateKey("-----BEGIN PRIVATE KEY-----\nxx\n").ok());
  EXPECT_FALSE(DkimPublicKeyFromPrivateKey("hello").ok());
  EXPECT_FALSE(LoadDkimSigningKey("/nonexistent/dkim.key").ok());
}

TEST(DkimPublicKeyTest, EncryptedKeyIsRefusedWithoutPrompt) {
  EVP_PKEY* key = Key("1024");
  BIO* bio = BIO_new(BIO_s_mem());
  static const char kPass[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_128_cbc(), kPass, 6, nullptr, nullptr),
            1);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  EXPECT_FALSE(DkimPublicKeyFromPrivateKey(pem).ok());
}

struct KeyCase {
  std::string name;
  std::string kind;         // key generated for the record ("" = none)
  std::string record_tags;  // before "p="
  bool revoked = false;
  DkimKeyStatus status;
  int bits;
};

TEST(DkimCheckTest, TableOfGeneratedKeys) {
  KeyCase cases[] = {
      {"rsa1024 weak", "1024", "v=DKIM1; k=rsa; ", false, DkimKeyStatus::kWeak, 1024},
      {"rsa2048 valid", "2048", "v=DKIM1; k=rsa; ", false, DkimKeyStatus::kValid, 2048},
      {"rsa4096 valid", "4096", "v=DKIM1; h=sha256; ", false, DkimKeyStatus::kValid, 4096},
      {"rsa512 invalid", "512", "v=DKIM1; ", false, DkimKeyStatus::kInvalid, 512},
      {"ed25519 valid", "ed25519", "v=DKIM1; k=ed25519; ", false, DkimKeyStatus::kValid, 256},
      {"ed25519 without k", "ed25519", "v=DKIM1; ", false, DkimKeyStatus::kInvalid, 0},
      {"rsa as ed25519", "2048", "v=DKIM1; k=ed25519; ", false, DkimKeyStatus::kInvalid, 0},
      {"unknown k", "2048", "v=DKIM1; k=dsa; ", false, DkimKeyStatus::kInvalid, 0},
      {"sha1 only", "2048", "v=DKIM1; h=sha1; ", false, DkimKeyStatus::kInvalid, 0},
      {"not for email", "2048", "v=DKIM1; s=tlsrpt; ", false, DkimKeyStatus::kInvalid, 0},
      {"email among services", "2048", "s=tlsrpt:email; ", false, DkimKeyStatus::kValid, 2048},
      {"revoked", "", "v=DKIM1; k=rsa; ", true, DkimKeyStatus::kRevoked, 0},
      {"v not first", "2048", "k=rsa; v=DKIM1; ", false, DkimKeyStatus::kInvalid, 0},
      {"testing flag", "2048", "v=DKIM1; t=y; ", false, DkimKeyStatus::kValid, 2048},
  };
  for (const KeyCase& c : cases) {
    std::string p = c.revoked ? "" : PublishedKey(Key(c.kind));
    std::string text = c.record_tags + "p=" + p;
    DkimKeyCheckResult result =
        EvaluateDkimKey("sel._domainkey.example.com", TxtAnswer({Split255(text)}), nullptr);
    EXPECT_EQ(DkimKeyStatusName(result.status), std::string(DkimKeyStatusName(c.status)))
        << c.name << ": " << (result.details.empty() ? "" : result.details[0]);
    EXPECT_EQ(result.key_bits, c.bits) << c.name;
    EXPECT_EQ(result.record_text, text) << c.name;  // strings joined without separator
    EXPECT_EQ(result.testing, c.name == "testing flag") << c.name;
  }
}

TEST(DkimCheckTest, SigningKeyMatch) {
  struct Case {
    std::string published;
    std::string signer;
    bool pkcs1;
    DkimKeyStatus status;
    DkimSigningKeyMatch match;
  } cases[] = {
      {"2048", "2048", true, DkimKeyStatus::kValid, DkimSigningKeyMatch::kMatch},
      {"2048", "2048", false, DkimKeyStatus::kValid, DkimSigningKeyMatch::kMatch},
      {"2048", "2048-other", false, DkimKeyStatus::kMismatch, DkimSigningKeyMatch::kMismatch},
      {"1024", "1024", true, DkimKeyStatus::kWeak, DkimSigningKeyMatch::kMatch},
      {"1024", "2048", true, DkimKeyStatus::kMismatch, DkimSigningKeyMatch::kMismatch},
      {"ed25519", "ed25519", false, DkimKeyStatus::kValid, DkimSigningKeyMatch::kMatch},
      {"ed25519", "ed25519-other", false, DkimKeyStatus::kMismatch, DkimSigningKeyMatch::kMismatch},
      {"4096", "ed25519", false, DkimKeyStatus::kMismatch, DkimSigningKeyMatch::kMismatch},
  };
  int n = 0;
  for (const Case& c : cases) {
    EVP_PKEY* published = Key(c.published);
    EVP_PKEY* signer = Key(c.signer);
    std::string k = c.published == "ed25519" ? "k=ed25519; " : "";
    std::string path = WriteTemp("key" + std::to_string(n++), PrivatePem(signer, c.pkcs1));
    MemoryDns dns;
    dns.AddTxt("sel._domainkey.example.com",
               Split255("v=DKIM1; " + k + "p=" + PublishedKey(published)));
    DkimKeyCheckResult result = CheckDkimKey({"Example.COM", "sel", path}, dns);
    EXPECT_EQ(result.status, c.status) << c.published << " vs " << c.signer;
    EXPECT_EQ(result.signing_key, c.match) << c.published << " vs " << c.signer;
    std::remove(path.c_str());
  }
}

TEST(DkimCheckTest, UnreadableSigningKeyKeepsRecordStatus) {
  MemoryDns dns;
  dns.AddTxt("sel._domainkey.example.com", Split255("v=DKIM1; p=" + PublishedKey(Key("2048"))));
  DkimKeyCheckResult result = CheckDkimKey({"example.com", "sel", "/nonexistent/key"}, dns);
  EXPECT_EQ(result.status, DkimKeyStatus::kValid);
  EXPECT_EQ(result.signing_key, DkimSigningKeyMatch::kUnreadable);
}

TEST(DkimCheckTest, DnsOutcomes) {
  struct Case {
    DnsOutcome outcome;
    DkimKeyStatus status;
  } cases[] = {
      {DnsOutcome::kNxDomain, DkimKeyStatus::kMissing},
      {DnsOutcome::kNoData, DkimKeyStatus::kMissing},
      {DnsOutcome::kServFail, DkimKeyStatus::kDnsError},
      {DnsOutcome::kTimeout, DkimKeyStatus::kDnsError},
      {DnsOutcome::kRefused, DkimKeyStatus::kDnsError},
      {DnsOutcome::kMalformed, DkimKeyStatus::kDnsError},
      {DnsOutcome::kError, DkimKeyStatus::kDnsError},
      {DnsOutcome::kCancelled, DkimKeyStatus::kDnsError},
  };
  for (const Case& c : cases) {
    DnsAnswer answer;
    answer.outcome = c.outcome;
    EXPECT_EQ(EvaluateDkimKey("s._domainkey.example.com", answer, nullptr).status, c.status)
        << DnsOutcomeName(c.outcome);
  }
  // A timeout stays dns_error even when a signing key is configured.
  MemoryDns dns;
  dns.AddTimeout("sel._domainkey.example.com");
  std::string path = WriteTemp("timeout", PrivatePem(Key("2048"), true));
  EXPECT_EQ(CheckDkimKey({"example.com", "sel", path}, dns).status, DkimKeyStatus::kDnsError);
  std::remove(path.c_str());
  MemoryDns empty;
  EXPECT_EQ(CheckDkimKey({"example.com", "sel", ""}, empty).status, DkimKeyStatus::kMissing);
}

TEST(DkimCheckTest, BrokenRecords) {
  std::string good = "v=DKIM1; p=" + PublishedKey(Key("2048"));
  struct Case {
    std::string name;
    std::vector<std::vector<std::string>> records;
    DkimKeyStatus status;
  } cases[] = {
      {"two records", {{good}, {good}}, DkimKeyStatus::kInvalid},
      {"truncated key", {{good.substr(0, good.size() - 40)}}, DkimKeyStatus::kInvalid},
      {"quoted key", {{"v=DKIM1; p=\"" + good.substr(11) + "\""}}, DkimKeyStatus::kInvalid},
      {"split at 255 with spaces kept",
       {{good.substr(0, 100) + " ", good.substr(100)}},
       DkimKeyStatus::kValid},
      {"duplicate tag", {{good + "; k=rsa; k=rsa"}}, DkimKeyStatus::kInvalid},
      {"unknown tags ignored", {{good + "; x=1; zz=yes"}}, DkimKeyStatus::kValid},
      {"not base64", {{"v=DKIM1; p=!!!!"}}, DkimKeyStatus::kInvalid},
      {"revoked with spaces", {{"v=DKIM1; p= ; k=rsa"}}, DkimKeyStatus::kRevoked},
  };
  for (const Case& c : cases) {
    DkimKeyCheckResult result =
        EvaluateDkimKey("sel._domainkey.example.com", TxtAnswer(c.records), nullptr);
    EXPECT_EQ(result.status, c.status)
        << c.name << ": " << (result.details.empty() ? "" : result.details[0]);
    EXPECT_FALSE(result.details.empty() && c.status != DkimKeyStatus::kValid) << c.name;
  }
}

TEST(DkimCheckTest, NamesAndSelectors) {
  EXPECT_EQ(DkimKeyName("Sel.2024", "Example.COM."), "sel.2024._domainkey.example.com");
  EXPECT_OK(ValidateDkimSelector("s1"));
  EXPECT_OK(ValidateDkimSelector("mail_2024.eu-west"));
  for (const char* bad : {"", ".s", "s.", "a..b", "s 1", "s/1", "sél"}) {
    EXPECT_FALSE(ValidateDkimSelector(bad).ok()) << bad;
  }
}

// The quoted character-strings of a zone-file TXT snippet.
std::vector<std::string> ZoneSnippetStrings(const std::string& path) {
  std::ifstream zone(path);
  std::stringstream buffer;
  buffer << zone.rdbuf();
  std::string snippet = buffer.str();
  std::vector<std::string> strings;
  for (size_t open = snippet.find('"'); open != std::string::npos;) {
    size_t close = snippet.find('"', open + 1);
    if (close == std::string::npos) break;
    strings.push_back(snippet.substr(open + 1, close - open - 1));
    open = snippet.find('"', close + 1);
  }
  return strings;
}

// Debian's opendkim-genkey (package opendkim-tools), when installed: the key
// files an operator really has, published as the generated zone snippet.
TEST(DkimCheckTest, OpendkimGenkey) {
  const char* tool = "/usr/sbin/opendkim-genkey";
  if (std::ifstream(tool).fail()) GTEST_SKIP() << "opendkim-tools not installed";
  // A directory of its own: two runs of this test at once (two build trees
  // on one machine) must not rotate each other's keys.
  std::string pattern = testing::TempDir() + "/dkim_genkey.XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  std::string dir = pattern;
  struct Case {
    int bits;
    DkimKeyStatus status;
  } cases[] = {{1024, DkimKeyStatus::kWeak}, {2048, DkimKeyStatus::kValid}};
  for (const Case& c : cases) {
    std::string selector = "s" + std::to_string(c.bits);
    std::string command = std::string(tool) + " -b " + std::to_string(c.bits) +
                          " -d example.com -s " + selector + " -D " + dir;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    std::vector<std::string> strings = ZoneSnippetStrings(dir + "/" + selector + ".txt");
    ASSERT_GE(strings.size(), 2u);
    MemoryDns dns;
    dns.AddTxt(selector + "._domainkey.example.com", strings);
    std::string private_path = dir + "/" + selector + ".private";
    DkimKeyCheckResult result = CheckDkimKey({"example.com", selector, private_path}, dns);
    EXPECT_EQ(result.status, c.status) << strings[0];
    EXPECT_EQ(result.key_bits, c.bits);
    EXPECT_EQ(result.signing_key, DkimSigningKeyMatch::kMatch);
    // After a rotation the old key file no longer matches the new record.
    std::string rotated = "mv " + private_path + " " + dir + "/old.private && " + tool + " -b " +
                          std::to_string(c.bits) + " -d example.com -s " + selector + " -D " + dir;
    ASSERT_EQ(std::system(rotated.c_str()), 0);
    MemoryDns rotated_dns;
    rotated_dns.AddTxt(selector + "._domainkey.example.com",
                       ZoneSnippetStrings(dir + "/" + selector + ".txt"));
    EXPECT_EQ(CheckDkimKey({"example.com", selector, dir + "/old.private"}, rotated_dns).status,
              DkimKeyStatus::kMismatch);
    EXPECT_EQ(CheckDkimKey({"example.com", selector, private_path}, rotated_dns).status, c.status);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mailrep
