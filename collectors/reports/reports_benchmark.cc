// reports_benchmark: the reports collector over a generated Maildir of DMARC
// aggregate report mails (#15's performance goal: 100,000 reports, gzip and
// zip attachments, 1-500 records each; >= 2,000 reports/s, peak RSS <= 64 MB
// and flat). Generates the mails (not timed), then runs Collect() until the
// backlog is empty and prints reports/s, and the RSS after 10,000 and after
// every report, with the state file's size, and checks the counted messages
// against what was generated (exit 1 on a mismatch). The anchor, in the same run:
// the first --anchor-reports of the same mails read by Python's standard
// library (reports_python_anchor.py: email, gzip/zipfile, ElementTree — the
// parsing Python DMARC tools such as parsedmarc rest on), and the ratio of
// the two rates.
//
//   reports_benchmark [--reports 100000] [--max-records 500] [--per-run 10000]
//                     [--anchor-reports 1000] [--python PATH] [--anchor-script PATH]
#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "collectors/reports/reports_collector.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "tests/benchmark/benchmark_flags.h"

#ifndef MAILREP_REPORTS_PYTHON_ANCHOR
#define MAILREP_REPORTS_PYTHON_ANCHOR "reports_python_anchor.py"
#endif

namespace mailrep {
namespace {

struct AnchorRun {
  int files = 0;
  double records = 0, seconds = 0;
};

// The Python anchor over the first `count` files of `dir`; nullopt when it fails.
std::optional<AnchorRun> RunAnchor(const std::string& python, const std::string& script,
                                   const std::string& dir, int count) {
  std::string command =
      "'" + python + "' '" + script + "' '" + dir + "' " + std::to_string(count) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  char line[512] = {};
  std::string output;
  while (std::fgets(line, sizeof(line), pipe) != nullptr) output += line;
  if (pclose(pipe) != 0) {
    std::fprintf(stderr, "anchor failed: %s\n", output.c_str());
    return std::nullopt;
  }
  AnchorRun run;
  if (std::sscanf(output.c_str(), "%d %lf %lf", &run.files, &run.records, &run.seconds) != 3 ||
      run.seconds <= 0) {
    std::fprintf(stderr, "anchor said: %s\n", output.c_str());
    return std::nullopt;
  }
  return run;
}

// User and system CPU seconds of every thread of this process so far.
struct Cpu {
  double user = 0, sys = 0;
};
Cpu CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return {s(u.ru_utime), s(u.ru_stime)};
}

// "CPU per 1,000 reports: ..." since `start`: what a loaded machine's wall
// clock rate cannot say.
void PrintCpu(const Cpu& start, double reports) {
  Cpu now = CpuSeconds();
  double k = reports / 1000;
  std::printf("  CPU per 1,000 reports: %.2f s user + %.2f s system (all threads)\n",
              (now.user - start.user) / k, (now.sys - start.sys) / k);
}

long RssKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}

std::string Deflate(const std::string& data, int window_bits) {
  z_stream z{};
  deflateInit2(&z, 1, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void Le(std::string* out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string Zip(const std::string& name, const std::string& data) {
  std::string body = Deflate(data, -15);
  uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(data.data()), data.size());
  std::string z;
  auto header = [&](bool central) {
    Le(&z, central ? 0x02014b50 : 0x04034b50, 4);
    if (central) Le(&z, 20, 2);
    Le(&z, 20, 2), Le(&z, 0, 2), Le(&z, 8, 2), Le(&z, 0, 2), Le(&z, 0x21, 2);
    Le(&z, crc, 4), Le(&z, body.size(), 4), Le(&z, data.size(), 4);
    Le(&z, name.size(), 2), Le(&z, 0, 2);
    if (central) Le(&z, 0, 2), Le(&z, 0, 2), Le(&z, 0, 2), Le(&z, 0, 4), Le(&z, 0, 4);
    z += name;
  };
  header(false);
  z += body;
  size_t cd = z.size();
  header(true);
  size_t cd_size = z.size() - cd;
  Le(&z, 0x06054b50, 4), Le(&z, 0, 2), Le(&z, 0, 2), Le(&z, 1, 2), Le(&z, 1, 2);
  Le(&z, cd_size, 4), Le(&z, cd, 4), Le(&z, 0, 2);
  return z;
}

std::string Base64(const std::string& data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t line = 0;
  for (size_t i = 0; i < data.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<uint8_t>(data[i + 1]) << 8;
    if (i + 2 < data.size()) v |= static_cast<uint8_t>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < data.size() ? kAlphabet[v & 63] : '=';
    if (++line == 19) out += "\r\n", line = 0;
  }
  return out + "\r\n";
}

// What the generated reports hold, for the self-check.
struct Generated {
  double messages = 0;      // the records' counts summed
  double dkim_aligned = 0;  // ... of the records whose policy_evaluated/dkim passes
};

// The sum of every sample of counter `name` whose labels include all of `want`.
double SumSamples(const MetricSet& set, std::string_view name, const Labels& want) {
  double sum = 0;
  for (const auto& family : set.families()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      bool all = true;
      for (const auto& [k, v] : want) {
        bool found = false;
        for (const auto& l : metric.label) found = found || (l.name == k && l.value == v);
        all = all && found;
      }
      if (all) sum += metric.counter.value;
    }
  }
  return sum;
}

std::string ReportXml(int n, int records, std::mt19937& rng, Generated* generated) {
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback><report_metadata>"
       "<org_name>google.com</org_name><email>noreply-dmarc-support@google.com</email>"
       "<report_id>bench-"
    << n
    << "</report_id><date_range><begin>1796083200</begin><end>1796169599</end>"
       "</date_range></report_metadata><policy_published><domain>example.com</domain>"
       "<adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct>"
       "</policy_published>\n";
  for (int r = 0; r < records; ++r) {
    uint32_t pick = rng();
    std::string ip = pick % 4 == 0 ? "192.0.2." + std::to_string(1 + pick % 14)
                                   : std::to_string(11 + pick % 200) + "." +
                                         std::to_string((pick >> 8) & 255) + "." +
                                         std::to_string((pick >> 16) & 255) + ".7";
    bool pass = (pick >> 24) % 10 != 0;
    generated->messages += 1 + (pick >> 4) % 900;
    if (pass) generated->dkim_aligned += 1 + (pick >> 4) % 900;
    x << "<record><row><source_ip>" << ip << "</source_ip><count>" << 1 + (pick >> 4) % 900
      << "</count><policy_evaluated><disposition>none</disposition><dkim>"
      << (pass ? "pass" : "fail") << "</dkim><spf>pass</spf></policy_evaluated></row>"
      << "<identifiers><header_from>example.com</header_from></identifiers><auth_results>"
         "<dkim><domain>example.com</domain><selector>s1</selector><result>"
      << (pass ? "pass" : "fail")
      << "</result></dkim><spf><domain>example.com</domain><result>pass</result></spf>"
         "</auth_results></record>\n";
  }
  x << "</feedback>\n";
  return x.str();
}

std::string Mail(int n, int records, std::mt19937& rng, Generated* generated) {
  std::string xml = ReportXml(n, records, rng, generated);
  std::string name = "google.com!example.com!1796083200!1796169599!" + std::to_string(n);
  bool gzip = n % 2 == 0;
  std::string attachment = gzip ? Deflate(xml, 31) : Zip(name + ".xml", xml);
  name += gzip ? ".xml.gz" : ".zip";
  std::string type = gzip ? "application/gzip" : "application/zip";
  return "From: noreply-dmarc-support@google.com\r\nTo: dmarc@example.com\r\n"
         "Subject: Report domain: example.com Submitter: google.com Report-ID: " +
         std::to_string(n) + "\r\nMessage-ID: <bench-" + std::to_string(n) +
         "@google.com>\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
         "Content-Type: text/plain\r\n\r\nThis is an aggregate report.\r\n--b\r\n"
         "Content-Type: " +
         type + "; name=\"" + name +
         "\"\r\nContent-Transfer-Encoding: base64\r\n"
         "Content-Disposition: attachment; filename=\"" +
         name + "\"\r\n\r\n" + Base64(attachment) + "--b--\r\n";
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) {
  using namespace mailrep;
  int reports = 100000, max_records = 500, per_run = 10000, anchor_reports = 1000;
  std::string python = "/usr/bin/python3", anchor_script = MAILREP_REPORTS_PYTHON_ANCHOR;
  BenchmarkFlags flags("reports_benchmark",
                       "the reports collector over a generated Maildir of DMARC report mails");
  flags.Int("--reports", &reports, "report mails to generate", 1, 10000000);
  flags.Int("--max-records", &max_records, "records per report: 1 to this, uniformly", 1, 100000);
  flags.Int("--per-run", &per_run, "max_reports_per_run", 1, 10000000);
  flags.Int("--anchor-reports", &anchor_reports, "mails the Python anchor reads (0: no anchor)", 0,
            10000000);
  flags.String("--python", &python, "python3");
  flags.String("--anchor-script", &anchor_script, "reports_python_anchor.py");
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;

  ScopedTempDir dir("reports_benchmark");
  std::string maildir = dir.MakeDir("/mail");
  dir.MakeDir("/mail/cur");
  dir.MakeDir("/mail/tmp");
  dir.MakeDir("/mail/new");
  std::mt19937 rng(1);
  auto g0 = std::chrono::steady_clock::now();
  uint64_t bytes = 0, records = 0;
  Generated generated;
  for (int n = 0; n < reports; ++n) {
    int r = 1 + static_cast<int>(rng() % static_cast<uint32_t>(max_records));
    records += r;
    std::string mail = Mail(n, r, rng, &generated);
    bytes += mail.size();
    std::ofstream(maildir + "/new/" + std::to_string(n) + ".bench", std::ios::binary) << mail;
  }
  double gen_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
  std::printf("generated %d mails (%llu records, %.1f MB on disk) in %.1f s; RSS %ld kB\n", reports,
              static_cast<unsigned long long>(records), bytes / 1e6, gen_s, RssKb("VmRSS:"));

  Config config;
  SenderConfig sender;
  sender.ips.push_back(*IpNetwork::Parse("192.0.2.0/28"));
  config.senders.push_back(sender);
  CollectorSettings settings;
  settings.enabled = true;
  CollectorEnv env{config, settings, ""};
  StatusOr<ConfigNode> options = ConfigNode::Parse(
      "sources: [{path: " + maildir + "}]\nstate_file: " + dir.Path("/reports.state") +
          "\nmax_reports_per_run: " + std::to_string(per_run) + "\n",
      "benchmark.yml");
  StatusOr<std::unique_ptr<Collector>> c = NewReportsCollector(env, *options);
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  Cpu cpu0 = CpuSeconds();
  double read = 0;
  bool printed_10k = false;
  MetricSet out;
  while (true) {
    out = MetricSet();
    Status s = (*c)->Collect(TestContext(std::chrono::seconds(3600)), &out);
    if (!s.ok()) {
      std::fprintf(stderr, "Collect: %s\n", s.ToString().c_str());
      return 1;
    }
    read = SampleValue(out, "mailrep_reports_total", {{"result", "ok"}}).value_or(0);
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!printed_10k && read >= 10000) {
      std::printf("after %.0f reports: %.0f reports/s, RSS %ld kB, peak %ld kB\n", read,
                  read / elapsed, RssKb("VmRSS:"), RssKb("VmHWM:"));
      PrintCpu(cpu0, read);
      printed_10k = true;
    }
    if (SampleValue(out, "mailrep_reports_backlog_files", {}).value_or(0) == 0) break;
  }
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  struct stat st {};
  stat(dir.Path("/reports.state").c_str(), &st);
  std::printf(
      "after %.0f reports: %.1f s, %.0f reports/s, %.0f records/s, RSS %ld kB, peak %ld "
      "kB, state file %.1f MB\n",
      read, elapsed, read / elapsed, records / elapsed, RssKb("VmRSS:"), RssKb("VmHWM:"),
      st.st_size / 1e6);
  PrintCpu(cpu0, read);
  double messages = SumSamples(out, "mailrep_dmarc_report_messages_total", {});
  double aligned = SumSamples(out, "mailrep_dmarc_report_aligned_messages_total",
                              {{"mechanism", "dkim"}, {"result", "pass"}});
  if (read != reports || messages != generated.messages || aligned != generated.dkim_aligned) {
    std::fprintf(stderr,
                 "self-check failed: %.0f of %d reports, %.0f of %.0f messages, %.0f of %.0f "
                 "DKIM-aligned\n",
                 read, reports, messages, generated.messages, aligned, generated.dkim_aligned);
    return 1;
  }
  std::printf("self-check: %d reports, %.0f messages, %.0f DKIM-aligned, as generated\n", reports,
              messages, aligned);
  if (anchor_reports > 0) {
    std::optional<AnchorRun> anchor =
        RunAnchor(python, anchor_script, maildir + "/new", std::min(anchor_reports, reports));
    if (!anchor) return 1;
    double ours = read / elapsed, theirs = anchor->files / anchor->seconds;
    std::printf(
        "anchor (Python standard library: email, gzip/zipfile, ElementTree; one thread): %d "
        "reports in %.1f s, %.0f reports/s, %.0f records/s\n",
        anchor->files, anchor->seconds, theirs, anchor->records / anchor->seconds);
    std::printf("ratio: %.1fx (our reports/s over the anchor's)\n", ours / theirs);
  }
  return 0;
}
