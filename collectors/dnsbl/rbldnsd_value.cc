#include "collectors/dnsbl/rbldnsd_value.h"

#include "collectors/dnsbl/rbldnsd_ip4.h"

namespace mailrep {
namespace {

constexpr size_t kMaxTemplate = 255;
constexpr size_t kMaxTxt = 254;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

size_t SkipBlanks(std::string_view text, size_t pos) {
  while (pos < text.size() && IsBlank(text[pos])) ++pos;
  return pos;
}

}  // namespace

StatusOr<ParsedRbldnsdValue> ParseRbldnsdValue(std::string_view text,
                                               const RbldnsdValue& scope_default) {
  ParsedRbldnsdValue out;
  std::string_view txt = text;
  out.value.a = scope_default.a;
  if (!text.empty() && text[0] == ':') {
    std::optional<Ip4Value> a = ParseIp4AValue(text.substr(1));
    if (!a) return Status::InvalidArgument("invalid A value in \"" + std::string(text) + "\"");
    out.value.a = a->address;
    size_t pos = SkipBlanks(text, 1 + a->consumed);
    if (pos == text.size()) {  // ":A" alone: the default's TXT
      out.value.txt = scope_default.txt;
      return out;
    }
    if (text[pos] != ':') {
      return Status::InvalidArgument("unrecognized value \"" + std::string(text) +
                                     "\" (expected \":A:TXT\")");
    }
    txt = text.substr(SkipBlanks(text, pos + 1));
  }
  if (txt.size() > kMaxTemplate) {
    txt = txt.substr(0, kMaxTemplate);
    out.txt_truncated = true;
  }
  out.value.txt = std::string(txt);
  return out;
}

std::string ExpandRbldnsdTxt(std::string_view txt_template, std::string_view subject,
                             const RbldnsdSubstitutions& subst) {
  std::string_view tmpl = txt_template;
  std::string_view own;  // what "$=" stands for
  if (!tmpl.empty() && tmpl[0] == '=') {
    tmpl.remove_prefix(1);
    own = tmpl;
  } else if (subst.base && !subst.base->empty()) {
    own = tmpl.empty() ? subject : tmpl;
    tmpl = *subst.base;
  } else {
    own = tmpl;
  }
  std::string out;
  auto append = [&](std::string_view piece) { out.append(piece.substr(0, kMaxTxt - out.size())); };
  size_t pos = 0;
  while (out.size() < kMaxTxt) {
    size_t dollar = tmpl.find('$', pos);
    append(
        tmpl.substr(pos, dollar == std::string_view::npos ? std::string_view::npos : dollar - pos));
    if (dollar == std::string_view::npos) break;
    char next = dollar + 1 < tmpl.size() ? tmpl[dollar + 1] : '\0';
    pos = dollar + 2;
    if (next == '$') {
      append("$");
    } else if (next >= '0' && next <= '9') {
      const std::optional<std::string>& var = subst.vars[next - '0'];
      append(var ? std::string_view(*var) : tmpl.substr(dollar, 2));
    } else if (next == '=') {
      append(own);
    } else {
      append(subject);
      pos = dollar + 1;
    }
  }
  return out;
}

uint32_t RbldnsdValueTable::Add(const RbldnsdValue& value) {
  slots_.push_back(
      {value.a, static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(value.txt.size())});
  text_ += value.txt;
  return static_cast<uint32_t>(slots_.size() - 1);
}

void RbldnsdValueTable::ShrinkToFit() {
  slots_.shrink_to_fit();
  text_.shrink_to_fit();
}

size_t RbldnsdValueTable::MemoryBytes() const {
  return slots_.capacity() * sizeof(Slot) + text_.capacity();
}

}  // namespace mailrep
