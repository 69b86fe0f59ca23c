#include "collectors/dnsbl/rbldnsd_zone.h"

#include <algorithm>
#include <ctime>

#include "collectors/dnsbl/rbldnsd_ip4.h"

namespace mailrep {
namespace {

constexpr size_t kMaxLine = 32767;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsComment(char c) { return c == '#' || c == ';'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view SkipBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  return s;
}

// `line` starts with `word` (case-insensitive) and a blank: the rest, after
// blanks. rbldnsd's keywords.
std::optional<std::string_view> Keyword(std::string_view line, std::string_view word) {
  if (line.size() <= word.size() || !IsBlank(line[word.size()])) return std::nullopt;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = line[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i]) return std::nullopt;
  }
  return SkipBlanks(line.substr(word.size()));
}

// Digits at the start of `s`, at most `width` of them, in [min, max]; one
// ':' or '-' after them is skipped.
std::optional<int> StampField(std::string_view& s, int width, int min, int max) {
  if (s.empty() || !IsDigit(s[0])) return std::nullopt;
  int n = 0;
  int used = 0;
  while (!s.empty() && IsDigit(s[0]) && used < width) {
    n = n * 10 + (s[0] - '0');
    s.remove_prefix(1);
    ++used;
  }
  if (n < min || n > max) return std::nullopt;
  if (!s.empty() && (s[0] == ':' || s[0] == '-')) s.remove_prefix(1);
  return n;
}

bool IsLeap(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

// $TIMESTAMP's yyyy[:-]mm[:-]dd[[:-]hh[[:-]mi[[:-]ss]]], or "0"/"-" for none
// (0). Consumes the field and the blanks after it.
std::optional<int64_t> ParseStamp(std::string_view& s) {
  if (!s.empty() && (s[0] == '0' || s[0] == '-' || s[0] == ':') &&
      (s.size() == 1 || IsBlank(s[1]))) {
    s = SkipBlanks(s.substr(1));
    return 0;
  }
  std::optional<int> year = StampField(s, 4, 1970, 2038);
  if (!year) return std::nullopt;
  std::optional<int> month = StampField(s, 2, 1, 12);
  if (!month) return std::nullopt;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int month_days = *month == 2 && IsLeap(*year) ? 29 : kDays[*month - 1];
  std::optional<int> day = StampField(s, 2, 1, month_days);
  if (!day) return std::nullopt;
  int hms[3] = {0, 0, 0};
  static constexpr int kMax[3] = {23, 59, 59};
  for (int i = 0; i < 3; ++i) {
    if (s.empty() || IsBlank(s[0])) break;
    std::optional<int> v = StampField(s, 2, 0, kMax[i]);
    if (!v) return std::nullopt;
    hms[i] = *v;
  }
  if (!s.empty() && !IsBlank(s[0])) return std::nullopt;
  s = SkipBlanks(s);
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = hms[0];
  tm.tm_min = hms[1];
  tm.tm_sec = hms[2];
  return static_cast<int64_t>(timegm(&tm));
}

// A duration: digits and an optional unit s, m, h, d or w.
std::optional<int64_t> ParseDuration(std::string_view s) {
  if (s.empty() || !IsDigit(s[0])) return std::nullopt;
  int64_t n = 0;
  while (!s.empty() && IsDigit(s[0])) {
    n = n * 10 + (s[0] - '0');
    if (n > 0xFFFFFFFFll) return std::nullopt;
    s.remove_prefix(1);
  }
  if (!s.empty()) {
    switch (s[0] | 0x20) {
      case 'w':
        n *= 7 * 24 * 3600;
        break;
      case 'd':
        n *= 24 * 3600;
        break;
      case 'h':
        n *= 3600;
        break;
      case 'm':
        n *= 60;
        break;
      case 's':
        break;
      default:
        return std::nullopt;
    }
    s.remove_prefix(1);
  }
  if (!s.empty() || n > 0xFFFFFFFFll) return std::nullopt;
  return n;
}

}  // namespace

std::string_view RbldnsdFormatName(RbldnsdFormat format) {
  switch (format) {
    case RbldnsdFormat::kIp4set:
      return "ip4set";
    case RbldnsdFormat::kIp4trie:
      return "ip4trie";
    case RbldnsdFormat::kIp4tset:
      return "ip4tset";
    case RbldnsdFormat::kDnset:
      return "dnset";
  }
  return "unknown";
}

std::optional<RbldnsdFormat> ParseRbldnsdFormat(std::string_view name) {
  for (RbldnsdFormat f : {RbldnsdFormat::kIp4set, RbldnsdFormat::kIp4trie, RbldnsdFormat::kIp4tset,
                          RbldnsdFormat::kDnset}) {
    if (name == RbldnsdFormatName(f)) return f;
  }
  return std::nullopt;
}

bool IsIp4Format(RbldnsdFormat format) { return format != RbldnsdFormat::kDnset; }

RbldnsdZone::Builder::Builder(RbldnsdFormat format, std::string source, int64_t now_unix)
    : source_(std::move(source)), now_unix_(now_unix), zone_(new RbldnsdZone(format)) {}

RbldnsdZone::Builder::~Builder() = default;

void RbldnsdZone::Builder::Problem(const std::string& message, bool skipped) {
  RbldnsdLoadReport& r = zone_->report_;
  ++r.problems;
  if (skipped) ++r.skipped_lines;
  if (r.messages.size() < RbldnsdLoadReport::kMaxMessages) {
    r.messages.push_back(source_ + ":" + std::to_string(r.lines) + ": " + message);
  }
}

Status RbldnsdZone::Builder::AddLine(std::string_view raw) {
  ++zone_->report_.lines;
  if (size_t nul = raw.find('\0'); nul != std::string_view::npos) raw = raw.substr(0, nul);
  if (raw.size() > kMaxLine) {
    Problem("line longer than 32 KiB skipped", true);
    return Status::OK();
  }
  std::string_view line = TrimBlanks(raw);
  if (line.empty()) return Status::OK();
  if (line[0] == '$') return Special(line.substr(1));
  if ((IsComment(line[0]) || line[0] == ':') && line.size() > 1 && line[1] == '$') {
    return Special(line.substr(2));
  }
  if (IsComment(line[0])) return Status::OK();
  Entry(line);
  return Status::OK();
}

Status RbldnsdZone::Builder::Special(std::string_view body) {
  auto invalid = [&] {
    Problem("invalid or unrecognized special entry", true);
    return Status::OK();
  };
  if (Keyword(body, "soa") || Keyword(body, "ns") || Keyword(body, "nameserver") ||
      Keyword(body, "ttl")) {
    return Status::OK();  // DNS metadata: nothing to look up
  }
  if (std::optional<std::string_view> rest = Keyword(body, "maxrange4")) {
    std::string_view s = *rest;
    bool cidr = !s.empty() && s[0] == '/';
    if (cidr) s.remove_prefix(1);
    if (s.empty() || !IsDigit(s[0])) return invalid();
    uint64_t r = 0;
    for (char c : s) {
      if (!IsDigit(c) || (r = r * 10 + static_cast<uint64_t>(c - '0')) > 0xFFFFFFFFull) {
        return invalid();
      }
    }
    if (r == 0 || (cidr && r > 32)) return invalid();
    uint32_t range = cidr ? ~Ip4Mask(static_cast<int>(r)) + 1 : static_cast<uint32_t>(r);
    if (max_range_ != 0 && max_range_ < range) {
      Problem("$MAXRANGE4 may not grow; ignored", false);
    } else {
      max_range_ = range;
    }
    return Status::OK();
  }
  if (body.size() >= 2 && (IsDigit(body[0]) || body[0] == '=') && IsBlank(body[1])) {
    std::string_view text = SkipBlanks(body.substr(2));
    if (text.empty()) return invalid();
    std::optional<std::string>& slot =
        body[0] == '=' ? zone_->subst_.base : zone_->subst_.vars[body[0] - '0'];
    if (!slot) slot = std::string(text);  // the first assignment wins
    return Status::OK();
  }
  if (std::optional<std::string_view> rest = Keyword(body, "timestamp")) {
    std::string_view s = *rest;
    std::optional<int64_t> stamp = ParseStamp(s);
    if (!stamp) return invalid();
    int64_t expires = 0;
    if (!s.empty() && s[0] == '+') {
      std::optional<int64_t> relative = ParseDuration(s.substr(1));
      if (!relative || *stamp == 0 || *relative == 0) return invalid();
      expires = *stamp + *relative;
    } else if (!s.empty()) {
      std::optional<int64_t> absolute = ParseStamp(s);
      if (!absolute || !s.empty()) return invalid();
      expires = *absolute;
    }
    if (*stamp > now_unix_) {
      return Status::InvalidArgument(source_ + ":" + std::to_string(zone_->report_.lines) +
                                     ": $TIMESTAMP is " + std::to_string(*stamp - now_unix_) +
                                     " s in the future; the file is refused");
    }
    if (expires != 0 && (zone_->expires_ == 0 || zone_->expires_ > expires)) {
      zone_->expires_ = expires;
    }
    return Status::OK();
  }
  return invalid();
}

std::optional<uint32_t> RbldnsdZone::Builder::EntryValue(std::string_view rest) {
  rest = SkipBlanks(rest);
  if (rest.empty() || IsComment(rest[0])) {
    if (!default_id_) default_id_ = zone_->values_.Add(default_value_);
    return *default_id_;
  }
  StatusOr<ParsedRbldnsdValue> value = ParseRbldnsdValue(rest, default_value_);
  if (!value.ok()) {
    Problem(value.status().message(), true);
    return std::nullopt;
  }
  if (value->txt_truncated) Problem("TXT template cut to 255 bytes", false);
  return zone_->values_.Add(value->value);
}

void RbldnsdZone::Builder::Entry(std::string_view line) {
  RbldnsdFormat format = zone_->format_;
  if (line[0] == ':') {
    if (format == RbldnsdFormat::kIp4tset && tset_default_set_) return;
    StatusOr<ParsedRbldnsdValue> value = ParseRbldnsdValue(line, DefaultRbldnsdValue());
    if (!value.ok()) {
      Problem(value.status().message(), true);
      return;
    }
    if (value->txt_truncated) Problem("TXT template cut to 255 bytes", false);
    default_value_ = value->value;
    default_id_.reset();
    tset_default_set_ = true;
    return;
  }
  if (format == RbldnsdFormat::kIp4tset) {
    std::optional<Ip4Prefix> a = ParseIp4Prefix(line);
    if (!a || a->bits != 32 ||
        (a->consumed < line.size() && !IsBlank(line[a->consumed]) &&
         !IsComment(line[a->consumed]) && line[a->consumed] != ':')) {
      Problem("invalid address", true);
      return;
    }
    zone_->ip4tset_.Add(a->address);
    ++zone_->report_.entries;
    return;
  }
  bool exclusion = line[0] == '!';
  if (exclusion) line = SkipBlanks(line.substr(1));
  if (format == RbldnsdFormat::kDnset) {
    DnsEntry(line, exclusion);
  } else {
    Ip4Entry(line, exclusion);
  }
}

void RbldnsdZone::Builder::Ip4Entry(std::string_view line, bool exclusion) {
  bool trie = zone_->format_ == RbldnsdFormat::kIp4trie;
  uint32_t first = 0;
  uint32_t last = 0;
  int bits = 0;
  size_t consumed = 0;
  if (trie) {
    std::optional<Ip4Cidr> cidr = ParseIp4Cidr(line);
    if (cidr) {
      first = cidr->address;
      bits = cidr->bits;
      consumed = cidr->consumed;
    } else {
      bits = -1;
    }
  } else {
    std::optional<Ip4Range> range = ParseIp4Range(line);
    if (range && range->bits > 0) {
      first = range->first;
      last = range->last;
      bits = range->bits;
      consumed = range->consumed;
    } else {
      bits = -1;
    }
  }
  if (bits < 0 || (consumed < line.size() && !IsBlank(line[consumed]) &&
                   !IsComment(line[consumed]) && line[consumed] != ':')) {
    Problem("invalid address", true);
    return;
  }
  if (first & ~Ip4Mask(bits)) {
    Problem("invalid range (non-zero host part)", true);
    return;
  }
  uint32_t span = trie ? ~Ip4Mask(bits) : last - first;  // addresses - 1
  if (max_range_ != 0 && max_range_ <= span) {
    Problem("range of " + std::to_string(uint64_t{span} + 1) + " addresses over $MAXRANGE4 (" +
                std::to_string(max_range_) + ") skipped",
            true);
    return;
  }
  uint32_t value = RbldnsdValueTable::kExcluded;
  if (!exclusion) {
    std::optional<uint32_t> id = EntryValue(line.substr(consumed));
    if (!id) return;
    value = *id;
  }
  if (trie) {
    zone_->ip4trie_.Add(first, bits, value, zone_->report_.lines);
  } else {
    zone_->ip4set_.Add(first, last, value);
  }
  ++zone_->report_.entries;
}

void RbldnsdZone::Builder::DnsEntry(std::string_view line, bool exclusion) {
  bool exact = true;
  bool wildcard = false;
  if (!line.empty() && line[0] == '.') {
    wildcard = true;
    line.remove_prefix(1);
  } else if (line.size() >= 2 && line[0] == '*' && line[1] == '.') {
    wildcard = true;
    exact = false;
    line.remove_prefix(2);
  }
  size_t end = 0;
  while (end < line.size() && !IsBlank(line[end])) ++end;
  std::optional<std::string> wire;
  if (end > 0) wire = RbldnsdNameToWire(line.substr(0, end));
  if (!wire || wire->size() == 1) {
    Problem("invalid domain name", true);
    return;
  }
  uint32_t value = RbldnsdValueTable::kExcluded;
  if (!exclusion) {
    std::optional<uint32_t> id = EntryValue(line.substr(end));
    if (!id) return;
    value = *id;
  }
  zone_->dnset_.Add(*wire, exact, wildcard, value);
  ++zone_->report_.entries;
}

RbldnsdZone RbldnsdZone::Builder::Finish() {
  RbldnsdZone& z = *zone_;
  switch (z.format_) {
    case RbldnsdFormat::kIp4set:
      z.ip4set_.Finish();
      break;
    case RbldnsdFormat::kIp4trie:
      z.ip4trie_.Finish([&](uint64_t line, uint32_t network, int bits) {
        ++z.report_.problems;
        ++z.report_.skipped_lines;
        if (z.report_.messages.size() < RbldnsdLoadReport::kMaxMessages) {
          z.report_.messages.push_back(source_ + ":" + std::to_string(line) + ": duplicate entry " +
                                       Ip4ToString(network) + "/" + std::to_string(bits) +
                                       " skipped (the first one counts)");
        }
      });
      break;
    case RbldnsdFormat::kIp4tset:
      z.ip4tset_.Finish();
      z.ip4tset_value_ = z.values_.Add(default_value_);
      break;
    case RbldnsdFormat::kDnset:
      z.dnset_.Finish();
      break;
  }
  z.values_.ShrinkToFit();
  return std::move(z);
}

StatusOr<RbldnsdZone> RbldnsdZone::Parse(std::string_view text, RbldnsdFormat format,
                                         std::string_view source, int64_t now_unix) {
  Builder builder(format, std::string(source), now_unix);
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    Status status = builder.AddLine(line);
    if (!status.ok()) return status;
  }
  return builder.Finish();
}

size_t RbldnsdZone::MemoryBytes() const {
  return values_.MemoryBytes() + ip4set_.MemoryBytes() + ip4trie_.MemoryBytes() +
         ip4tset_.MemoryBytes() + dnset_.MemoryBytes();
}

RbldnsdAnswer RbldnsdZone::Answer(const std::vector<uint32_t>& ids, std::string_view subject,
                                  bool with_txt) const {
  RbldnsdAnswer answer;
  for (uint32_t id : ids) {
    uint32_t a = values_.a(id);
    if (std::find(answer.a.begin(), answer.a.end(), a) == answer.a.end()) answer.a.push_back(a);
    if (!with_txt) continue;
    std::string txt = ExpandRbldnsdTxt(values_.txt(id), subject, subst_);
    if (!txt.empty() && std::find(answer.txt.begin(), answer.txt.end(), txt) == answer.txt.end()) {
      answer.txt.push_back(std::move(txt));
    }
  }
  return answer;
}

std::optional<RbldnsdAnswer> RbldnsdZone::LookupIp4(uint32_t address, bool with_txt) const {
  std::vector<uint32_t> ids;
  switch (format_) {
    case RbldnsdFormat::kIp4set:
      ip4set_.Find(address, &ids);
      break;
    case RbldnsdFormat::kIp4trie:
      if (std::optional<uint32_t> id = ip4trie_.Find(address)) ids.push_back(*id);
      break;
    case RbldnsdFormat::kIp4tset:
      if (ip4tset_.Contains(address)) ids.push_back(ip4tset_value_);
      break;
    case RbldnsdFormat::kDnset:
      break;
  }
  if (ids.empty()) return std::nullopt;
  return Answer(ids, with_txt ? Ip4ToString(address) : std::string(), with_txt);
}

std::optional<RbldnsdAnswer> RbldnsdZone::LookupDomain(std::string_view name, bool with_txt) const {
  if (format_ != RbldnsdFormat::kDnset) return std::nullopt;
  std::optional<std::string> wire = RbldnsdNameToWire(name);
  if (!wire) return std::nullopt;
  std::vector<uint32_t> ids;
  std::string matched;
  dnset_.Find(*wire, &ids, &matched);
  if (ids.empty()) return std::nullopt;
  return Answer(ids, with_txt ? RbldnsdWireToName(matched) : std::string(), with_txt);
}

}  // namespace mailrep
