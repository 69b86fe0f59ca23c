// dkim_record_eval: judges DKIM key records read from stdin, one per line as
// hex (any byte may occur in a record), and prints per line
// "<status> <key type> <bits>", e.g. "valid rsa 2048". For the differential
// test against dkimpy (dkim_differential_test.py).
#include <iostream>
#include <string>

#include "collectors/auth/dkim_check.h"

namespace mailrep {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool DecodeHex(const std::string& hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]), lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

int Main() {
  std::string line, record;
  while (std::getline(std::cin, line)) {
    if (!DecodeHex(line, &record)) {
      std::cerr << "dkim_record_eval: not hex: " << line << "\n";
      return 2;
    }
    DnsAnswer answer;
    answer.outcome = DnsOutcome::kData;
    answer.canonical_name = "s._domainkey.example.test";
    DnsRecord txt;
    txt.type = RecordType::kTxt;
    txt.texts.push_back(record);
    answer.records.push_back(txt);
    DkimKeyCheckResult r = EvaluateDkimKey(answer.canonical_name, answer, nullptr);
    std::cout << DkimKeyStatusName(r.status) << " " << DkimKeyTypeName(r.key_type) << " "
              << r.key_bits << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace mailrep

int main() { return mailrep::Main(); }
