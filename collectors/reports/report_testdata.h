// Tests only: the fixtures of collectors/reports/testdata/ (written by its
// make_testdata.py), and DeflateForTest for tests that build compressed
// input. Header-only.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <string_view>

#include "exporter/util/testing/source_file.h"

namespace mailrep::testing {

inline std::string ReportTestdataPath(const std::string& name) {
  return SourcePath("collectors/reports/testdata/" + name);
}

// The file's bytes; "" when it cannot be read.
inline std::string ReportTestdata(const std::string& name) {
  return ReadSourceFile("collectors/reports/testdata/" + name);
}

// `text` deflated by zlib at `level` with `window_bits` (31: gzip, -15: raw
// deflate, as zip members hold it).
inline std::string DeflateForTest(std::string_view text, int window_bits, int level = 6) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_TESTDATA_H_
