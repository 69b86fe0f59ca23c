#include "collectors/reports/xml_subset_scanner.h"

#include <algorithm>
#include <array>

namespace mailrep {
namespace {

constexpr size_t kCarryStep = 4096;  // bytes of a new piece joined to a carried token
constexpr size_t kMaxXmlDecl = 256;  // longer declarations decline
constexpr int kMaxAttributes = 8;

// Byte classes: bit 1 white space, 2 name start, 4 name.
constexpr std::array<uint8_t, 256> kClass = [] {
  std::array<uint8_t, 256> t{};
  for (char c : {' ', '\t', '\n', '\r'}) t[static_cast<unsigned char>(c)] = 1;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = 2 | 4;
  t['_'] = 2 | 4;
  for (int c = '0'; c <= '9'; ++c) t[c] = 4;
  t['-'] = t['.'] = 4;
  return t;
}();

bool IsSpace(char c) { return kClass[static_cast<unsigned char>(c)] & 1; }
bool IsNameStart(char c) { return kClass[static_cast<unsigned char>(c)] & 2; }
bool IsNameChar(char c) { return kClass[static_cast<unsigned char>(c)] & 4; }
// Attribute value bytes taken as they are.
bool IsValueChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x7f && c != '<' && c != '&';
}

// Text bytes passed on as they are: printable ASCII but '<', '&' and ']',
// and tab and LF. The rest stop the run (CR, ']', references, markup) or
// decline.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7f; ++c) t[c] = true;
  t['<'] = t['&'] = t[']'] = false;
  t['\t'] = t['\n'] = true;
  return t;
}();

// "xml" in any case starts the names XML reserves (xmlns:xml and the like).
bool StartsWithXml(std::string_view name) {
  return name.size() >= 3 && (name[0] | 0x20) == 'x' && (name[1] | 0x20) == 'm' &&
         (name[2] | 0x20) == 'l';
}

// The XML and XMLNS namespaces' URIs and anything starting like them.
bool IsReservedNamespace(std::string_view uri) {
  return uri.substr(0, 22) == "http://www.w3.org/XML/" ||
         uri.substr(0, 28) == "http://www.w3.org/2000/xmlns";
}

// a == b, byte by byte: names are short, a call to memcmp costs more.
bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

size_t SkipSpace(std::string_view in, size_t p) {
  while (p < in.size() && IsSpace(in[p])) ++p;
  return p;
}

size_t SkipName(std::string_view in, size_t p) {
  while (p < in.size() && IsNameChar(in[p])) ++p;
  return p;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// In a declaration `d` at p: S+ name S? '=' S? quoted value; the value, and
// p moved past it. False when it is not there.
bool PseudoAttribute(std::string_view d, size_t* p, std::string_view name,
                     std::string_view* value) {
  size_t q = SkipSpace(d, *p);
  if (q == *p || d.substr(q, name.size()) != name) return false;
  q = SkipSpace(d, q + name.size());
  if (q >= d.size() || d[q] != '=') return false;
  q = SkipSpace(d, q + 1);
  if (q >= d.size() || (d[q] != '"' && d[q] != '\'')) return false;
  size_t end = d.find(d[q], q + 1);
  if (end == std::string_view::npos) return false;
  *value = d.substr(q + 1, end - q - 1);
  *p = end + 1;
  return true;
}

}  // namespace

bool XmlSubsetScanner::Feed(std::string_view chunk) {
  if (failed_) return false;
  while (!chunk.empty()) {
    if (carry_.empty()) {
      size_t used = Scan(chunk, false);
      if (used == kDecline) return Decline();
      if (chunk.size() - used > kMaxToken) return Decline();
      carry_.assign(chunk.substr(used));
      return true;
    }
    // Finish the carried token with the piece's start, then go on in the
    // piece itself.
    size_t old = carry_.size();
    size_t take = std::min(chunk.size(), kCarryStep);
    carry_.append(chunk.substr(0, take));
    size_t used = Scan(carry_, false);
    if (used == kDecline) return Decline();
    if (used >= old) {
      chunk.remove_prefix(used - old);
      carry_.clear();
    } else {
      carry_.erase(0, used);
      chunk.remove_prefix(take);
      if (carry_.size() > kMaxToken) return Decline();
    }
  }
  return true;
}

bool XmlSubsetScanner::Finish() {
  if (failed_) return false;
  size_t used = Scan(carry_, true);
  if (used == kDecline || used != carry_.size()) return Decline();
  carry_.clear();
  if (where_ != Where::kEpilog) return Decline();
  return true;
}

size_t XmlSubsetScanner::Scan(std::string_view in, bool final) {
  size_t p = 0, n = in.size();
  if (where_ == Where::kStart) {
    // "<?xml" and white space start a declaration; wait for six bytes.
    if (n < 6 && !final) return 0;
    if (n >= 6 && in.substr(0, 5) == "<?xml" && IsSpace(in[5])) {
      size_t r = XmlDecl(in, 0);
      if (r == kMore) return final ? kDecline : 0;
      if (r == kDecline) return kDecline;
      p = r;
    }
    where_ = Where::kProlog;
  }
  while (p < n) {
    size_t r;
    if (where_ == Where::kContent) {
      char c = in[p];
      if (c == '<') {
        if (p + 1 >= n) return p;
        char d = in[p + 1];
        if (d == '/') {
          r = EndTag(in, p);
        } else if (d == '!' || d == '?') {
          return kDecline;
        } else {
          r = StartTag(in, p);
        }
      } else if (c == '&') {
        r = Reference(in, p);
      } else {
        r = Text(in, p);
      }
    } else {
      // Before or after the root: white space, then the root's start tag.
      p = SkipSpace(in, p);
      if (p >= n) return p;
      if (in[p] != '<' || where_ == Where::kEpilog) return kDecline;
      if (p + 1 >= n) return p;
      if (in[p + 1] == '!' || in[p + 1] == '?' || in[p + 1] == '/') return kDecline;
      r = StartTag(in, p);
    }
    if (r == kMore) return p;
    if (r == kDecline) return kDecline;
    p = r;
  }
  return p;
}

size_t XmlSubsetScanner::XmlDecl(std::string_view in, size_t p) {
  size_t end = in.find("?>", p);
  if (end == std::string_view::npos) return in.size() - p > kMaxXmlDecl ? kDecline : kMore;
  if (end - p > kMaxXmlDecl) return kDecline;
  std::string_view d = in.substr(p + 5, end - p - 5);
  size_t q = 0;
  std::string_view value;
  if (!PseudoAttribute(d, &q, "version", &value) || value != "1.0") return kDecline;
  if (PseudoAttribute(d, &q, "encoding", &value) && !EqualsIgnoringCase(value, "utf-8")) {
    return kDecline;
  }
  if (PseudoAttribute(d, &q, "standalone", &value) && value != "yes" && value != "no") {
    return kDecline;
  }
  if (SkipSpace(d, q) != d.size()) return kDecline;
  return end + 2;
}

size_t XmlSubsetScanner::StartTag(std::string_view in, size_t p) {
  size_t n = in.size(), q = p + 1;
  if (!IsNameStart(in[q])) return kDecline;
  q = SkipName(in, q);
  if (q >= n) return kMore;
  std::string_view name = in.substr(p + 1, q - p - 1);
  // The attributes' names so far, as offsets and sizes (left uninitialised:
  // most elements have none).
  size_t names_at[kMaxAttributes], names_size[kMaxAttributes];
  int count = 0;
  bool empty = false;
  bool root = where_ != Where::kContent;
  std::string_view xmlns;
  bool has_xmlns = false;
  for (;;) {
    size_t s = q;
    q = SkipSpace(in, q);
    if (q >= n) return kMore;
    if (in[q] == '>') {
      ++q;
      break;
    }
    if (in[q] == '/') {
      if (q + 1 >= n) return kMore;
      if (in[q + 1] != '>') return kDecline;
      q += 2;
      empty = true;
      break;
    }
    // An attribute, after white space.
    if (q == s || !IsNameStart(in[q])) return kDecline;
    size_t a = q;
    q = SkipName(in, q);
    if (q >= n) return kMore;
    bool declares_prefix = false;
    if (in[q] == ':') {
      // Only xmlns:prefix, declaring a prefix no name here uses.
      if (in.substr(a, q - a) != "xmlns") return kDecline;
      if (q + 1 >= n) return kMore;
      if (!IsNameStart(in[q + 1])) return kDecline;
      size_t prefix = q + 1;
      q = SkipName(in, prefix);
      if (q >= n) return kMore;
      if (in[q] == ':' || StartsWithXml(in.substr(prefix, q - prefix))) return kDecline;
      declares_prefix = true;
    }
    std::string_view attribute = in.substr(a, q - a);
    q = SkipSpace(in, q);
    if (q >= n) return kMore;
    if (in[q] != '=') return kDecline;
    q = SkipSpace(in, q + 1);
    if (q >= n) return kMore;
    char quote = in[q];
    if (quote != '"' && quote != '\'') return kDecline;
    size_t v = ++q;
    while (q < n && in[q] != quote) {
      if (!IsValueChar(in[q])) return kDecline;
      ++q;
    }
    if (q >= n) return kMore;
    std::string_view value = in.substr(v, q - v);
    ++q;
    if (count == kMaxAttributes) return kDecline;
    for (int i = 0; i < count; ++i) {
      if (in.substr(names_at[i], names_size[i]) == attribute) return kDecline;
    }
    names_at[count] = a;
    names_size[count++] = attribute.size();
    // expat refuses a namespace URI holding its separator ('|').
    if (declares_prefix) {
      if (!root || value.empty() || IsReservedNamespace(value) ||
          value.find('|') != std::string_view::npos) {
        return kDecline;
      }
    } else if (attribute == "xmlns") {
      if (!root || value.substr(0, 18) == "http://www.w3.org/" ||
          value.find('|') != std::string_view::npos) {
        return kDecline;
      }
      xmlns = value;
      has_xmlns = true;
    }
  }
  if (depth_ == kMaxOpen) return kDecline;
  if (root) {
    ns_.assign(has_xmlns ? xmlns : std::string_view());
    where_ = Where::kContent;
  }
  open_[depth_++].assign(name);
  if (!handler_->OnStart(ns_, name)) return kDecline;
  if (empty) {
    --depth_;
    if (depth_ == 0) where_ = Where::kEpilog;
    if (!handler_->OnEnd()) return kDecline;
  }
  return q;
}

size_t XmlSubsetScanner::EndTag(std::string_view in, size_t p) {
  size_t n = in.size(), q = p + 2;
  if (q >= n) return kMore;
  if (!IsNameStart(in[q])) return kDecline;
  q = SkipName(in, q);
  if (q >= n) return kMore;
  std::string_view name = in.substr(p + 2, q - p - 2);
  q = SkipSpace(in, q);
  if (q >= n) return kMore;
  if (in[q] != '>' || depth_ == 0 || !SameName(open_[depth_ - 1], name)) return kDecline;
  --depth_;
  if (depth_ == 0) where_ = Where::kEpilog;
  if (!handler_->OnEnd()) return kDecline;
  return q + 1;
}

size_t XmlSubsetScanner::Reference(std::string_view in, size_t p) {
  constexpr size_t kLongest = 10;  // "&#x0000A;" and the like; longer declines
  size_t n = in.size();
  size_t semicolon = in.substr(p + 1, kLongest).find(';');
  if (semicolon == std::string_view::npos) return n - p > kLongest ? kDecline : kMore;
  semicolon += p + 1;
  std::string_view ref = in.substr(p + 1, semicolon - p - 1);
  char c;
  if (ref == "lt") {
    c = '<';
  } else if (ref == "gt") {
    c = '>';
  } else if (ref == "amp") {
    c = '&';
  } else if (ref == "quot") {
    c = '"';
  } else if (ref == "apos") {
    c = '\'';
  } else if (ref.size() >= 2 && ref[0] == '#') {
    uint32_t v = 0;
    bool hex = ref[1] == 'x';
    std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) return kDecline;
    for (char d : digits) {
      uint32_t x;
      if (d >= '0' && d <= '9') {
        x = static_cast<uint32_t>(d - '0');
      } else if (hex && d >= 'a' && d <= 'f') {
        x = static_cast<uint32_t>(d - 'a' + 10);
      } else if (hex && d >= 'A' && d <= 'F') {
        x = static_cast<uint32_t>(d - 'A' + 10);
      } else {
        return kDecline;
      }
      v = v * (hex ? 16 : 10) + x;
    }
    if (!(v == '\t' || v == '\n' || v == '\r' || (v >= 0x20 && v < 0x7f))) return kDecline;
    c = static_cast<char>(v);
  } else {
    return kDecline;
  }
  if (!handler_->OnText(std::string_view(&c, 1))) return kDecline;
  return semicolon + 1;
}

size_t XmlSubsetScanner::Text(std::string_view in, size_t p) {
  size_t n = in.size(), q = p;
  while (q < n && kPlain[static_cast<unsigned char>(in[q])]) ++q;
  if (q > p) {
    if (!handler_->OnText(in.substr(p, q - p))) return kDecline;
    return q;
  }
  char c = in[q];
  if (c == '\r') {
    // CR LF and a lone CR are LF.
    if (q + 1 >= n) return kMore;
    if (!handler_->OnText("\n")) return kDecline;
    return in[q + 1] == '\n' ? q + 2 : q + 1;
  }
  if (c == ']') {
    if (q + 2 >= n) return kMore;
    if (in[q + 1] == ']' && in[q + 2] == '>') return kDecline;
    if (!handler_->OnText("]")) return kDecline;
    return q + 1;
  }
  return kDecline;
}

}  // namespace mailrep
