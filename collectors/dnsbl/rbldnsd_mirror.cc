#include "collectors/dnsbl/rbldnsd_mirror.h"

namespace mailrep {

RbldnsdMirror::RbldnsdMirror(std::string path, RbldnsdFormat format)
    : path_(std::move(path)), format_(format) {}

Status RbldnsdMirror::Refresh(int64_t now_unix) {
  StatusOr<FileVersion> version = StatFileVersion(path_);
  if (version.ok() && attempted_ && *attempted_ == *version) {
    std::lock_guard lock(mu_);
    return state_.last_attempt_ok ? Status::OK() : Status::InvalidArgument(state_.last_error);
  }
  StatusOr<LoadedRbldnsdFile> loaded = version.ok() ? LoadRbldnsdFile(path_, format_, now_unix)
                                                    : StatusOr<LoadedRbldnsdFile>(version.status());
  std::shared_ptr<const RbldnsdZone> previous;  // released after the lock
  std::lock_guard lock(mu_);
  if (!loaded.ok()) {
    // A missing file is tried again on every refresh, but counted once.
    bool repeated =
        !version.ok() && !state_.last_attempt_ok && state_.last_error == loaded.status().message();
    if (version.ok()) attempted_ = *version;
    if (!repeated) ++state_.load_errors;
    state_.last_attempt_ok = false;
    state_.last_error = loaded.status().message();
    return loaded.status();
  }
  attempted_ = loaded->version;
  const RbldnsdLoadReport& report = loaded->zone.report();
  state_.loaded = true;
  state_.loaded_mtime_unix = loaded->version.mtime_ns / 1000000000;
  state_.last_success_unix = now_unix;
  state_.last_attempt_ok = true;
  state_.last_error.clear();
  state_.entries = report.entries;
  state_.skipped_lines = report.skipped_lines;
  previous = std::move(zone_);
  zone_ = std::make_shared<const RbldnsdZone>(std::move(loaded->zone));
  return Status::OK();
}

std::shared_ptr<const RbldnsdZone> RbldnsdMirror::zone() const {
  std::lock_guard lock(mu_);
  return zone_;
}

RbldnsdMirrorState RbldnsdMirror::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

}  // namespace mailrep
