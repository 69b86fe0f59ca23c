#include "collectors/reports/json_value.h"

#include <cmath>
#include <cstdlib>

#include "collectors/reports/report_invalid_reason.h"

namespace mailrep {
namespace {

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  StatusOr<JsonValue> Run() {
    if (text_.size() > limits_.max_bytes) {
      return InvalidReport(ReportInvalidReason::kJsonLimits,
                           "over " + std::to_string(limits_.max_bytes) + " bytes");
    }
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    JsonValue root;
    if (Status s = Value(&root, 0); !s.ok()) return s;
    SkipSpace();
    if (pos_ != text_.size()) return Syntax("text after the value");
    return root;
  }

 private:
  Status Syntax(std::string_view what) const {
    return InvalidReport(ReportInvalidReason::kJsonSyntax,
                         std::string(what) + " at byte " + std::to_string(pos_));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status Value(JsonValue* v, int depth) {
    if (++values_ > limits_.max_values) {
      return InvalidReport(ReportInvalidReason::kJsonLimits,
                           "more than " + std::to_string(limits_.max_values) + " values");
    }
    SkipSpace();
    if (pos_ >= text_.size()) return Syntax("unexpected end");
    char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (depth >= limits_.max_depth) {
        return InvalidReport(ReportInvalidReason::kJsonLimits,
                             "nested deeper than " + std::to_string(limits_.max_depth));
      }
      return c == '{' ? Object(v, depth + 1) : Array(v, depth + 1);
    }
    if (c == '"') {
      v->type = JsonValue::Type::kString;
      return String(&v->string);
    }
    if (Literal("true") || Literal("false")) {
      v->type = JsonValue::Type::kBool;
      v->boolean = text_[pos_ - 1] == 'e' && text_[pos_ - 2] == 'u';
      return Status::OK();
    }
    if (Literal("null")) return Status::OK();
    if (c == '-' || (c >= '0' && c <= '9')) return Number(v);
    return Syntax("unexpected character");
  }

  Status Object(JsonValue* v, int depth) {
    v->type = JsonValue::Type::kObject;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Status::OK();
    }
    for (;;) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Syntax("expected a member name");
      std::string key;
      if (Status s = String(&key); !s.ok()) return s;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Syntax("expected ':'");
      ++pos_;
      v->members.push_back({std::move(key), JsonValue{}});
      if (Status s = Value(&v->members.back().value, depth); !s.ok()) return s;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return Status::OK();
      }
      return Syntax("expected ',' or '}'");
    }
  }

  Status Array(JsonValue* v, int depth) {
    v->type = JsonValue::Type::kArray;
    ++pos_;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Status::OK();
    }
    for (;;) {
      v->items.emplace_back();
      if (Status s = Value(&v->items.back(), depth); !s.ok()) return s;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return Status::OK();
      }
      return Syntax("expected ',' or ']'");
    }
  }

  bool Hex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return false;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_ + i];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        value |= c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        value |= c - 'A' + 10;
      } else {
        return false;
      }
    }
    pos_ += 4;
    *out = value;
    return true;
  }

  static void AppendUtf8(std::string* out, uint32_t cp) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | cp >> 6);
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | cp >> 12);
      *out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | cp >> 18);
      *out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      *out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Status String(std::string* out) {
    ++pos_;  // the opening quote
    for (;;) {
      if (pos_ >= text_.size()) return Syntax("unterminated string");
      char c = text_[pos_++];
      if (c == '"') return Status::OK();
      if (static_cast<unsigned char>(c) < 0x20) return Syntax("control character in a string");
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= text_.size()) return Syntax("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          *out += e;
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return Syntax("bad \\u escape");
          if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t low;
            if (text_.substr(pos_, 2) != "\\u") return Syntax("lone surrogate");
            pos_ += 2;
            if (!Hex4(&low) || low < 0xDC00 || low >= 0xE000) return Syntax("lone surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return Syntax("lone surrogate");
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return Syntax("bad escape");
      }
    }
  }

  Status Number(JsonValue* v) {
    size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (digits() == 0) {
      return Syntax("bad number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return Syntax("bad number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return Syntax("bad number");
    }
    std::string literal(text_.substr(start, pos_ - start));
    v->type = JsonValue::Type::kNumber;
    v->number = std::strtod(literal.c_str(), nullptr);
    if (!std::isfinite(v->number)) return Syntax("number out of range");
    return Status::OK();
  }

  std::string_view text_;
  const JsonLimits& limits_;
  size_t pos_ = 0;
  size_t values_ = 0;
};

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (type != Type::kObject) return nullptr;
  for (const JsonMember& member : members) {
    if (member.name == key) return &member.value;
  }
  return nullptr;
}

std::optional<std::string_view> JsonValue::StringAt(std::string_view key) const {
  const JsonValue* v = Find(key);
  if (v == nullptr || v->type != Type::kString) return std::nullopt;
  return v->string;
}

std::optional<uint64_t> JsonValue::CountAt(std::string_view key) const {
  const JsonValue* v = Find(key);
  if (v == nullptr || v->type != Type::kNumber) return std::nullopt;
  double n = v->number;
  if (!(n >= 0) || n > 9007199254740992.0 || std::floor(n) != n) return std::nullopt;
  return static_cast<uint64_t>(n);
}

StatusOr<JsonValue> ParseJson(std::string_view text, const JsonLimits& limits) {
  return Parser(text, limits).Run();
}

}  // namespace mailrep
