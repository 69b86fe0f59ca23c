// Tests only: the fixtures of collectors/reports/testdata/ (written by its
// make_testdata.py), found through MAILREP_SOURCE_DIR as ctest sets it, else
// relative to the working directory. Header-only.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace mailrep::testing {

inline std::string ReportTestdataPath(const std::string& name) {
  const char* src = std::getenv("MAILREP_SOURCE_DIR");
  return std::string(src == nullptr ? "." : src) + "/collectors/reports/testdata/" + name;
}

// The file's bytes; "" when it cannot be read.
inline std::string ReportTestdata(const std::string& name) {
  std::ifstream in(ReportTestdataPath(name), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_
