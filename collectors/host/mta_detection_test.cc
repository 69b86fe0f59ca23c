#include "collectors/host/mta_detection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collectors/host/test_tree.h"

namespace mailrep {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kDpkgStatus[] =
    "Package: postfix\nStatus: install ok installed\nVersion: 3.7.11-0+deb12u1\n\n"
    "Package: exim4-daemon-heavy\nStatus: install ok installed\nVersion: 4.96-15+deb12u4\n\n"
    "Package: notqmail\nStatus: deinstall ok config-files\nVersion: 1.09-1\n";

// Postfix with a default instance and two postmulti instances.
void AddPostfix(const TestTree& t) {
  t.File("/etc/postfix/main.cf",
         "# default instance\n"
         "myhostname = mx.example.test\n"
         "multi_instance_wrapper = ${command_directory}/postmulti -p --\n"
         "multi_instance_enable = yes\n"
         "multi_instance_directories = /etc/postfix-out,\n"
         "    /etc/postfix-in\n");
  t.Dir("/var/spool/postfix");
  t.File("/etc/postfix-out/main.cf",
         "queue_directory = /var/spool/postfix-out\n"
         "data_directory = /var/lib/postfix-out\n"
         "multi_instance_name = postfix-out\n"
         "multi_instance_enable = yes\n");
  t.Dir("/var/spool/postfix-out");
  // No multi_instance_name: named after its config directory.
  t.File("/etc/postfix-in/main.cf",
         "spool_base = /var/spool\n"
         "queue_directory = $spool_base/postfix-in\n"
         "syslog_name = postfix-inbound\n");
  t.Dir("/var/spool/postfix-in");
}

TEST(MtaDetectionTest, NothingInstalled) {
  TestTree t;
  MtaDetection d = DetectMtasWithReport(t.root());
  EXPECT_THAT(d.found, IsEmpty());
  EXPECT_THAT(d.warnings, IsEmpty());
  EXPECT_THAT(
      d.skipped,
      ElementsAre(MtaDetectionNote{"postfix", "", "/etc/postfix/main.cf absent"},
                  MtaDetectionNote{"exim", "", "/var/spool/exim4 absent, /var/spool/exim absent"},
                  MtaDetectionNote{"sendmail", "",
                                   "/var/spool/mqueue absent, /var/spool/clientmqueue absent, "
                                   "/var/spool/mqueue-client absent"},
                  MtaDetectionNote{"qmail", "", "/var/qmail/queue absent"},
                  MtaDetectionNote{"opensmtpd", "", "/var/spool/smtpd absent"}));
  EXPECT_THAT(DetectMtas(t.root()), IsEmpty());
}

TEST(MtaDetectionTest, PostfixWithTwoPostmultiInstances) {
  TestTree t;
  AddPostfix(t);
  t.File("/var/lib/dpkg/status", kDpkgStatus);
  MtaDetection d = DetectMtasWithReport(t.root());
  const std::string v = "3.7.11-0+deb12u1";
  EXPECT_THAT(d.found,
              ElementsAre(DetectedMta{"postfix", "default", "/var/spool/postfix", "/etc/postfix", v,
                                      "postfix"},
                          DetectedMta{"postfix", "postfix-out", "/var/spool/postfix-out",
                                      "/etc/postfix-out", v, "postfix-out"},
                          DetectedMta{"postfix", "/etc/postfix-in", "/var/spool/postfix-in",
                                      "/etc/postfix-in", v, "postfix-inbound"}));
  EXPECT_THAT(d.warnings, IsEmpty());
  EXPECT_EQ(d.skipped.size(), 4u);  // every other MTA
}

TEST(MtaDetectionTest, PostfixQueueDirectoryFromMainCf) {
  TestTree t;
  t.File("/etc/postfix/main.cf", "queue_directory = /srv/postfix-queue\n");
  t.Dir("/srv/postfix-queue");
  t.Dir("/var/spool/postfix");  // the default, not used
  std::vector<DetectedMta> found = DetectMtas(t.root());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].queue_directory, "/srv/postfix-queue");
  EXPECT_EQ(found[0].version, "unknown");
}

TEST(MtaDetectionTest, PostfixInstanceProblemsAreSkippedWithReasons) {
  TestTree t;
  t.File("/etc/postfix/main.cf",
         "multi_instance_directories = /etc/postfix-gone /etc/postfix-noqueue relative "
         "/etc/postfix-dup /etc/postfix-dir\n");
  t.Dir("/var/spool/postfix");
  t.File("/etc/postfix-noqueue/main.cf", "queue_directory = /var/spool/postfix-noqueue\n");
  t.File("/etc/postfix-dup/main.cf", "multi_instance_name = postfix-dup\n");
  t.Dir("/etc/postfix-dir/main.cf");  // a directory where main.cf should be: unreadable
  MtaDetection d = DetectMtasWithReport(t.root());
  ASSERT_EQ(d.found.size(), 1u);
  EXPECT_EQ(d.found[0].instance, "default");
  std::vector<MtaDetectionNote> postfix_notes;
  for (const auto& n : d.skipped) {
    if (n.mta == "postfix") postfix_notes.push_back(n);
  }
  EXPECT_THAT(
      postfix_notes,
      ElementsAre(
          MtaDetectionNote{"postfix", "/etc/postfix-gone",
                           "cannot read /etc/postfix-gone/main.cf: No such file or directory"},
          MtaDetectionNote{"postfix", "/etc/postfix-noqueue", "/var/spool/postfix-noqueue absent"},
          MtaDetectionNote{"postfix", "relative",
                           "multi_instance_directories entry is not an absolute path"},
          MtaDetectionNote{"postfix", "postfix-dup",
                           "queue_directory /var/spool/postfix is also instance default's"},
          MtaDetectionNote{"postfix", "/etc/postfix-dir",
                           "cannot read /etc/postfix-dir/main.cf: not a regular file"}));
}

TEST(MtaDetectionTest, UnreadableMainCfFallsBackToDefaults) {
  TestTree t;
  t.Dir("/etc/postfix/main.cf");  // unreadable as a file, even for root
  t.Dir("/var/spool/postfix");
  t.Dir("/var/lib/dpkg/status");  // likewise
  MtaDetection d = DetectMtasWithReport(t.root());
  ASSERT_EQ(d.found.size(), 1u);
  EXPECT_EQ(d.found[0].queue_directory, "/var/spool/postfix");
  EXPECT_EQ(d.found[0].version, "unknown");
  EXPECT_THAT(d.warnings,
              ElementsAre(MtaDetectionNote{"dpkg", "",
                                           "cannot read /var/lib/dpkg/status: not a regular "
                                           "file; versions unknown"},
                          MtaDetectionNote{"postfix", "default",
                                           "cannot read /etc/postfix/main.cf: not a regular "
                                           "file; assuming default settings"}));
}

TEST(MtaDetectionTest, PermissionDeniedIsAWarning) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads mode 000 files";
  TestTree t;
  t.File("/etc/postfix/main.cf", "queue_directory = /srv/q\n");
  chmod((t.root() + "/etc/postfix/main.cf").c_str(), 0);
  t.Dir("/var/spool/postfix");
  MtaDetection d = DetectMtasWithReport(t.root());
  ASSERT_EQ(d.found.size(), 1u);
  EXPECT_EQ(d.found[0].queue_directory, "/var/spool/postfix");
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_EQ(d.warnings[0].message,
            "cannot read /etc/postfix/main.cf: Permission denied; assuming default settings");
}

TEST(MtaDetectionTest, EximDebianSpool) {
  TestTree t;
  t.Dir("/var/spool/exim4/input");
  t.Dir("/etc/exim4");
  t.File("/var/lib/dpkg/status", kDpkgStatus);
  EXPECT_THAT(DetectMtas(t.root()), ElementsAre(DetectedMta{"exim", "default", "/var/spool/exim4",
                                                            "/etc/exim4", "4.96-15+deb12u4", ""}));
}

TEST(MtaDetectionTest, EximUpstreamSpoolAndConfiguredSpool) {
  TestTree t;
  t.Dir("/var/spool/exim");
  EXPECT_THAT(DetectMtas(t.root()),
              ElementsAre(DetectedMta{"exim", "default", "/var/spool/exim", "", "unknown", ""}));
  t.File("/etc/exim/configure", "spool_directory = /srv/exim-spool\nbegin routers\n");
  t.Dir("/srv/exim-spool");
  EXPECT_THAT(DetectMtas(t.root()), ElementsAre(DetectedMta{"exim", "default", "/srv/exim-spool",
                                                            "/etc/exim", "unknown", ""}));
}

TEST(MtaDetectionTest, QmailVersionUnknownWhenPackageRemoved) {
  TestTree t;
  t.Dir("/var/qmail/queue/mess");
  t.Dir("/var/qmail/control");
  t.File("/var/lib/dpkg/status", kDpkgStatus);  // notqmail only has config files left
  EXPECT_THAT(DetectMtas(t.root()), ElementsAre(DetectedMta{"qmail", "default", "/var/qmail/queue",
                                                            "/var/qmail/control", "unknown", ""}));
}

TEST(MtaDetectionTest, SendmailQueues) {
  TestTree t;
  t.Dir("/var/spool/mqueue");
  t.Dir("/var/spool/mqueue-client");
  t.Dir("/etc/mail");
  t.File("/var/lib/dpkg/status",
         "Package: sendmail-bin\nStatus: install ok installed\nVersion: 8.17.1.9-2\n");
  EXPECT_THAT(DetectMtas(t.root()),
              ElementsAre(DetectedMta{"sendmail", "default", "/var/spool/mqueue", "/etc/mail",
                                      "8.17.1.9-2", ""},
                          DetectedMta{"sendmail", "client", "/var/spool/mqueue-client", "/etc/mail",
                                      "8.17.1.9-2", ""}));
}

TEST(MtaDetectionTest, SendmailQueueDirectoryFromSendmailCf) {
  TestTree t;
  t.File("/etc/mail/sendmail.cf", "O QueueDirectory=/srv/mqueue/qd*\n");
  t.Dir("/srv/mqueue/qd1");
  MtaDetection d = DetectMtasWithReport(t.root());
  ASSERT_EQ(d.found.size(), 1u);
  EXPECT_EQ(d.found[0].queue_directory, "/srv/mqueue");
  EXPECT_THAT(d.skipped, testing::Contains(MtaDetectionNote{
                             "sendmail", "client",
                             "/var/spool/clientmqueue absent, /var/spool/mqueue-client absent"}));
}

TEST(MtaDetectionTest, OpenSmtpd) {
  TestTree t;
  t.Dir("/var/spool/smtpd/queue");
  t.File("/etc/smtpd.conf", "listen on localhost\n");
  EXPECT_THAT(
      DetectMtas(t.root()),
      ElementsAre(DetectedMta{"opensmtpd", "default", "/var/spool/smtpd", "/etc", "unknown", ""}));
}

TEST(MtaDetectionTest, QueuePathThatIsAFileIsSkipped) {
  TestTree t;
  t.File("/var/qmail/queue", "not a directory\n");
  MtaDetection d = DetectMtasWithReport(t.root());
  EXPECT_THAT(d.found, IsEmpty());
  EXPECT_THAT(d.skipped,
              testing::Contains(MtaDetectionNote{"qmail", "", "/var/qmail/queue not a directory"}));
}

TEST(MtaDetectionTest, DescribeForTheStartupLog) {
  TestTree t;
  AddPostfix(t);
  t.File("/var/lib/dpkg/status", kDpkgStatus);
  std::vector<std::string> lines = DescribeMtaDetection(DetectMtasWithReport(t.root()));
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0],
            "found postfix instance default at /var/spool/postfix (version "
            "3.7.11-0+deb12u1)");
  EXPECT_EQ(lines[3], "no exim: /var/spool/exim4 absent, /var/spool/exim absent");
  MtaDetection with_warning;
  with_warning.warnings.push_back({"dpkg", "", "cannot read x"});
  with_warning.skipped.push_back({"postfix", "p2", "/q absent"});
  EXPECT_THAT(DescribeMtaDetection(with_warning),
              ElementsAre("no postfix instance p2: /q absent", "dpkg: warning: cannot read x"));
}

}  // namespace
}  // namespace mailrep
