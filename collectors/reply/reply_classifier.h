// ReplyClassifier: the one classification of a receiver's reply (or of the
// MTA's own failure text) into a bounded reason, wherever the reply is read:
// queue readers' deferral reasons (mailrep_queue_deferred_messages_by_reason,
// `check queue`), the delivery collector's rejections
// (mailrep_delivery_rejections_total, `check logs`). It also names the
// blocklist a blocklist or reputation reply cites.
//
// The rules are ordered lines of a data file (reply_rules.txt, which documents
// the format; embedded at build time); the first rule that matches wins.
//
// Immutable after construction; Classify is safe from several threads and
// never fails (no rule matching is ReplyReason::kOther).
#ifndef MAILREP_COLLECTORS_REPLY_REPLY_CLASSIFIER_H_
#define MAILREP_COLLECTORS_REPLY_REPLY_CLASSIFIER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

// The reason label values, in display order; kOther last.
enum class ReplyReason : uint8_t {
  kBlocklist,         // a DNS blocklist or the receiver's own block list
  kRateLimit,         // volume, connections, throttling, greylisting
  kSpf,               // SPF failed
  kDkim,              // DKIM failed
  kDmarc,             // DMARC failed, or unauthenticated mail
  kReputation,        // the receiver's own judgement of our IP or domain
  kContent,           // spam, virus or policy verdict on the message
  kRecipientUnknown,  // no such user, disabled account
  kMailboxFull,       // over quota
  kTls,               // STARTTLS missing or failing, certificates
  kDns,               // name not found, resolver failures
  kConnection,        // refused, timed out, lost connection
  kPolicy,            // PTR / reverse DNS, relay access, other local policy
  kOther,
};

inline constexpr std::array<ReplyReason, 14> kAllReplyReasons = {
    ReplyReason::kBlocklist,   ReplyReason::kRateLimit,
    ReplyReason::kSpf,         ReplyReason::kDkim,
    ReplyReason::kDmarc,       ReplyReason::kReputation,
    ReplyReason::kContent,     ReplyReason::kRecipientUnknown,
    ReplyReason::kMailboxFull, ReplyReason::kTls,
    ReplyReason::kDns,         ReplyReason::kConnection,
    ReplyReason::kPolicy,      ReplyReason::kOther};

// The label value: "blocklist", "rate_limit", ..., "other". The views point
// at static storage (callers may key on their address).
std::string_view ReplyReasonName(ReplyReason reason);

struct ReplyClass {
  ReplyReason reason = ReplyReason::kOther;
  // A catalogue name ("zen.spamhaus.org", "outlook"), "other" for a blocklist
  // reply citing no known list, or empty when no blocklist is cited.
  std::string_view cited_blocklist;
};

class ReplyClassifier {
 public:
  // Parses rules; an unknown rule kind or reason is InvalidArgument naming the line.
  static StatusOr<ReplyClassifier> FromRules(std::string_view rules_text);
  // The embedded rules (built once; never fails).
  static const ReplyClassifier& Default();

  // `dsn`: the enhanced status code when the caller has it apart ("4.2.2");
  // empty: the first one in `reply` is used.
  ReplyClass Classify(std::string_view reply, std::string_view dsn) const;

  // The cited-blocklist label values the rules can produce, plus "other".
  const std::vector<std::string>& blocklist_names() const { return blocklist_names_; }

 private:
  enum class Kind { kDsn, kCode, kText, kWord };
  struct Rule {
    Kind kind;
    ReplyReason reason;
    std::string pattern;  // lower-case for kText and kWord
  };
  struct Cite {
    std::string name;
    std::string pattern;  // lower-case
  };
  // Every text, word and cite pattern, indexed by its first two (lower-case)
  // bytes, so one pass over a reply finds all that occur.
  struct Pattern {
    std::string text;  // lower-case, at least 2 bytes
    bool is_cite;
    bool whole_word;  // must not touch a letter or digit on either side
    size_t index;     // into rules_ or cites_
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

// The reason alone, by the embedded rules: Default().Classify(text, dsn).reason.
inline ReplyReason ClassifyReply(std::string_view text, std::string_view dsn = {}) {
  return ReplyClassifier::Default().Classify(text, dsn).reason;
}

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPLY_REPLY_CLASSIFIER_H_
