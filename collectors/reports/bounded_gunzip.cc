#include "collectors/reports/bounded_gunzip.h"

#include <zlib.h>

#include "collectors/reports/report_invalid_reason.h"

namespace mailrep {
namespace {

constexpr size_t kChunk = 64 * 1024;

// Inflates `data` with zlib's `window_bits` (16+15: gzip, -15: raw); gzip
// members that follow one another are all read.
StatusOr<std::string> Inflate(std::string_view data, size_t max_output, int window_bits,
                              ReportInvalidReason bad, std::string_view what) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return Status::Internal("zlib: inflateInit2 failed");
  std::string out;
  char buf[kChunk];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  Status error;
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof(buf);
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t produced = sizeof(buf) - z.avail_out;
    if (out.size() + produced > max_output) {
      error = InvalidReport(
          ReportInvalidReason::kDecompressedTooLarge,
          std::string(what) + " inflates to more than " + std::to_string(max_output) + " bytes");
      break;
    }
    out.append(buf, produced);
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (skip trailing zero padding).
      while (z.avail_in > 0 && *z.next_in == 0) {
        ++z.next_in;
        --z.avail_in;
      }
      if (window_bits < 0 || z.avail_in == 0) break;
      if (inflateReset(&z) != Z_OK) {
        error = Status::Internal("zlib: inflateReset failed");
        break;
      }
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && produced == 0) {
      error = InvalidReport(bad, std::string(what) + " is truncated");
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error = rc == Z_MEM_ERROR
                  ? Status::Internal("zlib: out of memory")
                  : InvalidReport(bad, std::string(what) + ": " + (z.msg ? z.msg : "corrupt data"));
      break;
    }
  }
  inflateEnd(&z);
  if (!error.ok()) return error;
  return out;
}

}  // namespace

bool LooksLikeGzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

StatusOr<std::string> BoundedGunzip(std::string_view data, size_t max_output) {
  if (!LooksLikeGzip(data)) {
    return InvalidReport(ReportInvalidReason::kBadGzip, "no gzip header");
  }
  return Inflate(data, max_output, 16 + MAX_WBITS, ReportInvalidReason::kBadGzip, "gzip data");
}

StatusOr<std::string> BoundedInflateRaw(std::string_view data, size_t max_output) {
  return Inflate(data, max_output, -MAX_WBITS, ReportInvalidReason::kBadZip, "zip member");
}

}  // namespace mailrep
