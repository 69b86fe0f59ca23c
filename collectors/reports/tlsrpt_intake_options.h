// TlsRptIntakeOptions: the optional HTTPS intake of TLS-RPT reports (RFC 8460
// §3: a reporter POSTs its report to an `rua=https://...` URI), read from
// collectors.reports.tlsrpt_intake:
//
//   tlsrpt_intake:
//     listen_address: ":8460"        # required: its own listener, not /metrics'
//     path: /tlsrpt                  # the only path it answers
//     tls_cert_file: /etc/mailrep-exporter/intake.pem   # both or neither
//     tls_key_file: /etc/mailrep-exporter/intake.key    # (neither: plain HTTP
//                                                      #  behind a TLS proxy)
//     spool_dir: /var/lib/mailrep-exporter/tlsrpt   # ours, not under rootfs;
//                                                   # the collector reads it
//     max_body_bytes: 1048576        # per upload, as sent (413 beyond)
//     max_decompressed_bytes: 8388608  # a gzip'd report's JSON (400 beyond)
//     max_concurrent: 4              # uploads validated and written at once
//     max_per_minute: 60             # uploads accepted for checking (429 beyond)
//     body_timeout: 10s              # a request, body included, must arrive in it
//     max_spool_bytes: 1073741824    # 503 while the spool holds more
//     spool_retention: 30d           # spooled reports older than this are
//                                    # deleted, hourly; 1h to 59d (below the
//                                    # reports state's 60-day memory)
//
// Applied at start-up only (like the web config's TLS). Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_TLSRPT_INTAKE_OPTIONS_H_
#define MAILREP_COLLECTORS_REPORTS_TLSRPT_INTAKE_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "exporter/config/config.h"
#include "exporter/config/config_node.h"
#include "exporter/util/duration.h"

namespace mailrep {

struct TlsRptIntakeOptions {
  std::string listen_address;
  std::string path = "/tlsrpt";
  std::string tls_cert_file;  // "" with tls_key_file "": plain HTTP
  std::string tls_key_file;
  std::string spool_dir = "/var/lib/mailrep-exporter/tlsrpt";
  uint64_t max_body_bytes = 1 << 20;
  uint64_t max_decompressed_bytes = 8 << 20;
  int max_concurrent = 4;
  int max_per_minute = 60;
  Duration body_timeout = std::chrono::seconds(10);
  uint64_t max_spool_bytes = uint64_t{1} << 30;
  Duration spool_retention = std::chrono::hours(24 * 30);

  bool operator==(const TlsRptIntakeOptions&) const = default;
};

// Reads `reports`' tlsrpt_intake mapping; nullopt when it is absent. Errors
// (a missing listen_address, relative paths, one of cert and key without the
// other, numbers out of range) are recorded on `reports`.
std::optional<TlsRptIntakeOptions> ReadTlsRptIntakeOptions(ConfigNode& reports);

// The intake of a config the reports collector's factory already accepted:
// nullopt when collectors.reports has no tlsrpt_intake.
std::optional<TlsRptIntakeOptions> TlsRptIntakeOptionsOf(const Config& config);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_TLSRPT_INTAKE_OPTIONS_H_
