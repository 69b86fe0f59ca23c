#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string MailAddressDomain(std::string_view address) {
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string_view domain = address.substr(at + 1);
  while (!domain.empty() && (domain.back() == '>' || domain.back() == '.')) domain.remove_suffix(1);
  return ToLowerAscii(domain);
}

}  // namespace mailrep
