// queue_scan MTA DIRECTORY [--count-only | --threads N]
//   MTA: any of AllQueueMtas() (postfix, exim, qmail, ...); DIRECTORY: the
//   instance's queue/spool directory.
//
// Prints one scan in a line format the e2e tests compare with the MTA's own
// listing (postqueue -j, exim -bp):
//   queue <name> messages <n> bytes <n> recipients <n> oldest <unix seconds or ->
//   destination <domain> <messages>
//   reason <class> <messages>
//   problem <kind> <count>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "collectors/queue/queue_source.h"

namespace mailrep {
namespace {

int Usage(const char* argv0) {
  std::string mtas;
  for (const QueueMta& mta : AllQueueMtas()) {
    mtas += (mtas.empty() ? "" : "|") + std::string(mta.mta);
  }
  std::fprintf(stderr, "usage: %s %s DIRECTORY [--count-only | --threads N]\n", argv0,
               mtas.c_str());
  return 2;
}

int Main(int argc, char** argv) {
  if (argc < 3) return Usage(argv[0]);
  const QueueMta* mta = FindQueueMta(argv[1]);
  if (mta == nullptr) return Usage(argv[0]);
  QueueScanOptions options;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--count-only") == 0) {
      options.count_only = true;
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
      if (options.threads < 1 || options.threads > 64) return Usage(argv[0]);
    } else {
      return Usage(argv[0]);
    }
  }
  StatusOr<QueueScan> scan = mta->new_scanner(argv[2], options)->Scan({});
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
  for (DeferralReason r : kAllDeferralReasons) {
    std::printf("reason %s %llu\n", std::string(DeferralReasonName(r)).c_str(),
                static_cast<unsigned long long>(scan->deferred_by_reason[static_cast<size_t>(r)]));
  }
  for (size_t k = 0; k < kNumSpoolProblems; ++k) {
    auto kind = static_cast<SpoolProblem>(k);
    std::printf("problem %s %llu\n", std::string(SpoolProblemName(kind)).c_str(),
                static_cast<unsigned long long>(scan->problems.Get(kind)));
  }
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
