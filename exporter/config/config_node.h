// ConfigNode: a strict reader over one YAML mapping of a config file.
//
// Every getter marks its key as known. A value of the wrong type or out of
// range records an error that names the file, line, column and the dotted key
// path, e.g. `mailrep.yml:7:15: collectors.dnsbl.interval: not a duration:
// "15x" (use 30s, 15m, 1h...)`; the getter then returns the default so parsing
// continues and every problem is reported at once. CheckUnknownKeys() adds an
// error for every key no getter asked for ("unknown key"); Finish() does that
// and returns all errors recorded so far by this node and every node derived
// from it.
//
// Copies and child nodes share one error list. Not thread-safe. yaml-cpp
// exceptions never escape this class.
#ifndef MAILREP_EXPORTER_CONFIG_CONFIG_NODE_H_
#define MAILREP_EXPORTER_CONFIG_CONFIG_NODE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/duration.h"
#include "exporter/util/status.h"

namespace YAML {
class Node;
}

namespace mailrep {

class ConfigNode {
 public:
  // Parses `yaml_text` (named `source` in messages). The document must be empty
  // (an empty mapping) or a mapping. Syntax errors come back with line/column.
  // Inputs over kMaxInputBytes or nested deeper than kMaxDepth are rejected.
  // Duplicate keys and non-string keys anywhere in the document are recorded
  // as errors (returned by Finish()); the first of duplicate keys is the one read.
  static StatusOr<ConfigNode> Parse(std::string_view yaml_text, std::string_view source);
  static constexpr size_t kMaxInputBytes = 1 << 20;
  static constexpr int kMaxDepth = 64;

  // An empty mapping at `path` (for a section absent from the file). Its
  // Location() is just `source`.
  static ConfigNode EmptyMap(std::string_view source, std::string path);

  // A copy with its own, empty error list (the known keys are copied). Lets a
  // section be validated later without re-reporting its document's errors.
  ConfigNode WithOwnErrors() const;

  ConfigNode(const ConfigNode&);
  ConfigNode& operator=(const ConfigNode&);
  ~ConfigNode();

  // Dotted path of this node from the document root ("" for the root).
  const std::string& path() const;
  // "file:line:column" of this node.
  std::string Location() const;

  // Path of `key` (and of its index-th item): "senders[0].ips[2]".
  std::string PathOf(std::string_view key, std::optional<size_t> index = std::nullopt) const;
  // "file:line:column" of `key`'s value (of its index-th item when given),
  // falling back to this node's location when there is no such value.
  std::string LocationOf(std::string_view key, std::optional<size_t> index = std::nullopt) const;

  bool Has(std::string_view key) const;
  // Keys in document order.
  std::vector<std::string> Keys() const;

  // Scalar getters. An absent key gives the default; a null value (`key:`),
  // a list or a mapping is a type error.
  std::string GetString(std::string_view key, std::string default_value = "");
  // true/True/TRUE or false/False/FALSE only (not yes/no/on/off).
  bool GetBool(std::string_view key, bool default_value);
  int64_t GetInt(std::string_view key, int64_t default_value, int64_t min, int64_t max);
  Duration GetDuration(std::string_view key, Duration default_value);
  // A sequence of scalars; a missing key gives an empty list. If any item is
  // not a scalar, errors are recorded and the result is empty, so indexes into
  // a non-empty result are document indexes (for ErrorAt/LocationOf).
  std::vector<std::string> GetStringList(std::string_view key);
  // A nested mapping; nullopt (and no error) when the key is absent or null.
  std::optional<ConfigNode> GetMap(std::string_view key);
  // A sequence of mappings; a missing key gives an empty list. Items that are
  // not mappings are errors and skipped; each child's path keeps its document
  // index ("senders[2]").
  std::vector<ConfigNode> GetMapList(std::string_view key);

  // Records an error about `key`'s value, or about this node when `key` is
  // empty. Scalars are located at the value; lists, mappings and nulls at the
  // key; an absent key at this node.
  void Error(std::string_view key, std::string_view message);
  // Records an error about the index-th item of the sequence at `key`
  // (path "key[index]"); falls back to Error(key, ...) if there is no such item.
  void ErrorAt(std::string_view key, size_t index, std::string_view message);

  // Marks `key` known without reading it (for keys another reader consumes).
  void MarkKnown(std::string_view key);

  // Records an error for each unknown key of this node (not of its children:
  // check those first), in the error list shared with the whole document;
  // for a nested mapping, whose errors its document's Finish() returns.
  void CheckUnknownKeys();
  // CheckUnknownKeys(), then OK or InvalidArgument with every recorded error,
  // one per line, in document order, identical lines once, at most 100 lines
  // plus "... and N more errors". Calling it again adds nothing new.
  Status Finish();
  // Returns the errors recorded so far without checking unknown keys.
  Status Errors() const;
  // How many errors have been recorded so far (cheap; for "did that fail?").
  size_t error_count() const;

 private:
  struct Shared;
  struct Impl;
  explicit ConfigNode(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CONFIG_CONFIG_NODE_H_
