// LoopbackHttpServer: a test-only HTTP or HTTPS server (libmicrohttpd) on
// 127.0.0.1 and a port of the kernel's choice, answering each path with a
// programmed reply, and counting what it got. For tests of code that fetches
// through the real libcurl fetcher.
//
// Thread-safe: routes may change while requests run; each connection has its
// own thread, so a slow reply delays no other request. Stop() (or the
// destructor) ends slow replies at once.
#ifndef MAILREP_COLLECTORS_HTTP_FETCH_LOOPBACK_HTTP_SERVER_TESTING_H_
#define MAILREP_COLLECTORS_HTTP_FETCH_LOOPBACK_HTTP_SERVER_TESTING_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/util/status.h"

struct MHD_Daemon;
struct MHD_Connection;

namespace mailrep::testing {

struct LoopbackRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
};

struct LoopbackReply {
  int status = 200;
  std::string content_type = "text/plain";  // "" = no Content-Type
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool chunked = false;  // no Content-Length: the body goes in chunks
  // Wait this long before answering (ended early by Stop()).
  std::chrono::milliseconds delay{0};
};

class LoopbackHttpServer {
 public:
  using Handler = std::function<LoopbackReply(const LoopbackRequest&)>;

  // Plain HTTP when `cert_pem` is empty, else HTTPS with that certificate
  // chain and key (PEM text). Unknown paths get 404.
  static StatusOr<std::unique_ptr<LoopbackHttpServer>> Start(std::string cert_pem = "",
                                                             std::string key_pem = "");
  // HTTPS with server.pem/server.key of `certificate_dir`, a directory made by
  // testing::MakeCertificates (exporter/http/http_test_support.h).
  static StatusOr<std::unique_ptr<LoopbackHttpServer>> StartHttps(
      const std::string& certificate_dir);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  void Route(const std::string& path, Handler handler);
  void Route(const std::string& path, LoopbackReply reply);
  // Requests seen so far on `path` (every method), and the latest of them.
  int hits(const std::string& path) const;
  LoopbackRequest last(const std::string& path) const;
  void Stop();

 private:
  struct Callbacks;  // libmicrohttpd's entry points (the .cc)
  LoopbackHttpServer() = default;
  LoopbackReply Dispatch(const LoopbackRequest& request);

  std::string cert_pem_, key_pem_;  // MHD reads them while it runs
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
  mutable std::mutex mu_;  // guards the members below
  std::condition_variable stopped_cv_;
  bool stopped_ = false;
  std::map<std::string, Handler> routes_;
  std::map<std::string, int> hits_;
  std::map<std::string, LoopbackRequest> last_;
};

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_HTTP_FETCH_LOOPBACK_HTTP_SERVER_TESTING_H_
