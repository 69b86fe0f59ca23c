// Gzip from parts compressed apart: a text cut into pieces, each piece
// deflated on its own (once, cached by whoever owns it), and one valid gzip
// member made of them at response time without compressing them again.
//
// A DeflatedPart is raw deflate data (RFC 1951) of one piece of text, made by
// a fresh stream and ended with a sync flush: it ends on a byte boundary, has
// no final block and refers to nothing before it, so parts concatenate into
// one deflate stream. It carries the CRC-32 and length of its text, so the
// trailer of a member over several parts comes from zlib's crc32_combine.
// GzipJoin writes one gzip header (RFC 1952), the parts, an empty final block
// and that trailer; any gunzip (zlib, Go's compress/gzip, Python's gzip,
// curl) reads it as the concatenated text.
//
//   StatusOr<DeflatedPart> a = DeflatePart("x 1\n"), b = DeflatePart("y 2\n");
//   std::string gz = GzipJoin({&*a, &*b});  // gunzips to "x 1\ny 2\n"
//
// Compression uses a per-thread zlib stream at level 1: thread-safe.
#ifndef MAILREP_EXPORTER_UTIL_GZIP_PARTS_H_
#define MAILREP_EXPORTER_UTIL_GZIP_PARTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct DeflatedPart {
  std::string data;   // raw deflate, byte-aligned, no final block; "" for ""
  uint32_t crc = 0;   // CRC-32 of the text
  uint64_t size = 0;  // length of the text in bytes
};

// Deflates `text` as one part. Fails only when zlib does (out of memory).
[[nodiscard]] StatusOr<DeflatedPart> DeflatePart(std::string_view text);

// Makes `*into` the part of its text followed by `part`'s text.
void AppendPart(DeflatedPart* into, const DeflatedPart& part);

// One gzip member whose content is the parts' texts, in order.
std::string GzipJoin(const std::vector<const DeflatedPart*>& parts);

// A text with, when compression succeeded, its deflated form (one part).
struct PrecompressedText {
  std::string text;
  std::optional<DeflatedPart> deflated;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_GZIP_PARTS_H_
