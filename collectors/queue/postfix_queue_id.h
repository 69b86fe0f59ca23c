// Postfix queue ids (the names of queue files), short and long form.
//
// Short: 5 upper-case hex digits of the creation microseconds, then the inode
// number in upper-case hex ("755DBA74A46"); it carries no seconds.
// Long (enable_long_queue_ids): creation seconds in base 52 (6+ chars), the
// microseconds in base 52 (exactly 4 chars), 'z', the inode in base 51
// ("4jbYzv0xhDz25p6w"); the arrival second comes from the name alone.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_ID_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_ID_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

struct PostfixQueueId {
  bool is_long = false;
  std::optional<int64_t> seconds;  // creation time (Unix seconds); long ids only
  uint32_t microseconds = 0;       // 0..999999
  uint64_t inode = 0;
};

// Decodes a queue file name; InvalidArgument when it is not a queue id.
StatusOr<PostfixQueueId> ParsePostfixQueueId(std::string_view name);

// The first `depth` characters of the hashed-queue subdirectory path Postfix
// uses for this id (hash_queue_depth): the microseconds as 5 upper-case hex
// digits, e.g. "D" for depth 1. `depth` is clamped to 0..5.
std::string PostfixQueueHashPrefix(const PostfixQueueId& id, int depth);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_ID_H_
