#include "collectors/auth/dkim_check.h"

namespace mailrep {
namespace {

// True when the base64 text (whitespace ignored) is not a multiple of 4 long.
bool Base64Unpadded(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (c != ' ' && c != '\t' && c != '\r' && c != '\n');
  return n % 4 != 0;
}

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string JoinTexts(const DnsRecord& record) {
  std::string text;
  for (const std::string& part : record.texts) text += part;
  return text;
}

DkimKeyCheckResult Finish(DkimKeyCheckResult result, DkimKeyStatus status, std::string detail) {
  result.status = status;
  if (!detail.empty()) result.details.insert(result.details.begin(), std::move(detail));
  return result;
}

}  // namespace

std::string_view DkimKeyStatusName(DkimKeyStatus status) {
  switch (status) {
    case DkimKeyStatus::kValid:
      return "valid";
    case DkimKeyStatus::kMissing:
      return "missing";
    case DkimKeyStatus::kRevoked:
      return "revoked";
    case DkimKeyStatus::kWeak:
      return "weak";
    case DkimKeyStatus::kInvalid:
      return "invalid";
    case DkimKeyStatus::kMismatch:
      return "mismatch";
    case DkimKeyStatus::kDnsError:
      return "dns_error";
  }
  return "unknown";
}

std::string_view DkimSigningKeyMatchName(DkimSigningKeyMatch match) {
  switch (match) {
    case DkimSigningKeyMatch::kNotChecked:
      return "not_checked";
    case DkimSigningKeyMatch::kMatch:
      return "match";
    case DkimSigningKeyMatch::kMismatch:
      return "mismatch";
    case DkimSigningKeyMatch::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

std::string DkimKeyName(std::string_view selector, std::string_view domain) {
  return NormalizeDnsName(std::string(selector) + "._domainkey." + NormalizeDnsName(domain));
}

Status ValidateDkimSelector(std::string_view selector) {
  if (selector.empty()) return Status::InvalidArgument("DKIM selector is empty");
  if (selector.size() > 200) return Status::InvalidArgument("DKIM selector is too long");
  size_t label = 0;
  for (char c : selector) {
    if (c == '.') {
      if (label == 0) return Status::InvalidArgument("DKIM selector has an empty label");
      label = 0;
    } else if (!IsLabelChar(c)) {
      return Status::InvalidArgument("DKIM selector '" + std::string(selector) +
                                     "' holds a byte that is not a letter, digit, '-' or '_'");
    } else if (++label > 63) {
      return Status::InvalidArgument("DKIM selector label longer than 63 bytes");
    }
  }
  if (label == 0) return Status::InvalidArgument("DKIM selector ends with '.'");
  return Status::OK();
}

DkimKeyCheckResult EvaluateDkimKey(std::string_view record_name, const DnsAnswer& answer,
                                   const StatusOr<DkimPublicKey>* signing_key) {
  DkimKeyCheckResult result;
  result.record_name = std::string(record_name);
  result.dns_outcome = answer.outcome;
  switch (answer.outcome) {
    case DnsOutcome::kData:
      break;
    case DnsOutcome::kNxDomain:
    case DnsOutcome::kNoData:
      return Finish(std::move(result), DkimKeyStatus::kMissing,
                    std::string("no TXT record at ") + result.record_name + " (" +
                        std::string(DnsOutcomeName(answer.outcome)) + ")");
    default:
      return Finish(std::move(result), DkimKeyStatus::kDnsError,
                    "DNS lookup failed: " + std::string(DnsOutcomeName(answer.outcome)) +
                        (answer.error.empty() ? "" : " (" + answer.error + ")"));
  }
  for (const DnsRecord& record : answer.records)
    result.txt_records += record.type == RecordType::kTxt;
  if (result.txt_records == 0) {
    return Finish(std::move(result), DkimKeyStatus::kMissing, "no TXT record in the answer");
  }
  for (const DnsRecord& record : answer.records) {
    if (record.type == RecordType::kTxt) {
      result.record_text = JoinTexts(record);
      break;
    }
  }
  if (result.txt_records > 1) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid,
                  std::to_string(result.txt_records) +
                      " TXT records at the selector; verifiers may pick any of them");
  }
  StatusOr<DkimKeyRecord> parsed = ParseDkimKeyRecord(result.record_text);
  if (!parsed.ok()) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid,
                  "record syntax: " + parsed.status().message());
  }
  const DkimKeyRecord& record = *parsed;
  result.record = record;
  result.key_type = record.key_type;
  result.testing = record.testing();
  result.strict_identity = record.strict_identity();
  if (result.testing) result.details.push_back("t=y: testing mode left on");
  if (!record.has_version) result.details.push_back("no v=DKIM1 tag (optional, but expected)");
  if (record.revoked()) {
    return Finish(std::move(result), DkimKeyStatus::kRevoked, "p= is empty: the key is revoked");
  }
  if (record.key_type == DkimKeyType::kUnknown) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid,
                  "unknown key type k=" + record.key_type_text);
  }
  if (!record.allows_sha256()) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid,
                  "h= does not allow sha256 (sha1 is forbidden by RFC 8301)");
  }
  if (!record.for_email()) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid,
                  "s= does not include email or *: the key is not for mail");
  }
  StatusOr<std::string> bytes = DecodeDkimBase64(record.public_key_base64);
  if (!bytes.ok()) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid, "p=: " + bytes.status().message());
  }
  StatusOr<DkimPublicKey> key = ParseDkimPublicKey(record.key_type, *bytes);
  if (!key.ok()) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid, "p=: " + key.status().message());
  }
  result.key_bits = key->bits;
  if (Base64Unpadded(record.public_key_base64)) {
    result.details.push_back(
        "p= lacks base64 '=' padding: RFC 6376's grammar allows it, but verifiers with strict "
        "decoders (dkimpy) reject the key");
  }
  if (key->type == DkimKeyType::kRsa && key->bits > 4096) {
    result.details.push_back("RSA key over 4096 bits: some verifiers reject it");
  }
  if (key->type == DkimKeyType::kRsa && key->bits < 1024) {
    return Finish(std::move(result), DkimKeyStatus::kInvalid,
                  "RSA key of " + std::to_string(key->bits) + " bits (< 1024 is rejected)");
  }
  if (signing_key != nullptr) {
    if (!signing_key->ok()) {
      result.signing_key = DkimSigningKeyMatch::kUnreadable;
      result.details.push_back("signing key: " + signing_key->status().message());
    } else if (**signing_key == *key) {
      result.signing_key = DkimSigningKeyMatch::kMatch;
    } else {
      result.signing_key = DkimSigningKeyMatch::kMismatch;
      return Finish(std::move(result), DkimKeyStatus::kMismatch,
                    "published key does not match the signing key (" +
                        std::string(DkimKeyTypeName((*signing_key)->type)) + ", " +
                        std::to_string((*signing_key)->bits) + " bits)");
    }
  }
  if (key->type == DkimKeyType::kRsa && key->bits < 2048) {
    return Finish(std::move(result), DkimKeyStatus::kWeak,
                  "RSA key of " + std::to_string(key->bits) + " bits is weak (< 2048)");
  }
  return Finish(std::move(result), DkimKeyStatus::kValid, "");
}

DkimKeyCheckResult CheckDkimKey(const DkimKeyCheckRequest& request, DnsLookup& dns) {
  std::string name = DkimKeyName(request.selector, request.domain);
  DnsAnswer answer = dns.Lookup(name, RecordType::kTxt);
  if (request.signing_key_path.empty()) return EvaluateDkimKey(name, answer, nullptr);
  StatusOr<DkimPublicKey> signing_key = LoadDkimSigningKey(request.signing_key_path);
  return EvaluateDkimKey(name, answer, &signing_key);
}

bool DkimCheckPassed(const DkimKeyCheckResult& r) {
  return r.status == DkimKeyStatus::kValid && r.signing_key != DkimSigningKeyMatch::kMismatch &&
         r.signing_key != DkimSigningKeyMatch::kUnreadable;
}

}  // namespace mailrep
