// qmail (netqmail 1.06, notqmail) as a QueueMta: one pass over
// /var/qmail/queue with qmail-qstat and qmHandle semantics. Queues:
//   queue   every message: files mess/<n>/<id> (qmail-qstat "messages in queue")
//   todo    queued, not yet preprocessed: todo/<id> (also big-todo's todo/<n>/<id>;
//           qmail-qstat "... not yet preprocessed"); intd/ (still being written
//           by qmail-queue) is not counted, as qmail-qstat does not
//   local   messages with a local/<n>/<id> file  (qmHandle "with local recipients")
//   remote  messages with a remote/<n>/<id> file (qmHandle "with remote recipients")
//   bounce  messages with a bounce/<id> file     (qmHandle "with bounces")
// For every queue: bytes = size of the mess file (qmail-qread's size);
// recipients = pending "T" records (local, remote: of that channel; todo: of
// the todo envelope; queue: todo + local + remote; bounce: 0); oldest arrival
// = mtime of the mess file for queue and todo, else of info/<n>/<id> (qmail's
// queue birth time; the mess file's when info is missing).
//
// Deferred (QueueMta::deferred_queue "remote"): qmail keeps no per-message
// defer state on disk, and it tries a new message at once. A message counts
// as deferred when it has pending remote recipients and its birth is at least
// kQmailFirstRetrySeconds old (qmail-send's first remote retry): it has then
// failed at least one attempt. deferred_by_destination counts such messages
// per domain of their pending remote recipients. Reasons are not stored by
// qmail (only its log has them): deferred_by_reason stays 0.
//
// count_only: listings only (no open, no stat): messages per queue, no
// bytes/recipients/ages/destinations. Split directories: local/<n>/<id> finds
// mess/<n>/<id> and info/<n>/<id>; todo/<id> and bounce/<id> find
// mess/<id % split>/<id>, split = the number of numeric subdirectories of
// mess/ (qmail creates all conf-split of them).
//
// With `composition`: each message's sender (info/, else todo/; "(unknown)"
// when neither is readable) and submitter from the first Received field of
// its mess file (qmail-queue's "invoked by uid N": local "uid=N"; "invoked
// from network": the client IP of qmail-smtpd's field, kind client), else the
// todo envelope's u record. Every queue gets it; the "queue" row counts all
// pending recipients of a message.
//
// Needs root or uid qmails (info/, local/, remote/ are 0700): an unreadable
// queue subdirectory is PermissionDenied. Reads only; takes no locks.
#ifndef MAILREP_COLLECTORS_QUEUE_QMAIL_QUEUE_SOURCE_H_
#define MAILREP_COLLECTORS_QUEUE_QMAIL_QUEUE_SOURCE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "collectors/queue/queue_source.h"

namespace mailrep {

inline constexpr std::array<std::string_view, 5> kQmailQueueNames = {"queue", "todo", "local",
                                                                     "remote", "bounce"};
// Positions in kQmailQueueNames and QueueScan::queues (QueueIndex).
enum class QmailQueue : size_t { kQueue, kTodo, kLocal, kRemote, kBounce };
inline constexpr int64_t kQmailFirstRetrySeconds = 400;  // (20 * 1)^2, remote channel

// NotFound when `queue_directory` or one of its subdirectories (mess, todo,
// local, remote, bounce) is missing, PermissionDenied when one cannot
// be listed, Cancelled on `stop`. `now` is Unix seconds (for the deferred rule).
StatusOr<QueueScan> ScanQmailQueue(const std::string& queue_directory,
                                   const QueueScanOptions& options, int64_t now,
                                   std::stop_token stop);

// A QueueScanner over ScanQmailQueue with the system clock.
std::unique_ptr<QueueScanner> NewQmailQueueScanner(const std::string& queue_directory,
                                                   const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QMAIL_QUEUE_SOURCE_H_
