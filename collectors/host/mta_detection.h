// MTA detection: which mail transfer agents (and Postfix instances) this host
// runs, where their queues are, and their package versions.
//
// Pure filesystem reads under a root prefix; nothing is executed. Paths in the
// results are as the MTA sees them (without the root): open root + path.
// Stateless; safe to call from several threads at once.
#ifndef MAILREP_COLLECTORS_HOST_MTA_DETECTION_H_
#define MAILREP_COLLECTORS_HOST_MTA_DETECTION_H_

#include <string>
#include <vector>

namespace mailrep {

struct DetectedMta {
  std::string mta;               // "postfix", "exim", "sendmail", "qmail", "opensmtpd"
  std::string instance;          // "default"; a Postfix postmulti instance's name
                                 // (or config directory); "client" for Sendmail's MSP queue
  std::string queue_directory;   // "/var/spool/postfix"
  std::string config_directory;  // "/etc/postfix"; "" when unknown
  std::string version;           // Debian package version, or "unknown"
  std::string syslog_name;       // Postfix only: the instance's syslog tag prefix

  bool operator==(const DetectedMta&) const = default;
};

// An MTA (or instance) looked for and not found, or found in part.
struct MtaDetectionNote {
  std::string mta;       // "dpkg" for a note about package versions
  std::string instance;  // "" when the note is about the MTA as a whole
  std::string message;   // "/var/spool/exim4 absent, /var/spool/exim absent"

  bool operator==(const MtaDetectionNote&) const = default;
};

struct MtaDetection {
  std::vector<DetectedMta> found;          // in the order postfix, exim, sendmail, qmail, opensmtpd
  std::vector<MtaDetectionNote> skipped;   // not found, and why
  std::vector<MtaDetectionNote> warnings;  // found, but something was unreadable
};

// Looks for every supported MTA under `root` ("" in production).
MtaDetection DetectMtasWithReport(const std::string& root);

// DetectMtasWithReport(root).found.
std::vector<DetectedMta> DetectMtas(const std::string& root);

// One line per finding, for the startup log: "found postfix instance default
// at /var/spool/postfix (version 3.7.11-0+deb12u1)", "no exim:
// /var/spool/exim4 absent, /var/spool/exim absent", "postfix: warning: ...".
std::vector<std::string> DescribeMtaDetection(const MtaDetection& detection);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HOST_MTA_DETECTION_H_
