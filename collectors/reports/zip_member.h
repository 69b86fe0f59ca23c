// ZipMember: the one file a report archive carries (zip, PKWARE APPNOTE), read
// from the central directory with zlib's raw inflate: stored or deflated
// members, CRC-32 checked, output capped. Reporters send one member; when
// there are several, the first file that is not a directory or a macOS
// resource fork ("__MACOSX/") is taken. Encrypted members, zip64 and other
// compression methods are bad_zip. ReadZipMember() is stateless and
// thread-safe; a ZipMemberStream is for one thread.
#ifndef MAILREP_COLLECTORS_REPORTS_ZIP_MEMBER_H_
#define MAILREP_COLLECTORS_REPORTS_ZIP_MEMBER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/reports/bounded_gunzip.h"
#include "exporter/util/status.h"

namespace mailrep {

// True when `data` starts with a local file header ("PK\3\4").
bool LooksLikeZip(std::string_view data);

struct ZipFile {
  std::string name;  // the member's name in the archive
  std::string data;  // its uncompressed bytes
};

// The archive's report member. bad_zip for anything malformed or
// unsupported, decompressed_too_large past `max_output`.
StatusOr<ZipFile> ReadZipMember(std::string_view archive, size_t max_output);

// The same member's bytes in pieces, as ReadZipMember() would give them:
// Open() checks the directory and the member's headers; Next() gives the
// next piece (valid until the next call), empty at the end, where the size
// and CRC-32 are checked, or the error ReadZipMember() would return. After
// an error, every later call returns it again. `archive` must outlive it.
class ZipMemberStream {
 public:
  static StatusOr<ZipMemberStream> Open(std::string_view archive, size_t max_output);

  const std::string& name() const { return name_; }
  StatusOr<std::string_view> Next();

 private:
  ZipMemberStream(std::string name, std::string_view body, bool deflated, uint32_t crc,
                  uint32_t size, size_t max_output);

  std::string name_;
  std::string_view stored_;                      // a stored member's bytes, until given
  std::optional<BoundedInflateStream> inflate_;  // a deflated member's
  uint32_t want_crc_, want_size_;
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
  Status error_;
  bool done_ = false;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_ZIP_MEMBER_H_
