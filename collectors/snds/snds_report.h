// The two Microsoft SNDS (Smart Network Data Services) automated reports,
// parsed from their CSV text into rows, or rejected whole:
//
//   IP data   (data.aspx): per IP and day: activity period, RCPT and DATA
//             commands, message recipients, filter result (GREEN < 10 % of
//             the IP's mail judged spam, YELLOW 10-90 %, RED > 90 %),
//             complaint rate ("< 0.1%" is a bound, not a number), trap
//             period and hits, sample HELO and MAIL FROM, comments.
//   IP status (ipStatus.aspx): ranges "first,last,Yes|No,reason", Yes = the
//             range is blocked.
//
// Microsoft says column positions "may not be stable", so a file is mapped by
// its header row when it has one (known names, case-blind, in any order),
// else by the documented positions; either way every row must have the
// documented shape (an address, a colour from the enum, a rate like "0.5%" or
// "< 0.1%", dates like "9/29/2020 8:07 AM", counts of digits). One bad row
// rejects the whole file with a bounded reason: exporting a half-understood
// file would be worse than exporting the last good one. Dates carry no zone
// in the report; they are read as UTC.
//
// Pure functions over text; thread-safe.
#ifndef MAILREP_COLLECTORS_SNDS_SNDS_REPORT_H_
#define MAILREP_COLLECTORS_SNDS_SNDS_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/ip_network.h"

namespace mailrep {

enum class SndsReport { kIpData, kIpStatus };
inline constexpr SndsReport kAllSndsReports[] = {SndsReport::kIpData, SndsReport::kIpStatus};
// "ip_data", "ip_status".
std::string_view SndsReportName(SndsReport report);

enum class SndsFilterResult { kGreen, kYellow, kRed };
inline constexpr SndsFilterResult kAllSndsFilterResults[] = {
    SndsFilterResult::kGreen, SndsFilterResult::kYellow, SndsFilterResult::kRed};
// "green", "yellow", "red".
std::string_view SndsFilterResultName(SndsFilterResult result);

// Why a report's text was rejected.
enum class SndsInvalidReason {
  kHtml,       // an HTML page (a login page), not CSV
  kTooLarge,   // more than kMaxSndsRows rows
  kBadHeader,  // a header row lacking a required column
  kBadRow,     // a row of the wrong shape (column count, address, enum, number, date)
  kTruncated,  // the last row ends early with no line end: a cut body
};
// "html", "too_large", "bad_header", "bad_row", "truncated".
std::string_view SndsInvalidReasonName(SndsInvalidReason reason);

inline constexpr size_t kMaxSndsRows = 100000;

struct SndsIpDataRow {
  IpAddress ip;
  int64_t activity_start = 0;  // Unix seconds
  int64_t activity_end = 0;
  uint64_t rcpt_commands = 0;
  uint64_t data_commands = 0;
  uint64_t message_recipients = 0;
  SndsFilterResult filter_result = SndsFilterResult::kGreen;
  double complaint_rate = 0;                    // a ratio: "0.5%" is 0.005
  bool complaint_rate_is_bound = false;         // "< 0.1%": the rate is below 0.001
  std::optional<int64_t> trap_start, trap_end;  // absent when empty
  uint64_t trap_hits = 0;
  std::string sample_helo, sample_mail_from, comments;
};

struct SndsIpStatusRow {
  IpAddress first, last;  // same family, first <= last
  bool blocked = false;
  std::string reason;
};

template <typename Row>
struct SndsParsed {
  std::vector<Row> rows;  // empty: no data (an empty file is valid)
  std::optional<SndsInvalidReason> invalid;
  std::string detail;  // with invalid: "line 3: complaint rate \"abc\" ..." (no IP echoed)
  bool ok() const { return !invalid.has_value(); }
};

SndsParsed<SndsIpDataRow> ParseSndsIpData(std::string_view text);
SndsParsed<SndsIpStatusRow> ParseSndsIpStatus(std::string_view text);

// True when `body` looks like HTML (after blanks and a BOM: "<!DOCTYPE",
// "<html", "<head", "<body", "<?xml", or any "<" start), the way a login page
// answered with 200 does.
bool LooksLikeHtml(std::string_view body);

// "12/31/2019 8:00 AM" (also 24-hour "13:05" and seconds) as Unix seconds,
// read as UTC; nullopt when it is not such a date.
std::optional<int64_t> ParseSndsTime(std::string_view text);

// "< 0.1%", "0.5%", "12%", "> 90%": {ratio, is_bound}; nullopt otherwise.
struct SndsRate {
  double ratio = 0;
  bool is_bound = false;
};
std::optional<SndsRate> ParseSndsRate(std::string_view text);

// Whether `ip` is within [row.first, row.last].
bool SndsRangeContains(const SndsIpStatusRow& row, const IpAddress& ip);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SNDS_SNDS_REPORT_H_
