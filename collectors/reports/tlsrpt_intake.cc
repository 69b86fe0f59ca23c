#include "collectors/reports/tlsrpt_intake.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <unordered_set>

#include "collectors/reports/atomic_file.h"
#include "collectors/reports/bounded_gunzip.h"
#include "collectors/reports/report_directory.h"
#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/tlsrpt_report.h"
#include "exporter/core/log.h"

namespace mailrep {
namespace {

constexpr std::string_view kJsonType = "application/tlsrpt+json";
constexpr std::string_view kGzipType = "application/tlsrpt+gzip";

Status MakeDirectory(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) return Status::OK();
  return StatusFromErrno(errno, "cannot create the TLS-RPT spool directory " + dir);
}

void SyncDirectory(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);  // best effort, as in WriteFileAtomically
  close(fd);
}

// The first line of a Status message, at most 200 bytes, printable ASCII.
std::string OneLine(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  std::string out;
  for (char c : message.substr(0, 200)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return out;
}

// Deletes the files of spool_dir/new and cur whose mtime is older than
// `retention` before `now`; the bytes of the files kept and of those deleted,
// and the paths of every file listed.
struct PruneResult {
  uint64_t kept_bytes = 0, deleted_bytes = 0;
  size_t deleted = 0;
  std::unordered_set<std::string> listed;
};

StatusOr<PruneResult> PruneSpoolFiles(const std::string& dir,
                                      std::chrono::system_clock::time_point now,
                                      std::chrono::seconds retention) {
  const int64_t cutoff_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>((now - retention).time_since_epoch())
          .count();
  StatusOr<ReportDirectory> listing = ListReportFiles(dir);
  if (!listing.ok()) return listing.status().Annotate("TLS-RPT spool");
  PruneResult result;
  for (const ReportFile& f : listing->files) {
    result.listed.insert(f.path);
    if (f.mtime_ns < cutoff_ns && unlink(f.path.c_str()) == 0) {
      result.deleted_bytes += f.size;
      ++result.deleted;
    } else {
      result.kept_bytes += f.size;
    }
  }
  return result;
}

}  // namespace

std::string ContentMediaType(std::string_view content_type) {
  std::string_view value = content_type.substr(0, content_type.find(';'));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  std::string out(value);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

StatusOr<bool> CheckTlsRptUpload(std::string_view body, uint64_t max_decompressed_bytes) {
  if (!LooksLikeGzip(body)) {
    StatusOr<TlsrptReport> report = ParseTlsrptReport(body);
    if (!report.ok()) return report.status();
    return false;
  }
  StatusOr<std::string> json = BoundedGunzip(body, max_decompressed_bytes);
  if (!json.ok()) return json.status();
  StatusOr<TlsrptReport> report = ParseTlsrptReport(*json);
  if (!report.ok()) return report.status();
  return true;
}

StatusOr<std::unique_ptr<TlsRptIntake>> TlsRptIntake::Open(TlsRptIntakeOptions options,
                                                           std::shared_ptr<const Clock> clock) {
  const std::string& dir = options.spool_dir;
  for (const std::string& d : {dir, dir + "/tmp", dir + "/new", dir + "/cur"}) {
    if (Status s = MakeDirectory(d); !s.ok()) return s;
  }
  StatusOr<PruneResult> pruned =
      PruneSpoolFiles(dir, clock->WallNow(),
                      std::chrono::duration_cast<std::chrono::seconds>(options.spool_retention));
  if (!pruned.ok()) return pruned.status();
  return std::unique_ptr<TlsRptIntake>(
      new TlsRptIntake(std::move(options), std::move(clock), pruned->kept_bytes));
}

TlsRptIntake::TlsRptIntake(TlsRptIntakeOptions options, std::shared_ptr<const Clock> clock,
                           uint64_t spool_bytes)
    : options_(std::move(options)),
      clock_(std::move(clock)),
      window_start_(clock_->SteadyNow()),
      spool_bytes_(spool_bytes) {}

void TlsRptIntake::RunRetentionPass() {
  std::lock_guard pass(pass_mu_);
  {
    std::lock_guard lock(spool_mu_);
    recounting_ = true;
    written_while_recounting_.clear();
  }
  StatusOr<PruneResult> pruned =
      PruneSpoolFiles(options_.spool_dir, clock_->WallNow(),
                      std::chrono::duration_cast<std::chrono::seconds>(options_.spool_retention));
  {
    std::lock_guard lock(spool_mu_);
    recounting_ = false;
    if (pruned.ok()) {
      // The listing is the truth (files put there by hand included), plus
      // the uploads it missed because they landed while it ran.
      uint64_t bytes = pruned->kept_bytes;
      for (const auto& [path, size] : written_while_recounting_) {
        if (!pruned->listed.contains(path)) bytes += size;
      }
      spool_bytes_ = bytes;
      // Uploads still being finished whose file the listing saw are counted
      // now; their EndReservation() must not count them again.
      for (auto& [path, upload] : pending_) {
        if (pruned->listed.contains(path)) upload.listed = true;
      }
    }
    written_while_recounting_.clear();
  }
  if (!pruned.ok()) {
    LogWarn("Cannot prune the TLS-RPT spool", {{"err", pruned.status().message()}});
    return;
  }
  if (pruned->deleted == 0) return;
  LogInfo("Deleted TLS-RPT reports past spool_retention",
          {{"files", std::to_string(pruned->deleted)}});
}

bool TlsRptIntake::Reserve(const std::string& dest, uint64_t bytes) {
  std::lock_guard lock(spool_mu_);
  if (spool_bytes_ + reserved_bytes_ + bytes > options_.max_spool_bytes) return false;
  reserved_bytes_ += bytes;
  pending_[dest] = {bytes, false};
  return true;
}

void TlsRptIntake::EndReservation(const std::string& dest, bool written) {
  std::lock_guard lock(spool_mu_);
  auto it = pending_.find(dest);
  if (it == pending_.end()) return;
  Pending upload = it->second;
  pending_.erase(it);
  reserved_bytes_ -= upload.bytes;
  if (!written || upload.listed) return;
  spool_bytes_ += upload.bytes;
  if (recounting_) written_while_recounting_.emplace_back(dest, upload.bytes);
}

HttpResponse TlsRptIntake::Answer(int code, std::string_view reason, std::string body) {
  {
    std::lock_guard lock(mu_);
    ++counts_[{code, std::string(reason)}];
  }
  HttpResponse response = HttpResponse::Text(code, std::move(body) + "\n");
  if (code == 429 || code == 503) {
    response.headers.emplace_back("Retry-After", reason == "rate" ? "60" : "10");
  }
  return response;
}

bool TlsRptIntake::TakeRateToken() {
  std::lock_guard lock(mu_);
  auto now = clock_->SteadyNow();
  if (now - window_start_ >= std::chrono::minutes(1)) {
    window_start_ = now;
    window_count_ = 0;
  }
  if (window_count_ >= options_.max_per_minute) return false;
  ++window_count_;
  return true;
}

HttpResponse TlsRptIntake::Handle(const HttpRequest& request) {
  if (request.path != options_.path) return Answer(404, "not_found", "Not found");
  if (request.method != "POST") {
    HttpResponse r = Answer(405, "method", "Only POST is allowed on " + options_.path);
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  auto content_type = request.headers.find("content-type");
  std::string type =
      content_type == request.headers.end() ? "" : ContentMediaType(content_type->second);
  if (type != kJsonType && type != kGzipType) {
    return Answer(415, "content_type",
                  "Content-Type must be application/tlsrpt+json or application/tlsrpt+gzip");
  }
  if (!TakeRateToken()) return Answer(429, "rate", "Too many reports; try again later");
  if (in_flight_.fetch_add(1) >= options_.max_concurrent) {
    in_flight_.fetch_sub(1);
    return Answer(429, "busy", "Too many uploads at once; try again later");
  }
  struct Release {
    std::atomic<int>* n;
    ~Release() { n->fetch_sub(1); }
  } release{&in_flight_};

  // The bytes decide: reporters label JSON as gzip and the other way round.
  StatusOr<bool> gzip = CheckTlsRptUpload(request.body, options_.max_decompressed_bytes);
  if (!gzip.ok()) {
    return Answer(400, ReportInvalidReasonName(InvalidReportReason(gzip.status())),
                  "Not a TLS-RPT report: " + OneLine(gzip.status().message()));
  }
  const std::string name = SpoolName(*gzip);
  const std::string dest = options_.spool_dir + "/new/" + name;
  if (!Reserve(dest, request.body.size())) {
    return Answer(503, "spool_full", "The report spool is full; try again later");
  }
  Status spooled = Spool(request.body, name);
  EndReservation(dest, spooled.ok());
  if (!spooled.ok()) {
    LogWarn("Cannot spool a TLS-RPT report", {{"err", spooled.message()}});
    return Answer(500, "spool_error", "The report could not be stored; try again later");
  }
  return Answer(200, "accepted", "Accepted");
}

std::string TlsRptIntake::SpoolName(bool gzip) {
  auto wall = clock_->WallNow().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wall);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(wall - seconds);
  // Maildir-style unique name: time, process, sequence.
  char name[96];
  std::snprintf(
      name, sizeof(name), "%lld.M%06lldP%dQ%llu.tlsrpt%s", static_cast<long long>(seconds.count()),
      static_cast<long long>(micros.count()), static_cast<int>(getpid()),
      static_cast<unsigned long long>(sequence_.fetch_add(1) + 1), gzip ? ".json.gz" : ".json");
  return name;
}

Status TlsRptIntake::Spool(std::string_view body, const std::string& name) {
  std::string tmp = options_.spool_dir + "/tmp/" + name;
  std::string dest = options_.spool_dir + "/new/" + name;
  if (Status s = WriteFileAtomically(tmp, body, 0600); !s.ok()) return s;
  if (std::rename(tmp.c_str(), dest.c_str()) != 0) {
    Status s = StatusFromErrno(errno, "cannot move the report to " + dest);
    unlink(tmp.c_str());
    return s;
  }
  SyncDirectory(options_.spool_dir + "/new");
  return Status::OK();
}

TlsRptIntakeStats TlsRptIntake::Stats() const {
  TlsRptIntakeStats stats;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, count] : counts_)
      stats.requests.push_back({key.first, key.second, count});
  }
  {
    std::lock_guard lock(spool_mu_);
    stats.spool_bytes = spool_bytes_;
  }
  return stats;
}

}  // namespace mailrep
