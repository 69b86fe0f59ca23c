// The built-in queue readers. Adding an MTA: one line here (its reader's
// queue names and factory); QueueCollectorSpecs() turns every line into a
// <mta>_queue collector, so collectors/registry.cc needs no change.
#include "collectors/queue/exim_queue_scan.h"
#include "collectors/queue/opensmtpd_queue_scan.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/postfix_queue_source.h"
#include "collectors/queue/qmail_queue_source.h"
#include "collectors/queue/queue_source.h"
#include "collectors/queue/sendmail_queue_scan.h"

namespace mailrep {

const std::vector<QueueMta>& AllQueueMtas() {
  // {mta, queue names, deferred queue, directory key, Debian's default
  //  directory, reasons key ("" = none), help, scanner factory, held queue,
  //  whole queue}
  static const std::vector<QueueMta> mtas = {
      {"postfix", kPostfixQueueNames, "deferred", "queue_directory", "/var/spool/postfix",
       "read_defer_logs",
       "Postfix queues read from the spool: depth, bytes, age, deferred destinations and reasons.",
       NewPostfixQueueScanner, "hold"},
      {"exim", kEximQueueNames, "deferred", "spool_directory", "/var/spool/exim4", "read_msglogs",
       "Exim queues read from the spool: depth, bytes, age, frozen messages, deferral reasons.",
       NewEximQueueScanner, "frozen"},
      {"sendmail", kSendmailQueueNames, "deferred", "queue_directory", "/var/spool/mqueue", "",
       "Sendmail queues read from the spool (qf files, queue groups, the client queue): depth, "
       "bytes, age, quarantined, deferred destinations and reasons.",
       NewSendmailQueueScanner, "quarantined"},
      {"qmail", kQmailQueueNames, "remote", "queue_directory", "/var/qmail/queue", "",
       "qmail queue read from the spool: messages, not yet preprocessed, local and remote "
       "recipients pending, deferred destinations.",
       NewQmailQueueScanner, "", "queue"},
      {"opensmtpd", kOpensmtpdQueueNames, "deferred", "spool_directory", "/var/spool/smtpd", "",
       "OpenSMTPD queues read from the spool's envelopes: depth, bytes, age, deferred "
       "destinations and reasons.",
       NewOpensmtpdQueueScanner},
  };
  return mtas;
}

const QueueMta* FindQueueMta(std::string_view mta) {
  for (const QueueMta& entry : AllQueueMtas()) {
    if (entry.mta == mta) return &entry;
  }
  return nullptr;
}

}  // namespace mailrep
