#include "collectors/auth/spf_record_lint.h"

#include <algorithm>
#include <string>
#include <utility>

#include "collectors/auth/spf_macro.h"
#include "exporter/util/ascii.h"

namespace mailrep {

void AddSpfWarning(std::vector<SpfWarning>& warnings, SpfWarning warning) {
  if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) {
    warnings.push_back(std::move(warning));
  }
}

void LintSpfRecord(const SpfRecord& record, std::string_view domain, bool chain,
                   std::vector<SpfWarning>& warnings) {
  auto warn = [&](SpfWarningCode code, std::string detail) {
    AddSpfWarning(warnings, SpfWarning{code, std::string(domain), std::move(detail)});
  };
  bool ptr_macro = false;
  auto uses_p = [&](std::string_view spec) { ptr_macro |= SpfMacroStringUsesPtr(spec); };
  for (const SpfMechanism& m : record.mechanisms) {
    uses_p(m.domain_spec);
    bool pass = m.qualifier == SpfQualifier::kPass;
    switch (m.kind) {
      case SpfMechanismKind::kAll:
        if (pass) warn(SpfWarningCode::kPassAll, std::string(m.text) + " lets every host pass");
        if (m.qualifier == SpfQualifier::kNeutral && chain) {
          warn(SpfWarningCode::kNeutralAll, std::string(m.text) + " protects nothing");
        }
        break;
      case SpfMechanismKind::kPtr:
        warn(SpfWarningCode::kPtrMechanism, std::string(m.text) + " is deprecated (RFC 7208 §5.5)");
        break;
      case SpfMechanismKind::kIp4:
      case SpfMechanismKind::kIp6: {
        int min = m.kind == SpfMechanismKind::kIp4 ? 16 : 32;
        if (pass && m.network.prefix_length < min) {
          warn(SpfWarningCode::kWideNetwork, std::string(m.text) + " authorizes a very wide range");
        }
        break;
      }
      case SpfMechanismKind::kA:
      case SpfMechanismKind::kMx:
        if (pass && (m.cidr4 < 16 || m.cidr6 < 32)) {
          warn(SpfWarningCode::kWideNetwork, std::string(m.text) + " authorizes a very wide range");
        }
        break;
      default:
        break;
    }
  }
  if (record.redirect) uses_p(*record.redirect);
  if (record.exp) uses_p(*record.exp);
  if (ptr_macro) warn(SpfWarningCode::kPtrMacro, "%{p} is deprecated (RFC 7208 §7.3)");
  if (record.redirect && record.has_all()) {
    warn(SpfWarningCode::kRedirectWithAll, "redirect= is ignored: the record has all");
  }
  if (chain && !record.redirect && !record.has_all()) {
    warn(SpfWarningCode::kNoAll, "no all and no redirect=: other hosts get neutral");
  }
  for (const SpfModifier& modifier : record.unknown_modifiers) {
    if (EqualsIgnoreCase(modifier.name, "default")) {
      warn(SpfWarningCode::kObsoleteModifier, "default= is obsolete and ignored");
    }
  }
}

}  // namespace mailrep
