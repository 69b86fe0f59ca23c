// Which local address a Postfix delivery left from, by its syslog_name.
//
// Postfix never logs the local address. Each smtp/lmtp service in master.cf
// logs as "<syslog_name>/smtp" (or "/lmtp"); its address is `-o
// smtp_bind_address=` (or `smtp_bind_address6`) in master.cf, else main.cf's.
// A tag maps to an IP only when every delivery service logging under it binds
// to the same one address (of one family); otherwise it is unknown. Pure functions over file text;
// immutable map, safe from several threads.
#ifndef MAILREP_COLLECTORS_DELIVERY_POSTFIX_SENDING_IP_H_
#define MAILREP_COLLECTORS_DELIVERY_POSTFIX_SENDING_IP_H_

#include <map>
#include <string>
#include <string_view>

namespace mailrep {

// syslog tag ("postfix-out1/smtp") -> IP ("" = cannot be known).
using SendingIpMap = std::map<std::string, std::string, std::less<>>;

// Adds the services of one Postfix instance (its main.cf and master.cf text)
// to `*map`. `instance_name` is the postmulti name ("" for the default
// instance). A tag already present with a different IP becomes "".
void AddPostfixInstance(std::string_view main_cf, std::string_view master_cf,
                        std::string_view instance_name, SendingIpMap* map);

// The IP for the syslog tag, or "unknown".
std::string_view LookUpSendingIp(const SendingIpMap& map, std::string_view syslog_tag);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_POSTFIX_SENDING_IP_H_
