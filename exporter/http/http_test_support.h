// Test-only helpers for the http tests: a libcurl client, certificates made
// with the openssl CLI and bcrypt hashes.
#ifndef MAILREP_EXPORTER_HTTP_HTTP_TEST_SUPPORT_H_
#define MAILREP_EXPORTER_HTTP_HTTP_TEST_SUPPORT_H_

#include <map>
#include <string>
#include <vector>

namespace mailrep::testing {

struct FetchOptions {
  std::string method = "GET";
  std::vector<std::string> headers;  // "Name: value"
  std::string user, password;        // basic auth when user is not empty
  std::string accept_encoding;       // CURLOPT_ACCEPT_ENCODING (decodes); "" = off
  std::string body;                  // sent for POST
  std::string ca_file;               // HTTPS trust
  std::string cert_file, key_file;   // client certificate
  std::string tls_max;               // "1.2" caps the client's TLS version
};

struct FetchResult {
  int curl_code = 0;  // CURLE_OK == 0
  std::string error;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
  long new_connections = 0;                    // CURLINFO_NUM_CONNECTS
};

// One client, so consecutive Fetch calls may reuse a keep-alive connection.
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  FetchResult Fetch(const std::string& url, const FetchOptions& options = {});

 private:
  void* curl_;
};

// Certificates in `dir`: ca.pem/ca.key (a CA), server.pem/server.key (signed
// by the CA, SANs localhost, 127.0.0.1, ::1), client.pem/client.key (signed by
// the CA, SAN DNS:client.example, clientAuth), rogue.pem/rogue.key
// (self-signed client), self.pem/self.key (self-signed server). Returns false
// when the openssl CLI fails.
bool MakeCertificates(const std::string& dir);

// bcrypt hash of `password` at `cost` (4 keeps unit tests fast; a web config
// file needs 10..12).
std::string BcryptHash(const std::string& password, int cost = 4);

}  // namespace mailrep::testing

#endif  // MAILREP_EXPORTER_HTTP_HTTP_TEST_SUPPORT_H_
