#include "collectors/delivery/log_source_location.h"

#include <optional>

namespace mailrep {

LogSourceLocation ReadLogSourceLocation(ConfigNode& item) {
  LogSourceLocation where;
  if (std::optional<ConfigNode> journal = item.GetMap("journal")) {
    where.journal = true;
    where.journal_options.identifiers = journal->GetStringList("identifiers");
    where.journal_options.units = journal->GetStringList("units");
    where.journal_options.directory = journal->GetString("directory");
    if (where.journal_options.identifiers.empty() && where.journal_options.units.empty()) {
      item.Error("journal", "want identifiers and/or units (the whole journal is not read)");
    }
    if (!JournalReader::Available()) {
      item.Error("journal", "this build has no systemd journal support (libsystemd)");
    }
    if (item.Has("path")) item.Error("path", "a source has either path or journal");
    (void)journal->Finish();
    where.path = "journal:";
    for (const std::string& v : where.journal_options.identifiers) where.path += v + ",";
    for (const std::string& v : where.journal_options.units) where.path += v + ",";
    where.path.pop_back();
  } else {
    where.path = item.GetString("path");
    if (where.path.empty() || where.path.front() != '/') {
      item.Error("path", "want an absolute log file path");
    }
  }
  return where;
}

}  // namespace mailrep
