// Tests only: the fixtures of collectors/reports/testdata/ (written by its
// make_testdata.py). Header-only.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_

#include <string>

#include "exporter/util/testing/source_file.h"

namespace mailrep::testing {

inline std::string ReportTestdataPath(const std::string& name) {
  return SourcePath("collectors/reports/testdata/" + name);
}

// The file's bytes; "" when it cannot be read.
inline std::string ReportTestdata(const std::string& name) {
  return ReadSourceFile("collectors/reports/testdata/" + name);
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_
