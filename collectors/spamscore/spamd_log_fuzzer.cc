// libFuzzer target: any input must be read or refused, never crash or read
// past the line; each input line also goes through the collector's reader.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "collectors/spamscore/spamd_log.h"
#include "collectors/spamscore/spamscore_collector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::SpamVerdict verdict;
  mailrep::SpamParseError error;
  (void)mailrep::ParseSpamdResultLog(text, &verdict, &error);
  static mailrep::SpamStats stats{
      mailrep::SymbolAllowList{mailrep::SymbolAllowList::DefaultEntries()}};
  const std::string source = "/fuzz";
  mailrep::ReadSpamLogLine(text, size % 7 == 0, mailrep::SpamFilterChoice::kAuto, source, &verdict,
                           &stats);
  return 0;
}
