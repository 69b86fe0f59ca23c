// ReadLogSourceLocation: where one followed log source reads from, as the
// `sources` items of the collectors that follow logs (delivery, spamscore)
// say it: either
//
//   - path: /var/log/mail.log                      # absolute, under the root prefix
//   - journal: {identifiers: [postfix/smtp], units: [postfix.service],
//               directory: /var/log/journal}       # identifiers and/or units
//
// Stateless.
#ifndef MAILREP_COLLECTORS_DELIVERY_LOG_SOURCE_LOCATION_H_
#define MAILREP_COLLECTORS_DELIVERY_LOG_SOURCE_LOCATION_H_

#include <string>

#include "collectors/delivery/journal_reader.h"
#include "exporter/config/config_node.h"

namespace mailrep {

struct LogSourceLocation {
  // The file as configured, or for a journal source "journal:" and its
  // identifiers and units joined by commas: the source's label and identity.
  std::string path;
  bool journal = false;
  JournalReader::Options journal_options;  // when `journal`
};

// Reads `path` or `journal` from one sources item. Errors are recorded on
// `item`: both or neither given, a relative path, a journal naming neither
// identifiers nor units (the whole journal is never read), a build without
// libsystemd.
LogSourceLocation ReadLogSourceLocation(ConfigNode& item);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_LOG_SOURCE_LOCATION_H_
