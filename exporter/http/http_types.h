// Plain request/response values passed between the HTTP server and the
// exporter's route handlers. No I/O here.
#ifndef MAILREP_EXPORTER_HTTP_HTTP_TYPES_H_
#define MAILREP_EXPORTER_HTTP_HTTP_TYPES_H_

#include <functional>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "exporter/util/gzip_parts.h"

namespace mailrep {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string, e.g. "/probe"
  // Query parameters, URL-decoded; for a repeated name the first value.
  std::map<std::string, std::string> query;
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string remote_address;  // "127.0.0.1:53422", "[::1]:40012"
  // The request body, for paths in HttpServer::Options::body_paths only
  // (at most max_request_body_bytes); "" for every other path.
  std::string body = {};
  // Requested when the server stops: a handler that may block watches it.
  std::stop_token stop = {};

  // Returns the query value or "" when absent.
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // The server may gzip the body when the client sends Accept-Encoding: gzip.
  bool compressible = false;
  // Optional: text that follows `body` in the response, usually shared and
  // compressed in advance (/metrics: the collectors' snapshots). The response
  // is body + tail->text; a gzip response deflates only `body` and joins it
  // with tail->deflated (exporter/util/gzip_parts.h), or, when the tail has
  // no deflated form, compresses the whole text.
  std::shared_ptr<const PrecompressedText> tail;

  // The whole plain response text, body + tail (for callers that read it whole).
  std::string PlainText() const { return tail ? body + tail->text : body; }

  // Moves the tail's text into `body` (for callers that read `body` whole).
  void InlineTail() {
    if (tail) body += tail->text;
    tail.reset();
  }

  static HttpResponse Text(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
};

// Route handler. Called concurrently from the server's threads, so it must be
// thread-safe. It never sees a request that failed authentication.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_HTTP_TYPES_H_
