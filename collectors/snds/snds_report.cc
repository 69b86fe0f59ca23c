#include "collectors/snds/snds_report.h"

#include <array>
#include <charconv>
#include <cmath>

#include "exporter/util/ascii.h"
#include "exporter/util/civil_date.h"
#include "exporter/util/lines.h"

namespace mailrep {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// One CSV line's fields ("a,\"b,c\",d"; "" inside quotes is a quote).
// False when a quote is left open.
bool SplitCsv(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields->push_back(std::string(Trim(field)));
      field.clear();
    } else {
      field += c;
    }
  }
  fields->push_back(std::string(Trim(field)));
  return !quoted;
}

std::optional<uint64_t> ParseCount(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 15) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// Reads up to `max` digits at text[*i] into *value; false when there are none.
bool Digits(std::string_view text, size_t* i, size_t max, unsigned* value) {
  size_t n = DigitRun(text, *i, max);
  if (n == 0) return false;
  *value = 0;
  for (size_t k = 0; k < n; ++k) *value = *value * 10 + static_cast<unsigned>(text[*i + k] - '0');
  *i += n;
  return true;
}

std::string Normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (IsAlpha(c) || IsDigit(c)) out += static_cast<char>(c | 0x20);
  }
  return out;
}

template <typename Row>
SndsParsed<Row> Invalid(SndsInvalidReason reason, std::string detail) {
  SndsParsed<Row> parsed;
  parsed.invalid = reason;
  parsed.detail = std::move(detail);
  return parsed;
}

// The IP data columns, in the documented order (their positions without a
// header row).
enum Column : size_t {
  kIp,
  kActivityStart,
  kActivityEnd,
  kRcpt,
  kData,
  kRecipients,
  kFilter,
  kComplaint,
  kTrapStart,
  kTrapEnd,
  kTrapHits,
  kHelo,
  kMailFrom,
  kComments,
  kColumnCount
};
constexpr size_t kRequiredColumns = kTrapHits + 1;  // HELO, MAIL FROM, comments may be absent

struct ColumnName {
  Column column;
  std::string_view names[4];  // normalized: lower-case letters and digits
  bool required;
};
constexpr ColumnName kColumnNames[] = {
    {kIp, {"ip", "ipaddress", "address"}, true},
    {kActivityStart,
     {"activitystart", "activitystarttime", "activityperiodstart", "firstactivity"},
     true},
    {kActivityEnd, {"activityend", "activityendtime", "activityperiodend", "lastactivity"}, true},
    {kRcpt, {"rcptcommands", "rcpt"}, true},
    {kData, {"datacommands", "data"}, true},
    {kRecipients, {"messagerecipients", "recipients"}, true},
    {kFilter, {"filterresult", "filterresults", "result"}, true},
    {kComplaint, {"complaintrate", "complaints"}, true},
    {kTrapStart,
     {"trapmessageperiodstart", "trapperiodstart", "trapmessagestart", "trapstart"},
     false},
    {kTrapEnd, {"trapmessageperiodend", "trapperiodend", "trapmessageend", "trapend"}, false},
    {kTrapHits, {"traphits", "spamtraphits", "traps"}, true},
    {kHelo, {"samplehelo", "helo"}, false},
    {kMailFrom, {"samplemailfrom", "mailfrom"}, false},
    {kComments, {"comments", "comment"}, false},
};
constexpr std::string_view kColumnLabel[kColumnCount] = {
    "IP address",       "activity start", "activity end",
    "RCPT commands",    "DATA commands",  "message recipients",
    "filter result",    "complaint rate", "trap period start",
    "trap period end",  "trap hits",      "sample HELO",
    "sample MAIL FROM", "comments"};

constexpr size_t kAbsent = static_cast<size_t>(-1);
using ColumnMap = std::array<size_t, kColumnCount>;  // column -> field index

std::optional<SndsFilterResult> ParseFilter(std::string_view s) {
  for (SndsFilterResult r : kAllSndsFilterResults) {
    if (EqualsIgnoreCase(Trim(s), SndsFilterResultName(r))) return r;
  }
  return std::nullopt;
}

// Fills *row from `fields` by `map`; on a bad field returns what is wrong.
std::optional<std::string> ReadDataRow(const std::vector<std::string>& fields, const ColumnMap& map,
                                       SndsIpDataRow* row) {
  auto field = [&](Column c) -> std::string_view {
    return map[c] == kAbsent || map[c] >= fields.size() ? std::string_view() : fields[map[c]];
  };
  auto bad = [](Column c) { return std::string(kColumnLabel[c]) + " is not valid"; };
  StatusOr<IpAddress> ip = IpAddress::Parse(field(kIp));
  if (!ip.ok()) return bad(kIp);
  row->ip = *ip;
  std::optional<int64_t> start = ParseSndsTime(field(kActivityStart));
  if (!start) return bad(kActivityStart);
  std::optional<int64_t> end = ParseSndsTime(field(kActivityEnd));
  if (!end) return bad(kActivityEnd);
  row->activity_start = *start;
  row->activity_end = *end;
  const std::pair<Column, uint64_t*> counts[] = {{kRcpt, &row->rcpt_commands},
                                                 {kData, &row->data_commands},
                                                 {kRecipients, &row->message_recipients},
                                                 {kTrapHits, &row->trap_hits}};
  for (const auto& [c, out] : counts) {
    std::optional<uint64_t> v = ParseCount(field(c));
    if (!v) return bad(c);
    *out = *v;
  }
  std::optional<SndsFilterResult> filter = ParseFilter(field(kFilter));
  if (!filter) return bad(kFilter);
  row->filter_result = *filter;
  std::optional<SndsRate> rate = ParseSndsRate(field(kComplaint));
  if (!rate) return bad(kComplaint);
  row->complaint_rate = rate->ratio;
  row->complaint_rate_is_bound = rate->is_bound;
  for (auto [c, out] :
       {std::pair{kTrapStart, &row->trap_start}, std::pair{kTrapEnd, &row->trap_end}}) {
    std::string_view text = Trim(field(c));
    if (text.empty()) continue;
    *out = ParseSndsTime(text);
    if (!*out) return bad(c);
  }
  row->sample_helo = std::string(field(kHelo));
  row->sample_mail_from = std::string(field(kMailFrom));
  row->comments = std::string(field(kComments));
  return std::nullopt;
}

// The column map of a header row; the missing required column's label when
// one is missing.
std::optional<std::string> MapHeader(const std::vector<std::string>& fields, ColumnMap* map) {
  map->fill(kAbsent);
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string name = Normalized(fields[i]);
    for (const ColumnName& known : kColumnNames) {
      for (std::string_view alias : known.names) {
        if (!alias.empty() && alias == name && (*map)[known.column] == kAbsent) {
          (*map)[known.column] = i;
        }
      }
    }
  }
  for (const ColumnName& known : kColumnNames) {
    if (known.required && (*map)[known.column] == kAbsent) {
      return std::string(kColumnLabel[known.column]);
    }
  }
  return std::nullopt;
}

// The lines of `text` with their numbers (1-based), blank lines skipped;
// `*cut` says whether the text ends without a line end.
struct Line {
  size_t number;
  std::string_view text;
};
std::vector<Line> Lines(std::string_view text, bool* cut) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  *cut = !text.empty() && text.back() != '\n';
  std::vector<Line> lines;
  size_t number = 0;
  while (std::optional<std::string_view> line = NextLine(&text)) {
    ++number;
    if (!Trim(*line).empty()) lines.push_back({number, *line});
  }
  return lines;
}

bool IsLast(const std::vector<Line>& lines, const Line& line) { return &line == &lines.back(); }

}  // namespace

std::string_view SndsReportName(SndsReport report) {
  switch (report) {
    case SndsReport::kIpData:
      return "ip_data";
    case SndsReport::kIpStatus:
      return "ip_status";
  }
  return "unknown";
}

std::string_view SndsFilterResultName(SndsFilterResult result) {
  switch (result) {
    case SndsFilterResult::kGreen:
      return "green";
    case SndsFilterResult::kYellow:
      return "yellow";
    case SndsFilterResult::kRed:
      return "red";
  }
  return "unknown";
}

std::string_view SndsInvalidReasonName(SndsInvalidReason reason) {
  switch (reason) {
    case SndsInvalidReason::kHtml:
      return "html";
    case SndsInvalidReason::kTooLarge:
      return "too_large";
    case SndsInvalidReason::kBadHeader:
      return "bad_header";
    case SndsInvalidReason::kBadRow:
      return "bad_row";
    case SndsInvalidReason::kTruncated:
      return "truncated";
  }
  return "unknown";
}

bool LooksLikeHtml(std::string_view body) {
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  while (!body.empty() && (body.front() == ' ' || body.front() == '\t' || body.front() == '\r' ||
                           body.front() == '\n')) {
    body.remove_prefix(1);
  }
  if (!body.empty() && body.front() == '<') return true;
  // A page whose markup starts after some text still names its tags early.
  std::string head = ToLowerAscii(body.substr(0, 1024));
  return head.find("<html") != std::string::npos || head.find("<!doctype") != std::string::npos ||
         head.find("<body") != std::string::npos || head.find("<form") != std::string::npos;
}

std::optional<int64_t> ParseSndsTime(std::string_view text) {
  text = Trim(text);
  size_t i = 0;
  unsigned month, day, year, hour, minute, second = 0;
  if (!Digits(text, &i, 2, &month) || i >= text.size() || text[i++] != '/') return std::nullopt;
  if (!Digits(text, &i, 2, &day) || i >= text.size() || text[i++] != '/') return std::nullopt;
  size_t year_start = i;
  if (!Digits(text, &i, 4, &year) || i - year_start != 4) return std::nullopt;
  if (i >= text.size() || text[i++] != ' ') return std::nullopt;
  while (i < text.size() && text[i] == ' ') ++i;
  if (!Digits(text, &i, 2, &hour) || i >= text.size() || text[i++] != ':') return std::nullopt;
  size_t minute_start = i;
  if (!Digits(text, &i, 2, &minute) || i - minute_start != 2) return std::nullopt;
  if (i < text.size() && text[i] == ':') {
    ++i;
    size_t second_start = i;
    if (!Digits(text, &i, 2, &second) || i - second_start != 2) return std::nullopt;
  }
  std::string_view rest = Trim(text.substr(i));
  if (!rest.empty()) {
    bool am = EqualsIgnoreCase(rest, "AM"), pm = EqualsIgnoreCase(rest, "PM");
    if ((!am && !pm) || hour < 1 || hour > 12) return std::nullopt;
    if (hour == 12) hour = 0;
    if (pm) hour += 12;
  }
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || year < 1970 || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  return UnixSecondsFromCivil(year, month, day, hour, minute, second);
}

std::optional<SndsRate> ParseSndsRate(std::string_view text) {
  text = Trim(text);
  SndsRate rate;
  if (!text.empty() && (text.front() == '<' || text.front() == '>')) {
    rate.is_bound = true;
    text = Trim(text.substr(1));
    if (!text.empty() && text.front() == '=') text = Trim(text.substr(1));
  }
  if (text.empty() || text.back() != '%') return std::nullopt;
  text = Trim(text.substr(0, text.size() - 1));
  if (text.empty() || text.size() > 12) return std::nullopt;
  size_t dots = 0;
  for (char c : text) {
    if (c == '.') {
      ++dots;
    } else if (!IsDigit(c)) {
      return std::nullopt;
    }
  }
  if (dots > 1 || text.front() == '.' || text.back() == '.') return std::nullopt;
  double percent = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), percent);
  if (ec != std::errc() || end != text.data() + text.size() || percent > 100) return std::nullopt;
  rate.ratio = percent / 100;
  return rate;
}

bool SndsRangeContains(const SndsIpStatusRow& row, const IpAddress& ip) {
  IpAddress a = UnmapIpv4(ip);
  return a.family == row.first.family && !(a < row.first) && !(row.last < a);
}

SndsParsed<SndsIpDataRow> ParseSndsIpData(std::string_view text) {
  using Parsed = SndsParsed<SndsIpDataRow>;
  if (LooksLikeHtml(text)) return Invalid<SndsIpDataRow>(SndsInvalidReason::kHtml, "an HTML page");
  bool cut = false;
  std::vector<Line> lines = Lines(text, &cut);
  Parsed parsed;
  ColumnMap map;
  for (size_t c = 0; c < kColumnCount; ++c) map[c] = c;
  bool header = false;
  std::vector<std::string> fields;
  for (const Line& line : lines) {
    std::string where = "line " + std::to_string(line.number) + ": ";
    bool closed = SplitCsv(line.text, &fields);
    bool last_cut = cut && IsLast(lines, line);
    if (!closed) {
      return Invalid<SndsIpDataRow>(
          last_cut ? SndsInvalidReason::kTruncated : SndsInvalidReason::kBadRow,
          where + "a quoted field is not closed");
    }
    if (&line == &lines.front() && !IpAddress::Parse(fields[0]).ok() &&
        !(fields[0].size() > 0 && IsDigit(fields[0][0]))) {
      if (std::optional<std::string> missing = MapHeader(fields, &map)) {
        return Invalid<SndsIpDataRow>(SndsInvalidReason::kBadHeader,
                                      where + "the header has no " + *missing + " column");
      }
      header = true;
      continue;
    }
    if (parsed.rows.size() == kMaxSndsRows) {
      return Invalid<SndsIpDataRow>(SndsInvalidReason::kTooLarge,
                                    "more than " + std::to_string(kMaxSndsRows) + " rows");
    }
    if (!header) {
      if (fields.size() < kRequiredColumns) {
        return Invalid<SndsIpDataRow>(
            last_cut ? SndsInvalidReason::kTruncated : SndsInvalidReason::kBadRow,
            where + std::to_string(fields.size()) + " columns, expected " +
                std::to_string(kColumnCount));
      }
      // Commas in the last column (comments) are its own.
      for (size_t i = kColumnCount; i < fields.size(); ++i) {
        fields[kColumnCount - 1] += "," + fields[i];
      }
      if (fields.size() > kColumnCount) fields.resize(kColumnCount);
    }
    SndsIpDataRow row;
    if (std::optional<std::string> problem = ReadDataRow(fields, map, &row)) {
      return Invalid<SndsIpDataRow>(
          last_cut ? SndsInvalidReason::kTruncated : SndsInvalidReason::kBadRow, where + *problem);
    }
    parsed.rows.push_back(std::move(row));
  }
  return parsed;
}

SndsParsed<SndsIpStatusRow> ParseSndsIpStatus(std::string_view text) {
  using Parsed = SndsParsed<SndsIpStatusRow>;
  if (LooksLikeHtml(text)) {
    return Invalid<SndsIpStatusRow>(SndsInvalidReason::kHtml, "an HTML page");
  }
  bool cut = false;
  std::vector<Line> lines = Lines(text, &cut);
  Parsed parsed;
  std::vector<std::string> fields;
  for (const Line& line : lines) {
    std::string where = "line " + std::to_string(line.number) + ": ";
    bool last_cut = cut && IsLast(lines, line);
    SndsInvalidReason bad = last_cut ? SndsInvalidReason::kTruncated : SndsInvalidReason::kBadRow;
    if (!SplitCsv(line.text, &fields)) {
      return Invalid<SndsIpStatusRow>(bad, where + "a quoted field is not closed");
    }
    if (&line == &lines.front() && !IpAddress::Parse(fields[0]).ok() && fields.size() >= 3 &&
        !(fields[0].size() > 0 && IsDigit(fields[0][0]))) {
      std::string first = Normalized(fields[0]), last = Normalized(fields[1]),
                  blocked = Normalized(fields[2]);
      bool known =
          (first.find("first") != std::string::npos || first.find("start") != std::string::npos) &&
          (last.find("last") != std::string::npos || last.find("end") != std::string::npos) &&
          blocked.find("block") != std::string::npos;
      if (!known) {
        return Invalid<SndsIpStatusRow>(SndsInvalidReason::kBadHeader,
                                        where + "the header is not first,last,blocked,reason");
      }
      continue;
    }
    if (parsed.rows.size() == kMaxSndsRows) {
      return Invalid<SndsIpStatusRow>(SndsInvalidReason::kTooLarge,
                                      "more than " + std::to_string(kMaxSndsRows) + " rows");
    }
    if (fields.size() < 3) {
      return Invalid<SndsIpStatusRow>(
          bad, where + std::to_string(fields.size()) + " columns, expected 4");
    }
    SndsIpStatusRow row;
    StatusOr<IpAddress> first = IpAddress::Parse(fields[0]);
    StatusOr<IpAddress> last = IpAddress::Parse(fields[1]);
    if (!first.ok() || !last.ok()) {
      return Invalid<SndsIpStatusRow>(bad,
                                      where + "the range's first or last address is not valid");
    }
    row.first = UnmapIpv4(*first);
    row.last = UnmapIpv4(*last);
    if (row.first.family != row.last.family || row.last < row.first) {
      return Invalid<SndsIpStatusRow>(bad, where + "the range's last address is before its first");
    }
    if (EqualsIgnoreCase(fields[2], "yes")) {
      row.blocked = true;
    } else if (!EqualsIgnoreCase(fields[2], "no")) {
      return Invalid<SndsIpStatusRow>(bad, where + "blocked is not Yes or No");
    }
    for (size_t i = 3; i < fields.size(); ++i) row.reason += (i > 3 ? "," : "") + fields[i];
    parsed.rows.push_back(std::move(row));
  }
  return parsed;
}

}  // namespace mailrep
