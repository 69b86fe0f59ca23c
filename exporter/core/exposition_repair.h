// Exposition repair: the one check every string passes before it is written
// to /metrics or /probe, so no input can make the text unparseable.
//
// Label values and HELP texts come from DNS answers, logs, queue files and
// the config; one byte 0xFF in a TXT record used to reach the text as is, and
// Prometheus then rejects the whole scrape ("invalid UTF-8 label value",
// up == 0) for as long as the record stays. RepairFamilies() runs inside
// SerializeMerged (snapshot_store.h), the only serializer of the exporter:
//   - label values and HELP: every ill-formed UTF-8 sequence (stray or
//     truncated bytes, overlong forms, surrogates, code points over U+10FFFF)
//     and every control character except tab and line feed becomes U+FFFD.
//     Replacing rather than dropping keeps the series (a sender's SPF result
//     stays one series while its record is broken). In label values,
//     backslash, double quote and line feed are left for the serializer,
//     which escapes them; in HELP, which prometheus-cpp 1.0.1 writes
//     verbatim, backslash and line feed are escaped here (\\ and \n).
//   - a metric name or label name that the text format cannot carry (not
//     [a-zA-Z_:][a-zA-Z0-9_:]* / [a-zA-Z_][a-zA-Z0-9_]*, a reserved "__"
//     label, a label named twice in one series, "le" on a histogram or
//     "quantile" on a summary sample) is a collector's bug, not an input
//     problem, and no replacement would keep it meaningful: the family or
//     series is dropped.
// Each repair or drop is counted in a process-wide counter, exported as
// mailrep_exposition_repaired_strings_total. Thread-safe (the counter is
// atomic; families are the caller's).
#ifndef MAILREP_EXPORTER_CORE_EXPOSITION_REPAIR_H_
#define MAILREP_EXPORTER_CORE_EXPOSITION_REPAIR_H_

#include <prometheus/metric_family.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

// Replaces ill-formed UTF-8 and control characters other than '\t' and '\n'
// in `s` with U+FFFD, one per ill-formed subsequence or control character.
// Returns true when it changed `s`.
bool RepairUtf8Text(std::string* s);

bool IsValidMetricName(std::string_view name);
bool IsValidLabelName(std::string_view name);

// Repairs `families` in place as described above; returns how many strings
// it repaired plus how many families and series it dropped.
uint64_t RepairFamilies(std::vector<prometheus::MetricFamily>* families);

// Everything RepairFamilies has repaired or dropped in this process. A broken
// string that persists is counted at every serialization, so the rate stays
// above zero while some input is broken.
uint64_t ExpositionRepairsTotal();

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_EXPOSITION_REPAIR_H_
