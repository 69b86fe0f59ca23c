// gunzip for tests, by two independent readers: zlib, and Python's gzip
// module (a subprocess of /usr/bin/python3). Both fail the running test (a
// gtest non-fatal failure) on a corrupt or truncated stream and return what
// they read. Test code only; thread-compatible.
#ifndef MAILREP_EXPORTER_UTIL_TESTING_GUNZIP_H_
#define MAILREP_EXPORTER_UTIL_TESTING_GUNZIP_H_

#include <string>
#include <string_view>

namespace mailrep::testing {

// One gzip member inflated by zlib; bytes after its end are a failure.
std::string ZlibGunzip(std::string_view gz);

// Whatever Python's gzip.open(...).read() makes of `gz`.
std::string PythonGunzip(std::string_view gz);

}  // namespace mailrep::testing

#endif  // MAILREP_EXPORTER_UTIL_TESTING_GUNZIP_H_
