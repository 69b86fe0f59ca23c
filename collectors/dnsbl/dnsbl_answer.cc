#include "collectors/dnsbl/dnsbl_answer.h"

#include <algorithm>

namespace mailrep {
namespace {

DnsblResult Error(DnsblError error, std::string detail) {
  DnsblResult r;
  r.verdict = DnsblVerdict::kError;
  r.error = error;
  r.error_detail = std::move(detail);
  return r;
}

const DnsblCodeRange* FindRange(const std::vector<DnsblCodeRange>& ranges, uint32_t value) {
  for (const DnsblCodeRange& r : ranges) {
    if (r.Contains(value)) return &r;
  }
  return nullptr;
}

void AddMatch(DnsblResult* r, DnsblMatch m) {
  if (std::find(r->matches.begin(), r->matches.end(), m) == r->matches.end()) {
    r->matches.push_back(std::move(m));
  }
}

}  // namespace

std::string_view DnsblVerdictName(DnsblVerdict v) {
  switch (v) {
    case DnsblVerdict::kClean:
      return "clean";
    case DnsblVerdict::kListed:
      return "listed";
    case DnsblVerdict::kAllowlisted:
      return "allowlisted";
    case DnsblVerdict::kError:
      return "error";
  }
  return "unknown";
}

std::string_view DnsblErrorName(DnsblError e) {
  switch (e) {
    case DnsblError::kNone:
      return "";
    case DnsblError::kTimeout:
      return "timeout";
    case DnsblError::kServFail:
      return "servfail";
    case DnsblError::kRefused:
      return "refused";
    case DnsblError::kRefusalCode:
      return "refusal_code";
    case DnsblError::kUnexpectedAnswer:
      return "unexpected_answer";
    case DnsblError::kMalformed:
      return "malformed";
    case DnsblError::kOther:
      return "other";
    case DnsblError::kBudgetExhausted:
      return "budget_exhausted";
  }
  return "unknown";
}

const std::vector<DnsblError>& AllDnsblErrors() {
  static const std::vector<DnsblError> all = {
      DnsblError::kTimeout,     DnsblError::kServFail,         DnsblError::kRefused,
      DnsblError::kRefusalCode, DnsblError::kUnexpectedAnswer, DnsblError::kMalformed,
      DnsblError::kOther,       DnsblError::kBudgetExhausted};
  return all;
}

DnsblResult DecodeDnsblAnswer(const DnsblList& list, const DnsAnswer& answer) {
  switch (answer.outcome) {
    case DnsOutcome::kNxDomain:
    case DnsOutcome::kNoData: {
      DnsblResult r;
      r.verdict = DnsblVerdict::kClean;
      r.ttl = answer.ttl;
      return r;
    }
    case DnsOutcome::kTimeout:
      return Error(DnsblError::kTimeout, "timeout");
    case DnsOutcome::kServFail:
      return Error(DnsblError::kServFail, "SERVFAIL");
    case DnsOutcome::kRefused:
      return Error(DnsblError::kRefused, "REFUSED");
    case DnsOutcome::kMalformed:
      return Error(DnsblError::kMalformed, "malformed answer: " + answer.error);
    case DnsOutcome::kBudgetExhausted:
      return Error(DnsblError::kBudgetExhausted,
                   "not sent: the list's daily query budget is spent" +
                       (answer.error.empty() ? std::string() : " (" + answer.error + ")"));
    case DnsOutcome::kData:
      break;
    default:
      return Error(DnsblError::kOther, std::string(DnsOutcomeName(answer.outcome)) +
                                           (answer.error.empty() ? "" : ": " + answer.error));
  }

  DnsblResult r;
  r.ttl = answer.ttl;
  bool any_listed = false;
  bool any_allowlisted = false;
  size_t a_records = 0;
  for (const DnsRecord& record : answer.records) {
    if (record.type != RecordType::kA) continue;
    if (record.address.family != IpAddress::Family::kV4) {
      return Error(DnsblError::kUnexpectedAnswer, "an A record without an IPv4 address");
    }
    ++a_records;
    const auto& b = record.address.bytes;
    uint32_t value = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    std::string text = record.address.ToString();
    // Error codes win over everything: a refusal is never a listing.
    if (const DnsblCodeRange* e = FindRange(list.errors, value)) {
      return Error(DnsblError::kRefusalCode, text + ": " + e->meaning);
    }
    if (b[0] != 127) {
      return Error(DnsblError::kUnexpectedAnswer,
                   text + " is outside 127.0.0.0/8: the zone is broken, parked or wildcarded");
    }
    if (const DnsblCodeRange* c = FindRange(list.codes, value)) {
      AddMatch(&r, {text, c->meaning, c->code_class});
      any_listed |= c->code_class == DnsblCodeClass::kListed;
      any_allowlisted |= c->code_class == DnsblCodeClass::kAllowlisted;
      continue;
    }
    if (!list.bits.empty() && b[1] == 0 && b[2] == 0 && b[3] != 0) {
      uint8_t remaining = b[3];
      std::vector<const DnsblBit*> hits;
      for (const DnsblBit& bit : list.bits) {
        if (b[3] & bit.bit) {
          hits.push_back(&bit);
          remaining &= static_cast<uint8_t>(~bit.bit);
        }
      }
      if (remaining == 0) {
        std::string meaning;
        for (const DnsblBit* bit : hits) {
          meaning += (meaning.empty() ? "" : "; ") + bit->meaning;
        }
        AddMatch(&r, {text, meaning, DnsblCodeClass::kListed});
        any_listed = true;
        continue;
      }
    }
    return Error(DnsblError::kUnexpectedAnswer, text + " is not one of " + list.zone + "'s codes");
  }
  if (a_records == 0) return Error(DnsblError::kUnexpectedAnswer, "NOERROR without A records");
  r.verdict = any_listed        ? DnsblVerdict::kListed
              : any_allowlisted ? DnsblVerdict::kAllowlisted
                                : DnsblVerdict::kClean;
  return r;
}

}  // namespace mailrep
