// Tests only: committed files of the source tree (fixtures, testdata), found
// through $MAILREP_SOURCE_DIR as ctest sets it, else relative to the working
// directory. Header-only, so any test binary may include it.
#ifndef MAILREP_EXPORTER_UTIL_TESTING_SOURCE_FILE_H_
#define MAILREP_EXPORTER_UTIL_TESTING_SOURCE_FILE_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace mailrep::testing {

// `relative` (e.g. "collectors/snds/testdata/x.csv") under the source tree.
inline std::string SourcePath(const std::string& relative) {
  const char* source = std::getenv("MAILREP_SOURCE_DIR");
  return std::string(source == nullptr ? "." : source) + "/" + relative;
}

// The bytes of SourcePath(relative); "" when it cannot be read.
inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(SourcePath(relative), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace mailrep::testing

#endif  // MAILREP_EXPORTER_UTIL_TESTING_SOURCE_FILE_H_
