// Loader for the OpenSPF YAML test suites (rfc7208-tests.yml and friends;
// layout in shared/conformance/SOURCES.md): one MemoryDns per scenario
// built from its zonedata, and the scenario's test cases. Test-only code.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_SUITE_H_
#define MAILREP_COLLECTORS_AUTH_SPF_SUITE_H_

#include <optional>
#include <string>
#include <vector>

#include "collectors/dns/memory_dns.h"
#include "exporter/util/status.h"

namespace mailrep {

struct SpfSuiteCase {
  std::string name;
  std::string spec;
  std::string host;
  std::string mail_from;
  std::string helo;
  std::vector<std::string> results;        // acceptable results, preferred first
  std::optional<std::string> explanation;  // expected on fail, when given
};

struct SpfSuiteScenario {
  std::string description;
  MemoryDns dns;
  std::vector<SpfSuiteCase> cases;
};

// Reads a file, gunzipping it when it starts with the gzip magic.
StatusOr<std::string> ReadSpfSuiteFile(const std::string& path);

// Parses a whole suite (a YAML stream, one scenario per document).
StatusOr<std::vector<SpfSuiteScenario>> ParseSpfSuite(const std::string& yaml);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_SUITE_H_
