// MtaStsFetcher: gets a domain's MTA-STS policy file over HTTPS, the way RFC
// 8461 §3.3 says senders must: https://mta-sts.<domain>/.well-known/mta-sts.txt,
// a PKIX-valid certificate for that name, HTTP 200 only, redirects not
// followed, media type text/plain, a size cap. The check code takes the
// interface so it is tested without network. NewMtaStsFetcher applies those
// rules over the process's HttpFetcher (collectors/http_fetch/), which moves
// the bytes.
#ifndef MAILREP_COLLECTORS_AUTH_MTA_STS_FETCHER_H_
#define MAILREP_COLLECTORS_AUTH_MTA_STS_FETCHER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/http_fetch/http_fetcher.h"
#include "exporter/core/clock.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

// "https://mta-sts.<domain>/.well-known/mta-sts.txt" (domain normalized).
std::string MtaStsPolicyUrl(std::string_view domain);

struct MtaStsFetchResult {
  bool ok = false;  // a 200 text/plain body within the size cap arrived
  std::string url;
  long http_status = 0;      // 0 when no HTTP response was read
  std::string content_type;  // as sent, "" when absent
  std::string body;          // only when ok
  std::string error;         // why not ok: TLS/connect error, "redirect (301) not followed", ...
};

class MtaStsFetcher {
 public:
  virtual ~MtaStsFetcher() = default;
  // Fetches `domain`'s policy from `addresses`: those of mta-sts.<domain> as
  // the exporter's own resolver found them, so the fetch asks no other DNS
  // server (empty: the system resolves the name; tests only). Returns by
  // `deadline` (and promptly once `stop` is requested). Thread-safe: may run
  // concurrently for different domains.
  virtual MtaStsFetchResult Fetch(std::string_view domain, const std::vector<IpAddress>& addresses,
                                  SteadyTime deadline, std::stop_token stop) = 0;
};

struct MtaStsFetcherOptions {
  // PEM bundle of trusted CAs; "" = the system store.
  std::string ca_file;
  std::chrono::milliseconds connect_timeout{10000};
  // Per fetch, within the caller's deadline.
  std::chrono::milliseconds total_timeout{30000};
  size_t max_body_bytes = 64 * 1024;
  // Test-only: connect to this port of `addresses` instead of 443. The URL,
  // Host header, SNI and certificate name check still use the real name.
  uint16_t connect_port = 0;
  // Where total_timeout starts from.
  std::shared_ptr<const Clock> clock = Clock::Real();
};

// The RFC 8461 fetch over `http` (HTTPS only, no redirects). Thread-safe
// when `http` is (every HttpFetcher is).
std::unique_ptr<MtaStsFetcher> NewMtaStsFetcher(std::shared_ptr<HttpFetcher> http,
                                                MtaStsFetcherOptions options = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_MTA_STS_FETCHER_H_
