#include "collectors/reports/tlsrpt_intake.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

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
// `retention` before `now`; the bytes of the files kept and of those deleted.
struct PruneResult {
  uint64_t kept_bytes = 0, deleted_bytes = 0;
  size_t deleted = 0;
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
      spool_bytes_(spool_bytes),
      window_start_(clock_->SteadyNow()),
      next_prune_(window_start_ + std::chrono::hours(1)) {}

void TlsRptIntake::MaybePrune() {
  {
    std::lock_guard lock(mu_);
    if (clock_->SteadyNow() < next_prune_) return;
    next_prune_ = clock_->SteadyNow() + std::chrono::hours(1);
  }
  std::unique_lock prune(prune_mu_, std::try_to_lock);
  if (!prune.owns_lock()) return;
  StatusOr<PruneResult> pruned =
      PruneSpoolFiles(options_.spool_dir, clock_->WallNow(),
                      std::chrono::duration_cast<std::chrono::seconds>(options_.spool_retention));
  if (!pruned.ok()) {
    LogWarn("Cannot prune the TLS-RPT spool", {{"err", pruned.status().message()}});
    return;
  }
  // The listing is the truth (files put there by hand included); an upload
  // that lands during the listing may be off by its size until the next hour.
  spool_bytes_.store(pruned->kept_bytes);
  if (pruned->deleted == 0) return;
  LogInfo("Deleted TLS-RPT reports past spool_retention",
          {{"files", std::to_string(pruned->deleted)}});
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
  MaybePrune();
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
  if (spool_bytes_.load() + request.body.size() > options_.max_spool_bytes) {
    return Answer(503, "spool_full", "The report spool is full; try again later");
  }
  if (Status s = Spool(request.body, *gzip); !s.ok()) {
    LogWarn("Cannot spool a TLS-RPT report", {{"err", s.message()}});
    return Answer(500, "spool_error", "The report could not be stored; try again later");
  }
  spool_bytes_.fetch_add(request.body.size());
  return Answer(200, "accepted", "Accepted");
}

Status TlsRptIntake::Spool(std::string_view body, bool gzip) {
  auto wall = clock_->WallNow().time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wall);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(wall - seconds);
  // Maildir-style unique name: time, process, sequence.
  char name[96];
  std::snprintf(
      name, sizeof(name), "%lld.M%06lldP%dQ%llu.tlsrpt%s", static_cast<long long>(seconds.count()),
      static_cast<long long>(micros.count()), static_cast<int>(getpid()),
      static_cast<unsigned long long>(sequence_.fetch_add(1) + 1), gzip ? ".json.gz" : ".json");
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
  stats.spool_bytes = spool_bytes_.load();
  return stats;
}

}  // namespace mailrep
