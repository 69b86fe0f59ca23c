#include "collectors/auth/tag_list.h"

#include <set>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }
bool IsValChar(char c) { return c >= 0x21 && c <= 0x7e && c != ';'; }

// Skips FWS: WSP, or CRLF followed by at least one WSP. Returns the new position.
size_t SkipFws(std::string_view text, size_t pos) {
  while (pos < text.size()) {
    if (IsWsp(text[pos])) {
      ++pos;
    } else if (text[pos] == '\r' && pos + 2 < text.size() && text[pos + 1] == '\n' &&
               IsWsp(text[pos + 2])) {
      pos += 3;
    } else {
      break;
    }
  }
  return pos;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsTagListSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsTagListSpace(s.back())) s.remove_suffix(1);
  return s;
}

Status Error(size_t offset, const std::string& what) {
  return Status::InvalidArgument("tag list: offset " + std::to_string(offset) + ": " + what);
}

}  // namespace

const std::string* TagList::Find(std::string_view name) const {
  for (const Tag& tag : tags) {
    if (tag.name == name) return &tag.value;
  }
  return nullptr;
}

StatusOr<TagList> ParseTagList(std::string_view text, TagListOptions options) {
  TagList list;
  std::set<std::string, std::less<>> seen;
  size_t start = 0;
  while (true) {
    size_t end = text.find(';', start);
    bool last = end == std::string_view::npos;
    if (last) end = text.size();
    std::string_view spec = text.substr(start, end - start);
    size_t pos = SkipFws(spec, 0);
    if (pos == spec.size()) {
      // An empty spec: fine as the trailer after a final ';'.
      if (last && !list.tags.empty()) break;
      if (spec.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        return Error(start, "malformed white space");
      }
      if (!(options.allow_empty_specs && !last)) {
        return Error(start, list.tags.empty() && last ? "empty tag list" : "empty tag-spec");
      }
      start = end + 1;
      continue;
    }
    size_t name_begin = pos;
    if (!IsAlpha(spec[pos])) return Error(start + pos, "tag name must start with a letter");
    while (pos < spec.size() && (IsAlpha(spec[pos]) || IsDigit(spec[pos]) || spec[pos] == '_')) {
      ++pos;
    }
    std::string_view name = spec.substr(name_begin, pos - name_begin);
    pos = SkipFws(spec, pos);
    if (pos == spec.size() || spec[pos] != '=') {
      return Error(start + pos, "expected '=' after tag name '" + std::string(name) + "'");
    }
    ++pos;
    size_t value_begin = pos;
    for (size_t i = pos; i < spec.size(); ++i) {
      char c = spec[i];
      if (IsValChar(c) || IsWsp(c)) continue;
      if (c == '\r' && i + 2 < spec.size() && spec[i + 1] == '\n' && IsWsp(spec[i + 2])) {
        i += 2;
        continue;
      }
      return Error(start + i, "invalid byte " + std::to_string(static_cast<unsigned char>(c)) +
                                  " in value of tag '" + std::string(name) + "'");
    }
    std::string_view value = Trim(spec.substr(value_begin));
    if (!seen.insert(std::string(name)).second) {
      return Error(start + name_begin, "duplicate tag '" + std::string(name) + "'");
    }
    list.tags.push_back(Tag{std::string(name), std::string(value)});
    if (last) break;
    start = end + 1;
  }
  return list;
}

std::vector<std::string> SplitTagValue(std::string_view value, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = value.find(separator, start);
    if (end == std::string_view::npos) {
      parts.emplace_back(Trim(value.substr(start)));
      break;
    }
    parts.emplace_back(Trim(value.substr(start, end - start)));
    start = end + 1;
  }
  return parts;
}

}  // namespace mailrep
