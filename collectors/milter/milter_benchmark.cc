// Benchmark program (not a test): the observe-only milter's cost. A
// MilterCollector listens on a unix socket (no link lookups); client threads
// speak the milter protocol as Postfix does and send a 50 kB HTML message
// (200 links over 20 domains, a PDF attachment) again and again.
//   1. one connection, --messages sequential messages (pausing every 32 for
//      the analysis to catch up): messages/s and the milter's CPU per
//      message (process CPU minus the client thread's);
//   2. --connections concurrent connections, 5 messages each: peak RSS;
//   3. AnalyzeMessage alone on the same message: CPU per message.
//
// usage: milter_benchmark [--messages N] [--connections N]
#include <sys/resource.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "collectors/auth/dmarc_collector.h"
#include "collectors/milter/milter_collector.h"
#include "collectors/milter/milter_test_mta.h"
#include "exporter/core/collector_testing.h"
#include "tests/benchmark/benchmark_flags.h"

namespace mailrep {
namespace {

double ProcessCpu() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double ThreadCpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string HtmlMessage() {
  std::string m =
      "From: news@example.com\r\n"
      "To: r@example.net\r\n"
      "Date: Tue, 8 Dec 2026 00:00:00 +0000\r\n"
      "Message-ID: <bench@example.com>\r\n"
      "Subject: Benchmark\r\n"
      "List-Unsubscribe: <https://example.com/u>\r\n"
      "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
      "\r\n"
      "--b1\r\n"
      "Content-Type: text/html; charset=utf-8\r\n"
      "\r\n"
      "<html><body>\r\n";
  for (int i = 0; m.size() < 46000; ++i) {
    m += "<p>Paragraph " + std::to_string(i) +
         " with some words about the offer, the product and the details you asked for. "
         "<a href=\"https://www.shop" +
         std::to_string(i % 20) + ".com/item/" + std::to_string(i) + "?utm=mail\">link</a></p>\r\n";
  }
  m += "</body></html>\r\n--b1\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n";
  for (int i = 0; i < 40; ++i) m += std::string(76, 'Q') + "\r\n";
  m += "--b1--\r\n";
  return m;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) {
  using namespace mailrep;
  int messages = 2000;
  int connections = 200;
  BenchmarkFlags flags("milter_benchmark", "the milter's messages/s, CPU per message, peak RSS");
  flags.Int("--messages", &messages, "sequential messages on one connection", 1, 1000000);
  flags.Int("--connections", &connections, "concurrent connections for the RSS run", 1, 4096);
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;

  auto psl = LoadSystemPublicSuffixList();
  if (!psl.ok()) {
    std::fprintf(stderr, "%s\n", psl.status().message().c_str());
    return 1;
  }
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("milter_benchmark." + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string socket = (dir / "milter.sock").string();
  MilterCollectorOptions o;
  o.server.listen = "unix:" + socket;
  o.server.max_connections = static_cast<size_t>(connections) + 8;
  o.sender_domains = {"example.com"};
  MilterCollector collector(std::move(o), *psl, nullptr);
  MetricSet first;
  (void)collector.Collect(TestContext(), &first);
  const std::string message = HtmlMessage();
  // Messages counted, analysed or skipped (busy: the analysis queue was full).
  auto counted = [&] {
    MetricSet set;
    (void)collector.Collect(TestContext(), &set);
    return SampleValue(set, "mailrep_milter_messages_total",
                       {{"stream", "bulk"}, {"sender_domain", "example.com"}})
               .value_or(0) +
           SampleValue(set, "mailrep_milter_messages_skipped_total", {{"reason", "busy"}})
               .value_or(0);
  };
  auto busy = [&] {
    MetricSet set;
    (void)collector.Collect(TestContext(), &set);
    return SampleValue(set, "mailrep_milter_messages_skipped_total", {{"reason", "busy"}})
        .value_or(0);
  };
  auto wait_counted = [&](double n) {
    while (counted() < n) {
      collector.Drain();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };

  // 1. One connection, sequential.
  double cpu0 = ProcessCpu();
  auto t0 = std::chrono::steady_clock::now();
  double client_cpu = 0;
  {
    TestMta mta(socket);
    if (!mta.connected() || !mta.Negotiate()) {
      std::fprintf(stderr, "cannot talk to the milter\n");
      return 1;
    }
    double c0 = ThreadCpu();
    for (int i = 0; i < messages; ++i) {
      if (mta.Message("<news@example.com>", message) != 'a') {
        std::fprintf(stderr, "no ACCEPT\n");
        return 1;
      }
      // The MTA waits only for end of message, so one client outruns the
      // analysis; let it catch up now and then (well below the queue's cap)
      // to measure analysed messages, not skipped ones.
      if (i % 32 == 31) {
        double d0 = ThreadCpu();
        collector.Drain();
        c0 += ThreadCpu() - d0;
      }
    }
    client_cpu = ThreadCpu() - c0;
    mta.Send('Q', "");
  }
  wait_counted(messages);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = ProcessCpu() - cpu0 - client_cpu;
  std::printf("message: %zu bytes of HTML with 20 link domains and a PDF attachment\n",
              message.size());
  std::printf(
      "one connection:    %6d messages  %8.0f messages/s  milter CPU %7.1f us/analysed message, "
      "%.0f skipped (busy)\n",
      messages, messages / wall, cpu / (messages - busy()) * 1e6, busy());

  // 2. Concurrent connections: peak RSS.
  double busy_before = busy();
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  t0 = std::chrono::steady_clock::now();
  for (int c = 0; c < connections; ++c) {
    clients.emplace_back([&] {
      TestMta mta(socket);
      if (!mta.connected() || !mta.Negotiate()) {
        ++failures;
        return;
      }
      for (int i = 0; i < 5; ++i) {
        if (mta.Message("<news@example.com>", message) != 'a') ++failures;
      }
      mta.Send('Q', "");
    });
  }
  for (std::thread& t : clients) t.join();
  wait_counted(messages + 5 * connections - 5 * failures);
  wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "%4d connections: %6d messages  %8.0f messages/s  peak RSS %ld kB (clients included), %.0f "
      "skipped (busy)%s\n",
      connections, 5 * connections, 5 * connections / wall, ru.ru_maxrss, busy() - busy_before,
      failures ? "  FAILURES" : "");

  // 3. The analysis alone.
  double a0 = ThreadCpu();
  size_t domains = 0;
  for (int i = 0; i < messages; ++i) domains += AnalyzeMessage(message, **psl).link_domains.size();
  std::printf("AnalyzeMessage:    %6d messages  CPU %7.1f us/message (%zu link domains each)\n",
              messages, (ThreadCpu() - a0) / messages * 1e6, domains / messages);
  std::filesystem::remove_all(dir);
  return failures ? 1 : 0;
}
