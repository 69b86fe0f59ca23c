#include "collectors/reports/report_labels.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(ReportLabelsTest, ReceiversFromOrgNamesAddressesAndHosts) {
  ReportLabelsConfig config;
  config.receivers["mycorp"] = {"mycorp.example"};
  ReportLabels labels(config);
  EXPECT_EQ(labels.Receiver({"google.com"}), "gmail");
  EXPECT_EQ(labels.Receiver({"Enterprise Outlook", "dmarcreport@microsoft.com"}), "outlook");
  EXPECT_EQ(labels.Receiver({"Yahoo", "mailto:dmarc_support@yahoo.com"}), "yahoo");
  EXPECT_EQ(labels.Receiver({"dns; mx3.MyCorp.example."}), "mycorp");
  EXPECT_EQ(labels.Receiver({"https://reports.mycorp.example/tls"}), "mycorp");
  EXPECT_EQ(labels.Receiver({"Some Receiver", ""}), "other");
}

TEST(ReportLabelsTest, OwnIpsFromNetworksAndSeen) {
  ReportLabelsConfig config;
  config.own_networks.push_back(*IpNetwork::Parse("192.0.2.0/28"));
  ReportLabels labels(config);
  EXPECT_EQ(labels.Ip("192.0.2.10"), "192.0.2.10");
  EXPECT_EQ(labels.Ip("::ffff:192.0.2.10"), "192.0.2.10");
  EXPECT_EQ(labels.Ip("192.0.2.100"), "other");
  EXPECT_EQ(labels.Ip("not an ip"), "other");
  labels.SetSeenIps({*IpAddress::Parse("2001:DB8::25")});
  EXPECT_EQ(labels.Ip("2001:db8:0::25"), "2001:db8::25");
}

TEST(ReportLabelsTest, BoundedRegistries) {
  ReportLabelsConfig config;
  config.policy_domains = {"Example.com"};
  config.mx_hosts = {"mx1.example.com."};
  ReportLabels labels(config);
  EXPECT_EQ(labels.PolicyDomain("example.COM."), "example.com");
  EXPECT_EQ(labels.PolicyDomain("attacker.example"), "other");
  EXPECT_EQ(labels.MxHost("MX1.example.com"), "mx1.example.com");
  EXPECT_EQ(labels.MxHost("203.0.113.5"), "other");
  EXPECT_EQ(ReportLabels::Disposition("Reject"), "reject");
  EXPECT_EQ(ReportLabels::Disposition("pass"), "other");
  EXPECT_EQ(ReportLabels::TlsResultType("certificate-expired"), "certificate-expired");
  EXPECT_EQ(ReportLabels::TlsResultType("made-up"), "other");
  EXPECT_EQ(ReportLabels::FeedbackType("Not-Spam"), "not-spam");
  EXPECT_EQ(ReportLabels::FeedbackType("opt-out"), "other");
  EXPECT_EQ(ReportLabels::PolicyType("sts"), "sts");
}

}  // namespace
}  // namespace mailrep
