#include "collectors/postmaster/postmaster_credentials.h"

#include <algorithm>

#include "collectors/http_fetch/form_body.h"
#include "collectors/reports/json_value.h"
#include "exporter/util/read_file.h"
#include "exporter/util/redact.h"

namespace mailrep {
namespace {

constexpr size_t kMaxFileBytes = 64 * 1024;
constexpr size_t kMaxValueBytes = 4096;

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

Status CheckValue(std::string_view value, const std::string& where, std::string_view what) {
  if (value.empty()) return Status::InvalidArgument(where + ": no " + std::string(what));
  if (value.size() > kMaxValueBytes) {
    return Status::InvalidArgument(where + ": the " + std::string(what) + " is over 4 KiB");
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return Status::InvalidArgument(where + ": the " + std::string(what) +
                                     " has control characters");
    }
  }
  return Status::OK();
}

StatusOr<std::string> ReadSecretFile(const std::string& path, std::string_view what) {
  StatusOr<std::string> text = ReadFileCapped(path, kMaxFileBytes);
  if (!text.ok()) return text.status();
  std::string value(Trim(*text));
  if (Status s = CheckValue(value, path, what); !s.ok()) return s;
  return value;
}

StatusOr<PostmasterCredentials> ReadJsonFile(const std::string& path) {
  StatusOr<std::string> text = ReadFileCapped(path, kMaxFileBytes);
  if (!text.ok()) return text.status();
  JsonLimits limits;
  limits.max_depth = 4;
  limits.max_values = 1000;
  StatusOr<JsonValue> json = ParseJson(*text, limits);
  // The parser's message gives a byte offset, never the text.
  if (!json.ok())
    return Status::InvalidArgument(path + ": not JSON (" + json.status().message() + ")");
  if (!json->is_object()) return Status::InvalidArgument(path + ": not a JSON object");
  if (const JsonValue* type = json->Find("type");
      type != nullptr && !(type->is_string() && type->string == "authorized_user")) {
    return Status::InvalidArgument(path + ": \"type\" is not \"authorized_user\"");
  }
  PostmasterCredentials c;
  std::string* fields[] = {&c.client_id, &c.client_secret, &c.refresh_token};
  const char* names[] = {"client_id", "client_secret", "refresh_token"};
  for (int i = 0; i < 3; ++i) {
    std::optional<std::string_view> v = json->StringAt(names[i]);
    if (!v) return Status::InvalidArgument(path + ": no string \"" + names[i] + "\"");
    if (Status s = CheckValue(*v, path, names[i]); !s.ok()) return s;
    *fields[i] = std::string(*v);
  }
  return c;
}

}  // namespace

StatusOr<PostmasterCredentials> PostmasterCredentials::Read(
    const PostmasterCredentialSource& source) {
  bool split = !source.client_secret_file.empty() || !source.refresh_token_file.empty();
  if (!source.credentials_file.empty() && split) {
    return Status::InvalidArgument(
        "give credentials_file or client_secret_file and refresh_token_file, not both");
  }
  if (!source.credentials_file.empty()) return ReadJsonFile(source.credentials_file);
  if (source.client_secret_file.empty() || source.refresh_token_file.empty() ||
      source.client_id.empty()) {
    return Status::InvalidArgument(
        "no credentials: give credentials_file, or client_id, client_secret_file and "
        "refresh_token_file");
  }
  PostmasterCredentials c;
  if (Status s = CheckValue(source.client_id, "client_id", "client id"); !s.ok()) return s;
  c.client_id = source.client_id;
  StatusOr<std::string> secret = ReadSecretFile(source.client_secret_file, "client secret");
  if (!secret.ok()) return secret.status();
  c.client_secret = std::move(*secret);
  StatusOr<std::string> token = ReadSecretFile(source.refresh_token_file, "refresh token");
  if (!token.ok()) return token.status();
  c.refresh_token = std::move(*token);
  return c;
}

void SecretRedactor::Add(std::string_view secret) {
  if (secret.size() < 6) return;
  for (std::string s : {std::string(secret), FormUrlEncode(secret)}) {
    if (std::find(secrets_.begin(), secrets_.end(), s) == secrets_.end()) {
      secrets_.push_back(std::move(s));
    }
  }
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string SecretRedactor::Redact(std::string_view text) const {
  return RedactSecrets(text, secrets_);
}

}  // namespace mailrep
