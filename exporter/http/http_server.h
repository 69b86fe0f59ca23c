// HttpServer: serves HTTP and HTTPS on one or more listen addresses
// (IPv4 and IPv6), applying the WebConfig (TLS, client certificates, basic
// auth, extra headers) before a request reaches the handler.
//
// Built on libmicrohttpd (GnuTLS): keep-alive, gzip when the client asks and
// the response is compressible. Basic auth guards every path but
// Options::unauthenticated_paths (401 with WWW-Authenticate; 429 with
// Retry-After while too many password checks already run). Client
// certificates follow Go's ClientAuthType: a request whose connection lacks a
// required certificate, or whose certificate fails verification against
// client_ca_file / client_allowed_sans, gets 403 before the handler runs.
//
// Three kinds of threads, so slow work never delays a scrape:
//   - `threads` event-loop threads read every request and run the handler for
//     fast paths (everything not in slow_paths) whose credentials are absent
//     from the auth config or already verified;
//   - `slow_threads` run the handler for slow_paths (/probe, /-/reload);
//   - `auth_threads` run password checks (bcrypt) for credentials not yet
//     verified, then the handler of a fast path (or hand a slow one on).
// The connection of a request handed to the slow or auth threads is suspended
// and resumed with the answer, so it holds no event-loop thread. When every
// thread of the kind a request needs is busy, it gets 503 at once.
// Slowloris and idle sockets are bounded by a per-client-IP connection cap, an
// overall cap, and absolute deadlines for reading a request.
// Request bodies are read and dropped, except on Options::body_paths, whose
// handler gets the body whole (HttpRequest::body); either way at most
// max_request_body_bytes.
//
// Thread-safe. Stop() (or the destructor) cancels in-flight handlers through
// HttpRequest::stop, waits for them, and closes the listeners.
#ifndef MAILREP_EXPORTER_HTTP_HTTP_SERVER_H_
#define MAILREP_EXPORTER_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <memory>
#include <set>
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
    // Event-loop threads (per listen address): read requests, serve fast paths.
    int threads = 4;
    // Paths whose handler may block; they run on `slow_threads` threads
    // shared by all listen addresses. A slow request that finds them all busy
    // gets 503 at once.
    std::set<std::string> slow_paths = {};
    int slow_threads = 8;
    // The status a slow request gets when every slow thread is busy: 503, or
    // 429 for a route whose concurrency bound is a per-client limit (uploads).
    int slow_busy_status = 503;
    // Threads for password checks of credentials not yet verified (bcrypt);
    // a request that finds them all busy gets 503 at once.
    int auth_threads = 2;
    // Paths served without basic auth.
    std::set<std::string> unauthenticated_paths = {"/-/healthy"};
    // Open connections accepted per listen address; more are refused.
    int max_connections = 256;
    // Open connections per client IP address and listen address; more are
    // refused. 0 = no per-client limit.
    int max_connections_per_ip = 32;
    // A new connection must deliver a complete request (TLS handshake,
    // header and body) within this many seconds, or it is closed.
    int request_read_timeout_seconds = 10;
    // After a response, the next request on the connection must be complete
    // within this many seconds, or the connection is closed.
    int connection_timeout_seconds = 30;
    // Request bodies above this many bytes get 413 when Content-Length
    // declares them, else the connection is closed once the body passes it.
    size_t max_request_body_bytes = 64 * 1024;
    // Paths whose request body is kept and handed to the handler
    // (HttpRequest::body); every other path's body is read and discarded.
    std::set<std::string> body_paths = {};
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
