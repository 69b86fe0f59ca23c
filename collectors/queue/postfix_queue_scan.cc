#include "collectors/queue/postfix_queue_scan.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "collectors/queue/postfix_message_scan.h"
#include "collectors/queue/postfix_queue_id.h"
#include "exporter/util/bounded_queue.h"

namespace mailrep {
namespace {

using CacheState = PostfixScanCache::State;

constexpr size_t kBatchSize = 128;
constexpr size_t kMaxQueuedBatches = 16;

void MergeInto(const PostfixQueueScan& part, PostfixQueueScan* scan) {
  for (size_t q = 0; q < scan->queues.size(); ++q) {
    PostfixQueueStats& to = scan->queues[q];
    const PostfixQueueStats& from = part.queues[q];
    to.bytes += from.bytes;
    to.recipients += from.recipients;
    if (from.oldest_arrival) KeepOldest(&to.oldest_arrival, *from.oldest_arrival);
  }
  for (size_t r = 0; r < scan->deferred_by_reason.size(); ++r) {
    scan->deferred_by_reason[r] += part.deferred_by_reason[r];
  }
  scan->deferred_without_defer_log += part.deferred_without_defer_log;
  scan->cache_hits += part.cache_hits;
  scan->cache_misses += part.cache_misses;
  scan->problems.Merge(part.problems);
  scan->composition.Merge(part.composition);
}

void AddDomainCounts(const std::vector<uint64_t>& from, std::vector<uint64_t>* to) {
  if (from.size() > to->size()) to->resize(from.size());
  for (size_t i = 0; i < from.size(); ++i) (*to)[i] += from[i];
}

}  // namespace

QueueOrigin PostfixOrigin(const PostfixQueueFileInfo& info,
                          std::optional<uint64_t> maildrop_owner) {
  QueueOrigin origin;
  origin.sender = info.sender;
  std::optional<uint64_t> uid = info.userid ? info.userid : maildrop_owner;
  std::string user = uid ? "uid=" + std::to_string(*uid) : std::string();
  SetSubmitter(&origin, info.sasl_username, uid.has_value(), user, info.client_address);
  return origin;
}

StatusOr<PostfixQueueScan> ScanPostfixQueue(const std::string& queue_directory,
                                            const PostfixScanOptions& options,
                                            std::stop_token stop) {
  int root_fd = open(queue_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    return StatusFromErrno(errno, "Postfix queue_directory " + queue_directory);
  }
  CacheState scan_local;
  bool store = options.cache != nullptr && !options.count_only;
  CacheState* state = store ? &options.cache->state() : &scan_local;
  if (store) ++state->generation;

  PostfixQueueScan scan;
  PostfixMessageScanner scanner(root_fd, options, state, store, &scan);
  int threads = options.count_only ? 1 : std::clamp(options.threads, 1, 64);
  std::vector<PostfixQueueScan> parts(threads > 1 ? threads : 0);
  std::vector<std::unique_ptr<PostfixMessageScanner>> part_scanners;
  for (PostfixQueueScan& part : parts) {
    part_scanners.push_back(
        std::make_unique<PostfixMessageScanner>(root_fd, options, state, store, &part));
  }
  BoundedQueue<std::vector<PostfixParseTask>> tasks(kMaxQueuedBatches);
  std::vector<std::jthread> workers;
  for (auto& worker : part_scanners) {
    workers.emplace_back([&, w = worker.get()] {
      std::vector<PostfixParseTask> batch;
      while (tasks.Pop(&batch, stop)) {
        for (const PostfixParseTask& task : batch) {
          if (stop.stop_requested()) return;
          w->Parse(task);
        }
      }
    });
  }
  std::vector<PostfixParseTask> batch;
  std::string name_buf;

  SpoolWalkOptions walk_options;
  walk_options.max_depth = kPostfixMaxHashDepth;
  bool any_queue = false;
  Status result;
  for (size_t q = 0; q < kPostfixQueueNames.size() && result.ok(); ++q) {
    std::string dir = queue_directory + "/" + std::string(kPostfixQueueNames[q]);
    auto queue = static_cast<PostfixQueue>(q);
    Status s = WalkSpool(dir, walk_options, stop, &scan.problems, [&](const SpoolEntry& e) {
      StatusOr<PostfixQueueId> id = ParsePostfixQueueId(e.name);
      if (!id.ok()) {
        // Temporary files being created and foreign files; showq skips them too.
        scan.problems.Add(SpoolProblem::kIncomplete);
        return;
      }
      ++scan.queues[q].messages;
      if (options.count_only) return;
      if (workers.empty()) {
        name_buf.assign(e.name);
        scanner.Parse(queue, *id, e.subdir, e.name, e.dir_fd, name_buf.c_str());
        return;
      }
      batch.push_back({queue, *id, std::string(e.subdir), std::string(e.name)});
      if (batch.size() == kBatchSize) {
        tasks.Push(std::move(batch), stop);
        batch.clear();
      }
    });
    if (s.ok()) {
      scan.queues[q].readable = true;
      any_queue = true;
    } else if (s.code() == Status::Code::kCancelled) {
      result = s;
    } else if (s.code() == Status::Code::kPermissionDenied) {
      scan.problems.Add(SpoolProblem::kPermissionDenied);
      any_queue = true;
    } else if (s.code() == Status::Code::kNotFound) {
      scan.queues[q].readable = true;  // not created yet: no messages
    } else {
      scan.problems.Add(SpoolProblem::kIoError);
      any_queue = true;
    }
  }
  if (!batch.empty()) tasks.Push(std::move(batch), stop);
  tasks.Close();
  workers.clear();  // joins
  scanner.FlushStores();
  for (auto& part_scanner : part_scanners) part_scanner->FlushStores();
  if (stop.stop_requested() && result.ok()) result = Status::Cancelled("queue scan stopped");
  std::vector<uint64_t> by_domain = scanner.by_domain();
  for (size_t i = 0; i < parts.size(); ++i) {
    MergeInto(parts[i], &scan);
    AddDomainCounts(part_scanners[i]->by_domain(), &by_domain);
  }
  part_scanners.clear();
  close(root_fd);
  if (!result.ok()) return result;
  size_t live_domains = 0;
  for (size_t id = 0; id < by_domain.size(); ++id) {
    if (by_domain[id] == 0) continue;
    ++live_domains;
    scan.deferred_by_destination[state->domain_names[id]] += by_domain[id];
  }
  if (store) state->Sweep(live_domains);
  if (!any_queue) {
    return Status::InvalidArgument(
        "not a Postfix queue_directory (no maildrop, incoming, active, "
        "deferred, hold or corrupt subdirectory): " +
        queue_directory);
  }
  return scan;
}

}  // namespace mailrep
