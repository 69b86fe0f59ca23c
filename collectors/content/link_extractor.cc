#include "collectors/content/link_extractor.h"

#include "collectors/content/link_host.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

bool IsHostChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_'; }

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// The host of an authority that starts `rest` (after "scheme://", or a
// "www." name); `written` is set to the host as written. In HTML source
// (`html_source`) a name cut at '&' holds a character reference: the
// attribute scan reads it decoded, this is no name.
LinkHost HostAt(std::string_view rest, bool html_source, std::string_view* written) {
  size_t end = 0;
  // The authority ends at the path, query or fragment, or at what cannot be in a URI.
  while (end < rest.size() && end < 512) {
    char c = rest[end];
    if (c == '/' || c == '?' || c == '#' || c == '\\' || static_cast<unsigned char>(c) <= ' ' ||
        c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == 127) {
      break;
    }
    ++end;
  }
  std::string_view authority = rest.substr(0, end);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') return {};  // IPv6 literal
  size_t run = HostRunLength(authority);
  if (html_source && run < authority.size() && authority[run] == '&') return {};
  std::string_view host = authority.substr(0, run);
  // Sentence punctuation after a bare name: "see www.example.com." or "(https://a.example)".
  while (!host.empty() && (host.back() == '.' || host.back() == '-')) host.remove_suffix(1);
  while (!host.empty() && host.front() == '.') host.remove_prefix(1);
  *written = host;
  return ToLinkHost(host);
}

bool Take(LinkScan* scan, size_t max_uris) {
  if (scan->uris >= max_uris) {
    scan->capped = true;
    return false;
  }
  ++scan->uris;
  return true;
}

void Add(LinkScan* scan, std::string_view rest, bool html_source) {
  std::string_view written;
  LinkHost host = HostAt(rest, html_source, &written);
  if (host.kind == LinkHostKind::kDomain) {
    scan->hosts.push_back(std::move(host.name));
  } else if (host.kind == LinkHostKind::kUnconvertible) {
    scan->unconvertible.emplace_back(written);
  }
}

// Bare http(s):// URIs and www. names.
void ScanBare(std::string_view text, bool html, size_t max_uris, LinkScan* scan) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i] | 0x20;
    // Most letters start no URI: look at the second one before comparing more.
    if (i + 1 >= text.size()) break;
    char second = text[i + 1] | 0x20;
    if (!(c == 'h' && second == 't') && !(c == 'w' && second == 'w')) continue;
    std::string_view rest = text.substr(i);
    size_t skip = 0;
    if (StartsWithIgnoreCase(rest, "https://")) {
      skip = 8;
    } else if (StartsWithIgnoreCase(rest, "http://")) {
      skip = 7;
    } else if (StartsWithIgnoreCase(rest, "www.")) {
      char before = i == 0 ? ' ' : text[i - 1];
      if (IsHostChar(before) || before == '/' || before == '@') continue;  // inside a name or URI
    } else {
      continue;
    }
    if (!Take(scan, max_uris)) return;
    Add(scan, rest.substr(skip), html);
    // Skip the rest of this URI's authority, so its "www." is not read again.
    size_t next = i + skip + HostRunLength(text.substr(i + skip));
    i = next > i ? next - 1 : i;
  }
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The character references that hide a scheme or host in an attribute.
std::string DecodeReferences(std::string_view v) {
  if (v.find('&') == std::string_view::npos) return std::string(v.substr(0, 1024));
  std::string out;
  for (size_t i = 0; i < v.size() && out.size() < 1024; ++i) {
    if (v[i] != '&') {
      out += v[i];
      continue;
    }
    size_t semi = v.substr(0, i + 12).find(';', i);  // references are short
    if (semi == std::string_view::npos) {
      out += v[i];
      continue;
    }
    std::string_view name = v.substr(i + 1, semi - i - 1);
    long code = -1;
    if (name.size() > 1 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view digits = name.substr(hex ? 2 : 1);
      code = digits.empty() ? -1 : 0;
      for (char d : digits) {
        int value = IsDigit(d)                    ? d - '0'
                    : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                    : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10
                                                  : -1;
        if (value < 0 || code > 0x10FFFF) {
          code = -1;
          break;
        }
        code = code * (hex ? 16 : 10) + value;
      }
      if (code > 0x10FFFF) code = -1;
    } else if (EqualsIgnoreCase(name, "amp")) {
      code = '&';
    } else if (EqualsIgnoreCase(name, "colon")) {
      code = ':';
    } else if (EqualsIgnoreCase(name, "sol")) {
      code = '/';
    } else if (EqualsIgnoreCase(name, "period")) {
      code = '.';
    }
    if (code <= 0 || (code >= 0xD800 && code <= 0xDFFF)) {
      out += v[i];  // unknown, NUL or a surrogate: kept as written
      continue;
    }
    AppendUtf8(static_cast<char32_t>(code), &out);
    i = semi;
  }
  return out;
}

// href= and src= attribute values.
void ScanAttributes(std::string_view html, size_t max_uris, LinkScan* scan) {
  for (size_t i = 0; i < html.size(); ++i) {
    char c = html[i] | 0x20;
    // "href" and "src" both have an r second: most letters stop here.
    if ((c != 'h' && c != 's') || i + 1 >= html.size() || (html[i + 1] | 0x20) != 'r') continue;
    std::string_view rest = html.substr(i);
    size_t name = StartsWithIgnoreCase(rest, "href")  ? 4
                  : StartsWithIgnoreCase(rest, "src") ? 3
                                                      : 0;
    if (name == 0) continue;
    char before = i == 0 ? ' ' : html[i - 1];
    if (!(before == ' ' || before == '\t' || before == '\n' || before == '\r' || before == '"' ||
          before == '\'' || before == '/')) {
      continue;
    }
    size_t j = i + name;
    while (j < html.size() &&
           (html[j] == ' ' || html[j] == '\t' || html[j] == '\r' || html[j] == '\n'))
      ++j;
    if (j >= html.size() || html[j] != '=') continue;
    ++j;
    while (j < html.size() &&
           (html[j] == ' ' || html[j] == '\t' || html[j] == '\r' || html[j] == '\n'))
      ++j;
    if (j >= html.size()) return;
    size_t start = j;
    size_t end;
    if (html[j] == '"' || html[j] == '\'') {
      start = j + 1;
      // Values are read up to 4 KiB, so the scan stays linear.
      end = html.substr(0, start + 4096).find(html[j], start);
      if (end == std::string_view::npos) end = std::min(html.size(), start + 4096);
    } else {
      end = start;
      while (end < html.size() && end - start < 4096 && html[end] != '>' &&
             static_cast<unsigned char>(html[end]) > ' ') {
        ++end;
      }
    }
    std::string value = DecodeReferences(html.substr(start, end - start));
    std::string_view v = value;
    while (!v.empty() && static_cast<unsigned char>(v.front()) <= ' ') v.remove_prefix(1);
    size_t skip = 0;
    if (StartsWithIgnoreCase(v, "https://")) {
      skip = 8;
    } else if (StartsWithIgnoreCase(v, "http://")) {
      skip = 7;
    } else if (v.substr(0, 2) == "//") {
      skip = 2;
    } else {
      i = end > i ? end - 1 : i;
      continue;
    }
    if (!Take(scan, max_uris)) return;
    Add(scan, v.substr(skip), false);
    i = end > i ? end - 1 : i;
  }
}

}  // namespace

void ScanLinks(std::string_view body, bool html, size_t max_uris, LinkScan* scan) {
  if (html) ScanAttributes(body, max_uris, scan);
  ScanBare(body, html, max_uris, scan);
}

}  // namespace mailrep
