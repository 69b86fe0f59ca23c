#include "exporter/config/closest_match.h"

#include <algorithm>

namespace mailrep {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  // Very long words are never typos of short config keys; skip the O(n*m) work.
  if (word.size() > 256) return "";
  std::string best;
  size_t best_distance = 3;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(word, candidate);
    size_t longer = std::max(word.size(), candidate.size());
    if (distance < best_distance && distance * 2 < longer) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace mailrep
