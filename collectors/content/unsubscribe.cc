#include "collectors/content/unsubscribe.h"

#include "collectors/auth/tag_list.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace

bool DkimSignatureCovers(std::string_view signature, std::string_view field) {
  StatusOr<TagList> tags = ParseTagList(signature);
  if (!tags.ok()) return false;
  const std::string* h = tags->Find("h");
  if (h == nullptr) return false;
  for (const std::string& name : SplitTagValue(*h)) {
    if (EqualsIgnoreCase(name, field)) return true;
  }
  return false;
}

UnsubscribeFindings CheckUnsubscribe(const MailHeaders& headers) {
  UnsubscribeFindings f;
  bool http_uri = false;
  for (std::string_view value : headers.GetAll("List-Unsubscribe")) {
    // A list of <URI>s, comma-separated; text outside the brackets is ignored.
    size_t at = 0;
    while ((at = value.find('<', at)) != std::string_view::npos) {
      size_t close = value.find('>', at);
      if (close == std::string_view::npos) break;
      std::string_view uri = Trim(value.substr(at + 1, close - at - 1));
      at = close + 1;
      if (uri.empty()) continue;
      f.present = true;
      if (StartsWithIgnoreCase(uri, "https://")) {
        f.https = true;
        http_uri = true;
      } else if (StartsWithIgnoreCase(uri, "http://")) {
        http_uri = true;
      }
    }
  }
  std::vector<std::string_view> posts = headers.GetAll("List-Unsubscribe-Post");
  bool post = posts.size() == 1 && EqualsIgnoreCase(Trim(posts[0]), "List-Unsubscribe=One-Click");
  f.one_click = post && http_uri;
  std::vector<std::string_view> signatures = headers.GetAll("DKIM-Signature");
  if (!signatures.empty()) {
    f.dkim_covers = false;
    for (std::string_view s : signatures) {
      if (DkimSignatureCovers(s, "List-Unsubscribe") &&
          DkimSignatureCovers(s, "List-Unsubscribe-Post")) {
        f.dkim_covers = true;
        break;
      }
    }
  }
  return f;
}

bool IsBulk(const MailHeaders& headers, std::string_view bulk_header) {
  if (std::optional<std::string_view> precedence = headers.Get("Precedence")) {
    std::string p = ToLowerAscii(Trim(*precedence));
    if (p == "bulk" || p == "list" || p == "junk") return true;
  }
  if (headers.Get("List-Id") || headers.Get("List-Unsubscribe")) return true;
  return !bulk_header.empty() && headers.Get(bulk_header).has_value();
}

}  // namespace mailrep
