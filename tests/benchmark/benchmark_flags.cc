#include "tests/benchmark/benchmark_flags.h"

#include <charconv>
#include <iostream>
#include <system_error>

namespace mailrep {

BenchmarkFlags::BenchmarkFlags(std::string_view program, std::string_view summary)
    : program_(program), summary_(summary) {}

BenchmarkFlags& BenchmarkFlags::Int(std::string_view name, int* value, std::string_view help,
                                    int min, int max) {
  flags_.push_back(
      {std::string(name), std::string(help), Kind::kInt, value, min, max, std::to_string(*value)});
  return *this;
}

BenchmarkFlags& BenchmarkFlags::String(std::string_view name, std::string* value,
                                       std::string_view help) {
  flags_.push_back({std::string(name), std::string(help), Kind::kString, value, 0, 0, *value});
  return *this;
}

BenchmarkFlags& BenchmarkFlags::Switch(std::string_view name, bool* value, std::string_view help) {
  flags_.push_back({std::string(name), std::string(help), Kind::kSwitch, value, 0, 0, ""});
  return *this;
}

std::string BenchmarkFlags::Usage() const {
  std::string u = "usage: " + program_;
  for (const Flag& f : flags_) {
    u += " [" + f.name;
    if (f.kind == Kind::kInt) u += " N";
    if (f.kind == Kind::kString) u += " VALUE";
    u += "]";
  }
  u += "\n" + summary_ + "\n";
  auto line = [&u](std::string left, const std::string& help) {
    if (left.size() < 24) left.resize(24, ' ');
    u += left + " " + help + "\n";
  };
  for (const Flag& f : flags_) {
    std::string help = f.help;
    if (f.kind == Kind::kInt) {
      std::string range = f.max == INT_MAX ? ">= " + std::to_string(f.min)
                                           : std::to_string(f.min) + ".." + std::to_string(f.max);
      help += " (" + range + "; default " + f.default_text + ")";
    } else if (f.kind == Kind::kString && !f.default_text.empty()) {
      help += " (default " + f.default_text + ")";
    }
    std::string value = f.kind == Kind::kInt ? " N" : f.kind == Kind::kString ? " VALUE" : "";
    line("  " + f.name + value, help);
  }
  line("  --help", "this text");
  return u;
}

int BenchmarkFlags::Error(std::string_view problem, std::ostream& err) const {
  err << program_ << ": " << problem << "\n" << Usage();
  return 2;
}

int BenchmarkFlags::UsageError(std::string_view problem) const { return Error(problem, std::cerr); }

std::optional<int> BenchmarkFlags::Parse(int argc, const char* const* argv, std::ostream& out,
                                         std::ostream& err) const {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      out << Usage();
      return 0;
    }
    const Flag* flag = nullptr;
    for (const Flag& f : flags_) {
      if (arg == f.name) flag = &f;
    }
    if (flag == nullptr) {
      return Error(arg.starts_with("-") ? "unknown flag \"" + std::string(arg) + "\""
                                        : "unexpected argument \"" + std::string(arg) + "\"",
                   err);
    }
    if (flag->kind == Kind::kSwitch) {
      *static_cast<bool*>(flag->value) = true;
      continue;
    }
    if (i + 1 >= argc) return Error(flag->name + " needs a value", err);
    std::string_view value = argv[++i];
    if (flag->kind == Kind::kString) {
      if (value.empty()) return Error(flag->name + " needs a non-empty value", err);
      *static_cast<std::string*>(flag->value) = std::string(value);
      continue;
    }
    int n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n < flag->min || n > flag->max) {
      return Error(flag->name + " wants an integer from " + std::to_string(flag->min) +
                       (flag->max == INT_MAX ? " up" : " to " + std::to_string(flag->max)) +
                       ", not \"" + std::string(value) + "\"",
                   err);
    }
    *static_cast<int*>(flag->value) = n;
  }
  return std::nullopt;
}

std::optional<int> BenchmarkFlags::Parse(int argc, char** argv) const {
  return Parse(argc, argv, std::cout, std::cerr);
}

}  // namespace mailrep
