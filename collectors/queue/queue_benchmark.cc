// queue_benchmark: a synthetic Postfix deferred queue of N messages (each with
// a defer log), scanned by us and by Postfix's own tools in one run.
//
//   queue_benchmark [--messages N] [--dir DIR] [--keep]
//
// Prints: our one-shot full scan (parse + defer logs, no cache) and our cached
// scanner's cold scan (first; fills the cache), warm scans (nothing changed)
// and a steady-state scan (1% of the messages rescheduled: new mtime and
// defer log) vs `postqueue -j` on the same queue; our count-only pass vs
// `find | wc -l`; and the peak RSS of each pass. Each of our passes runs in a
// fresh child process (`queue_benchmark --scan DIR --threads N`, `--cached DIR
// --threads N`). Needs root and Debian's postfix for the postqueue comparison
// (showq runs stand-alone on the stopped queue). The page cache is warm for
// every pass ("cold" means no scanner cache, not a cold disk). A program, not
// a test: it never fails on speed.
#include <fcntl.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "collectors/queue/postfix_queue_file_writer.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "tests/benchmark/benchmark_flags.h"

namespace mailrep {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

const char* const kReasons[][2] = {
    {"4.2.2", "host mx.soft.example[192.0.2.1] said: 452 4.2.2 Mailbox full, try again later"},
    {"4.7.1",
     "host mx.block.example[192.0.2.2] said: 450 4.7.1 Client host blocked using "
     "zen.spamhaus.org"},
    {"4.4.1", "connect to mx.down.example[192.0.2.3]:25: Connection refused"},
    {"4.7.28", "host mx.rate.example[192.0.2.4] said: 421 4.7.28 unusual rate, rate limited"},
};

bool WriteFile(const std::string& path, const std::string& bytes, mode_t mode, uid_t uid,
               time_t mtime) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return false;
  bool ok = write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ok = ok && fchmod(fd, mode) == 0;
  if (uid != 0) ok = ok && fchown(fd, uid, static_cast<gid_t>(-1)) == 0;
  struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
  ok = ok && futimens(fd, times) == 0;
  close(fd);
  return ok;
}

// Builds <dir>/spool (a queue_directory) and <dir>/etc/main.cf.
bool Synthesize(const std::string& dir, int messages, uid_t uid) {
  namespace fs = std::filesystem;
  std::string spool = dir + "/spool";
  for (const char* q :
       {"maildrop", "incoming", "active", "hold", "corrupt", "pid", "public", "private"}) {
    fs::create_directories(spool + "/" + q);
  }
  for (const char* hex = "0123456789ABCDEF"; *hex; ++hex) {
    fs::create_directories(spool + "/deferred/" + *hex);
    fs::create_directories(spool + "/defer/" + *hex);
  }
  fs::create_directories(dir + "/etc");
  std::ofstream(dir + "/etc/main.cf") << "queue_directory = " << spool << "\n"
                                      << "data_directory = " << dir << "/data\n"
                                      << "compatibility_level = 3.6\n";
  std::mt19937 rng(42);
  time_t now = time(nullptr);
  for (int i = 0; i < messages; ++i) {
    SyntheticPostfixMessage m;
    m.arrival = now - 86400 + i % 86400;
    m.sender = "bulk@sender.example";
    int domains = 1 + static_cast<int>(rng() % 3);
    for (int d = 0; d < domains; ++d) {
      m.recipients.push_back(
          {"user" + std::to_string(i) + "@dest" + std::to_string(rng() % 200) + ".example"});
    }
    m.body_lines.clear();
    m.body_lines.push_back("Received: by lab.example.test (Postfix, from userid 0)");
    m.body_lines.push_back("Subject: benchmark message " + std::to_string(i));
    m.body_lines.push_back("");
    for (int line = 0; line < 16; ++line) m.body_lines.push_back(std::string(72, 'x'));
    BuiltQueueFile built = BuildPostfixQueueFile(m);

    char id[32];
    std::snprintf(id, sizeof(id), "%05X%X", static_cast<unsigned>(rng() % 1000000),
                  static_cast<unsigned>(0x100000 + i));
    std::string sub = std::string(1, id[0]) + "/" + id;
    if (!WriteFile(spool + "/deferred/" + sub, built.bytes, 0700, uid, now + 3600)) return false;
    std::vector<SyntheticDeferEntry> entries;
    for (size_t r = 0; r < m.recipients.size(); ++r) {
      const auto& reason = kReasons[rng() % 4];
      entries.push_back(
          {m.recipients[r].address, built.recipient_offsets[r], reason[0], reason[1]});
    }
    if (!WriteFile(spool + "/defer/" + sub, BuildPostfixDeferLog(entries), 0600, uid, now)) {
      return false;
    }
  }
  if (uid != 0) {
    for (const auto& e : fs::recursive_directory_iterator(spool)) {
      if (e.is_directory()) (void)chown(e.path().c_str(), uid, static_cast<gid_t>(-1));
    }
    (void)chown(spool.c_str(), 0, 0);
  }
  return true;
}

struct ChildResult {
  bool ok = false;
  double wall = 0;
  double cpu = 0;  // user + system seconds
  long max_rss_kb = 0;
  std::string output;
};

// Runs argv with stdout captured; wall time and peak RSS from wait4().
ChildResult Run(const std::vector<std::string>& args) {
  ChildResult result;
  int pipefd[2];
  if (pipe(pipefd) != 0) return result;
  auto start = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 1);
    close(pipefd[0]);
    close(pipefd[1]);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(pipefd[1]);
  char buf[65536];
  ssize_t n;
  size_t kept = 0;
  while ((n = read(pipefd[0], buf, sizeof(buf))) > 0) {
    if (kept < 4096) result.output.append(buf, static_cast<size_t>(n));
    kept += static_cast<size_t>(n);
  }
  close(pipefd[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  result.wall = Seconds(start);
  result.max_rss_kb = usage.ru_maxrss;
  result.cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return result;
}

// Child mode: one scan, printing "seconds messages".
int ScanMode(const std::string& spool, bool count_only, int threads) {
  PostfixScanOptions options;
  options.count_only = count_only;
  options.threads = threads;
  auto start = Clock::now();
  auto scan = ScanPostfixQueue(spool, options, {});
  double elapsed = Seconds(start);
  if (!scan.ok()) {
    std::fprintf(stderr, "%s\n", scan.status().ToString().c_str());
    return 1;
  }
  uint64_t reasons = 0;
  for (uint64_t r : scan->deferred_by_reason) reasons += r;
  std::printf("%.4f %llu %llu %zu\n", elapsed,
              static_cast<unsigned long long>(scan->queues[3].messages),
              static_cast<unsigned long long>(reasons), scan->deferred_by_destination.size());
  return 0;
}

double CpuSeconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Reschedules every 100th deferred message as qmgr would after a retry: a new
// mtime on the queue file and a rewritten (appended) defer log.
int TouchOnePercent(const std::string& spool) {
  namespace fs = std::filesystem;
  int touched = 0, seen = 0;
  time_t when = time(nullptr) + 7200;
  for (const auto& e : fs::recursive_directory_iterator(spool + "/deferred")) {
    if (!e.is_regular_file() || seen++ % 100 != 0) continue;
    struct timespec times[2] = {{when, 0}, {when, 0}};
    if (utimensat(AT_FDCWD, e.path().c_str(), times, 0) != 0) continue;
    std::string rel = e.path().string().substr(spool.size() + std::strlen("/deferred"));
    std::ofstream(spool + "/defer" + rel, std::ios::app)
        << "\nrecipient=late@dest1.example\noffset=0\nstatus=4.4.1\naction=delayed\n"
           "reason=connect to mx.dest1.example[192.0.2.9]:25: Connection timed out\n";
    ++touched;
  }
  return touched;
}

// Child mode: one PostfixScanCache over several scans, as the collector keeps
// it. Prints "cold_s cold_cpu warm_s warm_cpu warm2_s warm2_cpu steady_s
// steady_cpu steady_misses messages cached".
int CachedMode(const std::string& spool, int threads) {
  PostfixScanCache cache;
  PostfixScanOptions options;
  options.threads = threads;
  options.cache = &cache;
  std::vector<double> out;
  uint64_t messages = 0, misses = 0;
  for (int pass = 0; pass < 4; ++pass) {
    if (pass == 3) TouchOnePercent(spool);
    double cpu = CpuSeconds();
    auto start = Clock::now();
    auto scan = ScanPostfixQueue(spool, options, {});
    out.push_back(Seconds(start));
    out.push_back(CpuSeconds() - cpu);
    if (!scan.ok()) {
      std::fprintf(stderr, "%s\n", scan.status().ToString().c_str());
      return 1;
    }
    messages = scan->queues[3].messages;
    misses = scan->cache_misses;
  }
  for (double v : out) std::printf("%.4f ", v);
  std::printf("%llu %llu %zu\n", static_cast<unsigned long long>(misses),
              static_cast<unsigned long long>(messages), cache.messages());
  return 0;
}

int Main(int argc, char** argv) {
  int messages = 100000;
  std::string dir;
  bool keep = false;
  std::string scan_spool, count_spool, cached_spool;  // child modes: the spool to read
  int threads = 1;
  BenchmarkFlags flags("queue_benchmark",
                       "A synthetic Postfix deferred queue scanned by us and by postqueue -j.");
  flags.Int("--messages", &messages, "deferred messages to synthesize")
      .String("--dir", &dir, "work directory (default: a new one in /tmp)")
      .Switch("--keep", &keep, "keep the work directory")
      .String("--scan", &scan_spool, "child mode: one full scan of this spool")
      .String("--count", &count_spool, "child mode: one count-only scan of this spool")
      .String("--cached", &cached_spool, "child mode: cached scans of this spool")
      .Int("--threads", &threads, "child mode: scan threads");
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;
  if (!scan_spool.empty()) return ScanMode(scan_spool, false, threads);
  if (!count_spool.empty()) return ScanMode(count_spool, true, 1);
  if (!cached_spool.empty()) return CachedMode(cached_spool, threads);
  if (dir.empty()) {
    char tmpl[] = "/tmp/mailrep_queue_bench.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return 1;
    dir = tmpl;
  }
  chmod(dir.c_str(), 0755);
  uid_t uid = 0;
  if (struct passwd* pw = getpwnam("postfix"); pw != nullptr && geteuid() == 0) uid = pw->pw_uid;

  auto start = Clock::now();
  if (!Synthesize(dir, messages, uid)) {
    std::fprintf(stderr, "cannot write the synthetic queue under %s\n", dir.c_str());
    return 1;
  }
  std::printf("synthetic deferred queue: %d messages + %d defer logs in %s (%.1f s to write)\n",
              messages, messages, dir.c_str(), Seconds(start));
  std::string self = "/proc/self/exe";
  char exe[4096];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (len > 0) self.assign(exe, static_cast<size_t>(len));
  std::string spool = dir + "/spool";

  // Warm the page cache the same way for everyone.
  Run({self, "--scan", spool, "--threads", "1"});
  threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));

  ChildResult count = Run({self, "--count", spool});
  ChildResult find = Run({"/bin/sh", "-c", "find '" + spool + "/deferred' -type f | wc -l"});
  ChildResult full1 = Run({self, "--scan", spool, "--threads", "1"});
  ChildResult full = Run({self, "--scan", spool, "--threads", std::to_string(threads)});
  ChildResult postqueue =
      Run({"/bin/sh", "-c", "postqueue -c '" + dir + "/etc' -j 2>/dev/null | wc -l"});
  // Last: its steady-state pass reschedules 1% of the queue.
  ChildResult cached = Run({self, "--cached", spool, "--threads", std::to_string(threads)});

  double count_s = 0, full_s = 0;
  unsigned long long count_n = 0, full_n = 0, full_reasons = 0, full_domains = 0, ignored = 0;
  std::sscanf(count.output.c_str(), "%lf %llu %llu %llu", &count_s, &count_n, &ignored, &ignored);
  std::sscanf(full.output.c_str(), "%lf %llu %llu %llu", &full_s, &full_n, &full_reasons,
              &full_domains);
  double full1_s = std::strtod(full1.output.c_str(), nullptr);
  double c[8] = {};
  unsigned long long steady_misses = 0, cached_n = 0, cached_entries = 0;
  std::sscanf(cached.output.c_str(), "%lf %lf %lf %lf %lf %lf %lf %lf %llu %llu %llu", &c[0], &c[1],
              &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &steady_misses, &cached_n, &cached_entries);
  double warm_s = std::min(c[2], c[4]);
  double warm_cpu = std::min(c[3], c[5]);

  std::printf("\n%-52s %8s %8s %9s %10s\n", "pass", "seconds", "CPU s", "messages", "peak RSS");
  auto row = [](const std::string& label, double seconds, double cpu, unsigned long long n,
                long rss_kb) {
    std::printf("%-52s %8.3f %8.3f %9llu", label.c_str(), seconds, cpu, n);
    if (rss_kb > 0) std::printf(" %7ld KB", rss_kb);
    std::printf("\n");
  };
  unsigned long long find_n = std::strtoull(find.output.c_str(), nullptr, 10);
  unsigned long long postqueue_n = std::strtoull(postqueue.output.c_str(), nullptr, 10);
  std::string t = std::to_string(threads) + " threads";
  row("ours, count only (readdir)", count_s, count.cpu, count_n, count.max_rss_kb);
  row("find deferred -type f | wc -l (process)", find.wall, find.cpu, find_n, 0);
  row("ours, one-shot full scan, no cache, 1 thread", full1_s, full1.cpu, full_n, full1.max_rss_kb);
  row("ours, one-shot full scan, no cache, " + t, full_s, full.cpu, full_n, full.max_rss_kb);
  row("ours, cached scanner: cold (1st scan), " + t, c[0], c[1], cached_n, 0);
  row("ours, cached scanner: warm (unchanged), " + t, warm_s, warm_cpu, cached_n, 0);
  row("ours, cached scanner: steady (1% changed), " + t, c[6], c[7], cached_n, 0);
  std::printf("%-52s %28s %7ld KB\n", "  (cached scanner process, all four scans)", "",
              cached.max_rss_kb);
  if (postqueue.ok) {
    row("postqueue -j | wc -l (process)", postqueue.wall, postqueue.cpu, postqueue_n, 0);
  } else {
    std::printf("%-52s %8s\n", "postqueue -j", "failed (needs root and postfix)");
  }
  std::printf(
      "full scan found %llu reason classes over messages, %llu destination domains; "
      "steady scan re-read %llu messages; cache holds %llu\n",
      full_reasons, full_domains, steady_misses, cached_entries);
  std::printf(
      "(seconds: time inside our scan, or the whole process for find and postqueue; "
      "CPU: user+sys of the process, or of that scan alone for the cached scanner)\n");

  std::printf("\ncount only / find:        %.2fx wall (goal <= 1.5x)\n", count.wall / find.wall);
  if (postqueue.ok) {
    std::printf("postqueue -j vs ours (wall, goal >= 5x faster):\n");
    std::printf("  one-shot, no cache: %5.1fx (%d threads), %5.1fx (1 thread)\n",
                postqueue.wall / full_s, threads, postqueue.wall / full1_s);
    std::printf("  cached scanner:     %5.1fx cold, %5.1fx warm, %5.1fx steady (1%% changed)\n",
                postqueue.wall / c[0], postqueue.wall / warm_s, postqueue.wall / c[6]);
    std::printf("postqueue -j vs ours (CPU seconds, robust on a busy host):\n");
    std::printf("  one-shot, no cache: %5.1fx (%d threads), %5.1fx (1 thread)\n",
                postqueue.cpu / full.cpu, threads, postqueue.cpu / full1.cpu);
    std::printf("  cached scanner:     %5.1fx cold, %5.1fx warm, %5.1fx steady (1%% changed)\n",
                postqueue.cpu / c[1], postqueue.cpu / warm_cpu, postqueue.cpu / c[7]);
  }
  std::printf(
      "peak RSS: one-shot full scan %.1f MB; cached scanner with %llu cached messages "
      "%.1f MB (goal <= 20 MB)\n",
      static_cast<double>(std::max(full.max_rss_kb, full1.max_rss_kb)) / 1024.0, cached_entries,
      static_cast<double>(cached.max_rss_kb) / 1024.0);

  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
