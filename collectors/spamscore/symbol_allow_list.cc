#include "collectors/spamscore/symbol_allow_list.h"

#include "collectors/spamscore/spam_verdict.h"

namespace mailrep {

std::vector<std::string> SymbolAllowList::DefaultEntries() {
  return {
      // rspamd: DKIM, SPF, DMARC, ARC results.
      "R_DKIM_ALLOW",
      "R_DKIM_REJECT",
      "R_DKIM_TEMPFAIL",
      "R_DKIM_PERMFAIL",
      "R_DKIM_NA",
      "R_SPF_ALLOW",
      "R_SPF_FAIL",
      "R_SPF_SOFTFAIL",
      "R_SPF_NEUTRAL",
      "R_SPF_NA",
      "R_SPF_DNSFAIL",
      "R_SPF_PERMFAIL",
      "DMARC_POLICY_ALLOW",
      "DMARC_POLICY_REJECT",
      "DMARC_POLICY_QUARANTINE",
      "DMARC_POLICY_SOFTFAIL",
      "DMARC_NA",
      "ARC_REJECT",
      // rspamd: domain (URIBL, Spamhaus DBL, SURBL) and IP (Spamhaus) lists.
      "URIBL_*",
      "DBL_*",
      "SURBL_*",
      "ABUSE_SURBL",
      "PH_SURBL_MULTI",
      "MW_SURBL_MULTI",
      "CRACKED_SURBL",
      "RBL_SPAMHAUS_*",
      "RECEIVED_SPAMHAUS_*",
      "SPAMHAUS_ZEN",
      // rspamd: statistics.
      "BAYES_SPAM",
      "BAYES_HAM",
      // SpamAssassin: DKIM, SPF, DMARC.
      "DKIM_VALID",
      "DKIM_VALID_AU",
      "DKIM_INVALID",
      "DKIM_SIGNED",
      "SPF_PASS",
      "SPF_FAIL",
      "SPF_SOFTFAIL",
      "SPF_NEUTRAL",
      "SPF_NONE",
      "DMARC_PASS",
      "DMARC_REJECT",
      "DMARC_QUAR",
      "DMARC_NONE",
      "DMARC_MISSING",
      // SpamAssassin: URI (URIBL_*: URIBL, DBL, SURBL) and received-IP lists.
      "RCVD_IN_SBL",
      "RCVD_IN_SBL_CSS",
      "RCVD_IN_XBL",
      "RCVD_IN_PBL",
      "RCVD_IN_BL_SPAMCOP_NET",
      "RCVD_IN_ZEN_BLOCKED",
      "RCVD_IN_ZEN_BLOCKED_OPENDNS",
      // SpamAssassin: statistics.
      "BAYES_00",
      "BAYES_99",
      "BAYES_999",
  };
}

SymbolAllowList::SymbolAllowList(std::vector<std::string> entries) {
  for (std::string& e : entries) {
    if (!e.empty() && e.back() == '*') {
      e.pop_back();
      prefixes_.push_back(std::move(e));
    } else {
      exact_.insert(std::move(e));
    }
  }
}

bool SymbolAllowList::ValidEntry(std::string_view entry) {
  if (!entry.empty() && entry.back() == '*') entry.remove_suffix(1);
  return IsSymbolName(entry);
}

bool SymbolAllowList::Matches(std::string_view symbol) const {
  if (exact_.find(symbol) != exact_.end()) return true;
  for (const std::string& p : prefixes_) {
    if (symbol.starts_with(p)) return true;
  }
  return false;
}

std::string_view SymbolAllowList::Label(std::string_view symbol) {
  if (!IsSymbolName(symbol) || symbol == "other" || !Matches(symbol)) return "other";
  auto it = given_.find(symbol);
  if (it != given_.end()) return *it;
  if (given_.size() >= kMaxLabels) return "other";
  return *given_.emplace(symbol).first;
}

}  // namespace mailrep
