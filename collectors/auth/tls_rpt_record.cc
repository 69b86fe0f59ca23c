#include "collectors/auth/tls_rpt_record.h"

#include "collectors/auth/mta_sts_record.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimWsp(std::string_view s) {
  while (!s.empty() && IsWsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWsp(s.back())) s.remove_suffix(1);
  return s;
}

bool IsUriBytes(std::string_view uri) {
  for (char c : uri) {
    if (c < 0x21 || c > 0x7e || c == ',' || c == '!') return false;
  }
  return !uri.empty();
}

// "mailto:" then local@domain; "https://" then a host (maybe with port/path).
bool IsUsableUri(std::string_view uri) {
  std::string lower = ToLowerAscii(uri);
  if (lower.rfind("mailto:", 0) == 0) {
    std::string_view address = std::string_view(uri).substr(7);
    address = address.substr(0, address.find('?'));
    size_t at = address.rfind('@');
    return at != std::string_view::npos && at > 0 && at + 1 < address.size();
  }
  if (lower.rfind("https://", 0) == 0) {
    std::string_view rest = std::string_view(uri).substr(8);
    std::string_view host = rest.substr(0, rest.find_first_of("/:?#"));
    return !host.empty();
  }
  return false;
}

}  // namespace

bool IsTlsRptTxtCandidate(std::string_view text) {
  constexpr std::string_view kVersion = "v=TLSRPTv1";
  if (text.substr(0, kVersion.size()) != kVersion) return false;
  return text.size() == kVersion.size() || IsWsp(text[kVersion.size()]) ||
         text[kVersion.size()] == ';';
}

StatusOr<TlsRptRecord> ParseTlsRptTxt(std::string_view text) {
  // rua values hold spaces around ',' so values are checked here, not strictly.
  auto fields = ParseStsTxtFields(text, "v=TLSRPTv1", /*strict_values=*/false);
  if (!fields.ok()) return fields.status();
  TlsRptRecord record;
  bool have_rua = false;
  for (const auto& [name, value] : *fields) {
    if (name != "rua") {
      for (char c : value) {
        if (c < 0x21 || c > 0x7e || c == '=') {
          return Status::InvalidArgument("bad value for extension " + name);
        }
      }
      record.notes.push_back("extension " + name + "=" + value + " ignored");
      continue;
    }
    if (have_rua) return Status::InvalidArgument("more than one rua field");
    have_rua = true;
    bool usable = false;
    std::string_view list = value;
    while (true) {
      size_t comma = list.find(',');
      std::string_view uri = TrimWsp(list.substr(0, comma));
      if (!IsUriBytes(uri)) {
        return Status::InvalidArgument("rua holds an empty or malformed URI");
      }
      record.rua.emplace_back(uri);
      if (IsUsableUri(uri)) {
        usable = true;
      } else {
        record.notes.push_back("rua URI " + std::string(uri) +
                               " is not a usable mailto: or https: URI");
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
    if (!usable) return Status::InvalidArgument("rua has no usable mailto: or https: URI");
  }
  if (!have_rua) return Status::InvalidArgument("no rua field");
  return record;
}

}  // namespace mailrep
