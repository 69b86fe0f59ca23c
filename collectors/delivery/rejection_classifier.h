// RejectionClassifier: turns a receiver's reply (or a failure text) and its
// enhanced status code into a bounded reason, and names the blocklist the
// reply cites, by ordered rules from a data file (rejection_rules.txt, whose
// format it documents; embedded at build time).
//
// Immutable after construction; Classify is safe from several threads.
#ifndef MAILREP_COLLECTORS_DELIVERY_REJECTION_CLASSIFIER_H_
#define MAILREP_COLLECTORS_DELIVERY_REJECTION_CLASSIFIER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

// Every reason label value, in display order; "other" last.
const std::vector<std::string_view>& AllRejectionReasons();

struct RejectionClass {
  std::string_view reason;  // one of AllRejectionReasons()
  // A catalogue name ("zen.spamhaus.org", "outlook"), "other" for a blocklist
  // rejection citing no known list, or empty when no blocklist is cited.
  std::string_view cited_blocklist;
};

class RejectionClassifier {
 public:
  // Parses rules; an unknown rule kind or reason is InvalidArgument naming the line.
  static StatusOr<RejectionClassifier> FromRules(std::string_view rules_text);
  // The embedded rules (built once; never fails).
  static const RejectionClassifier& Default();

  // `dsn` may be empty (then one found in `reply` is used).
  RejectionClass Classify(std::string_view reply, std::string_view dsn) const;

  // The cited-blocklist label values the rules can produce, plus "other".
  const std::vector<std::string>& blocklist_names() const { return blocklist_names_; }

 private:
  enum class Kind { kDsn, kCode, kText };
  struct Rule {
    Kind kind;
    std::string_view reason;
    std::string pattern;  // lower-case for kText
  };
  struct Cite {
    std::string name;
    std::string pattern;  // lower-case
  };
  // Every text and cite pattern, indexed by its first two (lower-case) bytes,
  // so one pass over a reply finds all that occur.
  struct Pattern {
    std::string text;  // lower-case, at least 2 bytes
    bool is_cite;
    size_t index;  // into rules_ or cites_
  };
  void Index();
  // Marks in `rule_hit` / `cite_hit` every text rule / cite found in `text`.
  void FindPatterns(std::string_view text, std::vector<char>* rule_hit,
                    std::vector<char>* cite_hit) const;

  std::vector<Rule> rules_;
  std::vector<Cite> cites_;
  std::vector<Pattern> patterns_;
  std::vector<uint32_t> bigram_start_;  // 65537 offsets into bigram_patterns_
  std::vector<uint32_t> bigram_patterns_;
  std::vector<std::string> blocklist_names_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_REJECTION_CLASSIFIER_H_
