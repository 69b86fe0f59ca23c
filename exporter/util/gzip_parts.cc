#include "exporter/util/gzip_parts.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace mailrep {
namespace {

// zlib counts in uInt: texts of 4 GiB and more go in slices.
constexpr size_t kMaxSlice = size_t{1} << 30;

class ThreadRawDeflater {
 public:
  ThreadRawDeflater() {
    // Level 1, as the whole-response gzip always used; -15: raw deflate.
    ok_ = deflateInit2(&stream_, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~ThreadRawDeflater() {
    if (ok_) deflateEnd(&stream_);
  }
  ThreadRawDeflater(const ThreadRawDeflater&) = delete;
  ThreadRawDeflater& operator=(const ThreadRawDeflater&) = delete;

  z_stream* Get() {
    if (!ok_ || deflateReset(&stream_) != Z_OK) return nullptr;
    return &stream_;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

// Runs deflate with `flush` over the stream's pending input, growing `*out`
// (of which `*used` bytes are written) until zlib leaves output space unused.
Status Deflate(z_stream* stream, int flush, std::string* out, size_t* used) {
  do {
    if (*used == out->size()) out->resize(out->size() * 2 + 64);
    size_t room = std::min(out->size() - *used, kMaxSlice);
    stream->next_out = reinterpret_cast<Bytef*>(out->data() + *used);
    stream->avail_out = static_cast<uInt>(room);
    int rc = deflate(stream, flush);
    *used += room - stream->avail_out;
    if (rc == Z_STREAM_ERROR) return Status::Internal("zlib deflate failed");
  } while (stream->avail_out == 0);
  return Status::OK();
}

void AppendLittleEndian32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

StatusOr<DeflatedPart> DeflatePart(std::string_view text) {
  DeflatedPart part;
  part.size = text.size();
  part.crc = static_cast<uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<z_size_t>(text.size())));
  if (text.empty()) return part;
  thread_local ThreadRawDeflater deflater;
  z_stream* stream = deflater.Get();
  if (stream == nullptr) return Status::Internal("cannot start a zlib deflate stream");
  part.data.resize(deflateBound(stream, static_cast<uLong>(text.size())) + 16);
  size_t used = 0;
  while (!text.empty()) {
    size_t slice = std::min(text.size(), kMaxSlice);
    stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    stream->avail_in = static_cast<uInt>(slice);
    text.remove_prefix(slice);
    if (Status s = Deflate(stream, text.empty() ? Z_SYNC_FLUSH : Z_NO_FLUSH, &part.data, &used);
        !s.ok()) {
      return s;
    }
  }
  part.data.resize(used);
  return part;
}

void AppendPart(DeflatedPart* into, const DeflatedPart& part) {
  into->data += part.data;
  into->crc =
      static_cast<uint32_t>(crc32_combine(into->crc, part.crc, static_cast<z_off_t>(part.size)));
  into->size += part.size;
}

std::string GzipJoin(const std::vector<const DeflatedPart*>& parts) {
  // ID1 ID2, CM deflate, no flags, no mtime, XFL 4 (fastest), OS 3 (Unix).
  static constexpr char kHeader[] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 4, 3};
  // A final block of fixed Huffman codes holding only end-of-block.
  static constexpr char kFinalEmptyBlock[] = {'\x03', '\x00'};
  size_t total = sizeof(kHeader) + sizeof(kFinalEmptyBlock) + 8;
  for (const DeflatedPart* part : parts) total += part->data.size();
  std::string out;
  out.reserve(total);
  out.append(kHeader, sizeof(kHeader));
  uint32_t crc = 0;
  uint64_t size = 0;
  for (const DeflatedPart* part : parts) {
    out += part->data;
    crc = static_cast<uint32_t>(crc32_combine(crc, part->crc, static_cast<z_off_t>(part->size)));
    size += part->size;
  }
  out.append(kFinalEmptyBlock, sizeof(kFinalEmptyBlock));
  AppendLittleEndian32(crc, &out);
  AppendLittleEndian32(static_cast<uint32_t>(size), &out);  // ISIZE: modulo 2^32
  return out;
}

}  // namespace mailrep
