// Test-only: the sample Postmaster Tools answers in
// collectors/postmaster/testdata/ (written for these tests in the shapes of
// the v2 discovery document; no real data).
#ifndef MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_TESTDATA_H_
#define MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_TESTDATA_H_

#include <string>

#include "exporter/util/testing/source_file.h"

namespace mailrep::testing {

// The file's bytes; "" when it cannot be read.
inline std::string PostmasterTestdata(const std::string& name) {
  return ReadSourceFile("collectors/postmaster/testdata/" + name);
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_TESTDATA_H_
