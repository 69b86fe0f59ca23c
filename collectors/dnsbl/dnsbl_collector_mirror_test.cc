// The dnsbl collector with local mirrors (collectors.dnsbl.mirrors): answers
// from the file with no DNS query, health on the file's test points, stale
// and never-loaded files, a bad file after a good one, the reload hand-over.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/static_resolver.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

const std::vector<CollectorDefaults> kKnown = {
    {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};

constexpr int64_t kNow = 1700000000;  // FakeClock's start: 2023-11-14T22:13:20Z
constexpr char kFile[] = "/var/lib/rbldnsd/zen.ip4set";
constexpr char kZenMirrored[] =
    "senders: [{ips: [192.0.2.1, 192.0.2.2]}]\n"
    "collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org]\n"
    "    mirrors: [{zone: zen.spamhaus.org, file: /var/lib/rbldnsd/zen.ip4set, format: ip4set}]\n";
// The RFC 5782 test point and one listing (XBL).
constexpr char kGoodData[] = "127.0.0.2\n192.0.2.1 :127.0.0.4:Exploited host $\n";

const Labels kZen1 = {{"ip", "192.0.2.1"}, {"dnsbl", "zen.spamhaus.org"}};
const Labels kZen2 = {{"ip", "192.0.2.2"}, {"dnsbl", "zen.spamhaus.org"}};
const Labels kZen = {{"dnsbl", "zen.spamhaus.org"}};

// Fails the test when asked anything: a mirrored zone must send no query.
class FailingResolver : public Resolver {
 public:
  void Submit(DnsQuery query, DnsCallback done) override {
    ADD_FAILURE() << "DNS query sent: " << query.name;
    DnsAnswer answer;
    answer.outcome = DnsOutcome::kServFail;
    done(answer);
  }
};

class MirrorCollectorTest : public ::testing::Test {
 protected:
  // Writes a temporary file and renames it into place, as rsync does.
  void Publish(const std::string& text, int64_t mtime) {
    std::string path = root_.Path(kFile);
    std::string tmp = root_.WriteFile(std::string(kFile) + ".tmp", text);
    struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, tmp.c_str(), times, 0), 0);
    ASSERT_EQ(std::rename(tmp.c_str(), path.c_str()), 0);
  }

  // Through the real factory: files under root_, DNS from an engine whose
  // resolver is `resolver` (by default one that fails the test).
  std::unique_ptr<Collector> Make(const std::string& yaml,
                                  std::shared_ptr<Resolver> resolver = nullptr) {
    StatusOr<Config> config = ParseConfig(yaml, "t.yml", kKnown);
    EXPECT_OK(config);
    config_ = std::move(config).value();
    ConfigNode options = config_.collectors.at("dnsbl").options->WithOwnErrors();
    if (!resolver) resolver = std::make_shared<FailingResolver>();
    CollectorEnv env{config_, config_.collectors.at("dnsbl"), root_.path(),
                     DnsEngine::ForResolver(resolver), clock_};
    StatusOr<std::unique_ptr<Collector>> made = NewDnsblCollector(env, options);
    EXPECT_OK(made);
    return made.ok() ? std::move(made).value() : nullptr;
  }

  MetricSet Run(Collector& c) {
    MetricSet out;
    EXPECT_OK(c.Collect(TestContext(), &out));
    return out;
  }

  ScopedTempDir root_{"dnsbl_mirror"};
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kNow);
  Config config_;
};

TEST_F(MirrorCollectorTest, MirroredZoneAnswersFromTheFileWithNoQuery) {
  Publish(kGoodData, kNow - 600);
  auto c = Make(kZenMirrored);
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listing_info",
                        {{"ip", "192.0.2.1"},
                         {"dnsbl", "zen.spamhaus.org"},
                         {"code", "127.0.0.4"},
                         {"meaning", "XBL: exploited host (botnet, open proxy)"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen2), 0);
  EXPECT_GT(SampleValue(out, "mailrep_dnsbl_last_check_timestamp_seconds", {{"ip", "192.0.2.2"}}),
            0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                        {{"dnsbl", "zen.spamhaus.org"}, {"reason", "other"}}),
            0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_age_seconds", kZen), 600);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_last_load_success", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_entries", kZen), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_load_failures_total", kZen), 0);

  // The age follows the clock, not the file.
  clock_->Advance(std::chrono::hours(1));
  out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_age_seconds", kZen), 4200);

  // /probe answers from the same mirror.
  std::vector<ProbeModule> modules = c->ProbeModules();
  ASSERT_EQ(modules.size(), 1u);
  ProbeRequest request;
  request.target = "192.0.2.1";
  request.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  MetricSet probe(MetricSet::kMeasuredNow);
  StatusOr<bool> ok = modules[0].run(request, &probe);
  ASSERT_OK(ok);
  EXPECT_TRUE(*ok);
  EXPECT_EQ(SampleValue(probe, "mailrep_dnsbl_listed", kZen1), 1);
  EXPECT_EQ(SampleValue(probe, "mailrep_dnsbl_list_healthy", kZen), 1);
}

TEST_F(MirrorCollectorTest, EveryListMirroredStartsNoResolver) {
  Publish(kGoodData, kNow);
  StatusOr<Config> config = ParseConfig(kZenMirrored, "t.yml", kKnown);
  ASSERT_OK(config);
  ConfigNode options = config->collectors.at("dnsbl").options->WithOwnErrors();
  StatusOr<DnsblSettings> settings = ParseDnsblSettings(*config, options);
  ASSERT_OK(settings);
  DnsblCollector c(
      *settings,
      []() -> StatusOr<std::shared_ptr<Resolver>> {
        ADD_FAILURE() << "resolver started";
        return Status::Internal("no");
      },
      nullptr, clock_, root_.path());
  MetricSet out = Run(c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 1);
}

TEST_F(MirrorCollectorTest, OnlyUnmirroredListsAreQueried) {
  Publish(kGoodData, kNow);
  auto resolver = std::make_shared<StaticResolver>();
  resolver->SetAddresses("2.0.0.127.bl.spamcop.net", {"127.0.0.2"});
  resolver->SetAddresses("2.2.0.192.bl.spamcop.net", {"127.0.0.2"});
  auto c = Make(
      "senders: [{ips: [192.0.2.1, 192.0.2.2]}]\n"
      "collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org, bl.spamcop.net]\n"
      "    mirrors: [{zone: zen.spamhaus.org, file: /var/lib/rbldnsd/zen.ip4set, format: "
      "ip4set}]\n",
      resolver);
  MetricSet out = Run(*c);
  ASSERT_EQ(resolver->queries().size(), 4u);  // two test points, two targets
  for (const DnsQuery& q : resolver->queries()) EXPECT_EQ(q.rate_key, "bl.spamcop.net") << q.name;
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 1);
  EXPECT_EQ(
      SampleValue(out, "mailrep_dnsbl_listed", {{"ip", "192.0.2.2"}, {"dnsbl", "bl.spamcop.net"}}),
      1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed_lists", {{"ip", "192.0.2.1"}}), 1);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_mirror_entries"), 1u);
}

TEST_F(MirrorCollectorTest, TestPointsAreCheckedInTheFile) {
  Publish("192.0.2.1\n", kNow);  // no 127.0.0.2: not the list's data
  auto c = Make(kZenMirrored);
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 0) << "unhealthy: not reported";

  ProbeRequest request;
  request.target = "192.0.2.1";
  request.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  MetricSet probe(MetricSet::kMeasuredNow);
  StatusOr<bool> ok = c->ProbeModules()[0].run(request, &probe);
  ASSERT_OK(ok);
  EXPECT_FALSE(*ok);
  EXPECT_EQ(SampleValue(probe, "mailrep_dnsbl_lookup_failed",
                        {{"dnsbl", "zen.spamhaus.org"}, {"reason", "unhealthy"}}),
            1);
}

TEST_F(MirrorCollectorTest, NeverLoadedFileMakesTheListUnhealthyUntilItLoads) {
  auto c = Make(kZenMirrored);
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_last_load_success", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_load_failures_total", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_entries", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_age_seconds", kZen), std::nullopt);
  out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_load_failures_total", kZen), 1)
      << "a missing file counts once";

  Publish(kGoodData, kNow);
  out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_last_load_success", kZen), 1);
}

TEST_F(MirrorCollectorTest, ExpiredTimestampMakesTheListUnhealthy) {
  // Expires at 2023-11-15T00:00:00Z, 1 h 47 min after kNow.
  Publish(std::string("$TIMESTAMP 2023:11:14 +1d\n") + kGoodData, kNow - 60);
  auto c = Make(kZenMirrored);
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 1);
  clock_->Advance(std::chrono::hours(2));
  out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_last_load_success", kZen), 1)
      << "the file loaded; its data is stale";
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_age_seconds", kZen), 2 * 3600 + 60);

  // A fresh instance on expired data reports no listing at all.
  auto fresh = Make(kZenMirrored);
  out = Run(*fresh);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 0);
}

TEST_F(MirrorCollectorTest, BadFileKeepsTheGoodOne) {
  Publish(kGoodData, kNow - 60);
  auto c = Make(kZenMirrored);
  Run(*c);
  Publish("127.0.0.2\n192.0.2.2", kNow);  // the last line cut: caught mid-write
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_last_load_success", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_load_failures_total", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_entries", kZen), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_age_seconds", kZen), 60) << "the data in use";
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen2), 0);
}

TEST_F(MirrorCollectorTest, ReloadHandsTheLoadedMirrorOver) {
  Publish(kGoodData, kNow - 60);
  auto old = Make(kZenMirrored);
  Run(*old);
  // The file goes away: only the data the old instance loaded can answer.
  ASSERT_EQ(std::remove(root_.Path(kFile).c_str()), 0);

  auto next = Make(kZenMirrored + std::string("    interval: 10m\n"));
  next->AdoptState(*old);
  old.reset();
  MetricSet out = Run(*next);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen1), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_entries", kZen), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_mirror_load_failures_total", kZen), 1);

  // Without the hand-over the file would have to be read again.
  auto unadopted = Make(kZenMirrored);
  out = Run(*unadopted);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", kZen), 0);
}

TEST_F(MirrorCollectorTest, ConfigsWithoutMirrorsExportNoMirrorFamilies) {
  auto resolver = std::make_shared<StaticResolver>();
  auto c =
      Make("senders: [{ips: [192.0.2.1]}]\ncollectors:\n  dnsbl:\n    lists: [bl.spamcop.net]\n",
           resolver);
  MetricSet out = Run(*c);
  for (const char* name :
       {"mailrep_dnsbl_mirror_age_seconds", "mailrep_dnsbl_mirror_last_load_success",
        "mailrep_dnsbl_mirror_entries", "mailrep_dnsbl_mirror_load_failures_total"}) {
    EXPECT_EQ(SampleCount(out, name), 0u) << name;
    for (const auto& family : out.families()) EXPECT_NE(family.name, name);
  }
}

}  // namespace
}  // namespace mailrep
