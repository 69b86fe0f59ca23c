#include "collectors/reports/tlsrpt_intake.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "collectors/reports/report_directory.h"
#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

constexpr char kJson[] = "application/tlsrpt+json";
constexpr char kGzip[] = "application/tlsrpt+gzip";

class TlsRptIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.listen_address = ":0";
    options_.spool_dir = dir_.Path("spool");
    options_.max_per_minute = 3;
  }

  std::unique_ptr<TlsRptIntake> Open() {
    StatusOr<std::unique_ptr<TlsRptIntake>> intake = TlsRptIntake::Open(options_, clock_);
    EXPECT_OK(intake.status());
    return intake.ok() ? std::move(intake).value() : nullptr;
  }

  static HttpRequest Post(std::string body, std::string type = kGzip,
                          std::string path = "/tlsrpt") {
    HttpRequest request;
    request.method = "POST";
    request.path = std::move(path);
    if (!type.empty()) request.headers["content-type"] = std::move(type);
    request.body = std::move(body);
    return request;
  }

  std::vector<ReportFile> Spooled() {
    StatusOr<ReportDirectory> listing = ListReportFiles(options_.spool_dir);
    EXPECT_OK(listing.status());
    return listing.ok() ? listing->files : std::vector<ReportFile>{};
  }

  static uint64_t Count(const TlsRptIntakeStats& stats, int code, const std::string& reason) {
    for (const auto& c : stats.requests) {
      if (c.code == code && c.reason == reason) return c.count;
    }
    return 0;
  }

  ScopedTempDir dir_{"tlsrpt_intake"};
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  TlsRptIntakeOptions options_;
};

TEST(ContentMediaTypeTest, DropsParametersSpaceAndCase) {
  EXPECT_EQ(ContentMediaType("Application/TLSRPT+JSON; charset=utf-8"), "application/tlsrpt+json");
  EXPECT_EQ(ContentMediaType(" application/tlsrpt+gzip\t;x"), "application/tlsrpt+gzip");
  EXPECT_EQ(ContentMediaType(""), "");
}

TEST(CheckTlsRptUploadTest, GzipOrJsonByTheBytes) {
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  StatusOr<bool> gzip = CheckTlsRptUpload(gz, 1 << 20);
  ASSERT_OK(gzip.status());
  EXPECT_TRUE(*gzip);
  gzip =
      CheckTlsRptUpload(R"({"organization-name": "R", "report-id": "1", "policies": []})", 1 << 20);
  ASSERT_OK(gzip.status());
  EXPECT_FALSE(*gzip);
  // Inflated past the cap: the report is 1.4 KB of JSON.
  EXPECT_EQ(InvalidReportReason(CheckTlsRptUpload(gz, 100).status()),
            ReportInvalidReason::kDecompressedTooLarge);
}

TEST_F(TlsRptIntakeTest, AcceptsGzipAndJsonIntoTheSpoolsNewDirectory) {
  auto intake = Open();
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  ASSERT_FALSE(gz.empty());
  EXPECT_EQ(intake->Handle(Post(gz)).status, 200);
  std::string json = R"({"organization-name": "R", "report-id": "1", "policies": []})";
  // Parameters and case do not matter.
  EXPECT_EQ(intake->Handle(Post(json, "Application/TLSRPT+JSON; charset=utf-8")).status, 200);
  std::vector<ReportFile> files = Spooled();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_NE(files[0].path.find("/new/"), std::string::npos);
  EXPECT_TRUE(files[0].path.ends_with(".json.gz") || files[1].path.ends_with(".json.gz"));
  EXPECT_TRUE(std::filesystem::is_empty(options_.spool_dir + "/tmp"));
  TlsRptIntakeStats stats = intake->Stats();
  EXPECT_EQ(Count(stats, 200, "accepted"), 2u);
  EXPECT_EQ(stats.spool_bytes, gz.size() + json.size());
  // A new intake counts what is already there.
  intake.reset();
  EXPECT_EQ(Open()->Stats().spool_bytes, gz.size() + json.size());
}

TEST_F(TlsRptIntakeTest, TheBytesDecideNotTheLabel) {
  auto intake = Open();
  std::string json = R"({"organization-name": "R", "report-id": "1", "policies": []})";
  EXPECT_EQ(intake->Handle(Post(json, kGzip)).status, 200);
  EXPECT_EQ(intake->Handle(Post(ReportTestdata("tlsrpt_report.json.gz"), kJson)).status, 200);
}

TEST_F(TlsRptIntakeTest, RefusesOtherPathsMethodsAndTypes) {
  auto intake = Open();
  EXPECT_EQ(intake->Handle(Post("{}", kJson, "/other")).status, 404);
  HttpRequest get = Post("");
  get.method = "GET";
  HttpResponse r = intake->Handle(get);
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Allow", "POST"}));
  EXPECT_EQ(intake->Handle(Post("{}", "application/json")).status, 415);
  EXPECT_EQ(intake->Handle(Post("{}", "")).status, 415);
  TlsRptIntakeStats stats = intake->Stats();
  EXPECT_EQ(Count(stats, 404, "not_found"), 1u);
  EXPECT_EQ(Count(stats, 405, "method"), 1u);
  EXPECT_EQ(Count(stats, 415, "content_type"), 2u);
  EXPECT_TRUE(Spooled().empty());
}

TEST_F(TlsRptIntakeTest, InvalidReportsGet400WithOneLineReasonAndAreCountedByReason) {
  options_.max_per_minute = 100;
  options_.max_decompressed_bytes = 64 * 1024;
  auto intake = Open();
  HttpResponse r = intake->Handle(Post("{\"a\": 1}", kJson));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.find('\n'), r.body.size() - 1) << r.body;
  EXPECT_EQ(intake->Handle(Post("not json\n\nat all", kJson)).status, 400);
  EXPECT_EQ(intake->Handle(Post("", kJson)).status, 400);
  // Truncated gzip, and a bomb past max_decompressed_bytes (it inflates to 100 MiB).
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  EXPECT_EQ(intake->Handle(Post(gz.substr(0, gz.size() / 2))).status, 400);
  std::string bomb = ReportTestdata("gzip_bomb.xml.gz");
  ASSERT_FALSE(bomb.empty());
  EXPECT_EQ(intake->Handle(Post(bomb)).status, 400);
  TlsRptIntakeStats stats = intake->Stats();
  EXPECT_EQ(Count(stats, 400, "tlsrpt_schema"), 1u);
  EXPECT_EQ(Count(stats, 400, "json_syntax"), 2u);
  EXPECT_EQ(Count(stats, 400, "bad_gzip"), 1u);
  EXPECT_EQ(Count(stats, 400, "decompressed_too_large"), 1u);
  EXPECT_TRUE(Spooled().empty());
}

TEST_F(TlsRptIntakeTest, RateLimitPerMinute) {
  auto intake = Open();
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(intake->Handle(Post(gz)).status, 200);
  HttpResponse r = intake->Handle(Post(gz));
  EXPECT_EQ(r.status, 429);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
  // Refusals before the rate check cost nothing.
  EXPECT_EQ(intake->Handle(Post(gz, "text/plain")).status, 415);
  clock_->Advance(std::chrono::seconds(61));
  EXPECT_EQ(intake->Handle(Post(gz)).status, 200);
  EXPECT_EQ(Count(intake->Stats(), 429, "rate"), 1u);
  EXPECT_EQ(Spooled().size(), 4u);
}

TEST_F(TlsRptIntakeTest, ConcurrentUploadsAreAcceptedOrBusyNeverLost) {
  options_.max_per_minute = 1000;
  options_.max_concurrent = 2;
  auto intake = Open();
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  std::vector<std::thread> threads;
  std::atomic<int> other{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        int code = intake->Handle(Post(gz)).status;
        if (code != 200 && code != 429) ++other;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  TlsRptIntakeStats stats = intake->Stats();
  uint64_t accepted = Count(stats, 200, "accepted");
  EXPECT_EQ(accepted + Count(stats, 429, "busy"), 40u);
  EXPECT_GE(accepted, 2u);
  EXPECT_EQ(Spooled().size(), accepted);
  EXPECT_EQ(stats.spool_bytes, accepted * gz.size());
}

TEST_F(TlsRptIntakeTest, FullSpoolGets503) {
  options_.max_spool_bytes = 1 << 20;
  // Over the cap already: a file the collector has not cleaned.
  dir_.WriteFile("spool/cur/old", std::string((1 << 20) + 1, 'x'));
  auto intake = Open();
  EXPECT_EQ(intake->Handle(Post(ReportTestdata("tlsrpt_report.json.gz"))).status, 503);
  EXPECT_EQ(Count(intake->Stats(), 503, "spool_full"), 1u);
}

// Sets a file's mtime `age` before the real now.
void Age(const std::string& path, std::chrono::hours age) {
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now() - age);
}

TEST_F(TlsRptIntakeTest, ReportsPastRetentionAreDeletedAtOpenAndByTheRetentionPass) {
  clock_ = std::make_shared<FakeClock>(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  options_.spool_retention = std::chrono::hours(24 * 30);
  std::string old_one = dir_.WriteFile("spool/new/old1", std::string(1000, 'o'));
  std::string fresh = dir_.WriteFile("spool/new/fresh", std::string(10, 'f'));
  Age(old_one, std::chrono::hours(24 * 31));
  Age(fresh, std::chrono::hours(24 * 29));
  auto intake = Open();
  EXPECT_FALSE(std::filesystem::exists(old_one));
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_EQ(intake->Stats().spool_bytes, 10u);

  // Another report ages out while the intake runs: requests never prune.
  std::string old_two = dir_.WriteFile("spool/new/old2", std::string(500, 'o'));
  Age(old_two, std::chrono::hours(24 * 40));
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  ASSERT_EQ(intake->Handle(Post(gz)).status, 200);
  clock_->Advance(std::chrono::minutes(61));
  ASSERT_EQ(intake->Handle(Post(gz)).status, 200);
  EXPECT_TRUE(std::filesystem::exists(old_two));
  // The pass does, and recounts: what the spool holds, fresh and the two
  // uploads (old2, put there by hand, was never counted).
  intake->RunRetentionPass();
  EXPECT_FALSE(std::filesystem::exists(old_two));
  EXPECT_TRUE(std::filesystem::exists(fresh));
  EXPECT_EQ(intake->Stats().spool_bytes, 10u + 2 * gz.size());
  EXPECT_EQ(Spooled().size(), 3u);
  // A file removed by hand leaves the count at the next pass.
  std::filesystem::remove(fresh);
  intake->RunRetentionPass();
  EXPECT_EQ(intake->Stats().spool_bytes, 2 * gz.size());
}

TEST_F(TlsRptIntakeTest, RetentionPassesBesideConcurrentUploadsCountEachFileOnce) {
  options_.max_per_minute = 100000;
  options_.max_concurrent = 8;
  auto intake = Open();
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  std::atomic<bool> uploading{true};
  std::thread pruner([&] {
    while (uploading) intake->RunRetentionPass();
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 40; ++i) intake->Handle(Post(gz));
    });
  }
  for (std::thread& t : threads) t.join();
  uploading = false;
  pruner.join();
  uint64_t accepted = Count(intake->Stats(), 200, "accepted");
  EXPECT_GE(accepted, 1u);
  EXPECT_EQ(Spooled().size(), accepted);
  EXPECT_EQ(intake->Stats().spool_bytes, accepted * gz.size());
}

TEST_F(TlsRptIntakeTest, ConcurrentUploadsNeverOvershootMaxSpoolBytes) {
  options_.max_per_minute = 100000;
  options_.max_concurrent = 8;
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  options_.max_spool_bytes = 3 * gz.size() + gz.size() / 2;
  auto intake = Open();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) intake->Handle(Post(gz));
    });
  }
  for (std::thread& t : threads) t.join();
  TlsRptIntakeStats stats = intake->Stats();
  EXPECT_EQ(Count(stats, 200, "accepted"), 3u);
  EXPECT_EQ(Spooled().size(), 3u);
  EXPECT_EQ(stats.spool_bytes, 3 * gz.size());
}

TEST_F(TlsRptIntakeTest, UnwritableSpoolFailsToOpenOrAnswers500) {
  options_.spool_dir = dir_.WriteFile("a-file", "x") + "/spool";
  EXPECT_FALSE(TlsRptIntake::Open(options_, clock_).ok());
  options_.spool_dir = dir_.Path("spool");
  auto intake = Open();
  std::filesystem::remove_all(options_.spool_dir);
  EXPECT_EQ(intake->Handle(Post(ReportTestdata("tlsrpt_report.json.gz"))).status, 500);
  EXPECT_EQ(Count(intake->Stats(), 500, "spool_error"), 1u);
}

}  // namespace
}  // namespace mailrep
