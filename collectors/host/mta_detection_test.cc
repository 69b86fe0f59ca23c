#include "collectors/host/mta_detection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kDpkgStatus[] =
    "Package: postfix\nStatus: install ok installed\nVersion: 3.7.11-0+deb12u1\n\n"
    "Package: exim4-daemon-heavy\nStatus: install ok installed\nVersion: 4.96-15+deb12u4\n\n"
    "Package: notqmail\nStatus: deinstall ok config-files\nVersion: 1.09-1\n";

// Postfix with a default instance and two postmulti instances.
void AddPostfix(const ScopedTempDir& t) {
  t.WriteFile("/etc/postfix/main.cf",
              "# default instance\n"
              "myhostname = mx.example.test\n"
              "multi_instance_wrapper = ${command_directory}/postmulti -p --\n"
              "multi_instance_enable = yes\n"
              "multi_instance_directories = /etc/postfix-out,\n"
              "    /etc/postfix-in\n");
  t.MakeDir("/var/spool/postfix");
  t.WriteFile("/etc/postfix-out/main.cf",
              "queue_directory = /var/spool/postfix-out\n"
              "data_directory = /var/lib/postfix-out\n"
              "multi_instance_name = postfix-out\n"
              "multi_instance_enable = yes\n");
  t.MakeDir("/var/spool/postfix-out");
  // No multi_instance_name: named after its config directory.
  t.WriteFile("/etc/postfix-in/main.cf",
              "spool_base = /var/spool\n"
              "queue_directory = $spool_base/postfix-in\n"
              "syslog_name = postfix-inbound\n");
  t.MakeDir("/var/spool/postfix-in");
}

TEST(MtaDetectionTest, NothingInstalled) {
  ScopedTempDir t;
  MtaDetection d = DetectMtasWithReport(t.path());
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
  EXPECT_THAT(DetectMtas(t.path()), IsEmpty());
}

TEST(MtaDetectionTest, PostfixWithTwoPostmultiInstances) {
  ScopedTempDir t;
  AddPostfix(t);
  t.WriteFile("/var/lib/dpkg/status", kDpkgStatus);
  MtaDetection d = DetectMtasWithReport(t.path());
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
  ScopedTempDir t;
  t.WriteFile("/etc/postfix/main.cf", "queue_directory = /srv/postfix-queue\n");
  t.MakeDir("/srv/postfix-queue");
  t.MakeDir("/var/spool/postfix");  // the default, not used
  std::vector<DetectedMta> found = DetectMtas(t.path());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].queue_directory, "/srv/postfix-queue");
  EXPECT_EQ(found[0].version, "unknown");
}

TEST(MtaDetectionTest, PostfixInstanceProblemsAreSkippedWithReasons) {
  ScopedTempDir t;
  t.WriteFile("/etc/postfix/main.cf",
              "multi_instance_directories = /etc/postfix-gone /etc/postfix-noqueue relative "
              "/etc/postfix-dup /etc/postfix-dir\n");
  t.MakeDir("/var/spool/postfix");
  t.WriteFile("/etc/postfix-noqueue/main.cf", "queue_directory = /var/spool/postfix-noqueue\n");
  t.WriteFile("/etc/postfix-dup/main.cf", "multi_instance_name = postfix-dup\n");
  t.MakeDir("/etc/postfix-dir/main.cf");  // a directory where main.cf should be: unreadable
  MtaDetection d = DetectMtasWithReport(t.path());
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
  ScopedTempDir t;
  t.MakeDir("/etc/postfix/main.cf");  // unreadable as a file, even for root
  t.MakeDir("/var/spool/postfix");
  t.MakeDir("/var/lib/dpkg/status");  // likewise
  MtaDetection d = DetectMtasWithReport(t.path());
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
  ScopedTempDir t;
  t.WriteFile("/etc/postfix/main.cf", "queue_directory = /srv/q\n");
  chmod((t.path() + "/etc/postfix/main.cf").c_str(), 0);
  t.MakeDir("/var/spool/postfix");
  MtaDetection d = DetectMtasWithReport(t.path());
  ASSERT_EQ(d.found.size(), 1u);
  EXPECT_EQ(d.found[0].queue_directory, "/var/spool/postfix");
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_EQ(d.warnings[0].message,
            "cannot read /etc/postfix/main.cf: Permission denied; assuming default settings");
}

TEST(MtaDetectionTest, EximDebianSpool) {
  ScopedTempDir t;
  t.MakeDir("/var/spool/exim4/input");
  t.MakeDir("/etc/exim4");
  t.WriteFile("/var/lib/dpkg/status", kDpkgStatus);
  EXPECT_THAT(DetectMtas(t.path()), ElementsAre(DetectedMta{"exim", "default", "/var/spool/exim4",
                                                            "/etc/exim4", "4.96-15+deb12u4", ""}));
}

TEST(MtaDetectionTest, EximUpstreamSpoolAndConfiguredSpool) {
  ScopedTempDir t;
  t.MakeDir("/var/spool/exim");
  EXPECT_THAT(DetectMtas(t.path()),
              ElementsAre(DetectedMta{"exim", "default", "/var/spool/exim", "", "unknown", ""}));
  t.WriteFile("/etc/exim/configure", "spool_directory = /srv/exim-spool\nbegin routers\n");
  t.MakeDir("/srv/exim-spool");
  EXPECT_THAT(DetectMtas(t.path()), ElementsAre(DetectedMta{"exim", "default", "/srv/exim-spool",
                                                            "/etc/exim", "unknown", ""}));
}

TEST(MtaDetectionTest, QmailVersionUnknownWhenPackageRemoved) {
  ScopedTempDir t;
  t.MakeDir("/var/qmail/queue/mess");
  t.MakeDir("/var/qmail/control");
  t.WriteFile("/var/lib/dpkg/status", kDpkgStatus);  // notqmail only has config files left
  EXPECT_THAT(DetectMtas(t.path()), ElementsAre(DetectedMta{"qmail", "default", "/var/qmail/queue",
                                                            "/var/qmail/control", "unknown", ""}));
}

TEST(MtaDetectionTest, SendmailQueues) {
  ScopedTempDir t;
  t.MakeDir("/var/spool/mqueue");
  t.MakeDir("/var/spool/mqueue-client");
  t.MakeDir("/etc/mail");
  t.WriteFile("/var/lib/dpkg/status",
              "Package: sendmail-bin\nStatus: install ok installed\nVersion: 8.17.1.9-2\n");
  EXPECT_THAT(DetectMtas(t.path()),
              ElementsAre(DetectedMta{"sendmail", "default", "/var/spool/mqueue", "/etc/mail",
                                      "8.17.1.9-2", ""},
                          DetectedMta{"sendmail", "client", "/var/spool/mqueue-client", "/etc/mail",
                                      "8.17.1.9-2", ""}));
}

TEST(MtaDetectionTest, SendmailQueueDirectoryFromSendmailCf) {
  ScopedTempDir t;
  t.WriteFile("/etc/mail/sendmail.cf", "O QueueDirectory=/srv/mqueue/qd*\n");
  t.MakeDir("/srv/mqueue/qd1");
  MtaDetection d = DetectMtasWithReport(t.path());
  ASSERT_EQ(d.found.size(), 1u);
  EXPECT_EQ(d.found[0].queue_directory, "/srv/mqueue");
  EXPECT_THAT(d.skipped, testing::Contains(MtaDetectionNote{
                             "sendmail", "client",
                             "/var/spool/clientmqueue absent, /var/spool/mqueue-client absent"}));
}

TEST(MtaDetectionTest, OpenSmtpd) {
  ScopedTempDir t;
  t.MakeDir("/var/spool/smtpd/queue");
  t.WriteFile("/etc/smtpd.conf", "listen on localhost\n");
  EXPECT_THAT(
      DetectMtas(t.path()),
      ElementsAre(DetectedMta{"opensmtpd", "default", "/var/spool/smtpd", "/etc", "unknown", ""}));
}

TEST(MtaDetectionTest, QueuePathThatIsAFileIsSkipped) {
  ScopedTempDir t;
  t.WriteFile("/var/qmail/queue", "not a directory\n");
  MtaDetection d = DetectMtasWithReport(t.path());
  EXPECT_THAT(d.found, IsEmpty());
  EXPECT_THAT(d.skipped,
              testing::Contains(MtaDetectionNote{"qmail", "", "/var/qmail/queue not a directory"}));
}

TEST(MtaDetectionTest, DescribeForTheStartupLog) {
  ScopedTempDir t;
  AddPostfix(t);
  t.WriteFile("/var/lib/dpkg/status", kDpkgStatus);
  std::vector<std::string> lines = DescribeMtaDetection(DetectMtasWithReport(t.path()));
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
