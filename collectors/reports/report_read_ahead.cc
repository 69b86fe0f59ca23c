#include "collectors/reports/report_read_ahead.h"

#include <algorithm>

#include "exporter/util/read_file.h"

namespace mailrep {

ReportFileRead ReadReportFile(const std::string& path, const ReportLimits& limits) {
  ReportFileRead read{ReadFileCapped(path, limits.max_input_bytes + 1), std::nullopt};
  if (!read.bytes.ok()) return read;
  read.parsed = ReadReport(*read.bytes, limits);
  if (read.parsed->ok()) read.bytes = std::string();
  return read;
}

ReportReadAhead::ReportReadAhead(const std::vector<std::string>& paths, const ReportLimits& limits,
                                 int threads)
    : paths_(paths), limits_(limits), slots_(kWindow) {
  int helpers = std::clamp(threads, 1, 64) - 1;
  if (paths_.size() < 2) helpers = 0;
  for (int i = 0; i < helpers; ++i) helpers_.emplace_back([this] { Helper(); });
}

ReportReadAhead::~ReportReadAhead() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& t : helpers_) t.join();
}

int ReportReadAhead::DefaultThreads() {
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
}

std::optional<size_t> ReportReadAhead::ClaimLocked() {
  if (next_ >= paths_.size() || next_ >= taken_ + kWindow) return std::nullopt;
  return next_++;
}

void ReportReadAhead::Helper() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    std::optional<size_t> index = ClaimLocked();
    if (!index) {
      if (next_ >= paths_.size()) return;
      changed_.wait(lock);
      continue;
    }
    lock.unlock();
    ReportFileRead read = ReadReportFile(paths_[*index], limits_);
    lock.lock();
    slots_[*index % kWindow] = std::move(read);
    changed_.notify_all();
  }
}

ReportFileRead ReportReadAhead::Take(size_t index) {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<ReportFileRead>& slot = slots_[index % kWindow];
  while (!slot) {
    // Read one ourselves rather than wait (the one wanted, when unclaimed).
    if (std::optional<size_t> claimed = ClaimLocked()) {
      lock.unlock();
      ReportFileRead read = ReadReportFile(paths_[*claimed], limits_);
      lock.lock();
      slots_[*claimed % kWindow] = std::move(read);
      continue;
    }
    changed_.wait(lock);
  }
  ReportFileRead read = std::move(*slot);
  slot.reset();
  taken_ = index + 1;
  changed_.notify_all();
  return read;
}

}  // namespace mailrep
