#include "collectors/host/mta_detection.h"

#include <array>
#include <map>
#include <string_view>

#include "collectors/host/mta_config_parse.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr size_t kMaxConfigBytes = 4 << 20;
constexpr size_t kMaxDpkgStatusBytes = 64 << 20;
constexpr std::string_view kUnknownVersion = "unknown";

constexpr std::array<std::string_view, 9> kPackages = {
    "postfix",   "exim4-daemon-heavy", "exim4-daemon-light", "exim4", "sendmail-bin",
    "opensmtpd", "notqmail",           "netqmail",           "qmail"};

// "Permission denied" out of ReadFileCapped's "<path>: Permission denied".
std::string Reason(const Status& status, const std::string& full_path) {
  const std::string& msg = status.message();
  if (msg.starts_with(full_path + ": ")) return msg.substr(full_path.size() + 2);
  return msg;
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

class Detector {
 public:
  explicit Detector(const std::string& root) : root_(root) {}

  MtaDetection Run() {
    LoadVersions();
    DetectPostfix();
    DetectExim();
    DetectSendmail();
    DetectQmail();
    DetectOpenSmtpd();
    return std::move(result_);
  }

 private:
  std::string Path(const std::string& path) const { return root_ + path; }
  bool IsDir(const std::string& path) const { return DirectoryProblem(Path(path)).empty(); }
  bool IsFile(const std::string& path) const { return ReadFileCapped(Path(path), 0).ok(); }

  void Skip(std::string mta, std::string instance, std::string message) {
    result_.skipped.push_back({std::move(mta), std::move(instance), std::move(message)});
  }
  void Warn(std::string mta, std::string instance, std::string message) {
    result_.warnings.push_back({std::move(mta), std::move(instance), std::move(message)});
  }

  void LoadVersions() {
    const std::string path = "/var/lib/dpkg/status";
    StatusOr<std::string> text = ReadFileCapped(Path(path), kMaxDpkgStatusBytes);
    if (!text.ok()) {
      if (text.status().code() != Status::Code::kNotFound) {
        Warn("dpkg", "",
             "cannot read " + path + ": " + Reason(text.status(), Path(path)) +
                 "; versions unknown");
      }
      return;
    }
    versions_ = ParseDpkgStatus(*text, kPackages);
  }

  std::string VersionOf(std::initializer_list<std::string_view> packages) const {
    for (std::string_view package : packages) {
      auto it = versions_.find(std::string(package));
      if (it != versions_.end()) return it->second;
    }
    return std::string(kUnknownVersion);
  }

  // The first of `candidates` that is a directory, or "" with `why` set to
  // the reasons for each.
  std::string FirstDirectory(const std::vector<std::string>& candidates, std::string* why) const {
    why->clear();
    for (const std::string& dir : candidates) {
      std::string problem = DirectoryProblem(Path(dir));
      if (problem.empty()) return dir;
      if (!why->empty()) *why += ", ";
      *why += dir + " " + problem;
    }
    return "";
  }

  std::string FirstExistingDirectory(std::initializer_list<std::string> dirs) const {
    for (const std::string& dir : dirs) {
      if (IsDir(dir)) return dir;
    }
    return "";
  }

  void Found(std::string mta, std::string instance, std::string queue, std::string config,
             std::string version, std::string syslog_name = "") {
    result_.found.push_back({std::move(mta), std::move(instance), std::move(queue),
                             std::move(config), std::move(version), std::move(syslog_name)});
  }

  // --- Postfix -------------------------------------------------------------

  static PostfixParams WithPostfixDefaults(PostfixParams params, const std::string& config_dir) {
    params.try_emplace("queue_directory", "/var/spool/postfix");
    params.try_emplace("config_directory", config_dir);
    params.try_emplace("multi_instance_name", "");
    params.try_emplace("multi_instance_directories", "");
    params.try_emplace("syslog_name", "${multi_instance_name?{$multi_instance_name}:{postfix}}");
    return params;
  }

  void DetectPostfix() {
    const std::string config_dir = "/etc/postfix";
    const std::string main_cf = config_dir + "/main.cf";
    PostfixParams params;
    StatusOr<std::string> text = ReadFileCapped(Path(main_cf), kMaxConfigBytes);
    if (!text.ok()) {
      if (text.status().code() == Status::Code::kNotFound) {
        Skip("postfix", "", main_cf + " absent");
        return;
      }
      Warn("postfix", "default",
           "cannot read " + main_cf + ": " + Reason(text.status(), Path(main_cf)) +
               "; assuming default settings");
    } else {
      params = ParsePostfixMainCf(*text);
    }
    params = WithPostfixDefaults(std::move(params), config_dir);
    std::string version = VersionOf({"postfix"});
    std::map<std::string, std::string> queue_owner;  // queue_directory -> instance
    AddPostfixInstance(params, config_dir, "default", version, &queue_owner);

    for (const std::string& dir :
         SplitPostfixList(ExpandPostfixValue("$multi_instance_directories", params))) {
      if (!dir.starts_with('/')) {
        Skip("postfix", dir, "multi_instance_directories entry is not an absolute path");
        continue;
      }
      std::string instance_cf = dir + "/main.cf";
      StatusOr<std::string> instance_text = ReadFileCapped(Path(instance_cf), kMaxConfigBytes);
      if (!instance_text.ok()) {
        Skip("postfix", dir,
             "cannot read " + instance_cf + ": " +
                 Reason(instance_text.status(), Path(instance_cf)));
        continue;
      }
      PostfixParams instance_params = WithPostfixDefaults(ParsePostfixMainCf(*instance_text), dir);
      std::string name = ExpandPostfixValue("$multi_instance_name", instance_params);
      AddPostfixInstance(instance_params, dir, name.empty() ? dir : name, version, &queue_owner);
    }
  }

  void AddPostfixInstance(const PostfixParams& params, const std::string& config_dir,
                          const std::string& instance, const std::string& version,
                          std::map<std::string, std::string>* queue_owner) {
    std::string queue = ExpandPostfixValue("$queue_directory", params);
    if (!queue.starts_with('/')) {
      Skip("postfix", instance, "queue_directory \"" + queue + "\" is not an absolute path");
      return;
    }
    std::string problem = DirectoryProblem(Path(queue));
    if (!problem.empty()) {
      Skip("postfix", instance, queue + " " + problem);
      return;
    }
    auto [it, inserted] = queue_owner->try_emplace(queue, instance);
    if (!inserted) {
      Skip("postfix", instance,
           "queue_directory " + queue + " is also instance " + it->second + "'s");
      return;
    }
    Found("postfix", instance, queue, config_dir, version,
          ExpandPostfixValue("$syslog_name", params));
  }

  // --- Exim ----------------------------------------------------------------

  void DetectExim() {
    std::vector<std::string> candidates;
    std::string config_file;
    for (const char* file :
         {"/etc/exim4/exim4.conf", "/var/lib/exim4/config.autogenerated", "/etc/exim/exim.conf",
          "/etc/exim/configure", "/usr/exim/configure", "/etc/exim.conf"}) {
      StatusOr<std::string> text = ReadFileCapped(Path(file), kMaxConfigBytes);
      if (!text.ok()) continue;
      config_file = file;
      if (auto spool = ParseEximSpoolDirectory(*text)) candidates.push_back(*spool);
      break;
    }
    for (const char* dir : {"/var/spool/exim4", "/var/spool/exim"}) {
      if (candidates.empty() || candidates.front() != dir) candidates.push_back(dir);
    }
    std::string why;
    std::string queue = FirstDirectory(candidates, &why);
    if (queue.empty()) {
      Skip("exim", "", why);
      return;
    }
    std::string config_dir = FirstExistingDirectory({"/etc/exim4", "/etc/exim"});
    if (config_dir.empty() && !config_file.empty()) config_dir = Dirname(config_file);
    Found("exim", "default", queue, config_dir,
          VersionOf({"exim4-daemon-heavy", "exim4-daemon-light", "exim4"}));
  }

  // --- Sendmail ------------------------------------------------------------

  std::vector<std::string> SendmailCandidates(const std::string& cf_file,
                                              std::initializer_list<std::string> defaults) {
    std::vector<std::string> candidates;
    StatusOr<std::string> text = ReadFileCapped(Path(cf_file), kMaxConfigBytes);
    if (text.ok()) {
      if (auto dir = ParseSendmailQueueDirectory(*text)) candidates.push_back(*dir);
    }
    for (const std::string& dir : defaults) {
      if (candidates.empty() || candidates.front() != dir) candidates.push_back(dir);
    }
    return candidates;
  }

  void DetectSendmail() {
    std::string version = VersionOf({"sendmail-bin"});
    std::string config_dir = FirstExistingDirectory({"/etc/mail"});
    std::string mta_why, client_why;
    std::string mta_queue = FirstDirectory(
        SendmailCandidates("/etc/mail/sendmail.cf", {"/var/spool/mqueue"}), &mta_why);
    std::string client_queue =
        FirstDirectory(SendmailCandidates("/etc/mail/submit.cf",
                                          {"/var/spool/clientmqueue", "/var/spool/mqueue-client"}),
                       &client_why);
    if (mta_queue.empty() && client_queue.empty()) {
      Skip("sendmail", "", mta_why + ", " + client_why);
      return;
    }
    if (mta_queue.empty()) {
      Skip("sendmail", "default", mta_why);
    } else {
      Found("sendmail", "default", mta_queue, config_dir, version);
    }
    if (client_queue.empty()) {
      Skip("sendmail", "client", client_why);
    } else if (client_queue != mta_queue) {
      Found("sendmail", "client", client_queue, config_dir, version);
    }
  }

  // --- qmail, OpenSMTPD -----------------------------------------------------

  void DetectQmail() {
    std::string why;
    std::string queue = FirstDirectory({"/var/qmail/queue"}, &why);
    if (queue.empty()) {
      Skip("qmail", "", why);
      return;
    }
    Found("qmail", "default", queue, FirstExistingDirectory({"/var/qmail/control"}),
          VersionOf({"notqmail", "netqmail", "qmail"}));
  }

  void DetectOpenSmtpd() {
    std::string why;
    std::string queue = FirstDirectory({"/var/spool/smtpd"}, &why);
    if (queue.empty()) {
      Skip("opensmtpd", "", why);
      return;
    }
    std::string config_dir;
    if (IsFile("/etc/smtpd.conf")) {
      config_dir = "/etc";
    } else if (IsFile("/etc/mail/smtpd.conf")) {
      config_dir = "/etc/mail";
    }
    Found("opensmtpd", "default", queue, config_dir, VersionOf({"opensmtpd"}));
  }

  std::string root_;
  MtaDetection result_;
  std::map<std::string, std::string> versions_;
};

}  // namespace

MtaDetection DetectMtasWithReport(const std::string& root) { return Detector(root).Run(); }

std::vector<DetectedMta> DetectMtas(const std::string& root) {
  return DetectMtasWithReport(root).found;
}

std::vector<std::string> DescribeMtaDetection(const MtaDetection& detection) {
  std::vector<std::string> lines;
  for (const DetectedMta& mta : detection.found) {
    lines.push_back("found " + mta.mta + " instance " + mta.instance + " at " +
                    mta.queue_directory + " (version " + mta.version + ")");
  }
  for (const MtaDetectionNote& note : detection.skipped) {
    std::string who = note.instance.empty() ? note.mta : note.mta + " instance " + note.instance;
    lines.push_back("no " + who + ": " + note.message);
  }
  for (const MtaDetectionNote& note : detection.warnings) {
    std::string who = note.instance.empty() ? note.mta : note.mta + " instance " + note.instance;
    lines.push_back(who + ": warning: " + note.message);
  }
  return lines;
}

}  // namespace mailrep
