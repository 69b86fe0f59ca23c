// PostfixMessageScanner: reads single messages of one Postfix queue_directory
// into a PostfixQueueScan, the part of ScanPostfixQueue (postfix_queue_scan.h)
// after the listing. For each file the listing found it opens (or, with the
// PostfixScanCache, first only stats) the queue file, parses it, and for a
// deferred message reads its defer log, then adds the message's bytes,
// arrival, recipients, destination domains and deferral reasons to its queue.
// Files that vanish or change meanwhile are counted in `scan->problems`.
//
// One per thread; several may share one cache State (they lock State::mu).
// Domain counts are kept by cache domain id (by_domain()) until the caller
// turns them into names. FlushStores() must run before the cache is swept.
// Does not own `root_fd`, `options`, `state` or `scan`, which must outlive it.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_MESSAGE_SCAN_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_MESSAGE_SCAN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/queue/postfix_queue_id.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/postfix_scan_cache.h"

namespace mailrep {

// Subdirectory levels of the hashed queues (and of defer/) that are looked at:
// Postfix's largest hash_queue_depth.
inline constexpr int kPostfixMaxHashDepth = 3;

// One file the listing found, to parse (possibly on another thread).
struct PostfixParseTask {
  PostfixQueue queue = PostfixQueue::kMaildrop;
  PostfixQueueId id;
  std::string subdir;
  std::string name;
};

class PostfixMessageScanner {
 public:
  // With `store`, unchanged files of the active, deferred and hold queues are
  // taken from the cache `state`, and what is parsed is kept there for the
  // next scan; without it `state` (then a scan-local one) only interns the
  // destination domains.
  PostfixMessageScanner(int root_fd, const PostfixScanOptions& options,
                        PostfixScanCache::State* state, bool store, PostfixQueueScan* scan);
  ~PostfixMessageScanner();
  PostfixMessageScanner(const PostfixMessageScanner&) = delete;
  PostfixMessageScanner& operator=(const PostfixMessageScanner&) = delete;

  // The file of `task`, relative to the queue root.
  void Parse(const PostfixParseTask& task);
  // The file `path` relative to `dir_fd`, listed in `queue` as `subdir`/`name`.
  void Parse(PostfixQueue queue, const PostfixQueueId& id, std::string_view subdir,
             std::string_view name, int dir_fd, const char* path);

  // Moves the summaries parsed since the last call into the cache (one lock
  // per batch rather than per message).
  void FlushStores();

  // Deferred messages per cache domain id (index), parsed so far.
  const std::vector<uint64_t>& by_domain() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_MESSAGE_SCAN_H_
