// JsonValue and ParseJson(): a small strict JSON reader (RFC 8259) for
// report bodies that arrive from outside (TLS-RPT). No comments, no trailing
// commas, no NaN; strings must be valid escapes (\uXXXX pairs become UTF-8);
// a UTF-8 byte order mark before the value is skipped. Bounded: nesting depth,
// input bytes and the number of values have caps (json_limits past them), so a
// hostile document cannot take more than about max_values * sizeof(JsonValue)
// plus its own length. Errors are json_syntax with the byte offset.
// Value type; const access is thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_JSON_VALUE_H_
#define MAILREP_COLLECTORS_REPORTS_JSON_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct JsonMember;

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;               // kString
  std::vector<JsonValue> items;     // kArray
  std::vector<JsonMember> members;  // kObject, in document order

  bool is_object() const { return type == Type::kObject; }
  bool is_array() const { return type == Type::kArray; }
  bool is_string() const { return type == Type::kString; }
  // The first member named `key` of an object; nullptr when absent or not an object.
  const JsonValue* Find(std::string_view key) const;
  // The member `key` when it is a string.
  std::optional<std::string_view> StringAt(std::string_view key) const;
  // The member `key` when it is a whole number in [0, 2^53].
  std::optional<uint64_t> CountAt(std::string_view key) const;
};

struct JsonMember {
  std::string name;
  JsonValue value;
};

struct JsonLimits {
  size_t max_bytes = 8 << 20;
  int max_depth = 32;
  size_t max_values = 200000;
};

StatusOr<JsonValue> ParseJson(std::string_view text, const JsonLimits& limits = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_JSON_VALUE_H_
