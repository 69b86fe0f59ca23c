#include "collectors/dnsbl/dnsbl_health.h"

#include "collectors/dnsbl/dnsbl_targets.h"

namespace mailrep {
namespace {

std::string PrefixOf(const DnsblList& list, const std::string& point) {
  if (point.empty()) return "";
  if (list.health_kind() == DnsblKind::kDomain) return point;
  StatusOr<IpAddress> ip = IpAddress::Parse(point);
  return ip.ok() ? ReversedAddressName(*ip) : "";
}

}  // namespace

DnsblTestPoints TestPointsOf(const DnsblList& list) {
  return {PrefixOf(list, list.test_listed), PrefixOf(list, list.test_clean)};
}

DnsblHealth JudgeDnsblHealth(const std::optional<DnsblResult>& listed_point,
                             const std::optional<DnsblResult>& clean_point) {
  if (clean_point) {
    if (!clean_point->ok()) {
      return {false, "\"must not be listed\" test point: " +
                         std::string(DnsblErrorName(clean_point->error)) + " (" +
                         clean_point->error_detail + ")"};
    }
    if (clean_point->verdict != DnsblVerdict::kClean) {
      return {false,
              "the \"must not be listed\" test point is listed: the zone answers for "
              "everything (wildcard, parked or expired domain)"};
    }
  }
  if (listed_point) {
    if (!listed_point->ok()) {
      return {false,
              "\"must be listed\" test point: " + std::string(DnsblErrorName(listed_point->error)) +
                  " (" + listed_point->error_detail + ")"};
    }
    if (listed_point->verdict != DnsblVerdict::kListed &&
        listed_point->verdict != DnsblVerdict::kAllowlisted) {
      return {false,
              "the \"must be listed\" test point is not listed: the list is empty, dead or "
              "not answering us"};
    }
  }
  return {true, ""};
}

}  // namespace mailrep
