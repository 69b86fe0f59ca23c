// ReportLabels: the bounded label values the reports collector gives what a
// receiver's report says, so no reporter can grow the series count:
//   - ip: an address among our own (the configured senders' networks, plus
//     the sending IPs the delivery collector has seen, SetSeenIps()), in
//     canonical form; any other address is "other".
//   - receiver / provider: the reporter's organization or contact domain
//     through the receivers map (the delivery collector's built-in providers,
//     "microsoft.com" as outlook, plus the configured `receivers`), else
//     "other".
//   - TLS-RPT policy domain (configured domains, else "other"), policy type,
//     result type (RFC 8460's registry), our MX host (configured names, else
//     "other"); ARF feedback type (the IANA registry of RFC 5965, 6430,
//     6591), else "other"; DMARC disposition.
// Immutable after construction but for SetSeenIps(); not thread-safe (the
// collector's run thread owns it).
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_LABELS_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_LABELS_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/delivery/provider_map.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

struct ReportLabelsConfig {
  std::vector<IpNetwork> own_networks;                        // senders[].ips
  std::map<std::string, std::vector<std::string>> receivers;  // name -> domain suffixes
  std::vector<std::string> policy_domains;                    // TLS-RPT policy domains
  std::vector<std::string> mx_hosts;                          // our MX names
};

class ReportLabels {
 public:
  explicit ReportLabels(const ReportLabelsConfig& config);

  // Replaces the seen sending IPs (any IP text; canonicalized).
  void SetSeenIps(const std::vector<IpAddress>& ips);

  // The canonical address when it is one of ours, else "other" (also for
  // text that is no IP).
  std::string Ip(std::string_view ip) const;
  bool IsOwn(std::string_view ip) const { return Ip(ip) != "other"; }

  // The receiver of a report from `names` (org names, e-mail addresses,
  // "dns; host" or URLs), the first that maps; "other" when none does.
  std::string_view Receiver(std::initializer_list<std::string_view> names) const;
  std::vector<std::string> receiver_names() const { return receivers_.names(); }

  std::string_view PolicyDomain(std::string_view domain) const;
  std::string_view MxHost(std::string_view host) const;

  static std::string_view Disposition(std::string_view disposition);
  static std::string_view PolicyType(std::string_view type);
  static std::string_view TlsResultType(std::string_view type);
  static std::string_view FeedbackType(std::string_view type);

 private:
  ProviderMap receivers_;
  std::vector<IpNetwork> own_networks_;
  std::set<IpAddress> seen_;
  std::set<std::string, std::less<>> policy_domains_, mx_hosts_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_LABELS_H_
