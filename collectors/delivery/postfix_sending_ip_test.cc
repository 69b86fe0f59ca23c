#include "collectors/delivery/postfix_sending_ip.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

constexpr char kMasterCf[] =
    R"(# service type  private unpriv  chroot  wakeup  maxproc command + args
smtp      inet  n       -       y       -       -       smtpd
smtp      unix  -       -       y       -       -       smtp
relay     unix  -       -       y       -       -       smtp
        -o syslog_name=postfix/$service_name
out1      unix  -       -       y       -       -       smtp
  -o smtp_bind_address=192.0.2.10
  -o syslog_name=postfix-out1
out2      unix  -       -       y       -       -       smtp -o smtp_bind_address=192.0.2.11 -o syslog_name=postfix-out2
out2b     unix  -       -       y       -       -       smtp -o smtp_bind_address=192.0.2.12 -o syslog_name=postfix-out2
v6        unix  -       -       y       -       -       smtp -o smtp_bind_address6=2001:db8::1 -o syslog_name=postfix-v6
lmtp      unix  -       -       y       -       -       lmtp
)";

TEST(PostfixSendingIpTest, MasterCfServices) {
  SendingIpMap map;
  AddPostfixInstance("smtp_bind_address = 192.0.2.1\n", kMasterCf, "", &map);
  EXPECT_EQ(LookUpSendingIp(map, "postfix/smtp"), "192.0.2.1");  // smtp uses main.cf's
  EXPECT_EQ(LookUpSendingIp(map, "postfix/relay/smtp"), "192.0.2.1");
  EXPECT_EQ(LookUpSendingIp(map, "postfix-out1/smtp"), "192.0.2.10");
  EXPECT_EQ(LookUpSendingIp(map, "postfix-out2/smtp"), "unknown");  // two services, two IPs
  EXPECT_EQ(LookUpSendingIp(map, "postfix-v6/smtp"), "unknown");    // v4 from main.cf and v6
  EXPECT_EQ(LookUpSendingIp(map, "postfix/lmtp"), "unknown");       // no lmtp_bind_address
  EXPECT_EQ(LookUpSendingIp(map, "nothing"), "unknown");
}

TEST(PostfixSendingIpTest, NoBindAddressIsUnknown) {
  SendingIpMap map;
  AddPostfixInstance("", kMasterCf, "", &map);
  EXPECT_EQ(LookUpSendingIp(map, "postfix/smtp"), "unknown");
  EXPECT_EQ(LookUpSendingIp(map, "postfix-v6/smtp"), "2001:db8::1");
}

TEST(PostfixSendingIpTest, MultiInstanceSyslogName) {
  SendingIpMap map;
  AddPostfixInstance("smtp_bind_address = 192.0.2.20\nmulti_instance_name = postfix-b\n",
                     "smtp unix - - y - - smtp\n", "postfix-b", &map);
  EXPECT_EQ(LookUpSendingIp(map, "postfix-b/smtp"), "192.0.2.20");
  AddPostfixInstance("syslog_name = mta-c\nsmtp_bind_address = 192.0.2.30\n",
                     "smtp unix - - y - - smtp\n", "c", &map);
  EXPECT_EQ(LookUpSendingIp(map, "mta-c/smtp"), "192.0.2.30");
}

}  // namespace
}  // namespace mailrep
