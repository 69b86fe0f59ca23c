// Test-only: the sample SNDS files in collectors/snds/testdata/ (written for
// these tests, in the documented formats; no real data).
#ifndef MAILREP_COLLECTORS_SNDS_SNDS_TESTDATA_H_
#define MAILREP_COLLECTORS_SNDS_SNDS_TESTDATA_H_

#include <string>

#include "exporter/util/testing/source_file.h"

namespace mailrep::testing {

// The file's bytes; "" when it cannot be read.
inline std::string SndsTestdata(const std::string& name) {
  return ReadSourceFile("collectors/snds/testdata/" + name);
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_SNDS_SNDS_TESTDATA_H_
