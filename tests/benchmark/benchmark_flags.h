// BenchmarkFlags: the one strict command-line parser of every *_benchmark
// program. Flags are "--name VALUE" (an integer within bounds, or a string)
// or "--name" switches; there are no positional arguments, so a stray word is
// never taken for a file or a count.
//
//   --help               the usage on stdout, exit code 0
//   an unknown flag, a missing or bad value
//                        the problem and the usage on stderr, exit code 2
//
// Usage sketch:
//   int ips = 1024;
//   BenchmarkFlags flags("dns_benchmark", "sweeps N addresses x M lists");
//   flags.Int("--ips", &ips, "addresses to sweep", 1, 65536);
//   if (std::optional<int> code = flags.Parse(argc, argv)) return *code;
//
// The registered pointers must outlive Parse; their values at registration are
// the defaults the usage shows. Not thread-safe (a main() helper).
#ifndef MAILREP_TESTS_BENCHMARK_BENCHMARK_FLAGS_H_
#define MAILREP_TESTS_BENCHMARK_BENCHMARK_FLAGS_H_

#include <climits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

class BenchmarkFlags {
 public:
  BenchmarkFlags(std::string_view program, std::string_view summary);

  // An integer flag in [min, max].
  BenchmarkFlags& Int(std::string_view name, int* value, std::string_view help, int min = 1,
                      int max = INT_MAX);
  // A string flag; an empty value is refused.
  BenchmarkFlags& String(std::string_view name, std::string* value, std::string_view help);
  // A switch: present sets *value to true.
  BenchmarkFlags& Switch(std::string_view name, bool* value, std::string_view help);

  // Parses argv[1..]. nullopt: go on and run; otherwise the exit code main()
  // returns at once (0 after --help, 2 on a usage error).
  std::optional<int> Parse(int argc, const char* const* argv, std::ostream& out,
                           std::ostream& err) const;
  std::optional<int> Parse(int argc, char** argv) const;  // std::cout, std::cerr

  // For checks Parse cannot make (e.g. "a power of two"): prints `problem` and
  // the usage on stderr and returns 2.
  int UsageError(std::string_view problem) const;

  std::string Usage() const;

 private:
  enum class Kind { kInt, kString, kSwitch };
  struct Flag {
    std::string name;
    std::string help;
    Kind kind;
    void* value;
    int min = 0;
    int max = 0;
    std::string default_text;
  };
  int Error(std::string_view problem, std::ostream& err) const;

  std::string program_;
  std::string summary_;
  std::vector<Flag> flags_;
};

}  // namespace mailrep

#endif  // MAILREP_TESTS_BENCHMARK_BENCHMARK_FLAGS_H_
