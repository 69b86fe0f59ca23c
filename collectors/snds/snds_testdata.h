// Test-only: the sample SNDS files in collectors/snds/testdata/ (written for
// these tests, in the documented formats; no real data).
#ifndef MAILREP_COLLECTORS_SNDS_SNDS_TESTDATA_H_
#define MAILREP_COLLECTORS_SNDS_SNDS_TESTDATA_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace mailrep::testing {

inline std::string SndsTestdata(const std::string& name) {
  const char* source = std::getenv("MAILREP_SOURCE_DIR");
  std::ifstream in(std::string(source ? source : ".") + "/collectors/snds/testdata/" + name,
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_SNDS_SNDS_TESTDATA_H_
