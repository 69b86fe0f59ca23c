// postfix_showq_scan QUEUE_DIRECTORY [--showq] [--threads N] [--repeat N]
//
// One scan by the Postfix QueueScanner, as the collector does it: the spool
// when it is readable, else the showq socket (always showq with --showq).
// Prints the queue_scan line format (see queue_scan_main.cc), then
// "source spool|showq". --repeat N scans N times with the same scanner
// (its cache) and prints the last one, with timings on stderr.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/postfix_queue_source.h"

namespace mailrep {
namespace {

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s QUEUE_DIRECTORY [--showq] [--threads N] [--repeat N]\n",
                 argv[0]);
    return 2;
  }
  QueueScanOptions options;
  bool showq = false;
  int repeat = 1;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--showq") == 0) {
      showq = true;
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  auto scanner =
      showq ? NewPostfixShowqScanner(argv[1], options) : NewPostfixQueueScanner(argv[1], options);
  StatusOr<QueueScan> scan = Status::Internal("no scan");
  for (int i = 0; i < std::max(repeat, 1); ++i) {
    auto start = std::chrono::steady_clock::now();
    scan = scanner->Scan({});
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (repeat > 1) std::fprintf(stderr, "scan %d: %.4f s\n", i + 1, seconds);
  }
  if (!scan.ok()) {
    std::fprintf(stderr, "%s\n", scan.status().ToString().c_str());
    return 1;
  }
  for (size_t q = 0; q < kPostfixQueueNames.size(); ++q) {
    const QueueStats& s = scan->queues[q];
    std::string oldest = s.oldest_arrival ? std::to_string(*s.oldest_arrival) : "-";
    std::printf("queue %s messages %llu bytes %llu recipients %llu oldest %s\n",
                std::string(kPostfixQueueNames[q]).c_str(),
                static_cast<unsigned long long>(s.messages),
                static_cast<unsigned long long>(s.bytes),
                static_cast<unsigned long long>(s.recipients), oldest.c_str());
  }
  for (const auto& [domain, n] : scan->deferred_by_destination) {
    std::printf("destination %s %llu\n", domain.c_str(), static_cast<unsigned long long>(n));
  }
  for (DeferralReason r : kAllDeferralReasons) {
    std::printf("reason %s %llu\n", std::string(DeferralReasonName(r)).c_str(),
                static_cast<unsigned long long>(scan->deferred_by_reason[static_cast<size_t>(r)]));
  }
  for (size_t k = 0; k < kNumSpoolProblems; ++k) {
    auto kind = static_cast<SpoolProblem>(k);
    std::printf("problem %s %llu\n", std::string(SpoolProblemName(kind)).c_str(),
                static_cast<unsigned long long>(scan->problems.Get(kind)));
  }
  std::printf("source %s\n", std::string(scan->source).c_str());
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
