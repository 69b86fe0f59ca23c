// ConfigNode: a strict reader over one YAML mapping of a config file.
//
// Every getter marks its key as known. A value of the wrong type or out of
// range records an error that names the file, line, column and the dotted key
// path, e.g. `mailrep.yml:7:15: collectors.dnsbl.interval: not a duration:
// "15x" (use 30s, 15m, 1h...)`; the getter then returns the default so parsing
// continues and every problem is reported at once. Finish() adds an error for
// every key no getter asked for ("unknown key") and returns all errors
// recorded so far by this node and every node derived from it.
//
// Copies and child nodes share one error list. Not thread-safe. yaml-cpp
// exceptions never escape this class.
#ifndef MAILREP_EXPORTER_CONFIG_CONFIG_NODE_H_
#define MAILREP_EXPORTER_CONFIG_CONFIG_NODE_H_

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
  static StatusOr<ConfigNode> Parse(std::string_view yaml_text, std::string_view source);

  ConfigNode(const ConfigNode&);
  ConfigNode& operator=(const ConfigNode&);
  ~ConfigNode();

  // Dotted path of this node from the document root ("" for the root).
  const std::string& path() const;
  // "file:line:column" of this node.
  std::string Location() const;

  bool Has(std::string_view key) const;
  // Keys in document order.
  std::vector<std::string> Keys() const;

  std::string GetString(std::string_view key, std::string default_value = "");
  bool GetBool(std::string_view key, bool default_value);
  int64_t GetInt(std::string_view key, int64_t default_value, int64_t min, int64_t max);
  Duration GetDuration(std::string_view key, Duration default_value);
  // A sequence of scalars; a missing key gives an empty list.
  std::vector<std::string> GetStringList(std::string_view key);
  // A nested mapping; nullopt (and no error) when the key is absent or null.
  std::optional<ConfigNode> GetMap(std::string_view key);
  // A sequence of mappings; a missing key gives an empty list.
  std::vector<ConfigNode> GetMapList(std::string_view key);

  // Records an error about `key`'s value (at its position), or about this node
  // when `key` is empty.
  void Error(std::string_view key, std::string_view message);

  // Marks `key` known without reading it (for keys another reader consumes).
  void MarkKnown(std::string_view key);

  // Reports unknown keys of this node, then returns OK or InvalidArgument with
  // every recorded error, one per line, in document order.
  Status Finish();
  // Returns the errors recorded so far without checking unknown keys.
  Status Errors() const;

 private:
  struct Shared;
  struct Impl;
  explicit ConfigNode(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CONFIG_CONFIG_NODE_H_
