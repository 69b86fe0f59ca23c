// HttpFetcher: the process's one way to make outgoing HTTP(S) requests
// (MTA-STS policies, receivers' report downloads and APIs). Collectors get it
// from CollectorEnv::http and check commands from CheckCommandContext::http;
// none makes its own. The real one is libcurl's (curl_http_fetcher.h); tests
// use FakeHttpFetcher (http_fetcher_testing.h).
//
// Protocol rules of a caller (which statuses count, content types, URL form)
// stay with the caller; the fetcher only moves bytes under the request's
// limits (http_fetch_types.h).
//
// Thread-safe: Fetch may run concurrently from any number of threads.
//
//   HttpFetchRequest request;
//   request.url = "https://example.com/data.csv";
//   request.deadline = ctx.deadline;
//   request.stop = ctx.stop;
//   StatusOr<HttpFetchResponse> response = env.http->Fetch(request);
#ifndef MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCHER_H_
#define MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCHER_H_

#include "collectors/http_fetch/http_fetch_types.h"
#include "exporter/util/status.h"

namespace mailrep {

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;

  // Makes `request` and returns the complete response, whatever its status
  // (a 404 or an unfollowed 301 is a response). Returns by request.deadline.
  // Errors, when no complete response arrived (messages say what happened,
  // e.g. libcurl's "SSL peer certificate or SSH remote key was not OK: ..."):
  //   InvalidArgument    the request is malformed (URL, scheme, headers)
  //   DeadlineExceeded   the deadline passed (or had passed before the start)
  //   Cancelled          request.stop was requested ("cancelled")
  //   ResourceExhausted  the body exceeds request.max_response_bytes
  //   Unavailable        DNS, connection, TLS or protocol failure
  virtual StatusOr<HttpFetchResponse> Fetch(const HttpFetchRequest& request) = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HTTP_FETCH_HTTP_FETCHER_H_
