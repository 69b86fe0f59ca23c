// Flags of the DNS benchmark programs: "--name N" pairs, N a positive integer.
#ifndef MAILREP_TESTS_DNS_BENCHMARK_FLAGS_H_
#define MAILREP_TESTS_DNS_BENCHMARK_FLAGS_H_

#include <initializer_list>
#include <string_view>

namespace mailrep {

struct IntFlag {
  std::string_view name;  // "--ips"
  int* value;             // set when the flag is given
};

// Reads argv[1..] into `flags`. On an unknown flag, a missing value or one
// that is not a positive integer, prints `usage` to stderr and returns false.
bool ParsePositiveIntFlags(int argc, char** argv, std::initializer_list<IntFlag> flags,
                           std::string_view usage);

}  // namespace mailrep

#endif  // MAILREP_TESTS_DNS_BENCHMARK_FLAGS_H_
