#include "exporter/http/gzip.h"

#include <zlib.h>

#include <climits>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when the parameters after a coding name carry q=0 (0, 0.0, 0.00...).
bool HasZeroQuality(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    std::string_view value = param.substr(2);
    if (value.empty() || value[0] != '0') return false;
    for (char c : value.substr(1)) {
      if (c != '.' && c != '0') return false;
    }
    return true;
  }
  return false;
}

class ThreadDeflater {
 public:
  ThreadDeflater() {
    ok_ = deflateInit2(&stream_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~ThreadDeflater() {
    if (ok_) deflateEnd(&stream_);
  }
  z_stream* Get() {
    if (!ok_ || deflateReset(&stream_) != Z_OK) return nullptr;
    return &stream_;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    if (EqualsIgnoreCase(coding, "gzip") || coding == "*") {
      return semi == std::string_view::npos || !HasZeroQuality(item.substr(semi + 1));
    }
  }
  return false;
}

std::unique_ptr<char, FreeDeleter> GzipCompress(std::string_view in, size_t* out_size) {
  thread_local ThreadDeflater deflater;
  z_stream* stream = deflater.Get();
  if (stream == nullptr || in.size() > UINT_MAX / 2) return nullptr;
  uLong bound = deflateBound(stream, static_cast<uLong>(in.size()));
  std::unique_ptr<char, FreeDeleter> out(static_cast<char*>(std::malloc(bound)));
  if (!out) return nullptr;
  stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream->avail_in = static_cast<uInt>(in.size());
  stream->next_out = reinterpret_cast<Bytef*>(out.get());
  stream->avail_out = static_cast<uInt>(bound);
  if (deflate(stream, Z_FINISH) != Z_STREAM_END) return nullptr;
  *out_size = stream->total_out;
  return out;
}

}  // namespace mailrep
