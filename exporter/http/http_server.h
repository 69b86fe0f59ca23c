// HttpServer: serves HTTP and HTTPS on one or more listen addresses
// (IPv4 and IPv6), applying the WebConfig (TLS, client certificates, basic
// auth, extra headers) before a request reaches the handler.
//
// Built on libmicrohttpd (GnuTLS) with a pool of worker threads: keep-alive,
// gzip when the client asks and the response is compressible. Basic auth
// guards every path but /-/healthy (401 with WWW-Authenticate; 429 with
// Retry-After while too many password checks already run). Client
// certificates follow Go's ClientAuthType: a request whose connection lacks a
// required certificate, or whose certificate fails verification against
// client_ca_file / client_allowed_sans, gets 403 before the handler runs.
// Thread-safe; Stop() (or the destructor) closes the listeners and waits for
// in-flight requests.
#ifndef MAILREP_EXPORTER_HTTP_HTTP_SERVER_H_
#define MAILREP_EXPORTER_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "exporter/http/http_types.h"
#include "exporter/http/web_config.h"
#include "exporter/util/status.h"

namespace mailrep {

class HttpServer {
 public:
  struct Options {
    // "host:port", ":port" (all addresses, dual-stack), "[::1]:port";
    // port 0 picks a free port.
    std::vector<std::string> listen_addresses;
    int threads = 4;
    // Open connections accepted per listen address; more are refused.
    int max_connections = 256;
    // An idle (keep-alive) connection is closed after this many seconds.
    int connection_timeout_seconds = 30;
    // Request bodies above this many bytes get 413 (bodies are discarded).
    size_t max_request_body_bytes = 64 * 1024;
  };

  // Binds every address or fails naming the one that failed.
  static StatusOr<std::unique_ptr<HttpServer>> Start(const Options& options,
                                                     const WebConfig& web_config,
                                                     HttpHandler handler);
  virtual ~HttpServer() = default;

  // "127.0.0.1:43121", "[::1]:43122": one per listen address, ports resolved.
  virtual std::vector<std::string> BoundAddresses() const = 0;
  // Replaces basic-auth users and headers for new requests. TLS settings and
  // certificate files are applied only at Start(): when `web_config` asks for
  // different TLS (settings, or rewritten cert/key/CA files) nothing changes
  // and InvalidArgument names what changed. Thread-safe.
  virtual Status UpdateWebConfig(const WebConfig& web_config) = 0;
  virtual void Stop() = 0;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_HTTP_SERVER_H_
