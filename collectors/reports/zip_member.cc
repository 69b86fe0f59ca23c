#include "collectors/reports/zip_member.h"

#include <zlib.h>

#include <cstdint>

#include "collectors/reports/bounded_gunzip.h"
#include "collectors/reports/report_invalid_reason.h"

namespace mailrep {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr size_t kEocdSize = 22;
constexpr size_t kCentralSize = 46;
constexpr size_t kLocalSize = 30;
constexpr int kMaxEntries = 64;

uint16_t U16(std::string_view d, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(d[at]) |
                               static_cast<unsigned char>(d[at + 1]) << 8);
}
uint32_t U32(std::string_view d, size_t at) {
  return static_cast<uint32_t>(U16(d, at)) | static_cast<uint32_t>(U16(d, at + 2)) << 16;
}

Status Bad(std::string_view why) { return InvalidReport(ReportInvalidReason::kBadZip, why); }

}  // namespace

bool LooksLikeZip(std::string_view data) {
  return data.size() >= 4 && U32(data, 0) == kLocalHeader;
}

StatusOr<ZipMemberStream> ZipMemberStream::Open(std::string_view archive, size_t max_output) {
  if (archive.size() < kEocdSize) return Bad("too short for a zip archive");
  // The end-of-central-directory record, searched back over its comment.
  size_t eocd = std::string_view::npos;
  size_t lowest = archive.size() > kEocdSize + 0xffff ? archive.size() - kEocdSize - 0xffff : 0;
  for (size_t at = archive.size() - kEocdSize + 1; at-- > lowest;) {
    if (U32(archive, at) == kEndOfCentralDirectory) {
      eocd = at;
      break;
    }
  }
  if (eocd == std::string_view::npos) return Bad("no end of central directory (truncated?)");
  uint16_t entries = U16(archive, eocd + 10);
  uint32_t cd_size = U32(archive, eocd + 12);
  uint32_t cd_offset = U32(archive, eocd + 16);
  if (entries == 0xffff || cd_offset == 0xffffffff) return Bad("zip64 archives are not supported");
  if (cd_offset > eocd || cd_size > eocd - cd_offset) return Bad("central directory out of range");
  size_t at = cd_offset;
  for (int i = 0; i < entries && i < kMaxEntries; ++i) {
    if (at + kCentralSize > eocd || U32(archive, at) != kCentralHeader) {
      return Bad("corrupt central directory");
    }
    uint16_t flags = U16(archive, at + 8);
    uint16_t method = U16(archive, at + 10);
    uint32_t crc = U32(archive, at + 16);
    uint32_t compressed = U32(archive, at + 20);
    uint32_t uncompressed = U32(archive, at + 24);
    uint16_t name_len = U16(archive, at + 28);
    uint16_t extra_len = U16(archive, at + 30);
    uint16_t comment_len = U16(archive, at + 32);
    uint32_t local = U32(archive, at + 42);
    if (at + kCentralSize + name_len > eocd) return Bad("corrupt central directory");
    std::string name(archive.substr(at + kCentralSize, name_len));
    at += kCentralSize + name_len + extra_len + comment_len;
    if (name.empty() || name.back() == '/' || name.rfind("__MACOSX/", 0) == 0) continue;

    if (flags & 1) return Bad("encrypted member");
    if (compressed == 0xffffffff || uncompressed == 0xffffffff || local == 0xffffffff) {
      return Bad("zip64 members are not supported");
    }
    if (uncompressed > max_output) {
      return InvalidReport(ReportInvalidReason::kDecompressedTooLarge,
                           "zip member declares " + std::to_string(uncompressed) + " bytes");
    }
    if (local > archive.size() - kLocalSize || U32(archive, local) != kLocalHeader) {
      return Bad("member's local header out of range");
    }
    size_t data_at = static_cast<size_t>(local) + kLocalSize + U16(archive, local + 26) +
                     U16(archive, local + 28);
    if (data_at > archive.size() || compressed > archive.size() - data_at) {
      return Bad("member data truncated");
    }
    std::string_view body = archive.substr(data_at, compressed);
    if (method != 0 && method != 8) {
      return Bad("compression method " + std::to_string(method) + " is not supported");
    }
    return ZipMemberStream(std::move(name), body, method == 8, crc, uncompressed, max_output);
  }
  return Bad("no file member");
}

ZipMemberStream::ZipMemberStream(std::string name, std::string_view body, bool deflated,
                                 uint32_t crc, uint32_t size, size_t max_output)
    : name_(std::move(name)), want_crc_(crc), want_size_(size) {
  if (deflated) {
    inflate_.emplace(body, max_output, BoundedInflateStream::Format::kRaw);
  } else {
    stored_ = body;
  }
}

StatusOr<std::string_view> ZipMemberStream::Next() {
  if (!error_.ok()) return error_;
  if (done_) return std::string_view();
  std::string_view piece;
  if (inflate_) {
    StatusOr<std::string_view> inflated = inflate_->Next();
    if (!inflated.ok()) {
      error_ = inflated.status();
      return error_;
    }
    piece = *inflated;
  } else {
    piece = stored_;
    stored_ = {};
  }
  if (!piece.empty()) {
    size_ += piece.size();
    crc_ = static_cast<uint32_t>(
        crc32(crc_, reinterpret_cast<const Bytef*>(piece.data()), static_cast<uInt>(piece.size())));
    return piece;
  }
  done_ = true;
  if (size_ != want_size_)
    error_ = Bad("member size does not match its directory");
  else if (crc_ != want_crc_)
    error_ = Bad("member CRC-32 mismatch");
  if (!error_.ok()) return error_;
  return std::string_view();
}

StatusOr<ZipFile> ReadZipMember(std::string_view archive, size_t max_output) {
  StatusOr<ZipMemberStream> stream = ZipMemberStream::Open(archive, max_output);
  if (!stream.ok()) return stream.status();
  ZipFile file{stream->name(), ""};
  for (;;) {
    StatusOr<std::string_view> piece = stream->Next();
    if (!piece.ok()) return piece.status();
    if (piece->empty()) return file;
    file.data.append(*piece);
  }
}

}  // namespace mailrep
