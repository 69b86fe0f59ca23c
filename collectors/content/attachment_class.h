// The risk class of an attachment, as receivers grade them (Gmail's
// bad_attachment): by file-name extension, declared content type and the
// first bytes, the most severe that applies:
//
//   executable         .exe .scr .com .pif .bat .cmd .cpl .dll .msi .msp .jar .js .jse
//                      .vbs .vbe .wsf .wsh .hta .ps1 .lnk .reg .scf .iso .img .vhd;
//                      application/x-msdownload, -dosexec, -msdos-program,
//                      vnd.microsoft.portable-executable, java-archive, x-sh;
//                      bytes "MZ" or "\x7fELF"
//   macro_office       .docm .dotm .xlsm .xltm .xlsb .xlam .pptm .potm .ppsm .ppam .sldm;
//                      a content type with "macroenabled"; a zip holding vbaProject.bin
//   encrypted_archive  a zip (bytes "PK\3\4") with an entry's encryption flag set
//                      (general purpose bit 0, in a local or central directory header)
//   archive            .zip .rar .7z .gz .tgz .bz2 .xz .tar .cab .arj .lz .ace .z;
//                      zip, rar, 7z, gzip, tar, bzip2 content types; zip, rar, 7z, gzip bytes
//                      when the name has no extension (a .docx is a zip too)
//   none               anything else (a PDF, an image)
//
// Pure; thread-safe; time linear in the body.
#ifndef MAILREP_COLLECTORS_CONTENT_ATTACHMENT_CLASS_H_
#define MAILREP_COLLECTORS_CONTENT_ATTACHMENT_CLASS_H_

#include <cstddef>
#include <string_view>

#include "collectors/mail/mime_walker.h"

namespace mailrep {

enum class AttachmentClass { kNone, kArchive, kEncryptedArchive, kMacroOffice, kExecutable };
inline constexpr size_t kAttachmentClassCount = 5;
// "none", "archive", "encrypted_archive", "macro_office", "executable".
std::string_view AttachmentClassName(AttachmentClass c);
// The classes receivers reject or distrust: all but none and archive.
bool IsRiskyAttachment(AttachmentClass c);

// Whether a leaf is an attachment: Content-Disposition attachment, a file
// name, or an application/* type.
bool IsAttachment(const MimePart& part);

AttachmentClass ClassifyAttachment(const MimePart& part);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_ATTACHMENT_CLASS_H_
