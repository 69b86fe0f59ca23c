// FakeHttpFetcher: an HttpFetcher for tests. Answers from programmed
// responses keyed by method and URL, and records every request it got.
// Thread-safe, like the real one.
//
//   auto http = std::make_shared<FakeHttpFetcher>();
//   http->Respond("https://example.com/a", FakeHttpFetcher::Ok("body", "text/plain"));
//   ... code under test calls http->Fetch(...) ...
//   EXPECT_EQ(http->requests().at(0).url, "https://example.com/a");
#ifndef MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCHER_TESTING_H_
#define MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCHER_TESTING_H_

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "collectors/http_fetch/http_fetcher.h"

namespace mailrep {

class FakeHttpFetcher : public HttpFetcher {
 public:
  // A response with `status`, `body` and `content_type` (also listed as the
  // Content-Type header when not empty).
  static HttpFetchResponse Ok(std::string body, std::string content_type = "text/plain",
                              long status = 200) {
    HttpFetchResponse response;
    response.status = status;
    response.content_type = content_type;
    if (!content_type.empty()) response.headers.emplace_back("Content-Type", content_type);
    response.body = std::move(body);
    return response;
  }

  // From now on, `method` `url` gets `answer` (a response or an error);
  // the latest call for a method and URL wins.
  void Respond(std::string url, StatusOr<HttpFetchResponse> answer,
               HttpMethod method = HttpMethod::kGet) {
    std::lock_guard lock(mu_);
    answers_.insert_or_assign({method, std::move(url)}, std::move(answer));
  }

  // Records `request`. A stop already requested is Cancelled("cancelled");
  // an unprogrammed method and URL is Unavailable (as a refused connection
  // would be); a body over request.max_response_bytes is ResourceExhausted.
  StatusOr<HttpFetchResponse> Fetch(const HttpFetchRequest& request) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (request.stop.stop_requested()) return Status::Cancelled("cancelled");
    auto it = answers_.find({request.method, request.url});
    if (it == answers_.end()) {
      return Status::Unavailable("no response programmed for " +
                                 std::string(HttpMethodName(request.method)) + " " + request.url);
    }
    if (it->second.ok() && it->second->body.size() > request.max_response_bytes) {
      return Status::ResourceExhausted("response larger than " +
                                       std::to_string(request.max_response_bytes) + " bytes");
    }
    return it->second;
  }

  // Every request so far, oldest first.
  std::vector<HttpFetchRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;  // guards the members below
  std::map<std::pair<HttpMethod, std::string>, StatusOr<HttpFetchResponse>> answers_;
  std::vector<HttpFetchRequest> requests_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCHER_TESTING_H_
