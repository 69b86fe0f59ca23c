#include "collectors/host/mta_config_parse.h"

#include <algorithm>

#include "exporter/util/lines.h"

namespace mailrep {
namespace {

constexpr int kMaxExpandDepth = 10;
constexpr size_t kMaxExpandedBytes = 4096;
// Total characters examined by one ExpandPostfixValue call, across nested
// conditionals (which expand into scratch space and could otherwise multiply).
constexpr size_t kMaxExpandSteps = 1 << 16;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Index just past the bracket that closes the one at `open` (text[open] is '{'
// or '('), or npos when unbalanced.
size_t MatchBracket(std::string_view text, size_t open) {
  char o = text[open], c = o == '{' ? '}' : ')';
  int level = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == o) ++level;
    if (text[i] == c && --level == 0) return i + 1;
  }
  return std::string_view::npos;
}

class Expander {
 public:
  Expander(const PostfixParams& params, size_t* steps) : params_(params), steps_(steps) {}

  void Expand(std::string_view value, int depth) {
    if (depth > kMaxExpandDepth) return;
    size_t i = 0;
    while (i < value.size() && out.size() < kMaxExpandedBytes && *steps_ < kMaxExpandSteps) {
      ++*steps_;
      char ch = value[i];
      if (ch != '$' || i + 1 == value.size()) {
        out.push_back(ch);
        ++i;
        continue;
      }
      char next = value[i + 1];
      if (next == '$') {
        out.push_back('$');
        i += 2;
      } else if (next == '{' || next == '(') {
        size_t end = MatchBracket(value, i + 1);
        if (end == std::string_view::npos) {  // unbalanced: keep the rest as is
          out.append(value.substr(i, kMaxExpandedBytes - out.size()));
          return;
        }
        ExpandBracketed(value.substr(i + 2, end - i - 3), depth);
        i = end;
      } else if (IsNameChar(next)) {
        size_t j = i + 1;
        while (j < value.size() && IsNameChar(value[j])) ++j;
        ExpandName(value.substr(i + 1, j - i - 1), depth);
        i = j;
      } else {
        out.push_back('$');
        ++i;
      }
    }
    if (out.size() > kMaxExpandedBytes) out.resize(kMaxExpandedBytes);
  }

  std::string out;

 private:
  void ExpandName(std::string_view name, int depth) {
    auto it = params_.find(name);
    if (it != params_.end()) Expand(it->second, depth + 1);
  }

  std::string ValueOf(std::string_view name, int depth) {
    Expander sub(params_, steps_);
    sub.ExpandName(name, depth);
    return std::move(sub.out);
  }

  // `inner` is what sits between "${" and "}": name, name?text, name:text,
  // name?{text}:{text}.
  void ExpandBracketed(std::string_view inner, int depth) {
    size_t n = 0;
    while (n < inner.size() && IsNameChar(inner[n])) ++n;
    std::string_view name = inner.substr(0, n);
    if (n == inner.size()) return ExpandName(name, depth);
    char op = inner[n];
    if (op != '?' && op != ':') return;  // not a form Postfix knows: drop it
    std::string_view text = inner.substr(n + 1);
    std::string_view when_set = text, when_unset = text;
    if (!text.empty() && text[0] == '{') {
      size_t end = MatchBracket(text, 0);
      if (end != std::string_view::npos) {
        when_set = when_unset = text.substr(1, end - 2);
        std::string_view rest = text.substr(end);
        if (op == '?' && rest.size() >= 3 && rest[0] == ':' && rest[1] == '{' &&
            MatchBracket(rest, 1) == rest.size()) {
          when_unset = rest.substr(2, rest.size() - 3);
        } else if (op == '?') {
          when_unset = {};
        }
      }
    } else if (op == '?') {
      when_unset = {};
    }
    bool set = !ValueOf(name, depth).empty();
    if (op == '?') {
      Expand(set ? when_set : when_unset, depth + 1);
    } else if (!set) {
      Expand(when_unset, depth + 1);
    }
  }

  const PostfixParams& params_;
  size_t* steps_;
};

}  // namespace

PostfixParams ParsePostfixMainCf(std::string_view text) {
  PostfixParams params;
  std::string logical;
  auto flush = [&] {
    std::string_view line = logical;
    size_t eq = line.find('=');
    if (eq != std::string_view::npos) {
      std::string_view name = Trim(line.substr(0, eq));
      if (!name.empty() && std::all_of(name.begin(), name.end(), IsNameChar)) {
        params.insert_or_assign(std::string(name), std::string(Trim(line.substr(eq + 1))));
      }
    }
    logical.clear();
  };
  ForEachLine(text, [&](std::string_view line) {
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#') return true;
    if (IsSpace(line[0])) {
      if (!logical.empty()) {
        logical.push_back(' ');
        logical.append(trimmed);
      }
      return true;
    }
    flush();
    logical.assign(trimmed);
    return true;
  });
  flush();
  return params;
}

std::string ExpandPostfixValue(std::string_view value, const PostfixParams& params) {
  size_t steps = 0;
  Expander expander(params, &steps);
  expander.Expand(value, 0);
  return std::move(expander.out);
}

std::vector<std::string> SplitPostfixList(std::string_view value) {
  std::vector<std::string> items;
  size_t i = 0;
  auto is_sep = [](char c) { return IsSpace(c) || c == ','; };
  while (i < value.size()) {
    while (i < value.size() && is_sep(value[i])) ++i;
    size_t start = i;
    while (i < value.size() && !is_sep(value[i])) ++i;
    if (i > start) items.emplace_back(value.substr(start, i - start));
  }
  return items;
}

std::map<std::string, std::string> ParseDpkgStatus(std::string_view text,
                                                   std::span<const std::string_view> packages) {
  std::map<std::string, std::string> versions;
  std::string_view package, status, version;
  auto flush = [&] {
    bool wanted = std::find(packages.begin(), packages.end(), package) != packages.end();
    bool installed = status.ends_with(" installed") && status.starts_with("install ");
    if (wanted && installed && !version.empty()) versions.emplace(package, version);
    package = status = version = {};
  };
  ForEachLine(text, [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) {
      flush();
      return true;
    }
    if (IsSpace(line[0])) return true;  // continuation of a multi-line field
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return true;
    std::string_view key = line.substr(0, colon), value = Trim(line.substr(colon + 1));
    if (key == "Package") package = value;
    if (key == "Status") status = value;
    if (key == "Version") version = value;
    return true;
  });
  flush();
  return versions;
}

std::optional<std::string> ParseEximSpoolDirectory(std::string_view text) {
  std::optional<std::string> result;
  ForEachLine(text, [&](std::string_view line) {
    line = Trim(line);
    if (line.starts_with("begin") && (line.size() == 5 || IsSpace(line[5]))) return false;
    constexpr std::string_view kKey = "spool_directory";
    if (!line.starts_with(kKey)) return true;
    std::string_view rest = Trim(line.substr(kKey.size()));
    if (rest.empty() || rest[0] != '=') return true;
    std::string_view value = Trim(rest.substr(1));
    if (value.starts_with('/') && value.find_first_of("$ \t\\\"") == std::string_view::npos) {
      result = std::string(value);
    }
    return false;
  });
  return result;
}

std::optional<std::string> ParseSendmailQueueDirectory(std::string_view text) {
  std::optional<std::string> result;
  ForEachLine(text, [&](std::string_view line) {
    constexpr std::string_view kKey = "O QueueDirectory";
    if (!line.starts_with(kKey)) return true;
    std::string_view rest = Trim(line.substr(kKey.size()));
    if (rest.empty() || rest[0] != '=') return true;
    std::string_view value = Trim(rest.substr(1));
    if (value.ends_with('*')) value = value.substr(0, value.rfind('/'));
    if (value.empty() && rest.find('/') != std::string_view::npos) value = "/";
    if (value.starts_with('/') && value.find_first_of(" \t") == std::string_view::npos) {
      result = std::string(value);
    }
    return false;
  });
  return result;
}

}  // namespace mailrep
