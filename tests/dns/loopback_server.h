// Helpers for tests that start a DNS server (NSD, rbldnsd) on loopback: a
// free port, and a probe that it answers. Test-only; stateless.
#ifndef MAILREP_TESTS_DNS_LOOPBACK_SERVER_H_
#define MAILREP_TESTS_DNS_LOOPBACK_SERVER_H_

#include <cstdint>
#include <string>

#include "exporter/util/status.h"

namespace mailrep::testing {

// Finds a port free for UDP and TCP on 127.0.0.1 (and ::1 when `ipv6`). The
// server binds it a moment later; callers retry on the rare race.
StatusOr<uint16_t> FreeLoopbackPort(bool ipv6);

// True once something answers (any RCODE) a SOA query for `origin` sent to
// 127.0.0.1:port, within 200 ms.
bool AnswersOnLoopback(uint16_t port, const std::string& origin);

}  // namespace mailrep::testing

#endif  // MAILREP_TESTS_DNS_LOOPBACK_SERVER_H_
