// Runs the OpenSPF conformance suites through CheckSpf with an in-memory DNS
// built from each scenario's zonedata. The RFC 7208 suite is read from
// Debian's python3-spf documentation; the RFC 4408 and RFC 4406 suites from
// shared/conformance/ when present (skipped otherwise).
#include <strings.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "collectors/auth/sender_id.h"
#include "collectors/auth/spf_evaluator.h"
#include "collectors/auth/spf_suite.h"
#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

struct SuiteRun {
  bool loaded = false;
  int cases = 0;
  int passed = 0;
  std::map<std::string, std::string> failures;  // case name -> what differed
};

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string ConformanceDir() {
  return EnvOr("MAILREP_SPF_CONFORMANCE_DIR", "/work/shared/conformance");
}

bool Exists(const std::string& path) { return ReadSpfSuiteFile(path).ok(); }

SuiteRun RunSuite(const std::string& path, SpfRecordScope scope) {
  SuiteRun run;
  StatusOr<std::string> text = ReadSpfSuiteFile(path);
  if (!text.ok()) return run;
  StatusOr<std::vector<SpfSuiteScenario>> scenarios = ParseSpfSuite(*text);
  EXPECT_OK(scenarios) << path;
  if (!scenarios.ok()) return run;
  run.loaded = true;
  SpfOptions options;
  options.default_explanation = "DEFAULT";
  options.scope = scope;
  for (SpfSuiteScenario& scenario : *scenarios) {
    for (const SpfSuiteCase& c : scenario.cases) {
      ++run.cases;
      StatusOr<IpAddress> ip = IpAddress::Parse(c.host);
      if (!ip.ok()) {
        run.failures[c.name] = "bad host " + c.host;
        continue;
      }
      SpfCheckResult result = CheckSpf({*ip, c.mail_from, c.helo}, scenario.dns, options);
      std::string got(SpfResultName(result.result));
      bool ok = false;
      for (const std::string& want : c.results) ok |= want == got;
      std::string detail;
      if (!ok) {
        std::string wanted;
        for (const std::string& want : c.results) wanted += (wanted.empty() ? "" : "|") + want;
        detail = "got " + got + ", want " + wanted + " (" + result.reason + ")";
      } else if (c.explanation &&
                 strcasecmp(c.explanation->c_str(), result.explanation.c_str()) != 0) {
        ok = false;
        detail = "explanation \"" + result.explanation + "\", want \"" + *c.explanation + "\"";
      }
      if (ok) {
        ++run.passed;
      } else {
        run.failures[c.name] = detail + " [spec " + c.spec + "]";
      }
    }
  }
  return run;
}

void Print(const std::string& label, const SuiteRun& run) {
  std::printf("%s: %d/%d cases passed\n", label.c_str(), run.passed, run.cases);
}

TEST(SpfConformanceTest, Rfc7208SuiteAllPass) {
  std::string path =
      EnvOr("MAILREP_SPF_RFC7208_SUITE", "/usr/share/doc/python3-spf/rfc7208-tests.yml.gz");
  if (!Exists(path)) GTEST_SKIP() << path << " missing: apt-get install python3-spf";
  SuiteRun run = RunSuite(path, SpfRecordScope::kSpf1);
  Print("rfc7208-tests.yml", run);
  for (const auto& [name, detail] : run.failures) ADD_FAILURE() << name << ": " << detail;
  EXPECT_EQ(run.cases, 203);
  EXPECT_EQ(run.passed, run.cases);
}

// Cases of the RFC 4408 suites whose expectations RFC 7208 changed, with the
// reason. Any other difference fails the test.
const std::map<std::string, std::string>& Rfc4408Changes() {
  static const auto* changes = new std::map<std::string, std::string>{
      {"mx-limit",
       "RFC 7208 §4.6.4: more than 10 MX records is a permerror (RFC 4408 allowed ignoring the "
       "excess or failing)"},
      {"mech-at-limit",
       "RFC 7208 §4.6.4 void-lookup limit: in the 2009.10 zone the record's a and mx names "
       "have no records, so the third void lookup is a permerror; RFC 4408 had no void limit "
       "(the RFC 7208 suite adds the missing A/MX records)"},
      {"include-at-limit",
       "RFC 7208 §4.6.4 void-lookup limit: the included inc.example.com has eight 'a' terms "
       "and no A record in the 2009.10 zone, so the third void lookup is a permerror; RFC 4408 "
       "had no void limit"},
  };
  return *changes;
}

void CheckRfc4408(const std::string& label, const std::string& path) {
  SuiteRun run = RunSuite(path, SpfRecordScope::kSpf1);
  Print(label, run);
  for (const auto& [name, detail] : run.failures) {
    auto known = Rfc4408Changes().find(name);
    if (known != Rfc4408Changes().end()) {
      std::printf("  differs: %s: %s\n    reason: %s\n", name.c_str(), detail.c_str(),
                  known->second.c_str());
    } else {
      ADD_FAILURE() << label << ": unexplained difference " << name << ": " << detail;
    }
  }
}

TEST(SpfConformanceTest, Rfc4408OfficialSuiteDiffersOnlyWhereRfc7208Changed) {
  std::string path = ConformanceDir() + "/rfc4408-tests.yml";
  if (!Exists(path)) GTEST_SKIP() << path << " missing";
  CheckRfc4408("rfc4408-tests.yml (2009.10)", path);
}

TEST(SpfConformanceTest, Rfc4408PyspfSuiteDiffersOnlyWhereRfc7208Changed) {
  std::string path = ConformanceDir() + "/rfc4408-tests.pyspf.yml";
  if (!Exists(path)) path = "/usr/share/doc/python3-spf/rfc4408-tests.yml.gz";
  if (!Exists(path)) GTEST_SKIP() << "no pyspf RFC 4408 suite";
  CheckRfc4408("rfc4408-tests (pyspf)", path);
}

TEST(SpfConformanceTest, Rfc4406SenderIdSuite) {
  std::string path = ConformanceDir() + "/rfc4406-tests.yml";
  if (!Exists(path)) GTEST_SKIP() << path << " missing";
  SuiteRun run = RunSuite(path, SpfRecordScope::kSenderIdMfrom);
  Print("rfc4406-tests.yml (Sender ID, mfrom scope)", run);
  for (const auto& [name, detail] : run.failures) ADD_FAILURE() << name << ": " << detail;
  EXPECT_EQ(run.passed, run.cases);
}

}  // namespace
}  // namespace mailrep
