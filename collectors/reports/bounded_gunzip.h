// BoundedGunzip: the text of a gzip file (RFC 1952, one or more members), or
// an invalid-report Status — never more than `max_output` bytes of memory for
// the output, whatever the compressed data claims (a decompression bomb stops
// at the cap). Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_BOUNDED_GUNZIP_H_
#define MAILREP_COLLECTORS_REPORTS_BOUNDED_GUNZIP_H_

#include <cstddef>
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

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_BOUNDED_GUNZIP_H_
