#include "collectors/host/host_collector.h"

#include "collectors/host/mta_detection.h"
#include "exporter/core/log.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kHostInfo{"mailrep_host_info",
                                 MetricType::Gauge,
                                 {"hostname", "fqdn"},
                                 "The host's name and fully qualified name; always 1.",
                                 true};
constexpr MetricFamily kHostAddressInfo{
    "mailrep_host_address_info",
    MetricType::Gauge,
    {"ip", "family", "interface", "scope"},
    "Each non-loopback, non-link-local address of an interface that is up; scope is public "
    "(globally routable) or private; always 1.",
    true};
constexpr MetricFamily kMtaInfo{
    "mailrep_mta_info",
    MetricType::Gauge,
    {"mta", "mta_instance", "queue_directory", "version"},
    "Each MTA queue found on the host, with its package version (unknown when not installed from "
    "a Debian package); always 1.",
    true};
constexpr MetricFamily kHostMtasDetected{
    "mailrep_host_mtas_detected",
    MetricType::Gauge,
    {},
    "Number of MTA queues found (Postfix instances count separately).",
    true};

constexpr MetricFamily kHostFamilies[] = {kHostInfo, kHostAddressInfo, kMtaInfo, kHostMtasDetected};

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

  out->Add(kHostInfo, {identity.hostname, identity.fqdn}, 1);

  out->Declare(kHostAddressInfo);
  for (const InterfaceAddress& a : *addresses) {
    out->Add(kHostAddressInfo,
             {a.address.ToString(), a.address.family == IpAddress::Family::kV4 ? "ipv4" : "ipv6",
              a.interface, a.is_public ? "public" : "private"},
             1);
  }

  out->Declare(kMtaInfo);
  for (const DetectedMta& mta : mtas) {
    out->Add(kMtaInfo, {mta.mta, mta.instance, mta.queue_directory, mta.version}, 1);
  }
  out->Add(kHostMtasDetected, {}, static_cast<double>(mtas.size()));
  return Status::OK();
}

CollectorSpec HostCollectorSpec() {
  using std::chrono::seconds;
  return {{"host", true, seconds(60), seconds(10)},
          "This host's addresses, name and installed MTAs.",
          NewHostCollector,
          kHostFamilies};
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
