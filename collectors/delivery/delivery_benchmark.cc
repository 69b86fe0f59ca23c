// Benchmark program (not a test): a 1,000,000-line Postfix log built from real
// lab lines (sent, deferred, bounced; two syslog_names, several providers),
// read by our parser + stats, by `grep -c 'status='` (the I/O floor), and by
// Debian's prometheus-postfix-exporter when installed (fed the same lines by
// appending them to a file it follows, timed until its smtp delay histogram
// has counted every line). Prints lines/s and peak RSS of each. Ours runs
// twice: as before, and as the collector does with a Message-ID index (the
// tracer asking every line for its message; message_tracer.h). With
// --message-ids each delivery line also has its cleanup "message-id=" and
// qmgr "removed" lines, so the index fills; then the index's heap bytes per
// entry are printed, measured with mallinfo2 over 200,000 entries.
// With --submitters it runs instead the collector (DeliveryCollector) over
// N lines of Postfix messages (smtpd with sasl_username, qmgr, smtp, removed)
// from 10,000 Zipf-distributed logins, with collectors.delivery.submitters
// off and on: CPU-time lines/s of each, the 1h top 20's rank and count error
// against exact counts (and their distinct client addresses and recipient
// domains), the heap bytes the submitters add after the run, and the
// submitters' memory with every bucket of both windows full.
//
// usage: delivery_benchmark [--lines N] [--dir DIR] [--no-peer] [--message-ids]
//        [--submitters]
//        (loopback only)
#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "collectors/delivery/delivery_collector.h"
#include "collectors/delivery/delivery_stats.h"
#include "collectors/delivery/file_follower.h"
#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/message_id_index.h"
#include "collectors/delivery/message_tracer.h"
#include "collectors/delivery/submitter_stats.h"
#include "collectors/sketch/hash64.h"
#include "exporter/core/fake_clock.h"
#include "tests/benchmark/benchmark_flags.h"

extern char** environ;

namespace mailrep {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// This thread's CPU seconds: on a shared machine, steadier than wall time.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void WriteLog(const std::string& path, size_t lines, bool message_ids) {
  static const char* kTemplates[] = {
      "postfix/smtp[32351]: %s: to=<a%zu@gmail.com>, relay=gmail-smtp-in.l.google.com"
      "[142.250.1.27]:25, delay=0.16, delays=0.06/0.08/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 "
      "OK 1795785883 a1-20020a05600c000100b0040e4d7f8f8csi1234567wmb.123 - gsmtp)",
      "postfix-out1/smtp[32355]: %s: to=<b%zu@outlook.com>, relay=outlook-com.olc.protection."
      "outlook.com[192.0.2.33]:25, delay=0.4, delays=0.01/0.08/0.1/0.2, dsn=2.0.0, status=sent "
      "(250 2.6.0 <x@lab.example.test> [InternalId=1, Hostname=X] Queued mail for delivery)",
      "postfix/smtp[32360]: %s: to=<d%zu@soft.example.test>, relay=127.0.0.1[127.0.0.1]:2527, "
      "delay=0.05, delays=0.01/0.01/0.01/0.03, dsn=4.2.2, status=deferred (host "
      "127.0.0.1[127.0.0.1] said: 452 4.2.2 Mailbox full, try later (in reply to RCPT TO "
      "command))",
      "postfix/smtp[32351]: %s: to=<c%zu@yahoo.com>, relay=mta7.am0.yahoodns.net[192.0.2.7]:25, "
      "delay=0.09, delays=0/0.04/0.01/0.04, dsn=5.7.1, status=bounced (host "
      "mta7.am0.yahoodns.net[192.0.2.7] said: 554 5.7.1 Service unavailable; Client host "
      "[198.51.100.7] blocked using zen.spamhaus.org (in reply to RCPT TO command))",
      "postfix/smtp[32351]: %s: to=<e%zu@down.example.test>, relay=none, delay=0, "
      "delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to 127.0.0.1[127.0.0.1]:2599: "
      "Connection refused)",
  };
  static const int kWeights[] = {40, 20, 20, 10, 10};
  std::mt19937 rng(42);
  std::discrete_distribution<int> pick(std::begin(kWeights), std::end(kWeights));
  FILE* out = std::fopen(path.c_str(), "w");
  char id[32], body[1024];
  for (size_t i = 0; i < lines; ++i) {
    std::snprintf(id, sizeof(id), "%05X%06zX", static_cast<unsigned>(rng() & 0xFFFFF), i);
    std::snprintf(body, sizeof(body), kTemplates[pick(rng)], id, i);
    if (message_ids) {
      std::fprintf(out,
                   "Nov 27 13:%02zu:%02zu lab postfix/cleanup[32340]: %s: "
                   "message-id=<20261127%06zu.%s@lab.example.test>\n",
                   (i / 60) % 60, i % 60, id, i, id);
    }
    std::fprintf(out, "Nov 27 13:%02zu:%02zu lab %s\n", (i / 60) % 60, i % 60, body);
    if (message_ids) {
      std::fprintf(out, "Nov 27 13:%02zu:%02zu lab postfix/qmgr[32341]: %s: removed\n",
                   (i / 60) % 60, i % 60, id);
    }
  }
  std::fclose(out);
}

long PeakRssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, req.data(), req.size()) < 0) {
    close(fd);
    return "";
  }
  std::string resp;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  return resp;
}

double MetricValue(const std::string& text, const std::string& series) {
  size_t pos = text.find("\n" + series + " ");
  if (pos == std::string::npos) return -1;
  return std::atof(text.c_str() + pos + series.size() + 2);
}

// With `index`, as DeliveryCollector::Collect does with a Message-ID index.
void RunOurs(const std::string& path, size_t lines, MessageIdIndex* index) {
  ProviderMap providers;
  SendingIpMap ips{{"postfix-out1/smtp", "192.0.2.10"}};
  DeliveryStats stats(&providers, &RejectionClassifier::Default(), &ips);
  LineParser parser;
  MessageTracer tracer;
  FileFollower follower(path, {.from_start = true});
  auto start = Clock::now();
  double cpu_start = CpuSeconds();
  DeliveryEvent e;
  MessageTrace trace;
  MessageTrace* want_trace = index ? &trace : nullptr;
  follower.Poll([&](std::string_view line, bool too_long) {
    LineResult r = too_long ? LineResult::kMalformed : parser.Parse(line, &e, want_trace);
    stats.AddLine(path, r);
    if (r != LineResult::kParsed) {
      if (!trace.empty()) tracer.Note(trace);
      return;
    }
    stats.AddEvent(e);
    if (index && e.status == DeliveryStatus::kSent) {
      std::string_view ip = LookUpSendingIp(ips, e.syslog_tag);
      tracer.OnDelivery(e, ip == "unknown" ? std::string_view() : ip, *index, 1800000000);
    }
  });
  if (index) tracer.Flush(*index);
  double t = Seconds(start);
  double cpu = CpuSeconds() - cpu_start;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("mailrep (parse + classify + count)%s: %8.3f s  %10.0f lines/s  parsed=%llu",
              index ? " + Message-ID index" : "                    ", t,
              static_cast<double>(lines) / t,
              static_cast<unsigned long long>(stats.lines(LineResult::kParsed)));
  if (index) std::printf("  indexed=%zu", index->Size(1800000000));
  std::printf("  cpu %.3f s (%.0f lines/cpu-s)", cpu, static_cast<double>(lines) / cpu);
  std::printf("  peak RSS %ld kB\n", ru.ru_maxrss);
}

// Heap bytes per entry of a full default index, by mallinfo2 before and after.
void MeasureIndexBytes() {
  constexpr size_t kEntries = 200000;
  size_t before = mallinfo2().uordblks + mallinfo2().hblkhd;
  {
    MessageIdIndex index(kEntries);
    char id[64];
    for (size_t i = 0; i < kEntries; ++i) {
      std::snprintf(id, sizeof(id), "<20261127%06zu.4Nv1qT%05zX@lab.example.test>", i, i);
      index.Add(MessageIdKey(id), i % 2 ? "192.0.2.10" : "2001:db8::25", "4Nv1qT4w3Zz1x",
                i % 3 ? "alice@lab.example.test" : "", 1800000000);
    }
    size_t after = mallinfo2().uordblks + mallinfo2().hblkhd;
    std::printf(
        "Message-ID index: %zu entries, %.1f heap bytes/entry (mallinfo2), %.1f estimated\n",
        index.Size(1800000000), static_cast<double>(after - before) / kEntries,
        static_cast<double>(index.ApproximateBytes()) / kEntries);
  }
}

double RunGrep(const std::string& path, size_t lines) {
  auto start = Clock::now();
  std::string cmd = "grep -c 'status=' '" + path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[64] = {};
  if (p == nullptr || std::fgets(buf, sizeof(buf), p) == nullptr) buf[0] = 0;
  if (p) pclose(p);
  double t = Seconds(start);
  std::printf("grep -c 'status=':                  %8.3f s  %10.0f lines/s  count=%s", t,
              static_cast<double>(lines) / t, buf);
  return t;
}

void RunPostfixExporter(const std::string& dir, const std::string& path, size_t lines) {
  const char* binary = "/usr/bin/prometheus-postfix-exporter";
  if (access(binary, X_OK) != 0) {
    std::printf(
        "prometheus-postfix-exporter: not installed (apt-get install "
        "prometheus-postfix-exporter), skipped\n");
    return;
  }
  std::string followed = dir + "/followed.log";
  std::ofstream(followed, std::ios::trunc).close();
  int port = 39000 + static_cast<int>(getpid() % 1000);
  std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port);
  std::string logfile = "--postfix.logfile_path=" + followed;
  std::string showq = "--postfix.showq_path=" + dir + "/no-showq";
  std::vector<char*> argv = {const_cast<char*>(binary), listen.data(), logfile.data(), showq.data(),
                             nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  if (posix_spawn(&pid, binary, &actions, nullptr, argv.data(), environ) != 0) {
    std::printf("prometheus-postfix-exporter: cannot start, skipped\n");
    return;
  }
  for (int i = 0; i < 100 && HttpGet(port, "/metrics").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // its tail must be at the end
  auto start = Clock::now();
  {
    // Appended like a log grows (it follows from the end, and skips a replaced file).
    std::ifstream in(path, std::ios::binary);
    std::ofstream out(followed, std::ios::binary | std::ios::app);
    out << in.rdbuf();
  }
  // It counts each line with delays= 4 times in this histogram, and lines it
  // cannot read (e.g. the "postfix-out1/smtp" syslog_name) as unsupported.
  double got = 0, unsupported = 0;
  while (Seconds(start) < 600) {
    std::string text = HttpGet(port, "/metrics");
    got = MetricValue(text, "postfix_smtp_delivery_delay_seconds_count{stage=\"\"}") / 4;
    unsupported = MetricValue(text, "postfix_unsupported_log_entries_total{service=\"\"}");
    if (got + std::max(unsupported, 0.0) >= static_cast<double>(lines)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  double t = Seconds(start);
  long rss = PeakRssKb(pid);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::printf(
      "prometheus-postfix-exporter 0.3.0:  %8.3f s  %10.0f lines/s  counted=%.0f "
      "unsupported=%.0f of %zu  peak RSS %ld kB\n",
      t, (got + std::max(unsupported, 0.0)) / t, got, unsupported, lines, rss);
}

}  // namespace
}  // namespace mailrep

namespace mailrep {

// The submitters' state once every bucket of both windows is full: a day of
// runs every 5 minutes, each with 5,000 messages of 10,000 Zipf logins from
// 1 to 8 client addresses to up to 500 recipient domains (so the heavy ones'
// HyperLogLogs are dense).
void MeasureFullWindows() {
  constexpr int kSubmitters = 10000;
  std::vector<double> cdf(kSubmitters);
  double sum = 0;
  for (int i = 0; i < kSubmitters; ++i) cdf[i] = sum += 1.0 / (i + 1);
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> uniform(0, sum);
  auto clock = std::make_shared<FakeClock>();
  size_t heap_before = mallinfo2().uordblks;
  SubmitterOptions options;
  options.enabled = true;
  auto stats = std::make_unique<SubmitterStats>(options, clock);
  char name[32], domain[48];
  double cpu_start = CpuSeconds();
  for (int run = 0; run < 24 * 12; ++run) {
    for (int m = 0; m < 5000; ++m) {
      int user =
          static_cast<int>(std::lower_bound(cdf.begin(), cdf.end(), uniform(rng)) - cdf.begin());
      user = std::min(user, kSubmitters - 1);
      std::snprintf(name, sizeof(name), "user%d@lab.example", user);
      std::snprintf(domain, sizeof(domain), "r@d%d.example", static_cast<int>(rng() % 500));
      SubmitterStats::Outcome o;
      o.message = true;
      o.recipients = 1;
      o.deferred = m % 10 == 9;
      o.client_ip_hash = Mix64(static_cast<uint64_t>(user) << 3 | (rng() % 8)) | 1;
      o.recipient_domain_hash = SubmitterStats::RecipientDomainHash(domain);
      stats->Add(SubmitterKind::kSasl, name, o);
    }
    stats->Flush();
    clock->Advance(std::chrono::minutes(5));
  }
  MetricSet out;
  stats->WriteMetrics(&out);
  double cpu = CpuSeconds() - cpu_start;
  size_t heap = mallinfo2().uordblks - heap_before;
  std::printf(
      "full windows (a day of 5-minute runs of 5,000 messages): %.1f MB heap (mallinfo2), "
      "%.1f MB by MemoryBytes(); %.2f s CPU for 1.44 M outcomes and 288 flushes\n",
      static_cast<double>(heap) / 1e6, static_cast<double>(stats->MemoryBytes()) / 1e6, cpu);
}

// --submitters: see the top of the file.
void RunSubmitters(const std::string& dir, size_t lines) {
  constexpr int kSubmitters = 10000;
  std::vector<double> cdf(kSubmitters);
  double sum = 0;
  for (int i = 0; i < kSubmitters; ++i) cdf[i] = sum += 1.0 / (i + 1);  // Zipf, s = 1
  std::mt19937_64 rng(16);
  std::uniform_real_distribution<double> uniform(0, sum);
  std::vector<uint64_t> exact(kSubmitters);
  std::vector<uint8_t> domains(kSubmitters);  // bit 0: gmail.com, bit 1: soft.example.test
  std::string path = dir + "/submitters.log";
  {
    std::ofstream out(path);
    char buf[512];
    for (size_t m = 0; m < lines / 4; ++m) {
      int user =
          static_cast<int>(std::lower_bound(cdf.begin(), cdf.end(), uniform(rng)) - cdf.begin());
      if (user >= kSubmitters) user = kSubmitters - 1;
      ++exact[user];
      char qid[24];
      std::snprintf(qid, sizeof(qid), "%010zX", m + 0x100000);
      std::snprintf(buf, sizeof(buf),
                    "Dec  7 10:00:00 lab postfix/submission/smtpd[1]: %s: client=c.example"
                    "[10.%d.%d.%d], sasl_method=PLAIN, sasl_username=user%d@lab.example\n"
                    "Dec  7 10:00:00 lab postfix/qmgr[2]: %s: from=<user%d@lab.example>, "
                    "size=3000, nrcpt=1 (queue active)\n",
                    qid, user >> 16, (user >> 8) & 255, user & 255, user, qid, user);
      out << buf;
      domains[user] |= m % 10 == 9 ? 2 : 1;
      if (m % 10 == 9) {
        std::snprintf(buf, sizeof(buf),
                      "Dec  7 10:00:01 lab postfix/smtp[3]: %s: to=<r%zu@soft.example.test>, "
                      "relay=127.0.0.1[127.0.0.1]:2527, delay=0.05, delays=0.01/0.01/0.01/0.03, "
                      "dsn=4.2.2, status=deferred (host 127.0.0.1[127.0.0.1] said: 452 4.2.2 "
                      "Mailbox full, try later (in reply to RCPT TO command))\n",
                      qid, m);
      } else {
        std::snprintf(buf, sizeof(buf),
                      "Dec  7 10:00:01 lab postfix/smtp[3]: %s: to=<r%zu@gmail.com>, "
                      "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=0.16, "
                      "delays=0.06/0.08/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 OK)\n",
                      qid, m);
      }
      out << buf;
      std::snprintf(buf, sizeof(buf), "Dec  7 10:00:02 lab postfix/qmgr[2]: %s: removed\n", qid);
      out << buf;
    }
  }
  lines = lines / 4 * 4;
  auto run = [&](bool on, MetricSet* out) {
    static Config config;
    static CollectorSettings settings;
    CollectorEnv env{config, settings, ""};
    std::string yaml = "sources: [{path: " + path +
                       ", mta: postfix, from_start: true}]\nread_postfix_config: false\n";
    if (on) yaml += "submitters: {enabled: true}\n";
    StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "bench.yml");
    size_t heap_before = mallinfo2().uordblks;
    StatusOr<std::unique_ptr<Collector>> c = NewDeliveryCollector(env, *options);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      std::exit(1);
    }
    double cpu_start = CpuSeconds();
    CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::hours(1)};
    (void)(*c)->Collect(ctx, out);
    double cpu = CpuSeconds() - cpu_start;
    size_t heap = mallinfo2().uordblks - heap_before;
    std::printf(
        "submitters %-3s: %.0f lines/s CPU (%.2f s), collector heap after the run %.1f MB\n",
        on ? "on" : "off", static_cast<double>(lines) / cpu, cpu, static_cast<double>(heap) / 1e6);
    return std::pair<double, size_t>(cpu, heap);
  };
  MetricSet off_out, on_out;
  auto [off_cpu, off_heap] = run(false, &off_out);
  auto [on_cpu, on_heap] = run(true, &on_out);
  std::printf("on/off throughput: %.2f (goal >= 0.75); extra heap with submitters: %.1f MB\n",
              off_cpu / on_cpu,
              (static_cast<double>(on_heap) - static_cast<double>(off_heap)) / 1e6);
  // The exported 1h top 20 against the exact counts (user i is rank i + 1 in
  // expectation; the exact ranks come from the counts drawn).
  std::vector<int> order(kSubmitters);
  for (int i = 0; i < kSubmitters; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return exact[a] > exact[b]; });
  std::vector<std::pair<double, int>> exported;
  std::map<int, std::pair<double, double>> distinct;  // user -> client IPs, recipient domains
  for (const auto& family : on_out.families()) {
    bool ips = family.name == "mailrep_submitter_client_ips";
    bool doms = family.name == "mailrep_submitter_recipient_domains";
    if (family.name != "mailrep_submitter_messages" && !ips && !doms) continue;
    for (const auto& metric : family.metric) {
      std::string window, submitter;
      for (const auto& l : metric.label) {
        if (l.name == "window") window = l.value;
        if (l.name == "submitter") submitter = l.value;
      }
      if (window != "1h" || !submitter.starts_with("user")) continue;
      int user = std::atoi(submitter.c_str() + 4);
      if (ips) {
        distinct[user].first = metric.gauge.value;
      } else if (doms) {
        distinct[user].second = metric.gauge.value;
      } else {
        exported.push_back({metric.gauge.value, user});
      }
    }
  }
  int distinct_exact = 0;
  for (const auto& [user, d] : distinct) {
    distinct_exact += d.first == 1;  // one client address each
    distinct_exact += d.second == std::popcount(domains[user]);
  }
  std::sort(exported.begin(), exported.end(), std::greater<>());
  int rank_errors = 0, missing = 0;
  double max_count_error = 0;
  for (size_t r = 0; r < 20; ++r) {
    int user = order[r];
    auto it = std::find_if(exported.begin(), exported.end(),
                           [&](const auto& e) { return e.second == user; });
    if (it == exported.end()) {
      ++missing;
      continue;
    }
    if (static_cast<size_t>(it - exported.begin()) != r) ++rank_errors;
    max_count_error =
        std::max(max_count_error, std::abs(it->first - static_cast<double>(exact[user])) /
                                      static_cast<double>(exact[user]));
  }
  std::printf(
      "1h top 20 vs exact: %zu exported, %d missing, %d at another rank, max count "
      "error %.3f %%; distinct client IPs and recipient domains exact in %d of %zu\n",
      exported.size(), missing, rank_errors, 100 * max_count_error, distinct_exact,
      2 * distinct.size());
  MeasureFullWindows();
}

}  // namespace mailrep

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int line_count = 1000000;
  std::string dir = "/tmp/mailrep_delivery_bench";
  bool no_peer = false;
  bool message_ids = false;
  bool submitters = false;
  mailrep::BenchmarkFlags flags(
      "delivery_benchmark",
      "Postfix log lines/s: our parser vs grep -c vs prometheus-postfix-exporter (loopback only).");
  // At least one line: the peer is timed until it has counted every line, so
  // an empty log would leave nothing to wait for but the 600 s limit.
  flags.Int("--lines", &line_count, "log lines to write and read")
      .String("--dir", &dir, "work directory (removed at the end)")
      .Switch("--no-peer", &no_peer, "skip prometheus-postfix-exporter")
      .Switch("--message-ids", &message_ids,
              "add each delivery's cleanup message-id= and qmgr removed lines")
      .Switch("--submitters", &submitters,
              "instead: the collector with submitters off and on over Zipf logins");
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;
  size_t lines = static_cast<size_t>(line_count);
  std::filesystem::create_directories(dir);
  if (submitters) {
    mailrep::RunSubmitters(dir, lines);
    std::filesystem::remove_all(dir);
    return 0;
  }
  std::string path = dir + "/mail.log";
  auto start = std::chrono::steady_clock::now();
  mailrep::WriteLog(path, lines, message_ids);
  if (message_ids) lines *= 3;
  std::printf("%zu lines, %.1f MB, written in %.2f s\n", lines,
              static_cast<double>(std::filesystem::file_size(path)) / 1e6, mailrep::Seconds(start));
  mailrep::RunGrep(path, lines);  // warms the page cache for everyone
  mailrep::RunGrep(path, lines);
  mailrep::RunOurs(path, lines, nullptr);
  mailrep::MessageIdIndex index;
  mailrep::RunOurs(path, lines, &index);
  if (message_ids) mailrep::MeasureIndexBytes();
  if (!no_peer) mailrep::RunPostfixExporter(dir, path, lines);
  std::filesystem::remove_all(dir);
  return 0;
}
