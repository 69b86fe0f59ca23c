#include "exporter/util/testing/gunzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>

#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep::testing {

std::string ZlibGunzip(std::string_view gz) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  s.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  int rc = Z_OK;
  char buf[65536];
  while (rc == Z_OK) {
    s.next_out = reinterpret_cast<Bytef*>(buf);
    s.avail_out = sizeof(buf);
    rc = inflate(&s, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - s.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END) << (s.msg != nullptr ? s.msg : "truncated");
  EXPECT_EQ(s.avail_in, 0u) << "bytes after the gzip member";
  inflateEnd(&s);
  return out;
}

std::string PythonGunzip(std::string_view gz) {
  ScopedTempDir dir("gunzip");
  std::string path = dir.path() + "/in.gz";
  std::ofstream(path, std::ios::binary).write(gz.data(), static_cast<std::streamsize>(gz.size()));
  std::string command =
      "/usr/bin/python3 -c 'import gzip,sys; "
      "sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())' " +
      path;
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  if (pipe == nullptr) return "";
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << "python3 gzip failed";
  return out;
}

}  // namespace mailrep::testing
