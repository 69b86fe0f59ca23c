#include "exporter/core/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <memory>

#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

std::atomic<bool> g_json{false};
std::atomic<uint64_t> g_warnings{0};
std::atomic<uint64_t> g_errors{0};

std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>("mailrep",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
    l->set_level(spdlog::level::info);
    l->flush_on(spdlog::level::debug);
    return l;
  }();
  return logger;
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

void AppendLogfmtValue(std::string* out, std::string_view s) {
  bool quote = s.empty() || s.find_first_of(" =\"\\\n\t") != std::string_view::npos;
  if (!quote) {
    *out += s;
    return;
  }
  AppendJsonString(out, s);  // logfmt quoting uses the same escapes
}

std::string NumberText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

}  // namespace

std::string FormatLogRecord(bool json, LogLevel level, std::string_view msg, LogFields fields) {
  std::string out;
  if (json) {
    out += "\"level\":\"";
    out += LogLevelName(level);
    out += "\",\"msg\":";
    AppendJsonString(&out, msg);
    for (const LogField& f : fields) {
      out += ',';
      AppendJsonString(&out, f.key);
      out += ':';
      if (const auto* s = std::get_if<std::string>(&f.value)) {
        AppendJsonString(&out, *s);
      } else {
        out += NumberText(std::get<double>(f.value));
      }
    }
    return out;
  }
  out += "level=";
  out += LogLevelName(level);
  out += " msg=";
  AppendJsonString(&out, msg);
  for (const LogField& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    if (const auto* s = std::get_if<std::string>(&f.value)) {
      AppendLogfmtValue(&out, *s);
    } else {
      out += NumberText(std::get<double>(f.value));
    }
  }
  return out;
}

Status InitLogging(std::string_view level, std::string_view format) {
  LogLevel parsed;
  if (level == "debug") {
    parsed = LogLevel::kDebug;
  } else if (level == "info") {
    parsed = LogLevel::kInfo;
  } else if (level == "warn") {
    parsed = LogLevel::kWarn;
  } else if (level == "error") {
    parsed = LogLevel::kError;
  } else {
    return Status::InvalidArgument("--log.level: must be one of debug, info, warn, error; got \"" +
                                   std::string(level) + "\"");
  }
  if (format != "logfmt" && format != "json") {
    return Status::InvalidArgument("--log.format: must be logfmt or json; got \"" +
                                   std::string(format) + "\"");
  }
  g_json = format == "json";
  auto logger = Logger();
  logger->set_level(ToSpdlog(parsed));
  logger->set_pattern(
      g_json ? "{\"ts\":\"%Y-%m-%dT%H:%M:%S.%eZ\",%v}" : "ts=%Y-%m-%dT%H:%M:%S.%eZ %v",
      spdlog::pattern_time_type::utc);
  return Status::OK();
}

uint64_t LoggedTotal(LogLevel level) {
  switch (level) {
    case LogLevel::kWarn:
      return g_warnings.load(std::memory_order_relaxed);
    case LogLevel::kError:
      return g_errors.load(std::memory_order_relaxed);
    default:
      return 0;
  }
}

void Log(LogLevel level, std::string_view msg, LogFields fields) {
  if (level == LogLevel::kWarn) g_warnings.fetch_add(1, std::memory_order_relaxed);
  if (level == LogLevel::kError) g_errors.fetch_add(1, std::memory_order_relaxed);
  auto logger = Logger();
  if (!logger->should_log(ToSpdlog(level))) return;
  logger->log(ToSpdlog(level), "{}", FormatLogRecord(g_json, level, msg, fields));
}

}  // namespace mailrep
