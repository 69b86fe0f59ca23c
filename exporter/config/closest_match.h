// ClosestMatch: "did you mean" suggestions for misspelled names.
#ifndef MAILREP_EXPORTER_CONFIG_CLOSEST_MATCH_H_
#define MAILREP_EXPORTER_CONFIG_CLOSEST_MATCH_H_

#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

// Levenshtein distance (insertions, deletions, substitutions).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` if it is close enough to be a typo (at most
// two edits, and fewer than half the longer word's length), else "". Ties go
// to the earlier candidate.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CONFIG_CLOSEST_MATCH_H_
