#include "collectors/http_fetch/http_fetch_types.h"

#include "exporter/util/ascii.h"

namespace mailrep {

std::string_view HttpMethodName(HttpMethod method) {
  switch (method) {
    case HttpMethod::kGet:
      return "GET";
    case HttpMethod::kPost:
      return "POST";
  }
  return "GET";
}

std::optional<std::string_view> HttpHeaderValue(const std::vector<HttpHeader>& headers,
                                                std::string_view name) {
  for (const HttpHeader& header : headers) {
    if (EqualsIgnoreCase(header.first, name)) return header.second;
  }
  return std::nullopt;
}

}  // namespace mailrep
