// HttpFetchRequest and HttpFetchResponse: the words of an outgoing HTTP(S)
// request made through an HttpFetcher (http_fetcher.h). Plain values; copy
// them freely. (The exporter's own server speaks exporter/http/http_types.h.)
//
// Safe defaults: HTTPS only, the certificate checked against the system's CAs
// (or `ca_file`) and the URL's host name, redirects not followed, responses
// capped at 1 MiB.
#ifndef MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCH_TYPES_H_
#define MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCH_TYPES_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

enum class HttpMethod { kGet, kPost };
// "GET", "POST".
std::string_view HttpMethodName(HttpMethod method);

// {name, value}; names compare case-blind (HttpHeaderValue).
using HttpHeader = std::pair<std::string, std::string>;

struct HttpFetchRequest {
  HttpMethod method = HttpMethod::kGet;
  // Absolute http:// or https:// URL.
  std::string url;
  // Sent as given ("Authorization", "Content-Type", "User-Agent", ...); a
  // name or value with CR or LF is refused. Default User-Agent:
  // "mailrep_exporter".
  std::vector<HttpHeader> headers;
  // The POST body; must be empty for GET.
  std::string body;

  // The fetch returns by `deadline` (steady clock) and promptly once `stop`
  // is requested.
  SteadyTime deadline;
  std::stop_token stop;
  // At most this long for the TCP and TLS handshakes (also within deadline).
  std::chrono::milliseconds connect_timeout{10000};

  // A longer body is an error (ResourceExhausted), never a truncated body.
  size_t max_response_bytes = 1024 * 1024;
  // Follow 3xx Location headers (at most 5; to http:// only with
  // allow_plain_http). When false (the default) a 3xx comes back as the
  // response.
  bool follow_redirects = false;
  // Also allow http:// URLs. Off: only https:// is fetched.
  bool allow_plain_http = false;
  // PEM bundle of trusted CAs; "" = the system store. The peer certificate
  // and the host name are always checked.
  std::string ca_file;

  // The addresses of the URL's host as the exporter's own resolver found
  // them: the fetch connects to these and asks no DNS server (libcurl's
  // CURLOPT_RESOLVE). The URL, Host header, SNI and certificate name check
  // still use the URL's name. Empty: the system resolves the name. Not with
  // follow_redirects (a redirect to another host would be resolved anyway).
  std::vector<IpAddress> addresses;
  // Test-only: connect to this port instead of the URL's (0 = the URL's);
  // with `addresses`, to those addresses.
  uint16_t connect_port = 0;
};

struct HttpFetchResponse {
  long status = 0;           // 200, 301, 404, ...
  std::string content_type;  // as sent, "" when absent
  // The final response's header fields in order (after redirects followed).
  std::vector<HttpHeader> headers;
  std::string body;
};

// The value of the first header named `name` (case-blind), if any.
std::optional<std::string_view> HttpHeaderValue(const std::vector<HttpHeader>& headers,
                                                std::string_view name);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCH_TYPES_H_
