#include "collectors/content/attachment_class.h"

#include <algorithm>
#include <string>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

constexpr std::string_view kExecutableExtensions[] = {
    "exe", "scr", "com", "pif", "bat", "cmd", "cpl", "dll", "msi", "msp", "jar", "js", "jse",
    "vbs", "vbe", "wsf", "wsh", "hta", "ps1", "lnk", "reg", "scf", "iso", "img", "vhd"};
constexpr std::string_view kMacroExtensions[] = {"docm", "dotm", "xlsm", "xltm", "xlsb", "xlam",
                                                 "pptm", "potm", "ppsm", "ppam", "sldm"};
constexpr std::string_view kArchiveExtensions[] = {"zip", "rar", "7z",  "gz", "tgz", "bz2", "xz",
                                                   "tar", "cab", "arj", "lz", "ace", "z"};
constexpr std::string_view kExecutableTypes[] = {
    "application/x-msdownload",    "application/x-dosexec",
    "application/x-msdos-program", "application/vnd.microsoft.portable-executable",
    "application/java-archive",    "application/x-sh",
    "application/x-ms-installer",  "application/x-msi"};
constexpr std::string_view kArchiveTypes[] = {"application/zip",
                                              "application/x-zip-compressed",
                                              "application/x-rar-compressed",
                                              "application/vnd.rar",
                                              "application/x-7z-compressed",
                                              "application/gzip",
                                              "application/x-gzip",
                                              "application/x-tar",
                                              "application/x-bzip2",
                                              "application/x-compressed"};

template <size_t N>
bool In(std::string_view value, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}

std::string Extension(std::string_view filename) {
  // Trailing dots and spaces are dropped as Windows drops them ("a.exe. ").
  while (!filename.empty() && (filename.back() == '.' || filename.back() == ' ')) {
    filename.remove_suffix(1);
  }
  size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "";
  return ToLowerAscii(filename.substr(dot + 1));
}

bool IsZip(std::string_view body) { return body.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

// Any local (PK\3\4, flags at +6) or central directory (PK\1\2, flags at +8)
// header with bit 0 (encrypted) set.
bool ZipEncrypted(std::string_view body) {
  for (size_t at = body.find("PK"); at != std::string_view::npos; at = body.find("PK", at + 2)) {
    std::string_view sig = body.substr(at, 4);
    size_t flags = 0;
    if (sig == std::string_view("PK\x03\x04", 4)) {
      flags = at + 6;
    } else if (sig == std::string_view("PK\x01\x02", 4)) {
      flags = at + 8;
    } else {
      continue;
    }
    if (flags < body.size() && (static_cast<unsigned char>(body[flags]) & 1) != 0) return true;
  }
  return false;
}

bool ArchiveBytes(std::string_view body) {
  return IsZip(body) || body.substr(0, 4) == "Rar!" ||
         body.substr(0, 6) == std::string_view("7z\xBC\xAF\x27\x1C", 6) ||
         body.substr(0, 2) == std::string_view("\x1F\x8B", 2);
}

}  // namespace

std::string_view AttachmentClassName(AttachmentClass c) {
  switch (c) {
    case AttachmentClass::kNone:
      return "none";
    case AttachmentClass::kArchive:
      return "archive";
    case AttachmentClass::kEncryptedArchive:
      return "encrypted_archive";
    case AttachmentClass::kMacroOffice:
      return "macro_office";
    case AttachmentClass::kExecutable:
      return "executable";
  }
  return "unknown";
}

bool IsRiskyAttachment(AttachmentClass c) {
  return c == AttachmentClass::kEncryptedArchive || c == AttachmentClass::kMacroOffice ||
         c == AttachmentClass::kExecutable;
}

bool IsAttachment(const MimePart& part) {
  return part.disposition.token == "attachment" || !part.filename.empty() ||
         part.content_type.token.rfind("application/", 0) == 0;
}

AttachmentClass ClassifyAttachment(const MimePart& part) {
  std::string ext = Extension(part.filename);
  const std::string& type = part.content_type.token;
  std::string_view body = part.body;
  if (In(ext, kExecutableExtensions) || In(type, kExecutableTypes) || body.substr(0, 2) == "MZ" ||
      body.substr(0, 4) ==
          "\x7F"
          "ELF") {
    return AttachmentClass::kExecutable;
  }
  if (In(ext, kMacroExtensions) || type.find("macroenabled") != std::string::npos ||
      (IsZip(body) && body.find("vbaProject.bin") != std::string_view::npos)) {
    return AttachmentClass::kMacroOffice;
  }
  if (IsZip(body) && ZipEncrypted(body)) return AttachmentClass::kEncryptedArchive;
  // Office and OpenDocument files are zips too: the bytes decide only for a
  // file without an extension.
  if (In(ext, kArchiveExtensions) || In(type, kArchiveTypes) ||
      (ext.empty() && ArchiveBytes(body))) {
    return AttachmentClass::kArchive;
  }
  return AttachmentClass::kNone;
}

}  // namespace mailrep
