#include "collectors/delivery/log_file_lines.h"

#include <zlib.h>

#include <vector>

#include "collectors/delivery/line_parser.h"
#include "exporter/util/lines.h"

namespace mailrep {

bool ForEachLogFileLine(const std::string& path,
                        const std::function<void(std::string_view, bool)>& fn, std::string* error) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = path + ": cannot open";
    return false;
  }
  std::vector<char> buf(1 << 20);
  LineAssembler lines(LineParser::kMaxLineBytes);
  auto deliver = [&](std::string_view line, bool too_long) {
    fn(too_long ? line.substr(0, 200) : line, too_long);
  };
  while (true) {
    int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int code = 0;
      *error = path + ": " + gzerror(f, &code);
      gzclose(f);
      return false;
    }
    if (n == 0) break;
    lines.Feed(std::string_view(buf.data(), static_cast<size_t>(n)), deliver);
  }
  lines.Finish(deliver);
  gzclose(f);
  return true;
}

}  // namespace mailrep
