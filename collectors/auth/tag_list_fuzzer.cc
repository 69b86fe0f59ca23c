// Feeds arbitrary bytes to the tag-list parser in both modes and checks the
// invariants of what it accepts: unique names, values without edge spaces.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "collectors/auth/tag_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mailrep;
  std::string text(reinterpret_cast<const char*>(data), size);
  for (bool allow_empty : {false, true}) {
    TagListOptions options;
    options.allow_empty_specs = allow_empty;
    StatusOr<TagList> list = ParseTagList(text, options);
    if (!list.ok()) continue;
    std::set<std::string> names;
    for (const Tag& tag : list->tags) {
      if (tag.name.empty() || !names.insert(tag.name).second) std::abort();
      if (!tag.value.empty() &&
          (IsTagListSpace(tag.value.front()) || IsTagListSpace(tag.value.back()))) {
        std::abort();
      }
      if (list->Find(tag.name) == nullptr) std::abort();
      (void)SplitTagValue(tag.value);
    }
  }
  return 0;
}
