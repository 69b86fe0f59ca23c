// The common-mistake lint of one parsed SPF record, behind
// mailrep_spf_warning_info: "+all", "?all", no all, redirect= beside all,
// ptr and %{p}, very wide networks, obsolete default=. Pure functions over
// the record; no DNS, no state, thread-safe. The evaluation-time warnings
// (lookups near the limit, void lookups, large answers, multiple records,
// include without a record) come from the evaluator (spf_evaluator.h).
#ifndef MAILREP_COLLECTORS_AUTH_SPF_RECORD_LINT_H_
#define MAILREP_COLLECTORS_AUTH_SPF_RECORD_LINT_H_

#include <string_view>
#include <vector>

#include "collectors/auth/spf_evaluator.h"
#include "collectors/auth/spf_record.h"

namespace mailrep {

// Appends `warning` unless an equal one is already there.
void AddSpfWarning(std::vector<SpfWarning>& warnings, SpfWarning warning);

// Appends the warnings for `record`, published at `domain`. `chain` is true
// when the record's own result is the check's result (the record at the
// checked domain or a redirect= from it); an included record's "?all" or
// missing all then does not matter.
void LintSpfRecord(const SpfRecord& record, std::string_view domain, bool chain,
                   std::vector<SpfWarning>& warnings);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_RECORD_LINT_H_
