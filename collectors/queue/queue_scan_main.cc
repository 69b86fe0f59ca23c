// queue_scan MTA DIRECTORY [--count-only] [--threads N] [--showq] [--print-source]
//            [--repeat N] [--composition]
//   MTA: any of AllQueueMtas() (postfix, exim, qmail, ...); DIRECTORY: the
//   instance's queue/spool directory.
//
// One scan by the MTA's QueueScanner, as the collector does it, printed in a
// line format the e2e tests compare with the MTA's own listing (postqueue -j,
// exim -bp, ...):
//   queue <name> messages <n> bytes <n> recipients <n> oldest <unix seconds or ->
//   destination <domain> <messages>
//   reason <class> <messages>
//   problem <kind> <count>
//   source <spool|showq>          (with --print-source only)
//   sender <queue> <messages> <address, "<>" for the null sender>  (--composition)
//   submitter <queue> <messages> <kind> <name, may hold spaces>    (--composition)
// --showq (postfix only) always asks Postfix's showq socket instead of
// falling back to it when the spool is unreadable. --repeat N scans N times
// with the same scanner (its cache), prints the last scan and the timings on
// stderr.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "collectors/queue/postfix_queue_source.h"
#include "collectors/queue/queue_source.h"

namespace mailrep {
namespace {

int Usage(const char* argv0) {
  std::string mtas;
  for (const QueueMta& mta : AllQueueMtas()) {
    mtas += (mtas.empty() ? "" : "|") + std::string(mta.mta);
  }
  std::fprintf(stderr,
               "usage: %s %s DIRECTORY [--count-only] [--threads N] [--showq] [--print-source] "
               "[--repeat N] [--composition]\n",
               argv0, mtas.c_str());
  return 2;
}

int Main(int argc, char** argv) {
  if (argc < 3) return Usage(argv[0]);
  const QueueMta* mta = FindQueueMta(argv[1]);
  if (mta == nullptr) return Usage(argv[0]);
  QueueScanOptions options;
  bool showq = false;
  bool print_source = false;
  bool composition = false;
  int repeat = 1;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--count-only") == 0) {
      options.count_only = true;
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
      if (options.threads < 1 || options.threads > 64) return Usage(argv[0]);
    } else if (std::strcmp(argv[i], "--showq") == 0 && mta->mta == "postfix") {
      showq = true;
    } else if (std::strcmp(argv[i], "--print-source") == 0) {
      print_source = true;
    } else if (std::strcmp(argv[i], "--composition") == 0) {
      options.composition = true;
      composition = true;
    } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::max(std::atoi(argv[++i]), 1);
    } else {
      return Usage(argv[0]);
    }
  }
  std::unique_ptr<QueueScanner> scanner =
      showq ? NewPostfixShowqScanner(argv[2], options) : mta->new_scanner(argv[2], options);
  StatusOr<QueueScan> scan = Status::Internal("no scan");
  for (int i = 0; i < repeat; ++i) {
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
  for (size_t q = 0; q < mta->queue_names.size() && q < scan->queues.size(); ++q) {
    const QueueStats& s = scan->queues[q];
    std::string when = s.oldest_arrival ? std::to_string(*s.oldest_arrival) : "-";
    std::printf("queue %s messages %llu bytes %llu recipients %llu oldest %s\n",
                std::string(mta->queue_names[q]).c_str(),
                static_cast<unsigned long long>(s.messages),
                static_cast<unsigned long long>(s.bytes),
                static_cast<unsigned long long>(s.recipients), when.c_str());
  }
  for (const auto& [domain, n] : scan->deferred_by_destination) {
    std::printf("destination %s %llu\n", domain.c_str(), static_cast<unsigned long long>(n));
  }
  for (ReplyReason r : kAllReplyReasons) {
    std::printf("reason %s %llu\n", std::string(ReplyReasonName(r)).c_str(),
                static_cast<unsigned long long>(scan->deferred_by_reason[static_cast<size_t>(r)]));
  }
  for (size_t k = 0; k < kNumSpoolProblems; ++k) {
    auto kind = static_cast<SpoolProblem>(k);
    std::printf("problem %s %llu\n", std::string(SpoolProblemName(kind)).c_str(),
                static_cast<unsigned long long>(scan->problems.Get(kind)));
  }
  if (print_source) std::printf("source %s\n", std::string(scan->source).c_str());
  for (size_t q = 0; composition && q < scan->composition.queues.size(); ++q) {
    std::string queue(mta->queue_names[q]);
    for (const auto& [sender, t] : scan->composition.queues[q].senders) {
      std::printf("sender %s %llu %s\n", queue.c_str(), static_cast<unsigned long long>(t.messages),
                  sender.c_str());
    }
    for (const auto& [key, t] : scan->composition.queues[q].submitters) {
      auto [kind, name] = SplitSubmitterKey(key);
      std::printf("submitter %s %llu %s %s\n", queue.c_str(),
                  static_cast<unsigned long long>(t.messages),
                  std::string(SubmitterKindName(kind)).c_str(), name.c_str());
    }
  }
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
