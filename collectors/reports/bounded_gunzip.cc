#include "collectors/reports/bounded_gunzip.h"

#include <zlib.h>

#include "collectors/reports/report_invalid_reason.h"

namespace mailrep {

struct BoundedInflateStream::Zlib {
  z_stream z{};
  bool initialized = false;
  ~Zlib() {
    if (initialized) inflateEnd(&z);
  }
};

BoundedInflateStream::BoundedInflateStream(std::string_view data, size_t max_output, Format format)
    : z_(new Zlib), max_output_(max_output), format_(format), piece_(new char[kPiece]) {
  if (format == Format::kGzip && !LooksLikeGzip(data)) {
    error_ = InvalidReport(ReportInvalidReason::kBadGzip, "no gzip header");
    return;
  }
  z_stream& z = z_->z;
  if (inflateInit2(&z, format == Format::kGzip ? 16 + MAX_WBITS : -MAX_WBITS) != Z_OK) {
    error_ = Status::Internal("zlib: inflateInit2 failed");
    return;
  }
  z_->initialized = true;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
}

BoundedInflateStream::~BoundedInflateStream() = default;
BoundedInflateStream::BoundedInflateStream(BoundedInflateStream&&) noexcept = default;

StatusOr<std::string_view> BoundedInflateStream::Next() {
  if (!error_.ok()) return error_;
  if (done_) return std::string_view();
  z_stream& z = z_->z;
  bool gzip = format_ == Format::kGzip;
  ReportInvalidReason bad = gzip ? ReportInvalidReason::kBadGzip : ReportInvalidReason::kBadZip;
  std::string_view what = gzip ? "gzip data" : "zip member";
  // Loops only while zlib gives nothing yet (a member's end, a header).
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(piece_.get());
    z.avail_out = kPiece;
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t produced = kPiece - z.avail_out;
    if (total_ + produced > max_output_) {
      error_ = InvalidReport(
          ReportInvalidReason::kDecompressedTooLarge,
          std::string(what) + " inflates to more than " + std::to_string(max_output_) + " bytes");
      return error_;
    }
    total_ += produced;
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (skip trailing zero padding).
      while (z.avail_in > 0 && *z.next_in == 0) {
        ++z.next_in;
        --z.avail_in;
      }
      if (!gzip || z.avail_in == 0) {
        done_ = true;
      } else if (inflateReset(&z) != Z_OK) {
        error_ = Status::Internal("zlib: inflateReset failed");
        return error_;
      }
    } else if (rc == Z_BUF_ERROR && z.avail_in == 0 && produced == 0) {
      error_ = InvalidReport(bad, std::string(what) + " is truncated");
      return error_;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      error_ =
          rc == Z_MEM_ERROR
              ? Status::Internal("zlib: out of memory")
              : InvalidReport(bad, std::string(what) + ": " + (z.msg ? z.msg : "corrupt data"));
      return error_;
    }
    if (produced > 0) return std::string_view(piece_.get(), produced);
    if (done_) return std::string_view();
  }
}

namespace {

StatusOr<std::string> Gather(BoundedInflateStream stream) {
  std::string out;
  for (;;) {
    StatusOr<std::string_view> piece = stream.Next();
    if (!piece.ok()) return piece.status();
    if (piece->empty()) return out;
    out.append(*piece);
  }
}

}  // namespace

bool LooksLikeGzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

StatusOr<std::string> BoundedGunzip(std::string_view data, size_t max_output) {
  return Gather(BoundedInflateStream(data, max_output, BoundedInflateStream::Format::kGzip));
}

StatusOr<std::string> BoundedInflateRaw(std::string_view data, size_t max_output) {
  return Gather(BoundedInflateStream(data, max_output, BoundedInflateStream::Format::kRaw));
}

}  // namespace mailrep
