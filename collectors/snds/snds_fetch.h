// Fetching one SNDS report through the process's HttpFetcher, with SNDS's
// own rules (the 2026 automated-access behaviours), and keeping its secret
// out of every message.
//
// The access link is a credential: the key sits in its query string (classic
// links, `data.aspx?key=...`) or the whole link is (2026 links). SndsLinks
// holds the two report links and every secret piece of them; Redact() replaces
// each piece in any text (a libcurl error, a server's echo) with "<redacted>",
// and DisplayUrl() gives a link's scheme and host only. Every error this file
// returns has passed through Redact().
//
// An answer is classified into one bounded reason (SndsFetchReason):
//   200 CSV          ok (the rows); an empty IP data report is no_data (an
//                    empty IP status report is ok: nothing is blocked)
//   404              no_data: an expired link and a day without data answer
//                    alike (the link age tells them apart)
//   200 HTML         html, rejected by Content-Type (text/html, xhtml) and by
//                    sniffing the body: SNDS answers a login page with 200
//   401, 403         unauthorized;  429 rate_limited;  400 bad_request;
//   other statuses   http_error
//   transport        timeout, network, too_large (over the size cap),
//                    truncated (a transfer cut short, or a last row cut off)
//   bad CSV          invalid (the parser's reason in the message)
//
// Thread-safe: plain functions over a thread-safe fetcher.
#ifndef MAILREP_COLLECTORS_SNDS_SNDS_FETCH_H_
#define MAILREP_COLLECTORS_SNDS_SNDS_FETCH_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/http_fetch/http_fetcher.h"
#include "collectors/snds/snds_report.h"
#include "exporter/core/clock.h"
#include "exporter/util/status.h"

namespace mailrep {

// The classic automated-access base; `key_file` links are built on it.
inline constexpr std::string_view kSndsDefaultBaseUrl =
    "https://sendersupport.olc.protection.outlook.com/snds/";

// Where the links come from: `url_file` (one link per line; a link whose path
// contains "ipStatus", case-blind, is the IP status report's, any other the IP
// data report's; blank lines and lines starting with '#' are skipped), or
// `key_file` (the key alone; links are base_url + "data.aspx?key=K" and
// base_url + "ipStatus.aspx?key=K"). Paths are read as given (the caller adds
// any root prefix).
struct SndsLinkSource {
  std::string url_file;
  std::string key_file;
  std::string base_url = std::string(kSndsDefaultBaseUrl);
};

class SndsLinks {
 public:
  // Reads the file(s) named by `source` (at most 64 KiB each). Errors name the
  // file, never its contents.
  static StatusOr<SndsLinks> Read(const SndsLinkSource& source);
  // Links given directly (tests); `secrets` extra pieces to hide.
  static SndsLinks FromUrls(std::string ip_data_url, std::string ip_status_url,
                            std::vector<std::string> secrets = {});

  // "" when the source gave no link for `report`.
  const std::string& url(SndsReport report) const {
    return report == SndsReport::kIpData ? ip_data_url_ : ip_status_url_;
  }
  // `text` with every secret piece replaced by "<redacted>".
  std::string Redact(std::string_view text) const;

 private:
  void AddSecretsOf(const std::string& url);

  std::string ip_data_url_, ip_status_url_;
  std::vector<std::string> secrets_;  // longest first
};

// "https://host/<redacted>": a link as it may be shown.
std::string SndsDisplayUrl(std::string_view url);

enum class SndsFetchReason {
  kOk,
  kNoData,
  kHtml,
  kUnauthorized,
  kRateLimited,
  kBadRequest,
  kHttpError,
  kTimeout,
  kNetwork,
  kTooLarge,
  kTruncated,
  kInvalid,
  kNoLink,  // the url/key file is unreadable or names no link for the report
};
inline constexpr SndsFetchReason kAllSndsFetchReasons[] = {
    SndsFetchReason::kOk,           SndsFetchReason::kNoData,      SndsFetchReason::kHtml,
    SndsFetchReason::kUnauthorized, SndsFetchReason::kRateLimited, SndsFetchReason::kBadRequest,
    SndsFetchReason::kHttpError,    SndsFetchReason::kTimeout,     SndsFetchReason::kNetwork,
    SndsFetchReason::kTooLarge,     SndsFetchReason::kTruncated,   SndsFetchReason::kInvalid,
    SndsFetchReason::kNoLink};
// "ok", "no_data", "html", "unauthorized", "rate_limited", "bad_request",
// "http_error", "timeout", "network", "too_large", "truncated", "invalid",
// "no_link".
std::string_view SndsFetchReasonName(SndsFetchReason reason);

struct SndsFetchOptions {
  std::string ca_file;  // "" = the system store
  std::chrono::milliseconds timeout{60000};
  size_t max_response_bytes = 32 * 1024 * 1024;
  // Test-only: connect here instead of the URL's port (0 = the URL's).
  uint16_t connect_port = 0;
};

struct SndsFetchResult {
  SndsFetchReason reason = SndsFetchReason::kOk;
  long http_status = 0;                    // 0 when no response came
  std::string error;                       // redacted; "" when ok
  std::vector<SndsIpDataRow> ip_data;      // with kOk, for kIpData
  std::vector<SndsIpStatusRow> ip_status;  // with kOk, for kIpStatus
  bool ok() const { return reason == SndsFetchReason::kOk; }
};

// Fetches and parses `report` from links.url(report), within `deadline` (and
// options.timeout) and promptly after `stop`.
SndsFetchResult FetchSndsReport(HttpFetcher& http, const SndsLinks& links, SndsReport report,
                                const SndsFetchOptions& options, SteadyTime deadline,
                                std::stop_token stop = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SNDS_SNDS_FETCH_H_
