#include "collectors/registry.h"

#include "collectors/all_check_command.h"
#include "collectors/auth/dkim_check_command.h"
#include "collectors/auth/dkim_collector.h"
#include "collectors/auth/dmarc_check_command.h"
#include "collectors/auth/dmarc_collector.h"
#include "collectors/auth/mta_sts_check_command.h"
#include "collectors/auth/mta_sts_collector.h"
#include "collectors/auth/ptr_check_command.h"
#include "collectors/auth/ptr_collector.h"
#include "collectors/auth/spf_check_command.h"
#include "collectors/auth/spf_collector.h"
#include "collectors/content/message_check_command.h"
#include "collectors/delivery/delivery_collector.h"
#include "collectors/delivery/logs_check_command.h"
#include "collectors/delivery/trace_check_command.h"
#include "collectors/dnsbl/dnsbl_check_command.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "collectors/host/host_collector.h"
#include "collectors/milter/milter_collector.h"
#include "collectors/postmaster/postmaster_check_command.h"
#include "collectors/postmaster/postmaster_collector.h"
#include "collectors/queue/queue_check_command.h"
#include "collectors/queue/queue_collector.h"
#include "collectors/reports/report_check_command.h"
#include "collectors/reports/reports_collector.h"
#include "collectors/snds/snds_check_command.h"
#include "collectors/snds/snds_collector.h"
#include "collectors/spamscore/spamscore_collector.h"

namespace mailrep {

// One line per collector: its <Name>CollectorSpec() (name, defaults, help,
// factory, metric families) lives beside the collector. Explicit, because
// self-registering statics in static libraries are dropped by the linker.
const std::vector<CollectorSpec>& AllCollectors() {
  static const std::vector<CollectorSpec> specs = [] {
    std::vector<CollectorSpec> all = {
        HostCollectorSpec(),
        DnsblCollectorSpec(),
    };
    // postfix_queue, exim_queue, sendmail_queue, ...: one per AllQueueMtas() entry.
    for (CollectorSpec& queue : QueueCollectorSpecs()) all.push_back(std::move(queue));
    all.insert(all.end(), {
                              SpfCollectorSpec(),
                              DkimCollectorSpec(),
                              DmarcCollectorSpec(),
                              PtrCollectorSpec(),
                              MtaStsCollectorSpec(),
                              DeliveryCollectorSpec(),
                              SndsCollectorSpec(),
                              ReportsCollectorSpec(),
                              PostmasterCollectorSpec(),
                              SpamscoreCollectorSpec(),
                              MilterCollectorSpec(),
                          });
    return all;
  }();
  return specs;
}

// Every `check` subcommand; each is defined beside its code (<name>_check_command.h).
const std::vector<CheckCommand>& AllCheckCommands() {
  static const std::vector<CheckCommand> commands = {
      kSpfCheckCommand,        kDkimCheckCommand,   kPtrCheckCommand,   kDmarcCheckCommand,
      kMtaStsCheckCommand,     kAllCheckCommand,    kDnsblCheckCommand, kLogsCheckCommand,
      kQueueCheckCommand,      kReportCheckCommand, kSndsCheckCommand,  kMessageCheckCommand,
      kPostmasterCheckCommand, kTraceCheckCommand,
  };
  return commands;
}

}  // namespace mailrep
