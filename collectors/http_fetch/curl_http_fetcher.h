// The real HttpFetcher, on libcurl: one easy handle per request, driven by a
// private multi handle so a requested stop wakes the transfer at once
// (curl_multi_wakeup) instead of at libcurl's next progress tick. HTTPS peers
// are always verified (PKIX chain and host name); the request chooses the CA
// bundle, schemes, redirects, size cap and pinned addresses
// (http_fetch_types.h). Proxies come from the usual environment variables.
//
// Thread-safe; requests share nothing, so they run fully concurrently. Make
// one per process (the exporter and `check` do) and share it.
#ifndef MAILREP_COLLECTORS_HTTP_FETCH_CURL_HTTP_FETCHER_H_
#define MAILREP_COLLECTORS_HTTP_FETCH_CURL_HTTP_FETCHER_H_

#include <memory>
#include <string>

#include "collectors/http_fetch/http_fetcher.h"
#include "exporter/core/clock.h"

namespace mailrep {

struct CurlHttpFetcherOptions {
  // Reads the time left before a request's deadline. libcurl itself runs on
  // the real clock, so a fake one only shifts where "now" is.
  std::shared_ptr<const Clock> clock = Clock::Real();
  // Sent unless the request has its own User-Agent header.
  std::string user_agent = "mailrep_exporter";
};

std::shared_ptr<HttpFetcher> NewCurlHttpFetcher(CurlHttpFetcherOptions options = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HTTP_FETCH_CURL_HTTP_FETCHER_H_
