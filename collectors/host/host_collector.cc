#include "collectors/host/host_collector.h"

#include "collectors/host/mta_detection.h"
#include "exporter/core/log.h"

namespace mailrep {
namespace {

constexpr char kRefreshNote[] = " Refreshed on the host collector's interval.";

std::string Help(const char* text) { return std::string(text) + kRefreshNote; }

}  // namespace

HostCollector::HostCollector(std::string root, std::unique_ptr<InterfaceLister> lister,
                             IdentityFn identity)
    : root_(std::move(root)), lister_(std::move(lister)), identity_(std::move(identity)) {}

Status HostCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  StatusOr<std::vector<InterfaceAddress>> addresses = lister_->List();
  if (!addresses.ok()) return addresses.status().Annotate("listing interface addresses");

  auto now = std::chrono::steady_clock::now();
  std::chrono::milliseconds max_wait = kMaxDnsWait;
  if (ctx.deadline <= now) {
    max_wait = std::chrono::milliseconds::zero();
  } else if (ctx.deadline - now < kMaxDnsWait) {
    max_wait = std::chrono::duration_cast<std::chrono::milliseconds>(ctx.deadline - now);
  }
  HostIdentity identity = identity_(max_wait);
  std::vector<DetectedMta> mtas = DetectMtas(root_);

  out->AddGauge("mailrep_host_info", Help("The host's name and fully qualified name; always 1."),
                {{"hostname", identity.hostname}, {"fqdn", identity.fqdn}}, 1);

  out->Declare("mailrep_host_address_info",
               Help("Each non-loopback, non-link-local address of an interface that is up; "
                    "scope is public (globally routable) or private; always 1."),
               prometheus::MetricType::Gauge);
  for (const InterfaceAddress& a : *addresses) {
    out->AddGauge("mailrep_host_address_info", "",
                  {{"ip", a.address.ToString()},
                   {"family", a.address.family == IpAddress::Family::kV4 ? "ipv4" : "ipv6"},
                   {"interface", a.interface},
                   {"scope", a.is_public ? "public" : "private"}},
                  1);
  }

  out->Declare("mailrep_mta_info",
               Help("Each MTA queue found on the host, with its package version (\"unknown\" "
                    "when not installed from a Debian package); always 1."),
               prometheus::MetricType::Gauge);
  for (const DetectedMta& mta : mtas) {
    out->AddGauge("mailrep_mta_info", "",
                  {{"mta", mta.mta},
                   {"mta_instance", mta.instance},
                   {"queue_directory", mta.queue_directory},
                   {"version", mta.version}},
                  1);
  }
  out->AddGauge("mailrep_host_mtas_detected",
                Help("Number of MTA queues (Postfix instances count separately) found."), {},
                static_cast<double>(mtas.size()));
  return Status::OK();
}

StatusOr<std::unique_ptr<Collector>> NewHostCollector(const CollectorEnv& env,
                                                      ConfigNode& options) {
  Status status = options.Finish();
  if (!status.ok()) return status;
  std::string root = env.root;
  return std::unique_ptr<Collector>(new HostCollector(
      root, NewSystemInterfaceLister(),
      [root](std::chrono::milliseconds max_wait) { return LookUpHostIdentity(root, max_wait); }));
}

void LogHostDetection(const std::string& root) {
  StatusOr<std::vector<InterfaceAddress>> addresses = NewSystemInterfaceLister()->List();
  if (!addresses.ok()) {
    LogWarn("Cannot list the host's addresses", {{"err", addresses.status().message()}});
  } else if (addresses->empty()) {
    LogInfo("No non-loopback address found");
  } else {
    for (const InterfaceAddress& a : *addresses) {
      LogInfo("Address found", {{"ip", a.address.ToString()},
                                {"interface", a.interface},
                                {"scope", a.is_public ? "public" : "private"}});
    }
  }
  MtaDetection detection = DetectMtasWithReport(root);
  for (const DetectedMta& m : detection.found) {
    LogInfo("MTA found", {{"mta", m.mta},
                          {"mta_instance", m.instance},
                          {"queue_directory", m.queue_directory},
                          {"version", m.version}});
  }
  for (const MtaDetectionNote& n : detection.skipped) {
    if (n.instance.empty()) {
      LogInfo("MTA not found", {{"mta", n.mta}, {"reason", n.message}});
    } else {
      LogInfo("MTA not found",
              {{"mta", n.mta}, {"mta_instance", n.instance}, {"reason", n.message}});
    }
  }
  for (const MtaDetectionNote& n : detection.warnings) {
    if (n.instance.empty()) {
      LogWarn("MTA detection", {{"mta", n.mta}, {"reason", n.message}});
    } else {
      LogWarn("MTA detection",
              {{"mta", n.mta}, {"mta_instance", n.instance}, {"reason", n.message}});
    }
  }
}

}  // namespace mailrep
