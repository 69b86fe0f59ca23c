#include "collectors/content/message_analysis.h"

#include <gtest/gtest.h>

#include "collectors/auth/psl_testing.h"
#include "collectors/content/message_check_command.h"
#include "exporter/util/testing/source_file.h"

namespace mailrep {
namespace {

std::string Testdata(const std::string& name) {
  return testing::ReadSourceFile("collectors/content/testdata/" + name);
}

MessageFindings Analyze(const std::string& name, ContentOptions options = {}) {
  std::string message = Testdata(name);
  EXPECT_FALSE(message.empty()) << name;
  return AnalyzeMessage(message, *TestPsl(), options);
}

std::string Json(const MessageFindings& f) { return MessageCheckJson(f, {}); }

// Each message of the corpus (testdata/make_testdata.py), its findings as
// `check message --format json` prints them without DNS, and whether that
// is a problem.
struct Case {
  const char* file;
  const char* json;
  bool problem;
};

const Case kCorpus[] = {
    {"transactional.eml",
     R"({"bulk": false, "links": {"domains": 2, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, "format_problems": [], )"
     R"("attachments": [], "size": 413})",
     false},
    {"bulk_one_click.eml",
     R"({"bulk": true, "links": {"domains": 1, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": true, )"
     R"("one_click": true, "https": true, "dkim_covers": true}, "format_problems": [], )"
     R"("attachments": [], "size": 659})",
     false},
    {"bulk_exim_dkim.eml",
     R"({"bulk": true, "links": {"domains": 0, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": true, )"
     R"("one_click": true, "https": true, "dkim_covers": false}, "format_problems": [], )"
     R"("attachments": [], "size": 478})",
     true},
    {"bulk_http_one_click.eml",
     R"({"bulk": true, "links": {"domains": 0, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": true, )"
     R"("one_click": true, "https": false, "dkim_covers": null}, "format_problems": [], )"
     R"("attachments": [], "size": 323})",
     true},
    {"bulk_no_unsubscribe.eml",
     R"({"bulk": true, "links": {"domains": 0, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, "format_problems": [], )"
     R"("attachments": [], "size": 246})",
     true},
    {"html_links.eml",
     R"({"bulk": false, "links": {"domains": 3, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, "format_problems": [], )"
     R"("attachments": [], "size": 886})",
     false},
    {"nested_attachments.eml",
     R"({"bulk": false, "links": {"domains": 0, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, "format_problems": [], )"
     R"("attachments": [{"class": "executable"}, {"class": "macro_office"}, {"class": "archive"}, )"
     R"({"class": "encrypted_archive"}, {"class": "none"}], "size": 1792})",
     true},
    {"broken_boundary.eml",
     R"({"bulk": false, "links": {"domains": 1, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, )"
     R"("format_problems": ["mime_boundary_not_found"], "attachments": [], "size": 342})",
     true},
    {"unclosed_boundary.eml",
     R"({"bulk": false, "links": {"domains": 2, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, )"
     R"("format_problems": ["mime_not_closed"], "attachments": [], "size": 398})",
     true},
    {"deep_nesting.eml",
     R"({"bulk": false, "links": {"domains": 0, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, )"
     R"("format_problems": ["mime_too_deep"], "attachments": [], "size": 856})",
     true},
    {"format_problems.eml",
     R"({"bulk": false, "links": {"domains": 0, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, "format_problems": )"
     R"(["from_repeated", "date_missing", "message_id_missing", "field_repeated", )"
     R"("header_syntax", "line_too_long", "bare_lf"], "attachments": [], "size": 1365})",
     true},
    {"eight_bit_lf.eml",
     R"({"bulk": false, "links": {"domains": 2, "unconvertible": 0, "listed": []}, "unsubscribe": {"present": false, )"
     R"("one_click": false, "https": false, "dkim_covers": null}, "format_problems": [], )"
     R"("attachments": [], "size": 371})",
     false},
    {"idn_links.eml",
     R"({"bulk": false, "links": {"domains": 2, "unconvertible": 1, "listed": []}, )"
     R"("unsubscribe": {"present": false, "one_click": false, "https": false, )"
     R"("dkim_covers": null}, "format_problems": [], "attachments": [], "size": 542})",
     false},
};

TEST(MessageAnalysisTest, Corpus) {
  for (const Case& c : kCorpus) {
    SCOPED_TRACE(c.file);
    MessageFindings f = Analyze(c.file);
    EXPECT_EQ(Json(f), c.json);
    EXPECT_EQ(HasContentProblem(f), c.problem);
  }
}

TEST(MessageAnalysisTest, LinkDomainsAreRegistrableAndUnique) {
  EXPECT_EQ(Analyze("transactional.eml").link_domains,
            (std::vector<std::string>{"example.com", "example.co.uk"}));
  EXPECT_EQ(Analyze("html_links.eml").link_domains,
            (std::vector<std::string>{"example.com", "example.net", "example.org"}));
  EXPECT_EQ(Analyze("listed_links.eml").link_domains,
            (std::vector<std::string>{"dbl-listed.com", "uribl-listed.net", "surbl-listed.org",
                                      "refused-dbl.com", "refused-uribl.com", "refused-surbl.com",
                                      "clean-site.com"}));
  // Unicode hosts as A-labels; the snowman host has none and is counted.
  EXPECT_EQ(Analyze("eight_bit_lf.eml").link_domains,
            (std::vector<std::string>{"example.de", "example.com"}));
  MessageFindings idn = Analyze("idn_links.eml");
  EXPECT_EQ(idn.link_domains, (std::vector<std::string>{"xn--bcher-kva.com", "clean-site.com"}));
  EXPECT_EQ(idn.unconvertible_link_hosts, 1u);
  ContentOptions few;
  few.max_link_domains = 2;
  MessageFindings capped = Analyze("listed_links.eml", few);
  EXPECT_EQ(capped.link_domains.size(), 2u);
  EXPECT_TRUE(capped.links_capped);
}

TEST(MessageAnalysisTest, AttachmentSizes) {
  MessageFindings f = Analyze("nested_attachments.eml");
  ASSERT_EQ(f.attachments.size(), 5u);
  EXPECT_EQ(f.attachments[0].size, 64u);  // the MZ stub
  EXPECT_EQ(f.attachments[4].size, 15u);  // the PDF header
}

TEST(MessageAnalysisTest, ConfiguredBulkHeader) {
  std::string mail = "From: a@example.com\nX-Campaign: 7\n\nhi\n";
  EXPECT_FALSE(AnalyzeMessage(mail, *TestPsl()).bulk);
  ContentOptions options;
  options.bulk_header = "x-campaign";
  EXPECT_TRUE(AnalyzeMessage(mail, *TestPsl(), options).bulk);
}

TEST(MessageAnalysisTest, OverTheSizeCapNothingIsRead) {
  ContentOptions options;
  options.max_message_bytes = 10;
  MessageFindings f =
      AnalyzeMessage("From: a@example.com\n\nhttps://x.example.com/\n", *TestPsl(), options);
  EXPECT_TRUE(f.too_large);
  EXPECT_EQ(f.size, 44u);
  EXPECT_TRUE(f.link_domains.empty());
  EXPECT_TRUE(f.format_problems.empty());
}

TEST(MessageAnalysisTest, HugeLinesAndManyLinksStayBounded) {
  std::string body;
  for (int i = 0; i < 5000; ++i)
    body += "https://h" + std::to_string(i) + ".example" + std::to_string(i) + ".com/ ";
  std::string mail = "From: a@example.com\r\nDate: x\r\nMessage-ID: <1@x>\r\n\r\n" + body + "\r\n";
  MessageFindings f = AnalyzeMessage(mail, *TestPsl());
  EXPECT_EQ(f.link_domains.size(), 50u);
  EXPECT_TRUE(f.links_capped);
  EXPECT_EQ(f.format_problems, std::vector<FormatProblem>{FormatProblem::kLineTooLong});
}

}  // namespace
}  // namespace mailrep
