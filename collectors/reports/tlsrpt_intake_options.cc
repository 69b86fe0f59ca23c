#include "collectors/reports/tlsrpt_intake_options.h"

namespace mailrep {
namespace {

constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * kKiB;

void RequireAbsolute(ConfigNode& node, std::string_view key, const std::string& path) {
  if (!path.empty() && path.front() != '/') node.Error(key, "want an absolute path");
}

TlsRptIntakeOptions Read(ConfigNode& node) {
  TlsRptIntakeOptions o;
  o.listen_address = node.GetString("listen_address");
  if (o.listen_address.empty()) {
    node.Error("listen_address", "want the intake's own listen address, e.g. \":8460\"");
  }
  o.path = node.GetString("path", o.path);
  if (o.path.empty() || o.path.front() != '/') node.Error("path", "want a path such as /tlsrpt");
  o.tls_cert_file = node.GetString("tls_cert_file");
  o.tls_key_file = node.GetString("tls_key_file");
  RequireAbsolute(node, "tls_cert_file", o.tls_cert_file);
  RequireAbsolute(node, "tls_key_file", o.tls_key_file);
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    node.Error(o.tls_cert_file.empty() ? "tls_cert_file" : "tls_key_file",
               "want both tls_cert_file and tls_key_file, or neither (plain HTTP)");
  }
  o.spool_dir = node.GetString("spool_dir", o.spool_dir);
  if (o.spool_dir.empty()) node.Error("spool_dir", "want an absolute directory");
  RequireAbsolute(node, "spool_dir", o.spool_dir);
  o.max_body_bytes = static_cast<uint64_t>(
      node.GetInt("max_body_bytes", static_cast<int64_t>(o.max_body_bytes), kKiB, 64 * kMiB));
  // The reports collector reads a payload of at most 32 MiB (ReportLimits).
  o.max_decompressed_bytes = static_cast<uint64_t>(node.GetInt(
      "max_decompressed_bytes", static_cast<int64_t>(o.max_decompressed_bytes), kKiB, 32 * kMiB));
  o.max_concurrent = static_cast<int>(node.GetInt("max_concurrent", o.max_concurrent, 1, 64));
  o.max_per_minute = static_cast<int>(node.GetInt("max_per_minute", o.max_per_minute, 1, 100000));
  o.body_timeout = node.GetDuration("body_timeout", o.body_timeout);
  if (o.body_timeout < std::chrono::seconds(1) || o.body_timeout > std::chrono::minutes(5)) {
    node.Error("body_timeout", "want 1s to 5m");
  }
  o.spool_retention = node.GetDuration("spool_retention", o.spool_retention);
  // Below the reports state's 60-day memory: a spooled report must be gone
  // before the collector could forget it and count it again.
  if (o.spool_retention < std::chrono::hours(1) ||
      o.spool_retention > std::chrono::hours(24 * 59)) {
    node.Error("spool_retention", "want 1h to 59d (less than the reports state's 60 days)");
  }
  o.max_spool_bytes = static_cast<uint64_t>(node.GetInt(
      "max_spool_bytes", static_cast<int64_t>(o.max_spool_bytes), kMiB, int64_t{1} << 50));
  return o;
}

}  // namespace

std::optional<TlsRptIntakeOptions> ReadTlsRptIntakeOptions(ConfigNode& reports) {
  std::optional<ConfigNode> node = reports.GetMap("tlsrpt_intake");
  if (!node) return std::nullopt;
  TlsRptIntakeOptions o = Read(*node);
  (void)node->Finish();  // its errors are the reports section's
  return o;
}

std::optional<TlsRptIntakeOptions> TlsRptIntakeOptionsOf(const Config& config) {
  auto it = config.collectors.find("reports");
  if (it == config.collectors.end() || !it->second.options) return std::nullopt;
  ConfigNode reports = it->second.options->WithOwnErrors();
  return ReadTlsRptIntakeOptions(reports);
}

}  // namespace mailrep
