#include "tests/dns/benchmark_flags.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace mailrep {

bool ParsePositiveIntFlags(int argc, char** argv, std::initializer_list<IntFlag> flags,
                           std::string_view usage) {
  for (int i = 1; i < argc; i += 2) {
    int* target = nullptr;
    for (const IntFlag& flag : flags) {
      if (argv[i] == flag.name) target = flag.value;
    }
    int value = i + 1 < argc ? std::atoi(argv[i + 1]) : 0;
    if (target == nullptr || value <= 0) {
      std::fprintf(stderr, "usage: %s\n", std::string(usage).c_str());
      return false;
    }
    *target = value;
  }
  return true;
}

}  // namespace mailrep
