// libFuzzer target: both SNDS CSV parsers on arbitrary text must neither
// crash nor accept a row they cannot read back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/snds/snds_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::SndsParsed<mailrep::SndsIpDataRow> ip_data = mailrep::ParseSndsIpData(text);
  if (ip_data.ok()) {
    for (const mailrep::SndsIpDataRow& row : ip_data.rows) {
      if (row.complaint_rate < 0 || row.complaint_rate > 1) __builtin_trap();
    }
  }
  mailrep::SndsParsed<mailrep::SndsIpStatusRow> status = mailrep::ParseSndsIpStatus(text);
  if (status.ok()) {
    for (const mailrep::SndsIpStatusRow& row : status.rows) {
      if (row.last < row.first) __builtin_trap();
    }
  }
  (void)mailrep::ParseSndsTime(text);
  (void)mailrep::ParseSndsRate(text);
  return 0;
}
