#include "collectors/delivery/provider_map.h"

#include <algorithm>

#include "collectors/delivery/log_text.h"

namespace mailrep {
namespace {

// Mailbox domains and the MX host domains that serve them.
const std::map<std::string, std::vector<std::string>>& Defaults() {
  static const std::map<std::string, std::vector<std::string>> defaults = {
      {"gmail", {"gmail.com", "googlemail.com", "google.com"}},
      {"outlook",
       {"outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com",
        "protection.outlook.com", "olc.protection.outlook.com"}},
      {"yahoo",
       {"yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com",
        "yahoodns.net", "aol.com", "aim.com"}},
      {"icloud", {"icloud.com", "me.com", "mac.com", "apple.com"}},
      {"gmx", {"gmx.net", "gmx.de", "gmx.com", "gmx.at", "gmx.ch", "web.de"}},
      {"mailru", {"mail.ru", "bk.ru", "inbox.ru", "list.ru", "internet.ru"}},
      {"yandex", {"yandex.ru", "yandex.com", "yandex.net", "ya.ru"}},
      {"comcast", {"comcast.net"}},
      {"orange", {"orange.fr", "wanadoo.fr"}},
      {"t-online", {"t-online.de"}},
  };
  return defaults;
}

}  // namespace

ProviderMap::ProviderMap() : providers_(Defaults()) { Index(); }

ProviderMap::ProviderMap(const std::map<std::string, std::vector<std::string>>& overrides)
    : providers_(Defaults()) {
  for (const auto& [name, list] : overrides) {
    std::vector<std::string> lower;
    for (const std::string& s : list) lower.push_back(AsciiLower(s));
    providers_[name] = lower;
  }
  Index();
}

void ProviderMap::Index() {
  suffixes_.clear();
  for (const auto& [name, list] : providers_) {
    for (const std::string& s : list) {
      std::string suffix = AsciiLower(s);
      while (!suffix.empty() && suffix.back() == '.') suffix.pop_back();
      if (!suffix.empty()) suffixes_[suffix] = name;  // a later override wins
    }
  }
}

std::string_view ProviderMap::LookupName(std::string_view name) const {
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return "other";
  char buf[256];
  std::string heap;
  std::string_view rest;
  if (name.size() <= sizeof(buf)) {
    for (size_t i = 0; i < name.size(); ++i) {
      char c = name[i];
      buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    rest = std::string_view(buf, name.size());
  } else {
    heap = AsciiLower(name);
    rest = heap;
  }
  while (!rest.empty()) {
    auto it = suffixes_.find(rest);
    if (it != suffixes_.end()) return it->second;
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return "other";
}

std::string_view ProviderMap::Lookup(std::string_view relay_host,
                                     std::string_view recipient_domain) const {
  if (!relay_host.empty() && !IsIpLiteral(relay_host)) {
    std::string_view p = LookupName(relay_host);
    if (p != "other") return p;
  }
  return LookupName(recipient_domain);
}

std::vector<std::string> ProviderMap::names() const {
  std::vector<std::string> out;
  for (const auto& [name, list] : providers_) out.push_back(name);
  out.push_back("other");
  return out;
}

}  // namespace mailrep
