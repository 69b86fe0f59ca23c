// queue_scan postfix QUEUE_DIRECTORY [--count-only | --threads N]
// queue_scan exim SPOOL_DIRECTORY
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
#include <optional>
#include <string>
#include <unordered_map>

#include "collectors/queue/exim_queue_scan.h"
#include "collectors/queue/postfix_queue_scan.h"

namespace mailrep {
namespace {

void PrintQueue(std::string_view name, uint64_t messages, uint64_t bytes, uint64_t recipients,
                std::optional<int64_t> oldest) {
  std::string when = oldest ? std::to_string(*oldest) : "-";
  std::printf("queue %s messages %llu bytes %llu recipients %llu oldest %s\n",
              std::string(name).c_str(), static_cast<unsigned long long>(messages),
              static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(recipients),
              when.c_str());
}

void PrintRest(const std::unordered_map<std::string, uint64_t>& destinations,
               const std::array<uint64_t, kAllDeferralReasons.size()>& reasons,
               const SpoolProblemCounts& problems) {
  for (const auto& [domain, n] : destinations) {
    std::printf("destination %s %llu\n", domain.c_str(), static_cast<unsigned long long>(n));
  }
  for (DeferralReason r : kAllDeferralReasons) {
    std::printf("reason %s %llu\n", std::string(DeferralReasonName(r)).c_str(),
                static_cast<unsigned long long>(reasons[static_cast<size_t>(r)]));
  }
  for (size_t k = 0; k < kNumSpoolProblems; ++k) {
    auto kind = static_cast<SpoolProblem>(k);
    std::printf("problem %s %llu\n", std::string(SpoolProblemName(kind)).c_str(),
                static_cast<unsigned long long>(problems.Get(kind)));
  }
}

int Main(int argc, char** argv) {
  if (argc < 3 || (std::strcmp(argv[1], "postfix") != 0 && std::strcmp(argv[1], "exim") != 0)) {
    std::fprintf(stderr,
                 "usage: %s postfix QUEUE_DIRECTORY [--count-only | --threads N]\n"
                 "       %s exim SPOOL_DIRECTORY\n",
                 argv[0], argv[0]);
    return 2;
  }
  if (std::strcmp(argv[1], "exim") == 0) {
    auto scan = ScanEximSpool(argv[2], {}, {});
    if (!scan.ok()) {
      std::fprintf(stderr, "%s\n", scan.status().ToString().c_str());
      return 1;
    }
    for (size_t q = 0; q < kEximQueueNames.size(); ++q) {
      const auto& s = scan->queues[q];
      PrintQueue(kEximQueueNames[q], s.messages, s.bytes, s.recipients, s.oldest_arrival);
    }
    PrintRest(scan->deferred_by_destination, scan->deferred_by_reason, scan->problems);
    return 0;
  }
  PostfixScanOptions options;
  options.count_only = argc > 3 && std::strcmp(argv[3], "--count-only") == 0;
  if (argc > 4 && std::strcmp(argv[3], "--threads") == 0) options.threads = std::atoi(argv[4]);
  auto scan = ScanPostfixQueue(argv[2], options, {});
  if (!scan.ok()) {
    std::fprintf(stderr, "%s\n", scan.status().ToString().c_str());
    return 1;
  }
  for (size_t q = 0; q < kPostfixQueueNames.size(); ++q) {
    const auto& s = scan->queues[q];
    PrintQueue(kPostfixQueueNames[q], s.messages, s.bytes, s.recipients, s.oldest_arrival);
  }
  PrintRest(scan->deferred_by_destination, scan->deferred_by_reason, scan->problems);
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
