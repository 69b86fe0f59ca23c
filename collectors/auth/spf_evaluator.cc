#include "collectors/auth/spf_evaluator.h"

#include <time.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <utility>

#include "collectors/auth/spf_macro.h"
#include "collectors/auth/spf_record.h"
#include "collectors/auth/spf_record_cache.h"
#include "collectors/auth/spf_record_lint.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

constexpr int kMaxDepth = 32;
constexpr size_t kLargeAnswerBytes = 450;

// The position of the last '@' in `s`, or npos.
size_t LastAt(std::string_view s) {
  const void* at = memrchr(s.data(), '@', s.size());
  return at == nullptr ? std::string_view::npos
                       : static_cast<size_t>(static_cast<const char*>(at) - s.data());
}

// A monotonic clock with ~ms resolution; cheaper than steady_clock.
int64_t CoarseMillis() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// RFC 7208 §4.3: a usable multi-label domain (visible ASCII, no literal),
// labels of 1-63 octets; one trailing dot allowed.
bool IsCheckableDomain(std::string_view domain) {
  // 0: not allowed in a domain, 1: '.', 2: a label byte.
  static constexpr auto kClass = [] {
    std::array<uint8_t, 256> table{};
    for (int c = 0x21; c < 0x7f; ++c) table[c] = 2;
    table['.'] = 1;
    table['['] = 0;
    table[']'] = 0;
    return table;
  }();
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty() || domain.size() > 253) return false;
  size_t label_start = 0;
  bool dotted = false;
  for (size_t i = 0; i < domain.size(); ++i) {
    uint8_t type = kClass[static_cast<unsigned char>(domain[i])];
    if (type == 2) continue;
    if (type == 0) return false;
    if (i == label_start || i - label_start > 63) return false;
    label_start = i + 1;
    dotted = true;
  }
  return dotted && label_start < domain.size() && domain.size() - label_start <= 63;
}

bool InNetwork(const IpAddress& ip, const IpAddress& network, int prefix) {
  if (ip.family != network.family) return false;
  int bytes = prefix / 8;
  if (std::memcmp(ip.bytes.data(), network.bytes.data(), static_cast<size_t>(bytes)) != 0) {
    return false;
  }
  int bits = prefix % 8;
  if (bits == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits));
  return (ip.bytes[bytes] & mask) == (network.bytes[bytes] & mask);
}

// Joins pieces with one allocation.
std::string Concat(std::initializer_list<std::string_view> parts) {
  size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
  return out;
}

SpfResult QualifierResult(SpfQualifier qualifier) {
  switch (qualifier) {
    case SpfQualifier::kPass:
      return SpfResult::kPass;
    case SpfQualifier::kFail:
      return SpfResult::kFail;
    case SpfQualifier::kSoftFail:
      return SpfResult::kSoftFail;
    case SpfQualifier::kNeutral:
      return SpfResult::kNeutral;
  }
  return SpfResult::kNeutral;
}

bool IsDnsError(DnsOutcome outcome) {
  return outcome != DnsOutcome::kData && outcome != DnsOutcome::kNoData &&
         outcome != DnsOutcome::kNxDomain;
}

bool IsVoid(const DnsAnswer& answer) {
  return answer.outcome == DnsOutcome::kNoData || answer.outcome == DnsOutcome::kNxDomain ||
         (answer.outcome == DnsOutcome::kData && answer.records.empty());
}

// One top-level check_host(): the counters shared by the whole include and
// redirect tree (DNS-querying terms, void lookups), the warnings, and the
// records fetched so far (spf_record_cache.h), so loops and repeated includes
// parse once.
class Evaluation {
 public:
  Evaluation(const IpAddress& ip, std::string_view sender, std::string_view helo, DnsLookup& dns,
             const SpfOptions& options)
      : ip_(UnmapIpv4(ip)), sender_(sender), helo_(helo), dns_(dns), options_(options) {
    size_t at = LastAt(sender_);
    if (at == std::string_view::npos || at == 0) {
      owned_sender_ = "postmaster";
      if (at == std::string_view::npos) owned_sender_ += '@';
      owned_sender_ += sender_;
      sender_ = owned_sender_;
      at = 10;
    }
    local_ = sender_.substr(0, at);
    sender_domain_ = sender_.substr(at + 1);
    now_ = options_.now_seconds >= 0 ? options_.now_seconds : static_cast<int64_t>(time(nullptr));
    deadline_ms_ = CoarseMillis() + options_.time_budget.count();
  }
  Evaluation(const Evaluation&) = delete;
  Evaluation& operator=(const Evaluation&) = delete;

  SpfCheckResult Run(std::string_view domain) {
    if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    result_.domain = domain;
    const std::string& start = result_.domain;
    Outcome outcome = CheckHost(start, 0, /*chain=*/true, /*want_exp=*/true);
    result_.result = outcome.result;
    result_.reason = std::move(outcome.reason);
    result_.explanation = std::move(outcome.explanation);
    result_.dns_terms = terms_;
    result_.void_lookups = voids_;
    if (terms_ >= 8 && terms_ <= options_.max_dns_terms) {
      Warn(SpfWarningCode::kLookupsNearLimit, start,
           std::to_string(terms_) + " of " + std::to_string(options_.max_dns_terms) +
               " DNS-querying terms used");
    }
    return std::move(result_);
  }

 private:
  struct Outcome {
    SpfResult result = SpfResult::kNeutral;
    std::string reason;
    std::string explanation;
  };
  enum class Match { kNo, kYes, kAbort };

  Match Abort(SpfResult result, std::string reason) {
    if (!aborted_) {
      aborted_ = true;
      abort_ = Outcome{result, std::move(reason), ""};
    }
    return Match::kAbort;
  }

  void Warn(SpfWarningCode code, std::string_view domain, std::string detail) {
    AddSpfWarning(result_.warnings, SpfWarning{code, std::string(domain), std::move(detail)});
  }

  // The answer is `scratch` or owned by dns_ (see DnsLookup::LookupRef).
  const DnsAnswer& Query(std::string_view name, RecordType type, DnsAnswer& scratch) {
    if (CoarseMillis() >= deadline_ms_) {
      scratch = DnsAnswer();
      scratch.outcome = DnsOutcome::kTimeout;
      scratch.error = "SPF evaluation time budget exhausted";
      return scratch;
    }
    ++result_.dns_queries;
    return dns_.LookupRef(name, type, scratch);
  }

  // Counts a void lookup; false (and aborted) when over the limit.
  bool CountVoid(std::string_view name, std::string_view domain) {
    if (!count_voids_) return true;
    ++voids_;
    Warn(SpfWarningCode::kVoidLookup, domain, "no records at " + std::string(name));
    if (voids_ > options_.max_void_lookups) {
      Abort(SpfResult::kPermError, "more than " + std::to_string(options_.max_void_lookups) +
                                       " void DNS lookups (RFC 7208 §4.6.4)");
      return false;
    }
    return true;
  }

  bool CountTerm() {
    ++terms_;
    if (terms_ > options_.max_dns_terms) {
      Abort(SpfResult::kPermError, "more than " + std::to_string(options_.max_dns_terms) +
                                       " DNS-querying terms (RFC 7208 §4.6.4)");
      return false;
    }
    return true;
  }

  Match DnsFailure(const DnsAnswer& answer, std::string_view name, RecordType type) {
    return Abort(SpfResult::kTempError, "DNS " + std::string(DnsOutcomeName(answer.outcome)) +
                                            " for " + std::string(RecordTypeName(type)) + " " +
                                            std::string(name));
  }

  RecordType AddressType() const {
    return ip_.family == IpAddress::Family::kV4 ? RecordType::kA : RecordType::kAaaa;
  }

  SpfMacroContext Context(std::string_view domain) {
    SpfMacroContext context;
    context.sender = sender_;
    context.local_part = local_;
    context.sender_domain = sender_domain_;
    context.domain = domain;
    context.ip = ip_;
    context.helo = helo_;
    context.receiver = options_.receiver;
    context.now_seconds = now_;
    context.validated_name = [this](std::string_view d) { return ValidatedName(d); };
    return context;
  }

  // The expanded target of a mechanism, or nullopt when it cannot be queried
  // (RFC 7208 §4.8: such a mechanism does not match).
  // The view points into `spec`, `domain` or `storage`.
  std::optional<std::string_view> Target(std::string_view spec, std::string_view domain,
                                         std::string& storage) {
    if (spec.empty()) return domain;
    if (spec.find('%') == std::string_view::npos) {  // no macros: validated by the parser
      if (spec.back() == '.') spec.remove_suffix(1);
      while (spec.size() > 253 && spec.find('.') != std::string_view::npos) {
        spec.remove_prefix(spec.find('.') + 1);
      }
      if (!IsQueryableName(spec)) return std::nullopt;
      return spec;
    }
    StatusOr<std::string> name = ExpandSpfDomainSpec(spec, Context(domain));
    if (!name.ok() || !IsQueryableName(*name)) return std::nullopt;
    storage = std::move(name).value();
    return std::string_view(storage);
  }

  std::string ReverseName() const {
    return SpfDottedAddress(ip_, true) +
           (ip_.family == IpAddress::Family::kV4 ? ".in-addr.arpa" : ".ip6.arpa");
  }

  // The first max_ptr_names PTR names of the client; empty on any error.
  std::vector<std::string> PtrNames(std::string_view domain) {
    std::string reverse = ReverseName();
    DnsAnswer scratch;
    const DnsAnswer& answer = Query(reverse, RecordType::kPtr, scratch);
    std::vector<std::string> names;
    if (IsVoid(answer)) {
      CountVoid(reverse, domain);
      return names;
    }
    if (answer.outcome != DnsOutcome::kData) return names;
    for (const DnsRecord& record : answer.records) {
      if (record.type != RecordType::kPtr) continue;
      if (static_cast<int>(names.size()) >= options_.max_ptr_names) break;
      std::string name = record.target;
      if (!name.empty() && name.back() == '.') name.pop_back();
      names.push_back(std::move(name));
    }
    return names;
  }

  // True when `name` resolves to the client address (forward-confirmed).
  bool Validates(const std::string& name, std::string_view domain) {
    if (!IsQueryableName(name)) return false;
    DnsAnswer scratch;
    const DnsAnswer& answer = Query(name, AddressType(), scratch);
    if (IsVoid(answer)) {
      CountVoid(name, domain);
      return false;
    }
    if (answer.outcome != DnsOutcome::kData) return false;
    for (const DnsRecord& record : answer.records) {
      if (record.type == AddressType() && record.address == ip_) return true;
    }
    return false;
  }

  std::string ValidatedName(std::string_view domain) {
    if (!validated_names_) {
      validated_names_.emplace();
      for (const std::string& name : PtrNames(domain)) {
        if (aborted_) break;
        if (Validates(name, domain)) validated_names_->push_back(name);
      }
    }
    const std::vector<std::string>& names = *validated_names_;
    for (const std::string& name : names) {
      if (EqualsIgnoreCase(name, domain)) return name;
    }
    std::string suffix = "." + std::string(domain);
    for (const std::string& name : names) {
      if (EndsWithIgnoreCase(name, suffix)) return name;
    }
    return names.empty() ? "unknown" : names.front();
  }

  Match MatchAddresses(std::string_view name, const SpfMechanism& m, std::string_view domain) {
    RecordType type = AddressType();
    DnsAnswer scratch;
    const DnsAnswer& answer = Query(name, type, scratch);
    if (IsVoid(answer)) return CountVoid(name, domain) ? Match::kNo : Match::kAbort;
    if (IsDnsError(answer.outcome)) return DnsFailure(answer, name, type);
    int prefix = ip_.family == IpAddress::Family::kV4 ? m.cidr4 : m.cidr6;
    for (const DnsRecord& record : answer.records) {
      if (record.type == type && InNetwork(ip_, record.address, prefix)) return Match::kYes;
    }
    return Match::kNo;
  }

  Match EvaluateMechanism(const SpfMechanism& m, std::string_view domain, int depth) {
    if (m.kind == SpfMechanismKind::kAll) return Match::kYes;
    if (m.kind == SpfMechanismKind::kIp4 || m.kind == SpfMechanismKind::kIp6) {
      return InNetwork(ip_, m.network.address, m.network.prefix_length) ? Match::kYes : Match::kNo;
    }
    if (!CountTerm()) return Match::kAbort;
    std::string storage;
    std::optional<std::string_view> target = Target(m.domain_spec, domain, storage);
    if (aborted_) return Match::kAbort;
    if (m.kind == SpfMechanismKind::kInclude) {
      if (!target) return Abort(SpfResult::kPermError, "include target is not a valid domain");
      Outcome inner = CheckHost(*target, depth + 1, /*chain=*/false, /*want_exp=*/false);
      switch (inner.result) {
        case SpfResult::kPass:
          return Match::kYes;
        case SpfResult::kFail:
        case SpfResult::kSoftFail:
        case SpfResult::kNeutral:
          return Match::kNo;
        case SpfResult::kTempError:
        case SpfResult::kPermError:
          return Abort(inner.result, inner.reason);
        case SpfResult::kNone:
          Warn(SpfWarningCode::kIncludeWithoutRecord, domain, std::string(m.text));
          return Abort(SpfResult::kPermError,
                       Concat({"included domain ", *target, " has no SPF record"}));
      }
    }
    if (!target) return Match::kNo;
    switch (m.kind) {
      case SpfMechanismKind::kA:
        return MatchAddresses(*target, m, domain);
      case SpfMechanismKind::kMx: {
        DnsAnswer scratch;
        const DnsAnswer& answer = Query(*target, RecordType::kMx, scratch);
        if (IsVoid(answer)) return CountVoid(*target, domain) ? Match::kNo : Match::kAbort;
        if (IsDnsError(answer.outcome)) return DnsFailure(answer, *target, RecordType::kMx);
        std::vector<const DnsRecord*> exchanges;
        for (const DnsRecord& record : answer.records) {
          if (record.type == RecordType::kMx) exchanges.push_back(&record);
        }
        if (static_cast<int>(exchanges.size()) > options_.max_mx_names) {
          return Abort(SpfResult::kPermError, std::string(*target) + " has more than " +
                                                  std::to_string(options_.max_mx_names) +
                                                  " MX records (RFC 7208 §4.6.4)");
        }
        std::stable_sort(
            exchanges.begin(), exchanges.end(),
            [](const DnsRecord* a, const DnsRecord* b) { return a->preference < b->preference; });
        for (const DnsRecord* mx : exchanges) {
          std::string exchange = mx->target;
          if (!exchange.empty() && exchange.back() == '.') exchange.pop_back();
          if (!IsQueryableName(exchange)) continue;  // null MX "." and junk
          Match match = MatchAddresses(exchange, m, domain);
          if (match != Match::kNo) return match;
        }
        return Match::kNo;
      }
      case SpfMechanismKind::kPtr: {
        for (const std::string& name : PtrNames(domain)) {
          if (aborted_) return Match::kAbort;
          if (!EqualsIgnoreCase(name, *target) &&
              !EndsWithIgnoreCase(name, Concat({".", *target}))) {
            continue;
          }
          if (Validates(name, domain)) return Match::kYes;
        }
        return aborted_ ? Match::kAbort : Match::kNo;
      }
      case SpfMechanismKind::kExists: {
        DnsAnswer scratch;
        const DnsAnswer& answer = Query(*target, RecordType::kA, scratch);
        if (IsVoid(answer)) return CountVoid(*target, domain) ? Match::kNo : Match::kAbort;
        if (IsDnsError(answer.outcome)) return DnsFailure(answer, *target, RecordType::kA);
        for (const DnsRecord& record : answer.records) {
          if (record.type == RecordType::kA) return Match::kYes;
        }
        return Match::kNo;
      }
      default:
        return Match::kNo;
    }
  }

  std::string Explain(const SpfRecord& record, std::string_view domain) {
    bool saved = count_voids_;
    count_voids_ = false;
    std::optional<std::string> text;
    if (record.exp) {
      StatusOr<std::string> name = ExpandSpfDomainSpec(*record.exp, Context(domain));
      if (name.ok() && IsQueryableName(*name)) {
        DnsAnswer scratch;
        const DnsAnswer& answer = Query(*name, RecordType::kTxt, scratch);
        if (answer.outcome == DnsOutcome::kData && answer.records.size() == 1) {
          std::string raw = JoinedTxt(answer.records[0]);
          StatusOr<std::string> expanded =
              ExpandSpfMacroString(raw, Context(domain), SpfMacroUse::kExplanation);
          if (expanded.ok()) text = std::move(expanded).value();
        }
      }
    }
    if (!text && options_.default_explanation.find('%') == std::string::npos) {
      text = options_.default_explanation;
    } else if (!text) {
      StatusOr<std::string> expanded = ExpandSpfMacroString(
          options_.default_explanation, Context(domain), SpfMacroUse::kExplanation);
      text = expanded.ok() ? std::move(expanded).value() : options_.default_explanation;
    }
    count_voids_ = saved;
    return *text;
  }

  // Fills `fetched` for `domain`, or returns the outcome when there is no
  // usable record (none, temperror, permerror).
  std::optional<Outcome> Fetch(std::string_view domain, int depth, bool chain,
                               SpfFetchedRecord& fetched) {
    fetched.domain.assign(domain);
    const DnsAnswer& answer = Query(domain, RecordType::kTxt, fetched.scratch);
    if (IsDnsError(answer.outcome)) {
      return Outcome{SpfResult::kTempError,
                     Concat({"DNS ", DnsOutcomeName(answer.outcome), " for TXT ", domain}), ""};
    }
    if (IsVoid(answer)) {
      if (depth > 0 && !CountVoid(domain, domain)) return abort_;
      return Outcome{SpfResult::kNone, Concat({"no SPF record at ", domain}), ""};
    }
    size_t answer_bytes = 0;
    for (const DnsRecord& record : answer.records) {
      for (const std::string& part : record.texts) answer_bytes += part.size() + 1;
    }
    std::string_view text;
    size_t count = SelectSpfRecord(answer, options_.scope, text, fetched.storage);
    if (count == 0) return Outcome{SpfResult::kNone, Concat({"no SPF record at ", domain}), ""};
    if (answer_bytes > kLargeAnswerBytes) {
      Warn(SpfWarningCode::kLargeAnswer, domain,
           "TXT answer of " + std::to_string(answer_bytes) + " bytes");
    }
    if (depth == 0) result_.record = text;
    if (count > 1) {
      Warn(SpfWarningCode::kMultipleRecords, domain,
           std::to_string(count) + " SPF records at one name");
      return Outcome{SpfResult::kPermError, Concat({"more than one SPF record at ", domain}), ""};
    }
    Status parsed = ParseSpfRecordInto(text, fetched.record);
    if (!parsed.ok()) {
      return Outcome{SpfResult::kPermError,
                     Concat({"SPF syntax error at ", domain, ": ", parsed.message()}), ""};
    }
    LintSpfRecord(fetched.record, domain, chain, result_.warnings);
    return std::nullopt;
  }

  Outcome CheckHost(std::string_view domain, int depth, bool chain, bool want_exp) {
    if (depth > kMaxDepth) return {SpfResult::kPermError, "include/redirect nesting too deep", ""};
    if (!IsCheckableDomain(domain)) {
      return {SpfResult::kNone, Concat({"\"", domain, "\" is not a usable domain name"}), ""};
    }
    const SpfFetchedRecord* fetched = cache_.Find(domain);
    std::unique_ptr<SpfFetchedRecord> unmemoized;  // when the cache is full
    if (fetched == nullptr) {
      SpfFetchedRecord* slot = cache_.FreeSlot();
      if (slot == nullptr) {
        unmemoized = std::make_unique<SpfFetchedRecord>();
        slot = unmemoized.get();
      }
      std::optional<Outcome> failed = Fetch(domain, depth, chain, *slot);
      if (failed) return std::move(*failed);  // the slot stays free
      if (!unmemoized) cache_.Keep();
      fetched = slot;
    }
    const SpfRecord& record = fetched->record;

    for (const SpfMechanism& m : record.mechanisms) {
      Match match = EvaluateMechanism(m, domain, depth);
      if (match == Match::kAbort) return abort_;
      if (match == Match::kYes) {
        Outcome outcome{QualifierResult(m.qualifier), Concat({m.text, " at ", domain}), ""};
        if (outcome.result == SpfResult::kFail && want_exp) {
          outcome.explanation = Explain(record, domain);
        }
        return outcome;
      }
    }
    if (record.redirect) {
      if (!CountTerm()) return abort_;
      std::string storage;
      std::optional<std::string_view> target = Target(*record.redirect, domain, storage);
      if (aborted_) return abort_;
      if (!target || !IsCheckableDomain(*target)) {
        return {SpfResult::kPermError, "redirect target is not a valid domain", ""};
      }
      Outcome outcome = CheckHost(*target, depth + 1, chain, want_exp);
      if (outcome.result == SpfResult::kNone) {
        return {SpfResult::kPermError, Concat({"redirect target ", *target, " has no SPF record"}),
                ""};
      }
      return outcome;
    }
    return {SpfResult::kNeutral, Concat({"no mechanism matched at ", domain}), ""};
  }

  const IpAddress ip_;
  std::string owned_sender_;  // when the sender lacks a local-part
  std::string_view sender_;
  std::string_view local_;
  std::string_view sender_domain_;
  const std::string_view helo_;
  DnsLookup& dns_;
  const SpfOptions& options_;
  int64_t now_ = 0;
  int64_t deadline_ms_ = 0;

  int terms_ = 0;
  int voids_ = 0;
  bool count_voids_ = true;
  bool aborted_ = false;
  Outcome abort_;
  std::optional<std::vector<std::string>> validated_names_;
  SpfRecordCache cache_;  // the records fetched so far
  SpfCheckResult result_;
};

}  // namespace

std::string_view SpfResultName(SpfResult result) {
  switch (result) {
    case SpfResult::kNone:
      return "none";
    case SpfResult::kNeutral:
      return "neutral";
    case SpfResult::kPass:
      return "pass";
    case SpfResult::kFail:
      return "fail";
    case SpfResult::kSoftFail:
      return "softfail";
    case SpfResult::kTempError:
      return "temperror";
    case SpfResult::kPermError:
      return "permerror";
  }
  return "unknown";
}

std::string_view SpfWarningCodeName(SpfWarningCode code) {
  switch (code) {
    case SpfWarningCode::kPassAll:
      return "pass_all";
    case SpfWarningCode::kNeutralAll:
      return "neutral_all";
    case SpfWarningCode::kNoAll:
      return "no_all";
    case SpfWarningCode::kRedirectWithAll:
      return "redirect_with_all";
    case SpfWarningCode::kPtrMechanism:
      return "ptr_mechanism";
    case SpfWarningCode::kPtrMacro:
      return "ptr_macro";
    case SpfWarningCode::kWideNetwork:
      return "wide_network";
    case SpfWarningCode::kLookupsNearLimit:
      return "lookups_near_limit";
    case SpfWarningCode::kVoidLookup:
      return "void_lookup";
    case SpfWarningCode::kLargeAnswer:
      return "large_answer";
    case SpfWarningCode::kMultipleRecords:
      return "multiple_records";
    case SpfWarningCode::kIncludeWithoutRecord:
      return "include_without_record";
    case SpfWarningCode::kObsoleteModifier:
      return "obsolete_modifier";
  }
  return "unknown";
}

SpfCheckResult CheckSpfHost(const IpAddress& ip, std::string_view domain, std::string_view sender,
                            std::string_view helo, DnsLookup& dns, const SpfOptions& options) {
  Evaluation evaluation(ip, sender, helo, dns, options);
  return evaluation.Run(domain);
}

SpfCheckResult CheckSpf(const SpfRequest& request, DnsLookup& dns, const SpfOptions& options) {
  if (request.mail_from.empty()) {
    return CheckSpfHost(request.ip, request.helo, "postmaster@" + request.helo, request.helo, dns,
                        options);
  }
  size_t at = LastAt(request.mail_from);
  std::string_view domain = at == std::string::npos
                                ? std::string_view(request.mail_from)
                                : std::string_view(request.mail_from).substr(at + 1);
  return CheckSpfHost(request.ip, domain, request.mail_from, request.helo, dns, options);
}

}  // namespace mailrep
