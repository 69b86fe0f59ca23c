#include "exporter/core/process_metrics.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <limits>
#include <vector>

#include "exporter/util/lines.h"

namespace mailrep {
namespace {

constexpr size_t kMaxProcFileBytes = 1 << 20;

std::optional<std::string> ReadSmallFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buf[4096];
  while (text.size() < kMaxProcFileBytes) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::vector<std::string_view> SplitWhitespace(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::optional<int64_t> CountDirectoryEntries(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return std::nullopt;
  int64_t count = 0;
  while (dirent* entry = readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view text) {
  // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so the
  // fields start after the last ')'.
  size_t paren = text.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> fields = SplitWhitespace(text.substr(paren + 1));
  // fields[0] is field 3 (state) of proc(5); field n is fields[n - 3].
  auto field = [&](size_t n) -> std::optional<uint64_t> {
    if (n - 3 >= fields.size()) return std::nullopt;
    return ParseUint(fields[n - 3]);
  };
  auto utime = field(14), stime = field(15), start = field(22), vsize = field(23);
  // rss (24) is signed in the kernel's format; a negative value fails to parse.
  auto rss = field(24);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  return ProcStat{*utime, *stime, *start, *vsize, *rss};
}

std::optional<uint64_t> ParseSoftLimit(std::string_view text, std::string_view limit_name) {
  std::optional<uint64_t> result;
  ForEachLine(text, [&](std::string_view line) {
    if (!line.starts_with(limit_name)) return true;
    std::string_view rest = line.substr(limit_name.size());
    if (rest.empty() || (rest[0] != ' ' && rest[0] != '\t')) return true;
    std::vector<std::string_view> cols = SplitWhitespace(rest);
    if (cols.empty()) return false;
    if (cols[0] == "unlimited") {
      result = std::numeric_limits<uint64_t>::max();
    } else {
      result = ParseUint(cols[0]);
    }
    return false;
  });
  return result;
}

std::optional<uint64_t> ParseBootTime(std::string_view text) {
  std::optional<uint64_t> result;
  ForEachLine(text, [&](std::string_view line) {
    std::vector<std::string_view> cols = SplitWhitespace(line);
    if (cols.size() == 2 && cols[0] == "btime") {
      result = ParseUint(cols[1]);
      return false;
    }
    return true;
  });
  return result;
}

namespace {

using prometheus::MetricType;

constexpr MetricFamily kCpuSeconds{
    "process_cpu_seconds_total",
    MetricType::Counter,
    {},
    "CPU time the exporter process has used, user plus system, in seconds."};
constexpr MetricFamily kResidentMemory{"process_resident_memory_bytes",
                                       MetricType::Gauge,
                                       {},
                                       "Resident set size of the exporter process in bytes."};
constexpr MetricFamily kVirtualMemory{"process_virtual_memory_bytes",
                                      MetricType::Gauge,
                                      {},
                                      "Virtual memory size of the exporter process in bytes."};
constexpr MetricFamily kVirtualMemoryMax{
    "process_virtual_memory_max_bytes",
    MetricType::Gauge,
    {},
    "Soft limit on the exporter process's address space in bytes (2^64-1 when unlimited)."};
constexpr MetricFamily kStartTime{
    "process_start_time_seconds",
    MetricType::Gauge,
    {},
    "Time the exporter process started, in seconds since the Unix epoch."};
constexpr MetricFamily kOpenFds{
    "process_open_fds", MetricType::Gauge, {}, "File descriptors the exporter process has open."};
constexpr MetricFamily kMaxFds{"process_max_fds",
                               MetricType::Gauge,
                               {},
                               "Soft limit on the exporter process's open file descriptors."};

constexpr MetricFamily kProcessFamilies[] = {
    kCpuSeconds, kResidentMemory, kVirtualMemory, kVirtualMemoryMax, kStartTime, kOpenFds, kMaxFds};

// Start time in Unix seconds: boot time from /stat plus the process's start
// ticks. Reading /stat is costly (its per-interrupt line), and the value never
// changes, so AddProcessMetrics computes it once.
std::optional<double> StartTimeSeconds(const std::string& proc_root, const ProcStat& stat,
                                       double ticks) {
  auto text = ReadSmallFile(proc_root + "/stat");
  std::optional<uint64_t> boot = text ? ParseBootTime(*text) : std::nullopt;
  if (!boot) return std::nullopt;
  return static_cast<double>(*boot) + static_cast<double>(stat.start_time_ticks) / ticks;
}

// `known_start` null: read the start time now.
void AddFrom(const std::string& proc_root, int64_t page_size_bytes, int64_t clock_ticks_per_second,
             const std::optional<double>* known_start, MetricSet* out) {
  const double ticks =
      static_cast<double>(clock_ticks_per_second > 0 ? clock_ticks_per_second : 100);
  std::optional<ProcStat> stat;
  if (auto text = ReadSmallFile(proc_root + "/self/stat")) stat = ParseProcStat(*text);
  if (stat) {
    out->Add(kCpuSeconds, {}, static_cast<double>(stat->utime_ticks + stat->stime_ticks) / ticks);
    out->Add(kResidentMemory, {},
             static_cast<double>(stat->rss_pages) * static_cast<double>(page_size_bytes));
    out->Add(kVirtualMemory, {}, static_cast<double>(stat->vsize_bytes));
  }

  std::optional<std::string> limits = ReadSmallFile(proc_root + "/self/limits");
  if (limits) {
    if (auto max_as = ParseSoftLimit(*limits, "Max address space")) {
      out->Add(kVirtualMemoryMax, {}, static_cast<double>(*max_as));
    }
  }

  if (stat) {
    std::optional<double> start =
        known_start ? *known_start : StartTimeSeconds(proc_root, *stat, ticks);
    if (start) {
      out->Add(kStartTime, {}, *start);
    }
  }

  if (auto open_fds = CountDirectoryEntries(proc_root + "/self/fd")) {
    out->Add(kOpenFds, {}, static_cast<double>(*open_fds));
  }
  if (limits) {
    if (auto max_fds = ParseSoftLimit(*limits, "Max open files")) {
      out->Add(kMaxFds, {}, static_cast<double>(*max_fds));
    }
  }
}

}  // namespace

std::span<const MetricFamily> ProcessMetricFamilies() { return kProcessFamilies; }

void AddProcessMetricsFrom(const std::string& proc_root, int64_t page_size_bytes,
                           int64_t clock_ticks_per_second, MetricSet* out) {
  AddFrom(proc_root, page_size_bytes, clock_ticks_per_second, nullptr, out);
}

void AddProcessMetrics(MetricSet* out) {
  static const long page_size = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
  static const long ticks = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
  static const std::optional<double> start = [] {
    auto text = ReadSmallFile("/proc/self/stat");
    std::optional<ProcStat> stat = text ? ParseProcStat(*text) : std::nullopt;
    return stat ? StartTimeSeconds("/proc", *stat, static_cast<double>(ticks)) : std::nullopt;
  }();
  AddFrom("/proc", page_size, ticks, &start, out);
}

}  // namespace mailrep
