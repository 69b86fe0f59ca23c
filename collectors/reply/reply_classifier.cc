#include "collectors/reply/reply_classifier.h"

#include <algorithm>

#include "collectors/reply/smtp_reply_codes.h"
#include "exporter/util/ascii.h"
#include "exporter/util/lines.h"

namespace mailrep {

extern const std::string_view kEmbeddedReplyRules;

std::string_view ReplyReasonName(ReplyReason reason) {
  switch (reason) {
    case ReplyReason::kBlocklist:
      return "blocklist";
    case ReplyReason::kRateLimit:
      return "rate_limit";
    case ReplyReason::kSpf:
      return "spf";
    case ReplyReason::kDkim:
      return "dkim";
    case ReplyReason::kDmarc:
      return "dmarc";
    case ReplyReason::kReputation:
      return "reputation";
    case ReplyReason::kContent:
      return "content";
    case ReplyReason::kRecipientUnknown:
      return "recipient_unknown";
    case ReplyReason::kMailboxFull:
      return "mailbox_full";
    case ReplyReason::kTls:
      return "tls";
    case ReplyReason::kDns:
      return "dns";
    case ReplyReason::kConnection:
      return "connection";
    case ReplyReason::kPolicy:
      return "policy";
    case ReplyReason::kOther:
      return "other";
  }
  return "unknown";
}

StatusOr<ReplyClassifier> ReplyClassifier::FromRules(std::string_view rules_text) {
  ReplyClassifier c;
  size_t line_no = 0;
  while (std::optional<std::string_view> next = NextLine(&rules_text)) {
    std::string_view line = *next;
    ++line_no;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t s1 = line.find(' ');
    size_t s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    if (s2 == std::string_view::npos) {
      return Status::InvalidArgument("reply rules line " + std::to_string(line_no) +
                                     ": want \"<kind> <name> <pattern>\"");
    }
    std::string_view kind = line.substr(0, s1);
    std::string_view name = line.substr(s1 + 1, s2 - s1 - 1);
    std::string pattern = ToLowerAscii(line.substr(s2 + 1));
    if (kind == "cite" && pattern.size() < 2) {
      return Status::InvalidArgument("reply rules line " + std::to_string(line_no) +
                                     ": a cite pattern needs at least 2 characters");
    }
    if (kind == "cite") {
      c.cites_.push_back({std::string(name), pattern});
      if (std::find(c.blocklist_names_.begin(), c.blocklist_names_.end(), name) ==
          c.blocklist_names_.end()) {
        c.blocklist_names_.emplace_back(name);
      }
      continue;
    }
    auto it = std::find_if(kAllReplyReasons.begin(), kAllReplyReasons.end(),
                           [&](ReplyReason r) { return ReplyReasonName(r) == name; });
    if (it == kAllReplyReasons.end()) {
      return Status::InvalidArgument("reply rules line " + std::to_string(line_no) +
                                     ": unknown reason \"" + std::string(name) + "\"");
    }
    Kind k;
    if (kind == "dsn") {
      k = Kind::kDsn;
    } else if (kind == "code") {
      k = Kind::kCode;
    } else if (kind == "text") {
      k = Kind::kText;
    } else if (kind == "word") {
      k = Kind::kWord;
    } else {
      return Status::InvalidArgument("reply rules line " + std::to_string(line_no) +
                                     ": unknown rule kind \"" + std::string(kind) + "\"");
    }
    if ((k == Kind::kText || k == Kind::kWord) && pattern.size() < 2) {
      return Status::InvalidArgument("reply rules line " + std::to_string(line_no) +
                                     ": a text pattern needs at least 2 characters");
    }
    c.rules_.push_back({k, *it, pattern});
  }
  c.blocklist_names_.push_back("other");
  c.Index();
  return c;
}

const ReplyClassifier& ReplyClassifier::Default() {
  static const ReplyClassifier* classifier = [] {
    StatusOr<ReplyClassifier> c = FromRules(kEmbeddedReplyRules);
    // The embedded file is checked by the tests; an empty set is the fallback.
    return new ReplyClassifier(c.ok() ? std::move(c).value() : ReplyClassifier());
  }();
  return *classifier;
}

namespace {

unsigned char Lower(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u - 'A' + 'a') : u;
}

size_t Bigram(char a, char b) { return (size_t{Lower(a)} << 8) | Lower(b); }

bool IsWordByte(char c) {
  unsigned char u = Lower(c);
  return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9');
}

}  // namespace

void ReplyClassifier::Index() {
  patterns_.clear();
  for (size_t i = 0; i < rules_.size(); ++i) {
    Kind k = rules_[i].kind;
    if (k == Kind::kText || k == Kind::kWord) {
      patterns_.push_back({rules_[i].pattern, false, k == Kind::kWord, i});
    }
  }
  for (size_t i = 0; i < cites_.size(); ++i) {
    if (cites_[i].pattern.size() >= 2) patterns_.push_back({cites_[i].pattern, true, false, i});
  }
  // Counting sort of the patterns by bigram: offsets, then fill.
  bigram_start_.assign(65537, 0);
  for (const Pattern& p : patterns_) ++bigram_start_[Bigram(p.text[0], p.text[1]) + 1];
  for (size_t b = 0; b < 65536; ++b) bigram_start_[b + 1] += bigram_start_[b];
  bigram_patterns_.assign(patterns_.size(), 0);
  std::vector<uint32_t> next(bigram_start_.begin(), bigram_start_.end() - 1);
  for (size_t p = 0; p < patterns_.size(); ++p) {
    const std::string& t = patterns_[p].text;
    bigram_patterns_[next[Bigram(t[0], t[1])]++] = static_cast<uint32_t>(p);
  }
}

void ReplyClassifier::FindPatterns(std::string_view text, std::vector<char>* rule_hit,
                                   std::vector<char>* cite_hit) const {
  if (bigram_start_.empty()) return;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    size_t b = Bigram(text[i], text[i + 1]);
    for (uint32_t k = bigram_start_[b]; k < bigram_start_[b + 1]; ++k) {
      const Pattern& p = patterns_[bigram_patterns_[k]];
      if (p.text.size() > text.size() - i) continue;
      size_t j = 2;
      while (j < p.text.size() && Lower(text[i + j]) == static_cast<unsigned char>(p.text[j])) {
        ++j;
      }
      if (j != p.text.size()) continue;
      if (p.whole_word && ((i > 0 && IsWordByte(text[i - 1])) ||
                           (i + j < text.size() && IsWordByte(text[i + j])))) {
        continue;
      }
      (p.is_cite ? *cite_hit : *rule_hit)[p.index] = 1;
    }
  }
}

ReplyClass ReplyClassifier::Classify(std::string_view reply, std::string_view dsn) const {
  if (dsn.empty()) dsn = FindEnhancedCode(reply);
  std::string_view code = FindReplyCode(reply);
  std::vector<char> rule_hit(rules_.size(), 0), cite_hit(cites_.size(), 0);
  FindPatterns(reply, &rule_hit, &cite_hit);
  ReplyClass result;
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    bool match = false;
    switch (rule.kind) {
      case Kind::kDsn:
        match = dsn == rule.pattern;
        break;
      case Kind::kCode:
        match = code == rule.pattern;
        break;
      case Kind::kText:
      case Kind::kWord:
        match = rule_hit[i] != 0;
        break;
    }
    if (match) {
      result.reason = rule.reason;
      break;
    }
  }
  if (result.reason == ReplyReason::kBlocklist || result.reason == ReplyReason::kReputation) {
    for (size_t i = 0; i < cites_.size(); ++i) {
      if (cite_hit[i] != 0 || (!dsn.empty() && dsn == cites_[i].pattern)) {
        result.cited_blocklist = cites_[i].name;
        break;
      }
    }
    if (result.cited_blocklist.empty() && result.reason == ReplyReason::kBlocklist) {
      result.cited_blocklist = "other";
    }
  }
  return result;
}

}  // namespace mailrep
