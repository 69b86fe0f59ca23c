#include "exporter/config/config_node.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "exporter/config/closest_match.h"
#include "exporter/util/lines.h"

namespace mailrep {

namespace {

// Messages quote values from the file; a control character in one (an ESC
// sequence, a carriage return, a newline inside a quoted scalar) would act on
// the terminal or split the one-error-per-line report, so show it escaped.
std::string EscapeControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7F) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

}  // namespace

struct ConfigNode::Shared {
  struct Entry {
    int line;  // 1-based; 0 when the error has no position
    int column;
    size_t sequence;
    std::string text;
  };
  std::string source;
  std::vector<Entry> errors;

  std::string FormatLocation(const YAML::Mark& mark) const {
    if (mark.is_null()) return source;
    return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }

  void Add(const YAML::Mark& mark, const std::string& path, std::string_view message) {
    std::string text = FormatLocation(mark) + ": ";
    if (!path.empty()) text += path + ": ";
    text += message;
    int line = mark.is_null() ? 0 : mark.line + 1;
    int column = mark.is_null() ? 0 : mark.column + 1;
    // The one place every recorded error passes through.
    errors.push_back({line, column, errors.size(), EscapeControls(text)});
  }
};

struct ConfigNode::Impl {
  struct Item {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };

  std::shared_ptr<Shared> shared;
  YAML::Node node;  // a mapping, or null for an empty one
  std::string path;
  YAML::Mark mark = YAML::Mark::null_mark();
  std::vector<Item> items;                           // document order, first of duplicate keys only
  std::map<std::string, size_t, std::less<>> index;  // key -> position in items
  std::set<std::string, std::less<>> known;

  void Fill(const YAML::Node& map) {
    node = map;
    mark = map.Mark();
    // yaml-cpp's iterator yields pairs by value; copy the nodes out of them.
    for (const auto& pair : map) {
      YAML::Node key = pair.first;
      if (!key.IsScalar()) continue;
      if (index.emplace(key.Scalar(), items.size()).second) {
        items.push_back({key.Scalar(), key, pair.second});
      }
    }
  }

  const Item* Find(std::string_view key) const {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &items[it->second];
  }

  // Marks `key` known and returns its entry, or nullptr when absent.
  const Item* Lookup(std::string_view key) {
    known.emplace(key);
    return Find(key);
  }

  std::string KeyPath(std::string_view key) const {
    if (path.empty()) return std::string(key);
    return path + "." + std::string(key);
  }

  // Scalars are pointed at directly. Null values (`key:`) sit at the start of
  // the next token and block collections on the next line, so point at the key.
  static YAML::Mark ValueMark(const Item& item) {
    if (!item.value.IsScalar() || item.value.Mark().is_null()) return item.key_node.Mark();
    return item.value.Mark();
  }

  void ErrorAtItem(const Item& item, std::string_view message) {
    shared->Add(ValueMark(item), KeyPath(item.key), message);
  }
};

namespace {

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 40;
  std::string out = "\"";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  out += "\"";
  return out;
}

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Scalar:
      return Quote(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
  }
  return "something else";
}

std::string Expected(std::string_view what, const YAML::Node& found) {
  return "expected " + std::string(what) + ", found " + Describe(found);
}

// Checks every mapping in the document for duplicate or non-scalar keys and
// bounds the nesting depth. Aliased nodes are visited once.
class DocumentChecker {
 public:
  struct Problem {
    YAML::Mark mark;
    std::string message;
  };

  // Returns false if nesting is too deep (the last problem says so).
  bool Check(const YAML::Node& node, int depth) {
    if (depth > ConfigNode::kMaxDepth) {
      Add(node.Mark(), "nesting deeper than " + std::to_string(ConfigNode::kMaxDepth) + " levels");
      return false;
    }
    if (!node.IsMap() && !node.IsSequence()) return true;
    auto position = std::make_pair(node.Mark().pos, static_cast<int>(node.Type()));
    if (!visited_.insert(position).second) return true;
    if (node.IsSequence()) {
      for (const YAML::Node& child : node) {
        if (!Check(child, depth + 1)) return false;
      }
      return true;
    }
    std::map<std::string, YAML::Mark> seen;
    for (const auto& pair : node) {
      YAML::Node key = pair.first;
      if (!key.IsScalar()) {
        Add(key.Mark(), "keys must be strings, found " + Describe(key));
      } else {
        auto [previous, inserted] = seen.emplace(key.Scalar(), key.Mark());
        if (!inserted) {
          Add(key.Mark(), "duplicate key " + Quote(key.Scalar()) + " (first defined at line " +
                              std::to_string(previous->second.line + 1) + ")");
        }
      }
      if (!Check(pair.second, depth + 1)) return false;
    }
    return true;
  }

  const std::vector<Problem>& problems() const { return problems_; }

 private:
  void Add(const YAML::Mark& mark, std::string message) {
    problems_.push_back({mark, std::move(message)});
  }

  std::vector<Problem> problems_;
  std::set<std::pair<int, int>> visited_;
};

// Records where each document starts; ignores everything else.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;

  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Flow collections ("[[[[") and compact block sequences ("- - - -") nest
// without indentation; bound them before yaml-cpp recurses into them.
bool NestingTooDeep(std::string_view text) {
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      if (c == '\n') quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      if (++depth > ConfigNode::kMaxDepth) return true;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  // Indentation-free nesting on a line: "- - - x" or "a: - b: - c:".
  while (std::optional<std::string_view> line = NextLine(&text)) {
    int markers = 0;
    for (size_t i = 0; i + 1 < line->size(); ++i) {
      char c = (*line)[i];
      if ((c == '-' || c == '?' || c == ':') && (*line)[i + 1] == ' ') ++markers;
    }
    if (markers > ConfigNode::kMaxDepth) return true;
  }
  return false;
}

// Leading whitespace containing a tab, as a mark; yaml-cpp's own message for
// it ("illegal map value") does not say what is wrong.
YAML::Mark FindTabIndent(std::string_view text, int up_to_line) {
  int line = 0;
  size_t start = 0;
  while (start <= text.size() && line <= up_to_line) {
    for (size_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i) {
      if (text[i] == '\t') {
        YAML::Mark mark;
        mark.line = line;
        mark.column = static_cast<int>(i - start);
        mark.pos = static_cast<int>(i);
        return mark;
      }
    }
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;
    start = end + 1;
    ++line;
  }
  return YAML::Mark::null_mark();
}

}  // namespace

ConfigNode::ConfigNode(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConfigNode::ConfigNode(const ConfigNode& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
ConfigNode& ConfigNode::operator=(const ConfigNode& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
ConfigNode::~ConfigNode() = default;

StatusOr<ConfigNode> ConfigNode::Parse(std::string_view yaml_text, std::string_view source) {
  auto shared = std::make_shared<Shared>();
  shared->source = std::string(source);
  if (yaml_text.size() > kMaxInputBytes) {
    return Status::InvalidArgument(shared->source + ": larger than " +
                                   std::to_string(kMaxInputBytes) + " bytes");
  }
  if (NestingTooDeep(yaml_text)) {
    return Status::InvalidArgument(shared->source + ": nesting deeper than " +
                                   std::to_string(kMaxDepth) + " levels");
  }

  std::string text(yaml_text);
  YAML::Node root;
  try {
    // YAML::LoadAll never returns on a stray flow indicator (", a"), and
    // YAML::Load silently drops it; so check the document structure first.
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts starts;
    for (int i = 0; i < 2 && parser.HandleNextDocument(starts); ++i) {
    }
    if (starts.marks.size() > 1) {
      const YAML::Mark& second = starts.marks[1];
      char next = static_cast<size_t>(second.pos) < yaml_text.size() ? yaml_text[second.pos] : 0;
      if (next == ',' || next == ']' || next == '}') {
        return Status::InvalidArgument(shared->FormatLocation(second) +
                                       ": YAML syntax error: unexpected " +
                                       Quote(std::string(1, next)));
      }
      return Status::InvalidArgument(shared->FormatLocation(second) +
                                     ": only one YAML document is allowed");
    }
    root.reset(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    YAML::Mark tab = FindTabIndent(yaml_text, e.mark.is_null() ? 1 << 30 : e.mark.line);
    if (!tab.is_null()) {
      return Status::InvalidArgument(shared->FormatLocation(tab) +
                                     ": YAML syntax error: tab used for indentation "
                                     "(indent with spaces)");
    }
    return Status::InvalidArgument(shared->FormatLocation(e.mark) +
                                   ": YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(shared->source + ": cannot parse YAML: " + e.what());
  }

  auto impl = std::make_unique<Impl>();
  impl->shared = shared;
  if (root.IsDefined() && !root.IsNull()) {
    if (!root.IsMap()) {
      return Status::InvalidArgument(shared->FormatLocation(root.Mark()) + ": " +
                                     Expected("a mapping at the top level", root));
    }
    try {
      DocumentChecker checker;
      bool shallow = checker.Check(root, 1);
      for (const DocumentChecker::Problem& p : checker.problems()) {
        shared->Add(p.mark, "", p.message);
      }
      if (!shallow) return Status::InvalidArgument(shared->errors.back().text);
    } catch (const std::exception& e) {
      return Status::InvalidArgument(shared->source + ": cannot read YAML: " + e.what());
    }
    impl->Fill(root);
  }
  return ConfigNode(std::move(impl));
}

ConfigNode ConfigNode::EmptyMap(std::string_view source, std::string path) {
  auto impl = std::make_unique<Impl>();
  impl->shared = std::make_shared<Shared>();
  impl->shared->source = std::string(source);
  impl->path = std::move(path);
  return ConfigNode(std::move(impl));
}

ConfigNode ConfigNode::WithOwnErrors() const {
  auto impl = std::make_unique<Impl>(*impl_);
  impl->shared = std::make_shared<Shared>();
  impl->shared->source = impl_->shared->source;
  return ConfigNode(std::move(impl));
}

const std::string& ConfigNode::path() const { return impl_->path; }

std::string ConfigNode::Location() const { return impl_->shared->FormatLocation(impl_->mark); }

std::string ConfigNode::PathOf(std::string_view key, std::optional<size_t> index) const {
  std::string path = impl_->KeyPath(key);
  if (index) path += "[" + std::to_string(*index) + "]";
  return path;
}

std::string ConfigNode::LocationOf(std::string_view key, std::optional<size_t> index) const {
  const Impl::Item* item = impl_->Find(key);
  if (item == nullptr) return Location();
  if (index) {
    if (!item->value.IsSequence() || *index >= item->value.size()) return Location();
    return impl_->shared->FormatLocation(item->value[*index].Mark());
  }
  return impl_->shared->FormatLocation(Impl::ValueMark(*item));
}

bool ConfigNode::Has(std::string_view key) const { return impl_->Find(key) != nullptr; }

std::vector<std::string> ConfigNode::Keys() const {
  std::vector<std::string> keys;
  for (const Impl::Item& item : impl_->items) keys.push_back(item.key);
  return keys;
}

std::string ConfigNode::GetString(std::string_view key, std::string default_value) {
  const Impl::Item* item = impl_->Lookup(key);
  if (item == nullptr) return default_value;
  if (!item->value.IsScalar()) {
    impl_->ErrorAtItem(*item, Expected("a string", item->value));
    return default_value;
  }
  return item->value.Scalar();
}

bool ConfigNode::GetBool(std::string_view key, bool default_value) {
  const Impl::Item* item = impl_->Lookup(key);
  if (item == nullptr) return default_value;
  if (item->value.IsScalar()) {
    const std::string& s = item->value.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  impl_->ErrorAtItem(*item, Expected("true or false", item->value));
  return default_value;
}

int64_t ConfigNode::GetInt(std::string_view key, int64_t default_value, int64_t min, int64_t max) {
  const Impl::Item* item = impl_->Lookup(key);
  if (item == nullptr) return default_value;
  if (!item->value.IsScalar()) {
    impl_->ErrorAtItem(*item, Expected("an integer", item->value));
    return default_value;
  }
  const std::string& s = item->value.Scalar();
  const char* begin = s.data();
  if (!s.empty() && s[0] == '+') ++begin;
  int64_t value = 0;
  auto [end, error] = std::from_chars(begin, s.data() + s.size(), value);
  if (s.empty() || error == std::errc::invalid_argument || end != s.data() + s.size()) {
    impl_->ErrorAtItem(*item, Expected("an integer", item->value));
    return default_value;
  }
  if (error == std::errc::result_out_of_range || value < min || value > max) {
    impl_->ErrorAtItem(*item, "must be between " + std::to_string(min) + " and " +
                                  std::to_string(max) + ", found " + s);
    return default_value;
  }
  return value;
}

Duration ConfigNode::GetDuration(std::string_view key, Duration default_value) {
  const Impl::Item* item = impl_->Lookup(key);
  if (item == nullptr) return default_value;
  if (!item->value.IsScalar()) {
    impl_->ErrorAtItem(*item, Expected("a duration (30s, 15m, 1h...)", item->value));
    return default_value;
  }
  StatusOr<Duration> d = ParseDuration(item->value.Scalar());
  if (!d.ok()) {
    impl_->ErrorAtItem(*item, d.status().message() + " (use 30s, 15m, 1h...)");
    return default_value;
  }
  return *d;
}

std::vector<std::string> ConfigNode::GetStringList(std::string_view key) {
  const Impl::Item* item = impl_->Lookup(key);
  if (item == nullptr || item->value.IsNull()) return {};
  if (!item->value.IsSequence()) {
    impl_->ErrorAtItem(*item, Expected("a list", item->value));
    return {};
  }
  std::vector<std::string> out;
  bool ok = true;
  size_t index = 0;
  for (const YAML::Node& element : item->value) {
    if (element.IsScalar()) {
      out.push_back(element.Scalar());
    } else {
      impl_->shared->Add(element.Mark(), PathOf(key, index), Expected("a string", element));
      ok = false;
    }
    ++index;
  }
  if (!ok) out.clear();
  return out;
}

std::optional<ConfigNode> ConfigNode::GetMap(std::string_view key) {
  const Impl::Item* item = impl_->Lookup(key);
  if (item == nullptr || item->value.IsNull()) return std::nullopt;
  if (!item->value.IsMap()) {
    impl_->ErrorAtItem(*item, Expected("a mapping", item->value));
    return std::nullopt;
  }
  auto child = std::make_unique<Impl>();
  child->shared = impl_->shared;
  child->path = impl_->KeyPath(key);
  child->Fill(item->value);
  return ConfigNode(std::move(child));
}

std::vector<ConfigNode> ConfigNode::GetMapList(std::string_view key) {
  const Impl::Item* item = impl_->Lookup(key);
  if (item == nullptr || item->value.IsNull()) return {};
  if (!item->value.IsSequence()) {
    impl_->ErrorAtItem(*item, Expected("a list", item->value));
    return {};
  }
  std::vector<ConfigNode> out;
  size_t index = 0;
  for (const YAML::Node& element : item->value) {
    if (!element.IsMap()) {
      impl_->shared->Add(element.Mark(), PathOf(key, index), Expected("a mapping", element));
      ++index;
      continue;
    }
    auto child = std::make_unique<Impl>();
    child->shared = impl_->shared;
    child->path = PathOf(key, index);
    child->Fill(element);
    out.push_back(ConfigNode(std::move(child)));
    ++index;
  }
  return out;
}

void ConfigNode::Error(std::string_view key, std::string_view message) {
  if (key.empty()) {
    impl_->shared->Add(impl_->mark, impl_->path, message);
    return;
  }
  const Impl::Item* item = impl_->Find(key);
  if (item != nullptr) {
    impl_->ErrorAtItem(*item, message);
  } else {
    impl_->shared->Add(impl_->mark, impl_->KeyPath(key), message);
  }
}

void ConfigNode::ErrorAt(std::string_view key, size_t index, std::string_view message) {
  const Impl::Item* item = impl_->Find(key);
  if (item == nullptr || !item->value.IsSequence() || index >= item->value.size()) {
    Error(key, message);
    return;
  }
  impl_->shared->Add(item->value[index].Mark(), PathOf(key, index), message);
}

void ConfigNode::MarkKnown(std::string_view key) { impl_->known.emplace(key); }

Status ConfigNode::Finish() {
  CheckUnknownKeys();
  return Errors();
}

void ConfigNode::CheckUnknownKeys() {
  std::vector<std::string> known(impl_->known.begin(), impl_->known.end());
  for (const Impl::Item& item : impl_->items) {
    if (impl_->known.count(item.key) != 0) continue;
    std::string message = "unknown key " + Quote(item.key);
    std::string suggestion = ClosestMatch(item.key, known);
    if (!suggestion.empty()) message += " (did you mean " + Quote(suggestion) + "?)";
    impl_->shared->Add(item.key_node.Mark(), impl_->KeyPath(item.key), message);
  }
}

size_t ConfigNode::error_count() const { return impl_->shared->errors.size(); }

Status ConfigNode::Errors() const {
  std::vector<Shared::Entry> errors = impl_->shared->errors;
  if (errors.empty()) return Status::OK();
  std::sort(errors.begin(), errors.end(), [](const Shared::Entry& a, const Shared::Entry& b) {
    return std::tie(a.line, a.column, a.sequence) < std::tie(b.line, b.column, b.sequence);
  });
  constexpr size_t kMaxReported = 100;
  std::string message;
  std::set<std::string_view> reported;
  size_t omitted = 0;
  for (const Shared::Entry& e : errors) {
    if (!reported.insert(e.text).second) continue;
    if (reported.size() > kMaxReported) {
      ++omitted;
      continue;
    }
    if (!message.empty()) message += "\n";
    message += e.text;
  }
  if (omitted > 0) message += "\n... and " + std::to_string(omitted) + " more errors";
  return Status::InvalidArgument(message);
}

}  // namespace mailrep
