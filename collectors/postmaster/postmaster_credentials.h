// OAuth 2.0 client credentials for the Postmaster Tools API, read from files,
// and SecretRedactor, which keeps them (and the access tokens made from them)
// out of every log line, error and output.
//
// Two ways to give them (collectors.postmaster and `check postmaster`):
//   credentials_file    one JSON object in Google's "authorized_user" format
//                       (what `gcloud auth application-default login` writes):
//                       {"type": "authorized_user", "client_id": ...,
//                        "client_secret": ..., "refresh_token": ...};
//                       other members are ignored; `type`, when present,
//                       must be "authorized_user".
//   client_id + client_secret_file + refresh_token_file
//                       the id in the config (it is not a secret), the
//                       secret and the refresh token alone in their files
//                       (surrounding blanks and a final newline trimmed).
// Files are read whole (at most 64 KiB) on every Read(), so a renewed refresh
// token needs no reload. Errors name the file, never its contents.
//
// Value types; SecretRedactor is not synchronized (one owner at a time).
#ifndef MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CREDENTIALS_H_
#define MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CREDENTIALS_H_

#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct PostmasterCredentialSource {
  std::string credentials_file;
  std::string client_id;
  std::string client_secret_file;
  std::string refresh_token_file;

  bool empty() const {
    return credentials_file.empty() && client_secret_file.empty() && refresh_token_file.empty();
  }
};

struct PostmasterCredentials {
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;

  // InvalidArgument when the source names neither form (or both), a file is
  // unreadable, not the documented JSON, or a value is empty, over 4 KiB or
  // has control characters.
  static StatusOr<PostmasterCredentials> Read(const PostmasterCredentialSource& source);
};

class SecretRedactor {
 public:
  // Hides `secret` (and its form-encoded spelling) from now on; pieces under
  // 6 bytes are ignored (they would hide ordinary words).
  void Add(std::string_view secret);
  // Forgets every secret added.
  void Clear() { secrets_.clear(); }
  // `text` with every secret replaced by "<redacted>".
  std::string Redact(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;  // longest first
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CREDENTIALS_H_
