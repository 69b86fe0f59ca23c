#include "collectors/reports/xml_subset_scanner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "collectors/reports/dmarc_aggregate_report.h"
#include "collectors/reports/report_reader.h"
#include "collectors/reports/report_testdata.h"
#include "collectors/reports/xml_subset_differential.h"
#include "exporter/util/testing/source_file.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ExpatXmlEvents;
using testing::SameRead;
using testing::SubsetXmlEvents;

// The subset's result, whole and in pieces of 1 to 7 and 64 bytes, must be
// one: declined everywhere, or the same events everywhere, and those expat's.
// Returns whether it was taken.
bool CheckAgainstExpat(std::string_view xml) {
  std::optional<std::string> whole = SubsetXmlEvents(xml, xml.size());
  for (size_t piece : {1, 2, 3, 4, 5, 6, 7, 64}) {
    EXPECT_EQ(SubsetXmlEvents(xml, piece), whole) << "pieces of " << piece << ": " << xml;
  }
  if (!whole) return false;
  std::optional<std::string> expat = ExpatXmlEvents(xml);
  EXPECT_TRUE(expat.has_value()) << "expat refuses what the subset took: " << xml;
  EXPECT_EQ(expat, whole) << xml;
  return true;
}

TEST(XmlSubsetScannerTest, TakesWhatMachinesWrite) {
  for (const char* xml : {
           "<a/>",
           "<a></a>",
           "<?xml version=\"1.0\"?><a/>",
           "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<a>x</a>\n",
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<feedback>\r\n "
           "<b>1\r2\r\n3</b>\r\n</feedback>",
           "<a><b>x &lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x000a;&#13;&#9;</b></a>",
           "<a >t]x]]y]</a >",
           "<a b='1' c=\"2\"  d = \"x>y\"/>",
           "<a xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><b/>text</a>",
           "<a xmlns=\"\"><b/></a>",
           "<feedback xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
           "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
           "xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><x/></feedback>",
           "<A_b.c-9><_/></A_b.c-9>",
           " \n\t<a>\x7e</a> \r\n",
       }) {
    EXPECT_TRUE(CheckAgainstExpat(xml)) << "declined: " << xml;
  }
}

TEST(XmlSubsetScannerTest, DeclinesTheRest) {
  for (const char* xml : {
           "",
           " ",
           "<a>",
           "<a></b>",
           "<a/><b/>",
           "<a/>x",
           "x<a/>",
           "<a>&#x41</a>",
           "<!DOCTYPE a><a/>",
           "<!-- c --><a/>",
           "<a><!-- c --></a>",
           "<a><![CDATA[x]]></a>",
           "<a><?pi x?></a>",
           "<?pi x?><a/>",
           "<?xml-stylesheet href=\"x\"?><a/>",
           " <?xml version=\"1.0\"?><a/>",
           "<?xml version=\"1.1\"?><a/>",
           "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
           "<?xml version=\"1.0\" standalone=\"maybe\"?><a/>",
           "<?xml encoding=\"UTF-8\" version=\"1.0\"?><a/>",
           "\xEF\xBB\xBF<a/>",
           "<a>caf\xC3\xA9</a>",
           "<a>\x01</a>",
           "<a>\x7f</a>",
           "<a>&nbsp;</a>",
           "<a>&#128;</a>",
           "<a>&#0;</a>",
           "<a>&#X41;</a>",
           "<a>x]]>y</a>",
           "<p:a xmlns:p=\"u\"/>",
           "<a p:b=\"1\" xmlns:p=\"u\"/>",
           "<a xmlns:p=\"\"/>",
           "<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>",
           "<a xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>",
           "<a xmlns=\"http://www.w3.org/XML/1998/namespace\"/>",
           "<a><b xmlns=\"u\"/></a>",
           "<a b=\"1\" b=\"2\"/>",
           "<a b=\"1\"c=\"2\"/>",
           "<a b=1/>",
           "<a b=\"x&amp;y\"/>",
           "<a b=\"x\ty\"/>",
           "<a b=\"<\"/>",
           "<a 1=\"x\"/>",
           "<1a/>",
           "<a/ >",
           "< a/>",
           "<a a1='' a2='' a3='' a4='' a5='' a6='' a7='' a8='' a9=''/>",
       }) {
    EXPECT_FALSE(CheckAgainstExpat(xml)) << "taken: " << xml;
  }
}

// Corners where taking or declining are both right, as long as what is
// taken reads as expat reads it.
TEST(XmlSubsetScannerTest, OdditiesAgreeWithExpat) {
  for (const char* xml : {
           "<xmlns/>",
           "<xml/>",
           "<xmlfoo><xml.a/></xmlfoo>",
           "<a xmlns:xsi='u' xsi='1'/>",
           "<a xmlnsx='1'/>",
           "<a xml='1'/>",
           "<a xmlns='u' xmlns:p='u'/>",
           "<a xmlns:p='u' xmlns:q='u'/>",
           "<a xmlns:p='u' xmlns:p='v'/>",
           "<a xmlns:XML='u'/>",
           "<a xmlns:Xmlx='u'/>",
           "<a xmlns='http://www.w3.org/2000/xmlns/'/>",
           "<a xmlns:p='http://www.w3.org/XML/1998/namespacex'/>",
           "<a xmlns='a|b'><b/></a>",
           "<a xmlns=''/>",
           "<a>&#x9;&#xD;&#xa;&#32;&#126;&#127;</a>",
           "<a>&#00000065;&#x0000041;</a>",
           "<a>]</a>",
           "<a>]]</a>",
           "<a>]]]></a>",
           "<a>\r</a>",
           "<a>\r\r\n\n</a>",
           "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?><a/>",
           "<?xml version=\"1.0\" standalone=\"yes\"?><a/>",
           "<?xml version=\"1.0\" ?><a/>",
           "<?xml version=\"1.0\"?>",
           "<?xml  version=\"1.0\"?><a/>",
           "<?xml\tversion=\"1.0\"?><a/>",
           "<?xml version=\"1.0\"encoding=\"UTF-8\"?><a/>",
           "<a\n b\n=\n'1'\n/>",
           "<a></a\n>",
       }) {
    CheckAgainstExpat(xml);
  }
}

TEST(XmlSubsetScannerTest, HandlerStops) {
  struct StopAtText : XmlSubsetHandler {
    int calls = 0;
    bool OnStart(std::string_view, std::string_view) override { return ++calls, true; }
    bool OnText(std::string_view) override { return ++calls, false; }
    bool OnEnd() override { return ++calls, true; }
  } handler;
  XmlSubsetScanner scanner(&handler);
  EXPECT_FALSE(scanner.Feed("<a>x</a><b/>"));
  EXPECT_FALSE(scanner.Finish());
  EXPECT_EQ(handler.calls, 2);
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const char* dir : {"collectors/reports/testdata", "collectors/reports/fuzz_corpus"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(testing::SourcePath(dir))) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
  }
  return files;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The test corpus (fixtures and fuzz seeds): the subset's events are expat's
// or it declines, and ReadReport reads every file the same both ways.
TEST(XmlSubsetScannerTest, CorpusReadsAsWithExpat) {
  std::vector<std::string> files = CorpusFiles();
  ASSERT_GT(files.size(), 20u);
  int taken = 0;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    std::string bytes = ReadWhole(path);
    if (LooksLikeXml(bytes)) taken += CheckAgainstExpat(bytes);
    StatusOr<ParsedReport> fast = ReadReport(bytes, {}, ReportXmlPath::kSubsetFirst);
    StatusOr<ParsedReport> expat = ReadReport(bytes, {}, ReportXmlPath::kExpatOnly);
    EXPECT_TRUE(SameRead(fast, expat));
  }
  EXPECT_GE(taken, 3);  // google_like, microsoft_like, regression_auth_without_dkim
}

// Generated reports (as the benchmark's, with CR LF, references, namespaces
// and broken variants mixed in), bare and gzip'd: the same reports both ways,
// and the fast reader takes the plain ones itself.
TEST(XmlSubsetScannerTest, GeneratedReportsReadAsWithExpat) {
  std::mt19937 rng(7);
  int taken = 0;
  for (int n = 0; n < 200; ++n) {
    std::string nl = n % 3 == 0 ? "\r\n" : "\n";
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + nl + "<feedback" +
                      (n % 4 == 1 ? " xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"" : "") +
                      "><report_metadata><org_name>Org &amp; Co</org_name><report_id>r" +
                      std::to_string(n) +
                      "</report_id><date_range><begin>100</begin><end>200</end></date_range>"
                      "</report_metadata><policy_published><domain>example.com</domain><p>none"
                      "</p></policy_published>" +
                      nl;
    int records = 1 + static_cast<int>(rng() % 300);
    for (int r = 0; r < records; ++r) {
      uint32_t pick = rng();
      xml += "<record><row><source_ip>192.0.2." + std::to_string(pick % 250) +
             "</source_ip><count>" + std::to_string(1 + pick % 900) +
             "</count><policy_evaluated><disposition>none</disposition><dkim>" +
             ((pick >> 9) % 3 ? "pass" : "FAIL") +
             "</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>"
             "example.com</header_from></identifiers><auth_results><dkim><domain>example.com"
             "</domain><selector>s&#49;</selector><result>pass</result></dkim><spf><domain>"
             "example.com</domain><result>pass</result></spf></auth_results></record>" +
             nl;
    }
    xml += "</feedback>" + nl;
    size_t middle = xml.find("<record>", xml.size() / 2);
    if (middle == std::string::npos) middle = xml.find("</feedback>");
    if (n % 10 == 9) xml.insert(middle, "<!-- a comment -->");
    if (n % 10 == 8) xml.insert(middle, "</bad>");
    if (n % 10 == 7) xml.replace(xml.find("Org"), 3, "Org\xC3\xA9");
    bool plain = n % 10 < 7;
    if (plain) {
      StatusOr<DmarcAggregateReport> subset =
          ParseDmarcAggregateReport(xml, 100000, DmarcXmlReader::kSubset);
      EXPECT_OK(subset) << n;
      taken += subset.ok();
    }
    for (const std::string& file : {xml, testing::DeflateForTest(xml, 31, 1)}) {
      StatusOr<ParsedReport> fast = ReadReport(file, {}, ReportXmlPath::kSubsetFirst);
      StatusOr<ParsedReport> expat = ReadReport(file, {}, ReportXmlPath::kExpatOnly);
      EXPECT_EQ(fast.ok(), n % 10 != 8) << n;
      EXPECT_TRUE(SameRead(fast, expat)) << n;
    }
  }
  EXPECT_EQ(taken, 140);
}

}  // namespace
}  // namespace mailrep
