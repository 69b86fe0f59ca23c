#include "collectors/auth/mta_sts_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "collectors/dns/dns_types.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

struct Transfer {
  std::string body;
  size_t max_bytes = 0;
  bool too_large = false;
  std::stop_token stop;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  Transfer* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stop.stop_requested() ? 1 : 0;
}

// "text/plain", "Text/Plain; charset=utf-8" yes; "text/html", "" no.
bool IsTextPlain(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return EqualsIgnoreCase(media, "text/plain");
}

class CurlMtaStsFetcher : public MtaStsFetcher {
 public:
  explicit CurlMtaStsFetcher(CurlMtaStsFetcherOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  MtaStsFetchResult Fetch(std::string_view domain, const std::vector<IpAddress>& addresses,
                          SteadyTime deadline, std::stop_token stop) override {
    MtaStsFetchResult result;
    result.url = MtaStsPolicyUrl(domain);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.error = "no time left before the deadline";
      return result;
    }
    if (stop.stop_requested()) {
      result.error = "cancelled";
      return result;
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
      result.error = "curl_easy_init failed";
      return result;
    }
    Transfer transfer;
    transfer.max_bytes = options_.max_body_bytes;
    transfer.stop = stop;
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_slist* connect_to = nullptr;
    for (const std::string& entry : options_.connect_to) {
      connect_to = curl_slist_append(connect_to, entry.c_str());
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> connect_to_guard(
        connect_to, curl_slist_free_all);
    curl_slist* resolve = nullptr;
    if (!addresses.empty()) {
      std::string entry = "mta-sts." + std::string(domain) + ":443:";
      for (size_t i = 0; i < addresses.size(); ++i) {
        bool v6 = addresses[i].family == IpAddress::Family::kV6;
        entry +=
            (i ? "," : "") + std::string(v6 ? "[" : "") + addresses[i].ToString() + (v6 ? "]" : "");
      }
      resolve = curl_slist_append(nullptr, entry.c_str());
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> resolve_guard(resolve,
                                                                              curl_slist_free_all);
    long total_ms = std::max<long>(1, std::min<long>(left.count(), options_.total_timeout.count()));
    long connect_ms = std::min<long>(total_ms, options_.connect_timeout.count());
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, result.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (connect_to) curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to);
    if (resolve) curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options_.max_body_bytes));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "mailrep_exporter (MTA-STS check)");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    CURLcode code = curl_easy_perform(h);

    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.http_status);
    char* content_type = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
      result.content_type = content_type;
    }
    std::string size_limit = std::to_string(options_.max_body_bytes) + " bytes";
    if (result.http_status >= 300 && result.http_status < 400) {
      result.error = "redirect (HTTP " + std::to_string(result.http_status) +
                     ") not followed: RFC 8461 forbids redirects";
    } else if (result.http_status != 0 && result.http_status != 200) {
      result.error = "HTTP status " + std::to_string(result.http_status) + " (only 200 counts)";
    } else if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      result.error = "policy larger than " + size_limit;
    } else if (code == CURLE_ABORTED_BY_CALLBACK) {
      result.error = "cancelled";
    } else if (code != CURLE_OK) {
      result.error = std::string(curl_easy_strerror(code));
      if (error_buffer[0] != '\0') result.error += ": " + std::string(error_buffer);
    } else if (!IsTextPlain(result.content_type)) {
      result.error = result.content_type.empty()
                         ? "no Content-Type (must be text/plain)"
                         : "Content-Type " + result.content_type + " is not text/plain";
    } else {
      result.ok = true;
      result.body = std::move(transfer.body);
    }
    return result;
  }

 private:
  const CurlMtaStsFetcherOptions options_;
};

}  // namespace

std::string MtaStsPolicyUrl(std::string_view domain) {
  return "https://mta-sts." + NormalizeDnsName(domain) + "/.well-known/mta-sts.txt";
}

std::unique_ptr<MtaStsFetcher> NewCurlMtaStsFetcher(CurlMtaStsFetcherOptions options) {
  return std::make_unique<CurlMtaStsFetcher>(std::move(options));
}

}  // namespace mailrep
