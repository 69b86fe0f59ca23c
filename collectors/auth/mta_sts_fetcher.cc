#include "collectors/auth/mta_sts_fetcher.h"

#include <algorithm>
#include <utility>

#include "collectors/dns/dns_types.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

// "text/plain", "Text/Plain; charset=utf-8" yes; "text/html", "" no.
bool IsTextPlain(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return EqualsIgnoreCase(media, "text/plain");
}

class HttpMtaStsFetcher : public MtaStsFetcher {
 public:
  HttpMtaStsFetcher(std::shared_ptr<HttpFetcher> http, MtaStsFetcherOptions options)
      : http_(std::move(http)), options_(std::move(options)) {}

  MtaStsFetchResult Fetch(std::string_view domain, const std::vector<IpAddress>& addresses,
                          SteadyTime deadline, std::stop_token stop) override {
    MtaStsFetchResult result;
    result.url = MtaStsPolicyUrl(domain);
    HttpFetchRequest request;
    request.url = result.url;
    request.headers = {{"User-Agent", "mailrep_exporter (MTA-STS check)"}};
    request.deadline = std::min(deadline, options_.clock->SteadyNow() + options_.total_timeout);
    request.stop = std::move(stop);
    request.connect_timeout = options_.connect_timeout;
    request.max_response_bytes = options_.max_body_bytes;
    request.follow_redirects = false;  // RFC 8461 §3.3
    request.allow_plain_http = false;
    request.ca_file = options_.ca_file;
    request.addresses = addresses;
    request.connect_port = options_.connect_port;
    StatusOr<HttpFetchResponse> response = http_->Fetch(request);
    if (!response.ok()) {
      switch (response.status().code()) {
        case Status::Code::kCancelled:
          result.error = "cancelled";
          break;
        case Status::Code::kResourceExhausted:
          result.error = "policy larger than " + std::to_string(options_.max_body_bytes) + " bytes";
          break;
        default:
          result.error = response.status().message();
      }
      return result;
    }
    result.http_status = response->status;
    result.content_type = response->content_type;
    if (result.http_status >= 300 && result.http_status < 400) {
      result.error = "redirect (HTTP " + std::to_string(result.http_status) +
                     ") not followed: RFC 8461 forbids redirects";
    } else if (result.http_status != 200) {
      result.error = "HTTP status " + std::to_string(result.http_status) + " (only 200 counts)";
    } else if (!IsTextPlain(result.content_type)) {
      result.error = result.content_type.empty()
                         ? "no Content-Type (must be text/plain)"
                         : "Content-Type " + result.content_type + " is not text/plain";
    } else {
      result.ok = true;
      result.body = std::move(response->body);
    }
    return result;
  }

 private:
  const std::shared_ptr<HttpFetcher> http_;
  const MtaStsFetcherOptions options_;
};

}  // namespace

std::string MtaStsPolicyUrl(std::string_view domain) {
  return "https://mta-sts." + NormalizeDnsName(domain) + "/.well-known/mta-sts.txt";
}

std::unique_ptr<MtaStsFetcher> NewMtaStsFetcher(std::shared_ptr<HttpFetcher> http,
                                                MtaStsFetcherOptions options) {
  return std::make_unique<HttpMtaStsFetcher>(std::move(http), std::move(options));
}

}  // namespace mailrep
