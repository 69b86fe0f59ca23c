#include "collectors/content/attachment_class.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

MimePart Part(std::string type, std::string filename, std::string body) {
  MimePart p;
  p.content_type = ParseMimeValue(type);
  p.filename = std::move(filename);
  p.body = std::move(body);
  return p;
}

AttachmentClass Class(std::string type, std::string filename, std::string body = "") {
  return ClassifyAttachment(Part(std::move(type), std::move(filename), std::move(body)));
}

TEST(AttachmentClassTest, ByExtensionTypeAndBytes) {
  EXPECT_EQ(Class("application/octet-stream", "Invoice.PDF.exe. "), AttachmentClass::kExecutable);
  EXPECT_EQ(Class("application/x-msdownload", ""), AttachmentClass::kExecutable);
  EXPECT_EQ(Class("application/octet-stream", "", "MZ\x90"), AttachmentClass::kExecutable);
  EXPECT_EQ(Class("application/octet-stream", "a.xlsm"), AttachmentClass::kMacroOffice);
  EXPECT_EQ(Class("application/vnd.ms-excel.sheet.macroEnabled.12", "a"),
            AttachmentClass::kMacroOffice);
  EXPECT_EQ(Class("application/octet-stream", "a.RAR"), AttachmentClass::kArchive);
  EXPECT_EQ(Class("application/x-7z-compressed", "a.bin"), AttachmentClass::kArchive);
  EXPECT_EQ(Class("application/octet-stream", "", std::string("\x1f\x8b\x08", 3)),
            AttachmentClass::kArchive);
  // A .docx is a zip, and not an archive.
  EXPECT_EQ(Class("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "a.docx", std::string("PK\x03\x04\x14\x00\x00\x00", 8)),
            AttachmentClass::kNone);
  EXPECT_EQ(Class("application/pdf", "a.pdf", "%PDF"), AttachmentClass::kNone);
}

TEST(AttachmentClassTest, EncryptedZip) {
  std::string local("PK\x03\x04\x14\x00\x01\x00", 8);
  EXPECT_EQ(Class("application/zip", "a.zip", local), AttachmentClass::kEncryptedArchive);
  std::string central = std::string("PK\x03\x04\x14\x00\x00\x00", 8) + "data" +
                        std::string("PK\x01\x02\x14\x00\x14\x00\x09\x00", 10);
  EXPECT_EQ(Class("application/zip", "a.zip", central), AttachmentClass::kEncryptedArchive);
  EXPECT_EQ(Class("application/zip", "a.zip", std::string("PK\x03\x04\x14\x00\x00\x00", 8)),
            AttachmentClass::kArchive);
  EXPECT_EQ(Class("application/zip", "a.zip", std::string("PK\x03\x04\x14\x00", 6)),
            AttachmentClass::kArchive);  // cut short
}

TEST(AttachmentClassTest, WhatIsAnAttachment) {
  MimePart text = Part("text/plain", "", "hi");
  EXPECT_FALSE(IsAttachment(text));
  text.disposition = ParseMimeValue("attachment");
  EXPECT_TRUE(IsAttachment(text));
  EXPECT_TRUE(IsAttachment(Part("image/png", "logo.png", "")));
  EXPECT_FALSE(IsAttachment(Part("image/png", "", "")));
  EXPECT_TRUE(IsAttachment(Part("application/pdf", "", "")));
  EXPECT_TRUE(IsRiskyAttachment(AttachmentClass::kEncryptedArchive));
  EXPECT_FALSE(IsRiskyAttachment(AttachmentClass::kArchive));
}

}  // namespace
}  // namespace mailrep
