// ZipMember: the one file a report archive carries (zip, PKWARE APPNOTE), read
// from the central directory with zlib's raw inflate: stored or deflated
// members, CRC-32 checked, output capped. Reporters send one member; when
// there are several, the first file that is not a directory or a macOS
// resource fork ("__MACOSX/") is taken. Encrypted members, zip64 and other
// compression methods are bad_zip. Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_ZIP_MEMBER_H_
#define MAILREP_COLLECTORS_REPORTS_ZIP_MEMBER_H_

#include <cstddef>
#include <string>
#include <string_view>

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

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_ZIP_MEMBER_H_
