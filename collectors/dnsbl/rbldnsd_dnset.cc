#include "collectors/dnsbl/rbldnsd_dnset.h"

#include <algorithm>

namespace mailrep {
namespace {

constexpr size_t kMaxLabel = 63;
constexpr size_t kMaxName = 255;  // wire octets, the final zero included

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::optional<std::string> RbldnsdNameToWire(std::string_view text) {
  std::string wire;
  std::string label;
  auto close_label = [&]() -> bool {
    if (label.empty()) return true;  // empty labels ("a..b", a final dot) vanish
    if (label.size() > kMaxLabel) return false;
    wire.push_back(static_cast<char>(label.size()));
    wire += label;
    label.clear();
    return true;
  };
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i++];
    if (c == '.') {
      if (!close_label()) return std::nullopt;
      continue;
    }
    if (c == '\\') {
      if (i >= text.size()) break;  // a final backslash is dropped
      c = text[i++];
      if (IsDigit(c)) {
        unsigned value = static_cast<unsigned>(c - '0');
        if (i < text.size() && IsDigit(text[i])) {
          value = value * 10 + static_cast<unsigned>(text[i++] - '0');
          if (i < text.size() && IsDigit(text[i])) {
            value = value * 10 + static_cast<unsigned>(text[i++] - '0');
            if (value > 255) return std::nullopt;
          }
        }
        c = static_cast<char>(value);
      }
    }
    if (wire.size() + 1 + label.size() + 1 >= kMaxName) return std::nullopt;
    label.push_back(Lower(c));
  }
  if (!close_label()) return std::nullopt;
  wire.push_back('\0');
  return wire;
}

std::string RbldnsdWireToName(std::string_view wire) {
  std::string out;
  size_t i = 0;
  while (i < wire.size() && wire[i] != '\0') {
    size_t length = static_cast<unsigned char>(wire[i++]);
    if (!out.empty()) out.push_back('.');
    for (size_t k = 0; k < length && i < wire.size(); ++k, ++i) {
      unsigned char c = static_cast<unsigned char>(wire[i]);
      switch (c) {
        case '"':
        case '.':
        case ';':
        case '\\':
        case '@':
        case '$':
          out.push_back('\\');
          out.push_back(static_cast<char>(c));
          break;
        default:
          if (c <= 0x20 || c >= 0x7F) {
            out.push_back('\\');
            out.push_back(static_cast<char>('0' + c / 100));
            out.push_back(static_cast<char>('0' + (c / 10) % 10));
            out.push_back(static_cast<char>('0' + c % 10));
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
    }
  }
  return out.empty() ? "." : out;
}

std::string_view RbldnsdDnset::NameAt(uint32_t offset) const {
  return std::string_view(names_).substr(offset + 1, static_cast<unsigned char>(names_[offset]));
}

void RbldnsdDnset::Add(std::string_view wire, bool exact, bool wildcard, uint32_t value) {
  uint32_t offset = static_cast<uint32_t>(names_.size());
  names_.push_back(static_cast<char>(wire.size()));
  names_ += wire;
  if (exact) exact_.push_back({offset, value});
  if (wildcard) wildcard_.push_back({offset, value});
}

void RbldnsdDnset::SortUnique(std::vector<Entry>* entries) const {
  // Exclusions (value 0xFFFFFFFF) sort first among a name's entries.
  std::sort(entries->begin(), entries->end(), [this](const Entry& x, const Entry& y) {
    int c = NameAt(x.offset).compare(NameAt(y.offset));
    return c != 0 ? c < 0 : x.value + 1 < y.value + 1;
  });
  entries->erase(std::unique(entries->begin(), entries->end(),
                             [this](const Entry& x, const Entry& y) {
                               return x.value == y.value && NameAt(x.offset) == NameAt(y.offset);
                             }),
                 entries->end());
  entries->shrink_to_fit();
}

void RbldnsdDnset::Finish() {
  SortUnique(&exact_);
  SortUnique(&wildcard_);
  names_.shrink_to_fit();
}

const RbldnsdDnset::Entry* RbldnsdDnset::Lookup(const std::vector<Entry>& entries,
                                                std::string_view wire) const {
  auto it =
      std::lower_bound(entries.begin(), entries.end(), wire,
                       [this](const Entry& e, std::string_view w) { return NameAt(e.offset) < w; });
  if (it == entries.end() || NameAt(it->offset) != wire) return nullptr;
  return &*it;
}

void RbldnsdDnset::Find(std::string_view wire, std::vector<uint32_t>* values,
                        std::string* matched) const {
  const std::vector<Entry>* array = &exact_;
  const Entry* found = wire.size() > 1 ? Lookup(exact_, wire) : nullptr;
  if (found == nullptr) {
    array = &wildcard_;
    std::string_view suffix = wire;
    // Drop at least one label: a wildcard never covers its own name.
    while (found == nullptr && suffix.size() > 1) {
      suffix.remove_prefix(1 + static_cast<unsigned char>(suffix[0]));
      if (suffix.size() > 1) found = Lookup(wildcard_, suffix);
    }
  }
  if (found == nullptr || found->value == 0xFFFFFFFFu) return;
  std::string_view name = NameAt(found->offset);
  if (matched) *matched = std::string(name);
  const Entry* end = array->data() + array->size();
  for (const Entry* e = found; e != end && NameAt(e->offset) == name; ++e) {
    values->push_back(e->value);
  }
}

size_t RbldnsdDnset::MemoryBytes() const {
  return names_.capacity() + (exact_.capacity() + wildcard_.capacity()) * sizeof(Entry);
}

}  // namespace mailrep
