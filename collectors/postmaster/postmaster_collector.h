// The postmaster collector (off by default): Gmail's view of each configured
// sending domain from the Google Postmaster Tools API v2 (postmaster_client.h):
// spam rate, SPF/DKIM/DMARC success rates, TLS rates, delivery-error rates by
// type and reason, all for the newest day Google has data for (it lags one to
// two days), and the 11-row sender compliance status.
//
// Options (collectors.postmaster):
//   credentials_file, or client_id + client_secret_file + refresh_token_file
//                    (postmaster_credentials.h); read on every token refresh.
//   domains          the domains to ask about (default: every
//                    senders[].domains); never taken from a response.
//   token_url        (default https://oauth2.googleapis.com/token) and
//   api_url          (default https://gmailpostmastertools.googleapis.com/):
//                    https:// only.
//   lookback_days    days before today asked for (default 7, 1..30).
//   ca_file, fetch_timeout (30s), max_response_bytes (4 MiB).
//
// A failed request keeps the domain's last good data of that request
// (statistics or compliance), counts the reason and logs it with every secret
// redacted; the run itself succeeds. The last good data and the counters are
// handed over on a reload (AdoptState); the access token is not.
//
// Collect() runs on the scheduler's thread; nothing is shared with probes.
#ifndef MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_COLLECTOR_H_
#define MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_COLLECTOR_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/postmaster/postmaster_client.h"
#include "exporter/core/collector.h"

namespace mailrep {

// The two requests made per domain (the `request` label).
enum class PostmasterRequest { kDomainStats, kComplianceStatus };
inline constexpr PostmasterRequest kAllPostmasterRequests[] = {
    PostmasterRequest::kDomainStats, PostmasterRequest::kComplianceStatus};
// "domain_stats", "compliance_status".
std::string_view PostmasterRequestName(PostmasterRequest request);

struct PostmasterCollectorOptions {
  PostmasterClientOptions client;  // paths with the root prefix already added
  std::vector<std::string> domains;
};

class PostmasterCollector : public Collector {
 public:
  PostmasterCollector(PostmasterCollectorOptions options, std::shared_ptr<HttpFetcher> http,
                      std::shared_ptr<const Clock> clock);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  void AdoptState(Collector& previous) override;

 private:
  struct RequestState {
    PostmasterFetchReason last = PostmasterFetchReason::kOk;
    bool tried = false;
    int64_t success_time = 0;  // Unix seconds of the last good answer, 0 never
    std::map<PostmasterFetchReason, uint64_t> errors;
    uint64_t skipped = 0;
  };
  struct DomainState {
    std::optional<PostmasterStatsResult> stats;            // last good
    std::optional<PostmasterComplianceResult> compliance;  // last good
    RequestState requests[2];
  };
  void Record(const std::string& domain, PostmasterRequest request,
              const PostmasterFailure& failure, size_t skipped, int64_t now);

  const PostmasterCollectorOptions options_;
  const std::shared_ptr<const Clock> clock_;
  std::unique_ptr<PostmasterClient> client_;
  std::map<std::string, DomainState> domains_;
  uint64_t token_refreshes_base_ = 0, token_failures_base_ = 0;  // from earlier instances
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec PostmasterCollectorSpec();

StatusOr<std::unique_ptr<Collector>> NewPostmasterCollector(const CollectorEnv& env,
                                                            ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_COLLECTOR_H_
