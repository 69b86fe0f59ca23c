// BoundedGunzip: the text of a gzip file (RFC 1952, one or more members), or
// an invalid-report Status — never more than `max_output` bytes of output,
// whatever the compressed data claims (a decompression bomb stops at the
// cap). BoundedInflateStream gives the same output piece by piece, so a
// parser can read it without the whole text in memory. Stateless functions
// are thread-safe; a stream is for one thread.
#ifndef MAILREP_COLLECTORS_REPORTS_BOUNDED_GUNZIP_H_
#define MAILREP_COLLECTORS_REPORTS_BOUNDED_GUNZIP_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

// True when `data` starts with the gzip magic bytes 1f 8b.
bool LooksLikeGzip(std::string_view data);

// The decompressed bytes. bad_gzip for corrupt or truncated data (the
// trailer's CRC and length are checked), decompressed_too_large when the
// output would pass `max_output`.
StatusOr<std::string> BoundedGunzip(std::string_view data, size_t max_output);

// Raw deflate (RFC 1951), as in a zip member, with the same cap; corrupt or
// truncated data is bad_zip.
StatusOr<std::string> BoundedInflateRaw(std::string_view data, size_t max_output);

// The output of BoundedGunzip() or BoundedInflateRaw() in pieces of at most
// kPiece bytes, with the same errors at the same points of the output.
// `data` must outlive the stream.
class BoundedInflateStream {
 public:
  static constexpr size_t kPiece = 64 * 1024;
  enum class Format { kGzip, kRaw };

  BoundedInflateStream(std::string_view data, size_t max_output, Format format);
  ~BoundedInflateStream();
  BoundedInflateStream(BoundedInflateStream&&) noexcept;
  BoundedInflateStream& operator=(BoundedInflateStream&&) = delete;

  // The next piece (valid until the next call); empty at the end. After an
  // error, every later call returns it again.
  StatusOr<std::string_view> Next();
  uint64_t total() const { return total_; }  // bytes given so far

 private:
  struct Zlib;  // z_stream, kept out of this header
  std::unique_ptr<Zlib> z_;
  size_t max_output_;
  Format format_;
  uint64_t total_ = 0;
  bool done_ = false;
  Status error_;
  std::unique_ptr<char[]> piece_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_BOUNDED_GUNZIP_H_
