// Structured logging in logfmt or JSON, on top of spdlog, to stderr.
//
//   LogInfo("Listening on", {{"address", "127.0.0.1:9825"}});
//   -> ts=2026-11-27T14:00:00.123Z level=info msg="Listening on" address=127.0.0.1:9825
//   -> {"ts":"2026-11-27T14:00:00.123Z","level":"info","msg":"Listening on","address":"..."}
//
// Thread-safe. Before InitLogging, logs go out as logfmt at level info.
#ifndef MAILREP_EXPORTER_CORE_LOG_H_
#define MAILREP_EXPORTER_CORE_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "exporter/util/status.h"

namespace mailrep {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// One key=value pair; numbers print without quotes.
struct LogField {
  LogField(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, int v) : key(k), value(static_cast<double>(v)) {}
  LogField(std::string_view k, size_t v) : key(k), value(static_cast<double>(v)) {}
  std::string_view key;
  std::variant<std::string, double> value;
};
using LogFields = std::initializer_list<LogField>;

// `level`: debug|info|warn|error; `format`: logfmt|json.
Status InitLogging(std::string_view level, std::string_view format);

void Log(LogLevel level, std::string_view msg, LogFields fields = {});
inline void LogDebug(std::string_view msg, LogFields fields = {}) {
  Log(LogLevel::kDebug, msg, fields);
}
inline void LogInfo(std::string_view msg, LogFields fields = {}) {
  Log(LogLevel::kInfo, msg, fields);
}
inline void LogWarn(std::string_view msg, LogFields fields = {}) {
  Log(LogLevel::kWarn, msg, fields);
}
inline void LogError(std::string_view msg, LogFields fields = {}) {
  Log(LogLevel::kError, msg, fields);
}

// Warnings and errors logged since the process started, counted even when the
// log level hides them (kDebug and kInfo are not counted: 0). A failure that is
// only logged is still visible as mailrep_log_messages_total{level}.
uint64_t LoggedTotal(LogLevel level);

// Formats one record (without the timestamp) for tests: `level=info msg=...`.
std::string FormatLogRecord(bool json, LogLevel level, std::string_view msg, LogFields fields);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_LOG_H_
