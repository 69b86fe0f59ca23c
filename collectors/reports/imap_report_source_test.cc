// The IMAP source inside the reports collector, against a fault-injecting
// fake mailbox (the real libcurl client meets a real Dovecot in
// tests/e2e/test_reports_imap.py).
#include "collectors/reports/imap_report_source.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "collectors/reports/report_testdata.h"
#include "collectors/reports/reports_collector.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

constexpr int64_t kNow = 1800000000;
constexpr char kUrl[] = "imaps://mail.example.net/INBOX";
constexpr char kPassword[] = "s3cret-Pa55";

// The server side: messages by UID, and which operations fail.
struct FakeServer {
  uint32_t uid_validity = 41;
  struct Message {
    std::string bytes;
    bool seen = false;
  };
  std::map<uint32_t, Message> messages;
  std::map<std::string, std::vector<uint32_t>> folders;
  std::set<std::string> fail;  // connect, unseen, info, fetch, mark, move
  int fetches = 0;
  std::string password;  // as the last login gave it

  uint32_t Deliver(std::string bytes) {
    uint32_t uid = messages.empty() ? 1 : messages.rbegin()->first + 1;
    messages[uid] = {std::move(bytes), false};
    return uid;
  }
  size_t Unseen() const {
    size_t n = 0;
    for (const auto& [uid, m] : messages) n += m.seen ? 0 : 1;
    return n;
  }
};

class FakeMailbox : public ImapMailbox {
 public:
  explicit FakeMailbox(FakeServer* server) : s_(server) {}
  StatusOr<ImapUnseen> Unseen(size_t max) override {
    if (s_->fail.count("unseen")) return ImapError(ImapFailure::kMailbox, "no such mailbox");
    ImapUnseen out{s_->uid_validity, {}};
    for (const auto& [uid, m] : s_->messages) {
      if (!m.seen && out.uids.size() < max) out.uids.push_back(uid);
    }
    return out;
  }
  StatusOr<std::vector<ImapMessageInfo>> Info(std::span<const uint32_t> uids) override {
    if (s_->fail.count("info")) return ImapError(ImapFailure::kSearch, "refused");
    std::vector<ImapMessageInfo> out;
    for (uint32_t uid : uids) {
      auto it = s_->messages.find(uid);
      if (it != s_->messages.end()) out.push_back({uid, it->second.bytes.size(), it->second.seen});
    }
    return out;
  }
  StatusOr<std::string> Fetch(uint32_t uid, size_t max_bytes) override {
    ++s_->fetches;
    if (s_->fail.count("fetch")) return ImapError(ImapFailure::kConnect, "connection reset");
    const std::string& bytes = s_->messages.at(uid).bytes;
    if (bytes.size() > max_bytes) return ImapError(ImapFailure::kTooLarge, "big");
    return bytes;
  }
  Status MarkSeen(std::span<const uint32_t> uids) override {
    if (s_->fail.count("mark")) return ImapError(ImapFailure::kMark, "read-only mailbox");
    for (uint32_t uid : uids) s_->messages.at(uid).seen = true;
    return Status::OK();
  }
  Status Move(std::span<const uint32_t> uids, std::string_view folder) override {
    if (s_->fail.count("move")) return ImapError(ImapFailure::kMove, "no MOVE");
    for (uint32_t uid : uids) {
      s_->folders[std::string(folder)].push_back(uid);
      s_->messages.erase(uid);
    }
    return Status::OK();
  }

 private:
  FakeServer* s_;
};

class ImapReportSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.WriteFile("/etc/imap.pass", std::string(kPassword) + "\n");
    t_.MakeDir("/state");
  }

  std::unique_ptr<ReportsCollector> Build(std::string move_to = "", size_t budget = 100) {
    ReportsOptions o;
    ImapSourceConfig imap;
    imap.url = kUrl;
    imap.username = "dmarc";
    imap.password_file = t_.Path("/etc/imap.pass");
    imap.move_to = std::move(move_to);
    imap.max_message_bytes = 64 * 1024;
    o.imap_sources.push_back(imap);
    o.state_file = t_.Path("/state/reports.state");
    o.max_reports_per_run = budget;
    FakeServer* server = &server_;
    o.imap_connect = [server](const ImapAccount& account,
                              const ImapSessionLimits&) -> StatusOr<std::unique_ptr<ImapMailbox>> {
      server->password = account.password;
      if (server->fail.count("connect")) {
        return ImapError(ImapFailure::kLogin, "LOGIN refused for password " + account.password);
      }
      return std::unique_ptr<ImapMailbox>(new FakeMailbox(server));
    };
    return std::make_unique<ReportsCollector>(t_.path(), std::move(o), nullptr,
                                              std::make_shared<FakeClock>(kNow));
  }

  static std::optional<double> Count(const MetricSet& out, const std::string& kind,
                                     const std::string& result) {
    return SampleValue(out, "mailrep_reports_total", {{"kind", kind}, {"result", result}});
  }
  static std::optional<double> Errors(const MetricSet& out, const std::string& reason) {
    return SampleValue(out, "mailrep_reports_source_errors_total",
                       {{"source_kind", "imap"}, {"reason", reason}});
  }
  static MetricSet Run(Collector& c) {
    MetricSet out;
    EXPECT_OK(c.Collect(TestContext(), &out));
    return out;
  }

  ScopedTempDir t_;
  FakeServer server_;
};

TEST_F(ImapReportSourceTest, CountsEachMessageOnceAndMarksItAfterwards) {
  server_.Deliver(ReportTestdata("dmarc_gzip_report.eml"));
  server_.Deliver(ReportTestdata("tlsrpt_plain_json_labelled_gzip.eml"));
  server_.Deliver(ReportTestdata("arf_complaint.eml"));
  server_.Deliver(ReportTestdata("not_a_report.eml"));
  {
    auto c = Build();
    MetricSet out = Run(*c);
    EXPECT_EQ(Count(out, "dmarc", "ok"), 1);
    EXPECT_EQ(Count(out, "tlsrpt", "ok"), 1);
    EXPECT_EQ(Count(out, "arf", "ok"), 1);
    EXPECT_EQ(Count(out, "unknown", "invalid"), 1);
    EXPECT_EQ(SampleValue(out, "mailrep_reports_backlog_files", {}), 0);
    EXPECT_EQ(server_.Unseen(), 0u);
    EXPECT_EQ(server_.password, kPassword);  // without the file's newline
    // Nothing unseen is left: a second run reads nothing.
    out = Run(*c);
    EXPECT_EQ(Count(out, "dmarc", "ok"), 1);
    EXPECT_EQ(server_.fetches, 4);
  }
  // A restart with the same state; one more message arrives.
  server_.Deliver(ReportTestdata("microsoft_like_dmarc.xml"));
  auto c = Build();
  MetricSet out = Run(*c);
  EXPECT_EQ(Count(out, "dmarc", "ok"), 1);
  EXPECT_EQ(Count(out, "tlsrpt", "ok"), std::nullopt);
  EXPECT_EQ(server_.fetches, 5);
  EXPECT_EQ(server_.Unseen(), 0u);
}

TEST_F(ImapReportSourceTest, AFailedMarkIsRetriedWithoutCountingAgain) {
  server_.Deliver(ReportTestdata("dmarc_gzip_report.eml"));
  server_.fail = {"mark"};
  auto c = Build();
  MetricSet out = Run(*c);
  EXPECT_EQ(Count(out, "dmarc", "ok"), 1);
  EXPECT_EQ(Errors(out, "mark"), 1);
  EXPECT_EQ(server_.Unseen(), 1u);
  server_.fail.clear();
  auto restarted = Build();  // the state remembers the message
  out = Run(*restarted);
  EXPECT_EQ(Count(out, "dmarc", "ok"), std::nullopt);
  EXPECT_EQ(Count(out, "dmarc", "duplicate"), std::nullopt);
  EXPECT_EQ(server_.fetches, 1);
  EXPECT_EQ(server_.Unseen(), 0u);
}

TEST_F(ImapReportSourceTest, ServerFailuresAreCountedNeverFatal) {
  server_.Deliver(ReportTestdata("dmarc_gzip_report.eml"));
  auto c = Build();
  for (const char* op : {"connect", "unseen", "info", "fetch"}) {
    server_.fail = {op};
    MetricSet out;
    ::testing::internal::CaptureStderr();
    EXPECT_OK(c->Collect(TestContext(), &out)) << op;
    std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(log.find(kPassword), std::string::npos) << log;
    EXPECT_EQ(server_.Unseen(), 1u) << op;
  }
  MetricSet out;
  server_.fail.clear();
  t_.WriteFile("/etc/imap.pass", "");
  EXPECT_OK(c->Collect(TestContext(), &out));
  EXPECT_EQ(Errors(out, "login"), 1);
  EXPECT_EQ(Errors(out, "mailbox"), 1);
  EXPECT_EQ(Errors(out, "search"), 1);
  EXPECT_EQ(Errors(out, "connect"), 1);  // the fake's fetch failure
  EXPECT_EQ(Errors(out, "password_file"), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_backlog_files", {}), 0);
  t_.WriteFile("/etc/imap.pass", kPassword);
  out = Run(*c);
  EXPECT_EQ(Count(out, "dmarc", "ok"), 1);
  EXPECT_EQ(server_.Unseen(), 0u);
}

TEST_F(ImapReportSourceTest, BudgetLeavesABacklog) {
  for (const char* name : {"dmarc_gzip_report.eml", "arf_complaint.eml", "not_a_report.eml"}) {
    server_.Deliver(ReportTestdata(name));
  }
  auto c = Build("", 2);
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_backlog_files", {}), 1);
  EXPECT_EQ(server_.Unseen(), 1u);
  out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_backlog_files", {}), 0);
  EXPECT_EQ(Count(out, "unknown", "invalid"), 1);
  EXPECT_EQ(server_.Unseen(), 0u);
}

TEST_F(ImapReportSourceTest, OversizeIsInvalidAndMarked) {
  server_.Deliver(std::string(100 * 1024, 'x'));
  auto c = Build();
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_reports_invalid_total", {{"reason", "too_large"}}), 1);
  EXPECT_EQ(server_.fetches, 0);
  EXPECT_EQ(server_.Unseen(), 0u);
}

TEST_F(ImapReportSourceTest, MovesAfterMarking) {
  uint32_t uid = server_.Deliver(ReportTestdata("arf_complaint.eml"));
  auto c = Build("Reports/Done");
  MetricSet out = Run(*c);
  EXPECT_EQ(Count(out, "arf", "ok"), 1);
  EXPECT_TRUE(server_.messages.empty());
  EXPECT_EQ(server_.folders["Reports/Done"], std::vector<uint32_t>{uid});
}

TEST_F(ImapReportSourceTest, ANewUidValidityReadsTheMailboxAgain) {
  server_.Deliver(ReportTestdata("arf_complaint.eml"));
  auto c = Build();
  Run(*c);
  // The server renumbered: the message is unseen again under a new UIDVALIDITY;
  // the complaint's own identity still keeps it from counting twice.
  server_.uid_validity = 42;
  server_.messages.begin()->second.seen = false;
  MetricSet out = Run(*c);
  EXPECT_EQ(server_.fetches, 2);
  EXPECT_EQ(Count(out, "arf", "ok"), 1);
  EXPECT_EQ(Count(out, "arf", "duplicate"), 1);
}

StatusOr<std::unique_ptr<Collector>> BuildFrom(const std::string& yaml) {
  Config config;
  CollectorSettings settings;
  settings.enabled = true;
  CollectorEnv env{config, settings, "/root"};
  StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
  if (!options.ok()) return options.status();
  return NewReportsCollector(env, *options);
}

TEST(ImapSourceConfigTest, StrictValidation) {
  const std::pair<const char*, const char*> cases[] = {
      {"{url: https://mail.example.net/INBOX, username: u, password_file: /p}",
       "want imaps:// or imap://"},
      {"{url: 'imaps://u:pw@mail.example.net/INBOX', username: u, password_file: /p}",
       "credentials do not belong in the URL"},
      {"{url: 'imaps://mail.example.net/INBOX?UNSEEN', username: u, password_file: /p}",
       "no query"},
      {"{url: imaps://mail.example.net/INBOX, password_file: /p}", "want the IMAP login name"},
      {"{url: imaps://mail.example.net/INBOX, username: u, password_file: p}",
       "want an absolute path"},
      {"{url: imaps://mail.example.net/INBOX, username: u}", "want an absolute path"},
      {"{url: imaps://mail.example.net/INBOX, username: u, password_file: /p, after_read: delete}",
       "want seen, or move:<folder>"},
      {"{url: imaps://mail.example.net/INBOX, username: u, password_file: /p, max_message_bytes: "
       "1}",
       "max_message_bytes"},
      {"{url: imaps://mail.example.net/INBOX, username: u, password_file: /p, pasword: x}",
       "unknown key"},
  };
  for (const auto& [imap, want] : cases) {
    auto c = BuildFrom(std::string("sources: [{imap: ") + imap + "}]\n");
    ASSERT_FALSE(c.ok()) << imap;
    EXPECT_NE(c.status().message().find(want), std::string::npos) << imap << "\n"
                                                                  << c.status().message();
  }
  auto both = BuildFrom(
      "sources: [{path: /x, imap: {url: imaps://h/I, username: u, "
      "password_file: /p}}]\n");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("give path or imap, not both"), std::string::npos);
  EXPECT_OK(
      BuildFrom("sources: [{imap: {url: 'imaps://mail.example.net:9993/Reports/DMARC', "
                "username: dmarc, password_file: /etc/p, ca_file: /etc/ca.pem, "
                "after_read: 'move:Reports/Done', max_message_bytes: 1048576}}, "
                "{path: /var/mail/reports}]\n"));
}

TEST(ImapUrlTest, PlainTextOnlyToLoopback) {
  StatusOr<ImapUrl> u = ParseImapUrl("imaps://mail.example.net/Reports/DMARC");
  ASSERT_OK(u);
  EXPECT_EQ(u->port, 993);
  EXPECT_EQ(u->mailbox, "Reports/DMARC");
  EXPECT_TRUE(u->tls());
  u = ParseImapUrl("imap://mail.example.net");
  ASSERT_OK(u);
  EXPECT_EQ(u->port, 143);
  EXPECT_EQ(u->mailbox, "INBOX");
  EXPECT_TRUE(u->tls());  // STARTTLS required
  for (const char* local :
       {"imap://127.0.0.1:1143/INBOX", "imap://[::1]/INBOX", "imap://localhost/INBOX"}) {
    u = ParseImapUrl(local);
    ASSERT_OK(u);
    EXPECT_TRUE(u->loopback) << local;
    EXPECT_FALSE(u->tls()) << local;
  }
  EXPECT_FALSE(ParseImapUrl("imaps://h/INBOX;UIDVALIDITY=5").ok());
  EXPECT_FALSE(ParseImapUrl("imaps://h/Caf%C3%A9").ok());
}

TEST(ImapFailureTest, ReasonRoundTrips) {
  EXPECT_EQ(ImapFailureOf(ImapError(ImapFailure::kLogin, "no")), "login");
  EXPECT_EQ(ImapFailureOf(ImapError(ImapFailure::kTooLarge, "big")), "too_large");
  EXPECT_EQ(ImapFailureOf(Status::Unavailable("login failed")), "other");
  EXPECT_EQ(ImapError(ImapFailure::kTimeout, "x").code(), Status::Code::kDeadlineExceeded);
}

TEST(CurlImapMailboxTest, ARefusedConnectionIsConnect) {
  ImapSessionLimits limits{std::chrono::steady_clock::now() + std::chrono::seconds(5), {}};
  // Port 1 on loopback: nothing listens there.
  auto session = ConnectCurlImapMailbox({"imap://127.0.0.1:1/INBOX", "u", kPassword, ""}, limits);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(ImapFailureOf(session.status()), "connect") << session.status().message();
  EXPECT_EQ(session.status().message().find(kPassword), std::string::npos);
}

}  // namespace
}  // namespace mailrep
