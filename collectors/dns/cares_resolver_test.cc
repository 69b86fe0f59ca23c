// CaresResolver against a real authoritative server (NSD on loopback) and
// against tests/dns/fake_dns_server.py for the failure modes.
#include "collectors/dns/cares_resolver.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "exporter/util/testing/status_matchers.h"
#include "tests/dns/fake_dns_server.h"
#include "tests/dns/local_nsd.h"

namespace mailrep {
namespace {

using std::chrono::milliseconds;
using testing::FakeDnsServer;
using testing::LocalNsd;
using testing::NsdZone;

SteadyTime In(milliseconds ms) { return std::chrono::steady_clock::now() + ms; }

std::string BigTxtRecord() {
  std::string line = "big IN TXT";
  for (int i = 0; i < 20; ++i) line += " \"" + std::string(200, static_cast<char>('a' + i)) + "\"";
  return line + "\n";
}

std::unique_ptr<CaresResolver> MakeResolver(CaresResolverOptions options) {
  StatusOr<std::unique_ptr<CaresResolver>> resolver = CaresResolver::Create(std::move(options));
  EXPECT_OK(resolver);
  return resolver.ok() ? std::move(*resolver) : nullptr;
}

std::vector<std::string> Addresses(const DnsAnswer& answer) {
  std::vector<std::string> out;
  for (const DnsRecord& record : answer.records) out.push_back(record.address.ToString());
  return out;
}

class CaresResolverNsdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::LocalNsdOptions options;
    options.zones.push_back(
        NsdZone{"mailrep.test",
                "a IN A 192.0.2.1\n"
                "multi IN A 127.0.0.2\nmulti IN A 127.0.0.4\nmulti IN A 127.0.0.10\n"
                "v6 IN AAAA 2001:db8::25\n"
                "txt IN TXT \"v=spf1 ip4:192.0.2.0/24 \" \"-all\"\n"
                "mx IN MX 10 mail\nmx IN MX 20 backup.mailrep.test.\n"
                "mail IN A 192.0.2.25\n"
                "www IN CNAME web\nweb 100 IN CNAME host\nhost IN A 192.0.2.80\n"
                "nodata IN TXT \"only text here\"\n"
                "Mixed.Case IN A 192.0.2.9\n" +
                    BigTxtRecord(),
                60});
    options.zones.push_back(NsdZone{"2.0.192.in-addr.arpa", "25 IN PTR mail.mailrep.test.\n", 60});
    options.zones.push_back(
        NsdZone{"8.b.d.0.1.0.0.2.ip6.arpa",
                "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN PTR mail.mailrep.test.\n", 60});
    StatusOr<std::unique_ptr<LocalNsd>> nsd = LocalNsd::Start(options);
    ASSERT_OK(nsd);
    nsd_ = std::move(*nsd);
  }
  static void TearDownTestSuite() { nsd_.reset(); }

  void SetUp() override { ASSERT_NE(nsd_, nullptr) << "NSD did not start"; }

  CaresResolverOptions Options() {
    CaresResolverOptions options;
    options.servers = {nsd_->v4()};
    options.timeout = milliseconds(1000);
    options.tries = 2;
    return options;
  }

  DnsAnswer Ask(CaresResolver& resolver, const std::string& name, RecordType type) {
    return resolver.Resolve(name, type, In(milliseconds(5000)));
  }

  static std::unique_ptr<LocalNsd> nsd_;
};

std::unique_ptr<LocalNsd> CaresResolverNsdTest::nsd_;

TEST_F(CaresResolverNsdTest, A) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = Ask(*resolver, "a.mailrep.test", RecordType::kA);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
  EXPECT_EQ(answer.canonical_name, "a.mailrep.test");
  EXPECT_EQ(Addresses(answer), std::vector<std::string>{"192.0.2.1"});
  EXPECT_EQ(answer.ttl, 300u);
  EXPECT_FALSE(answer.from_cache);
}

TEST_F(CaresResolverNsdTest, SeveralAddressesInOneAnswer) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = Ask(*resolver, "multi.mailrep.test.", RecordType::kA);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
  std::vector<std::string> got = Addresses(answer);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"127.0.0.10", "127.0.0.2", "127.0.0.4"}));
}

TEST_F(CaresResolverNsdTest, Aaaa) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = Ask(*resolver, "v6.mailrep.test", RecordType::kAaaa);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
  EXPECT_EQ(Addresses(answer), std::vector<std::string>{"2001:db8::25"});
}

TEST_F(CaresResolverNsdTest, TxtKeepsItsStrings) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = Ask(*resolver, "txt.mailrep.test", RecordType::kTxt);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
  ASSERT_EQ(answer.records.size(), 1u);
  EXPECT_EQ(answer.records[0].texts,
            (std::vector<std::string>{"v=spf1 ip4:192.0.2.0/24 ", "-all"}));
}

TEST_F(CaresResolverNsdTest, Mx) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = Ask(*resolver, "mx.mailrep.test", RecordType::kMx);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
  std::vector<std::string> got;
  for (const DnsRecord& r : answer.records)
    got.push_back(std::to_string(r.preference) + " " + r.target);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"10 mail.mailrep.test", "20 backup.mailrep.test"}));
}

TEST_F(CaresResolverNsdTest, PtrV4AndV6) {
  auto resolver = MakeResolver(Options());
  for (const char* name :
       {"25.2.0.192.in-addr.arpa",
        "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"}) {
    DnsAnswer answer = Ask(*resolver, name, RecordType::kPtr);
    ASSERT_EQ(answer.outcome, DnsOutcome::kData) << name << ": " << answer.error;
    ASSERT_EQ(answer.records.size(), 1u);
    EXPECT_EQ(answer.records[0].target, "mail.mailrep.test");
  }
}

TEST_F(CaresResolverNsdTest, CnameChainIsFollowed) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = Ask(*resolver, "www.mailrep.test", RecordType::kA);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
  EXPECT_EQ(answer.canonical_name, "host.mailrep.test");
  EXPECT_EQ(Addresses(answer), std::vector<std::string>{"192.0.2.80"});
  EXPECT_EQ(answer.ttl, 100u);  // the chain's shortest TTL
}

TEST_F(CaresResolverNsdTest, NxDomainAndNoDataAreDistinct) {
  auto resolver = MakeResolver(Options());
  DnsAnswer nx = Ask(*resolver, "missing.mailrep.test", RecordType::kA);
  EXPECT_EQ(nx.outcome, DnsOutcome::kNxDomain) << nx.error;
  EXPECT_EQ(nx.ttl, 60u);  // min(SOA TTL 300, MINIMUM 60)
  DnsAnswer nodata = Ask(*resolver, "nodata.mailrep.test", RecordType::kA);
  EXPECT_EQ(nodata.outcome, DnsOutcome::kNoData) << nodata.error;
  EXPECT_EQ(nodata.ttl, 60u);
}

TEST_F(CaresResolverNsdTest, NamesAreCaseInsensitive) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = Ask(*resolver, "MIXED.case.MailRep.Test", RecordType::kA);
  ASSERT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
  EXPECT_EQ(answer.canonical_name, "mixed.case.mailrep.test");
}

// A 4 KB TXT RRset does not fit a UDP answer: NSD sets TC and c-ares must
// retry over TCP, with and without EDNS.
TEST_F(CaresResolverNsdTest, TruncatedAnswerIsRetriedOverTcp) {
  for (int edns : {0, 1232}) {
    CaresResolverOptions options = Options();
    options.edns_udp_size = edns;
    auto resolver = MakeResolver(options);
    DnsAnswer answer = Ask(*resolver, "big.mailrep.test", RecordType::kTxt);
    ASSERT_EQ(answer.outcome, DnsOutcome::kData) << "edns " << edns << ": " << answer.error;
    ASSERT_EQ(answer.records.size(), 1u);
    ASSERT_EQ(answer.records[0].texts.size(), 20u);
    for (int i = 0; i < 20; ++i) {
      EXPECT_EQ(answer.records[0].texts[i], std::string(200, static_cast<char>('a' + i)));
    }
  }
}

TEST_F(CaresResolverNsdTest, Ipv6Server) {
  CaresResolverOptions options = Options();
  options.servers = {nsd_->v6()};
  auto resolver = MakeResolver(options);
  ASSERT_EQ(resolver->servers().size(), 1u);
  EXPECT_EQ(resolver->servers()[0].ToString(), nsd_->v6().ToString());
  DnsAnswer answer = Ask(*resolver, "a.mailrep.test", RecordType::kA);
  EXPECT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
}

TEST_F(CaresResolverNsdTest, AnswersAreCached) {
  auto resolver = MakeResolver(Options());
  EXPECT_FALSE(Ask(*resolver, "a.mailrep.test", RecordType::kA).from_cache);
  EXPECT_FALSE(Ask(*resolver, "missing.mailrep.test", RecordType::kA).from_cache);
  DnsAnswer again = Ask(*resolver, "A.mailrep.test.", RecordType::kA);
  EXPECT_TRUE(again.from_cache);
  EXPECT_EQ(again.outcome, DnsOutcome::kData);
  DnsAnswer nx_again = Ask(*resolver, "missing.mailrep.test", RecordType::kA);
  EXPECT_TRUE(nx_again.from_cache);
  EXPECT_EQ(nx_again.outcome, DnsOutcome::kNxDomain);
  CaresResolverStats stats = resolver->stats();
  EXPECT_EQ(stats.submitted, 4u);
  EXPECT_EQ(stats.cache_hits, 2u);
  EXPECT_EQ(stats.sent, 2u);
}

TEST_F(CaresResolverNsdTest, SweepKeepsInFlightBounded) {
  CaresResolverOptions options = Options();
  options.max_in_flight = 20;
  options.cache.max_entries = 0;
  auto resolver = MakeResolver(options);
  std::vector<DnsQuery> queries;
  for (int i = 0; i < 3000; ++i) {
    DnsQuery query;
    query.name = i % 3 == 0 ? "multi.mailrep.test" : "n" + std::to_string(i) + ".mailrep.test";
    query.deadline = In(milliseconds(20000));
    queries.push_back(query);
  }
  std::vector<DnsAnswer> answers = resolver->ResolveAll(queries);
  ASSERT_EQ(answers.size(), queries.size());
  for (size_t i = 0; i < answers.size(); ++i) {
    EXPECT_EQ(answers[i].outcome, i % 3 == 0 ? DnsOutcome::kData : DnsOutcome::kNxDomain)
        << queries[i].name << ": " << answers[i].error;
  }
  CaresResolverStats stats = resolver->stats();
  EXPECT_LE(stats.peak_in_flight, 20u);
  EXPECT_GE(stats.peak_in_flight, 2u);
  EXPECT_EQ(stats.in_flight, 0u);
  EXPECT_EQ(stats.queued, 0u);
}

TEST_F(CaresResolverNsdTest, RateLimitPerKey) {
  CaresResolverOptions options = Options();
  options.cache.max_entries = 0;
  options.rate_limiter = std::make_shared<RateLimiter>();
  options.rate_limiter->SetRate("slow-list", 20);  // one query per 50 ms
  auto resolver = MakeResolver(options);

  auto sweep = [&](const std::string& key) {
    // Distinct names: identical ones in flight would share one query.
    std::vector<DnsQuery> queries(9);
    for (size_t i = 0; i < queries.size(); ++i) {
      queries[i].name = "r" + std::to_string(i) + ".mailrep.test";
      queries[i].rate_key = key;
      queries[i].deadline = In(milliseconds(10000));
    }
    auto start = std::chrono::steady_clock::now();
    for (const DnsAnswer& answer : resolver->ResolveAll(queries)) {
      EXPECT_EQ(answer.outcome, DnsOutcome::kNxDomain) << answer.error;
    }
    return std::chrono::steady_clock::now() - start;
  };
  EXPECT_GE(sweep("slow-list"), milliseconds(395));  // 1 at once, then 8 x 50 ms
  EXPECT_LT(sweep("fast-list"), milliseconds(350));
  EXPECT_GT(resolver->stats().rate_limited, 0u);
}

TEST_F(CaresResolverNsdTest, DeadlineWhileWaitingForRateLimit) {
  CaresResolverOptions options = Options();
  options.rate_limiter = std::make_shared<RateLimiter>();
  options.rate_limiter->SetRate("trickle", 0.5);  // one query per 2 s
  auto resolver = MakeResolver(options);
  std::vector<DnsQuery> queries(2);
  for (DnsQuery& query : queries) {
    query.name = "a.mailrep.test";
    query.rate_key = "trickle";
    query.deadline = In(milliseconds(300));
  }
  queries[1].name = "multi.mailrep.test";
  auto start = std::chrono::steady_clock::now();
  std::vector<DnsAnswer> answers = resolver->ResolveAll(queries);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
  EXPECT_EQ(answers[0].outcome, DnsOutcome::kData);
  EXPECT_EQ(answers[1].outcome, DnsOutcome::kTimeout);
}

TEST_F(CaresResolverNsdTest, SubmitFromManyThreads) {
  auto resolver = MakeResolver(Options());
  std::atomic<int> data{0}, nx{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        DnsQuery query;
        query.name = i % 2 ? "a.mailrep.test"
                           : "t" + std::to_string(t) + "-" + std::to_string(i) + ".mailrep.test";
        resolver->Submit(query, [&](DnsAnswer answer) {
          if (answer.outcome == DnsOutcome::kData) ++data;
          if (answer.outcome == DnsOutcome::kNxDomain) ++nx;
          ++done;
        });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (done < 1000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(done, 1000);
  EXPECT_EQ(data, 500);
  EXPECT_EQ(nx, 500);
}

TEST(CaresResolverTest, RejectsBadOptions) {
  CaresResolverOptions options;
  options.servers = {DnsServerAddress::Parse("127.0.0.1:9").value()};
  options.max_in_flight = 0;
  EXPECT_FALSE(CaresResolver::Create(options).ok());
  options.max_in_flight = 1;
  options.edns_udp_size = 100;
  EXPECT_FALSE(CaresResolver::Create(options).ok());
}

TEST(CaresResolverTest, SystemServersByDefault) {
  auto resolver = MakeResolver(CaresResolverOptions{});
  ASSERT_NE(resolver, nullptr);
  EXPECT_FALSE(resolver->servers().empty());  // from /etc/resolv.conf (nothing is sent)
}

TEST(CaresResolverTest, SystemServersFromTheNamedResolvConf) {
  std::string path = ::testing::TempDir() + "cares_resolver_test_resolv.conf";
  {
    std::ofstream f(path);
    f << "# a test's resolv.conf\nsearch example.org\nnameserver 127.0.0.77\n"
         "nameserver ::1\n";
  }
  CaresResolverOptions options;
  options.resolv_conf = path;
  auto resolver = MakeResolver(options);
  ASSERT_NE(resolver, nullptr);
  std::vector<std::string> servers;
  for (const DnsServerAddress& s : resolver->servers()) servers.push_back(s.ToString());
  EXPECT_EQ(servers, (std::vector<std::string>{"127.0.0.77:53", "[::1]:53"}));

  // Explicit servers win; the file is not read.
  options.servers = {DnsServerAddress::Parse("127.0.0.1:9").value()};
  options.resolv_conf = path + ".missing";
  resolver = MakeResolver(options);
  ASSERT_NE(resolver, nullptr);
  ASSERT_EQ(resolver->servers().size(), 1u);
  EXPECT_EQ(resolver->servers()[0].ToString(), "127.0.0.1:9");
  std::remove(path.c_str());
}

TEST(CaresResolverTest, MissingResolvConfIsAnError) {
  CaresResolverOptions options;
  options.resolv_conf = "/nonexistent/resolv.conf";
  StatusOr<std::unique_ptr<CaresResolver>> resolver = CaresResolver::Create(options);
  ASSERT_FALSE(resolver.ok());
  EXPECT_NE(resolver.status().message().find("/nonexistent/resolv.conf"), std::string::npos)
      << resolver.status().ToString();
}

class CaresResolverFaultTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StatusOr<std::unique_ptr<FakeDnsServer>> server = FakeDnsServer::Start();
    ASSERT_OK(server);
    server_ = std::move(*server);
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "fake DNS server did not start"; }

  CaresResolverOptions Options() {
    CaresResolverOptions options;
    options.servers = {server_->v4()};
    options.timeout = milliseconds(300);
    options.tries = 2;
    return options;
  }

  static std::unique_ptr<FakeDnsServer> server_;
};

std::unique_ptr<FakeDnsServer> CaresResolverFaultTest::server_;

TEST_F(CaresResolverFaultTest, EachFaultHasItsOutcomeAndNeverData) {
  struct Case {
    const char* name;
    DnsOutcome outcome;
  } cases[] = {
      {"ok.fault.test", DnsOutcome::kData},
      {"nxdomain.fault.test", DnsOutcome::kNxDomain},
      {"nodata.fault.test", DnsOutcome::kNoData},
      {"servfail.fault.test", DnsOutcome::kServFail},
      {"refused.fault.test", DnsOutcome::kRefused},
      {"formerr.fault.test", DnsOutcome::kError},
      {"timeout.fault.test", DnsOutcome::kTimeout},
      {"truncated.fault.test", DnsOutcome::kError},    // TC over UDP and TCP
      {"tcponly.fault.test", DnsOutcome::kData},       // proves the TCP retry
      {"garbage.fault.test", DnsOutcome::kTimeout},    // c-ares drops it: id mismatch
      {"garbageid.fault.test", DnsOutcome::kTimeout},  // c-ares drops it: no question
      {"badrdata.fault.test", DnsOutcome::kMalformed},
      {"wrongid.fault.test", DnsOutcome::kTimeout},
      {"othername.fault.test", DnsOutcome::kMalformed},
      {"otherquestion.fault.test", DnsOutcome::kTimeout},
  };
  auto resolver = MakeResolver(Options());
  std::vector<DnsQuery> queries;
  for (const Case& c : cases) {
    DnsQuery query;
    query.name = c.name;
    query.deadline = In(milliseconds(10000));
    queries.push_back(query);
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<DnsAnswer> answers = resolver->ResolveAll(queries);
  // Concurrent: the slowest case (300 ms + 600 ms of retries) bounds the batch.
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(3000));
  for (size_t i = 0; i < answers.size(); ++i) {
    EXPECT_EQ(DnsOutcomeName(answers[i].outcome), std::string(DnsOutcomeName(cases[i].outcome)))
        << cases[i].name << ": " << answers[i].error;
    if (cases[i].outcome != DnsOutcome::kData) {
      EXPECT_TRUE(answers[i].records.empty()) << cases[i].name;
    }
  }
  CaresResolverStats stats = resolver->stats();
  EXPECT_EQ(stats.outcomes[static_cast<size_t>(DnsOutcome::kData)], 2u);
  EXPECT_EQ(stats.outcomes[static_cast<size_t>(DnsOutcome::kTimeout)], 5u);
}

// A server that resets the TCP connection: an error, not data. (c-ares 1.18
// fails every query outstanding to that server at that moment; the resolver
// re-sends those once, which is why this case runs on its own.)
TEST_F(CaresResolverFaultTest, TcpConnectionClosedByServer) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer =
      resolver->Resolve("tcpclose.fault.test", RecordType::kA, In(milliseconds(5000)));
  EXPECT_EQ(answer.outcome, DnsOutcome::kError) << answer.error;
  // The channel still works afterwards.
  EXPECT_EQ(resolver->Resolve("ok.fault.test", RecordType::kA, In(milliseconds(5000))).outcome,
            DnsOutcome::kData);
}

// Queries in flight when another query's TCP connection breaks are re-sent.
// The re-sent breaking query breaks its connection again, failing whichever
// re-sent bystanders are still in flight then (they get one more try only);
// on a slow machine (ThreadSanitizer) that can be all of them, so the batch
// gets three chances to show a bystander answered after a break.
TEST_F(CaresResolverFaultTest, BystandersOfABrokenConnectionAreResent) {
  auto resolver = MakeResolver(Options());
  int data = 0;
  for (int round = 0; round < 3 && data == 0; ++round) {
    std::vector<DnsQuery> queries(30);
    for (DnsQuery& query : queries) {
      query.name = "ok.fault.test";
      query.deadline = In(milliseconds(5000));
    }
    queries[0].name = "tcpclose.fault.test";
    std::vector<DnsAnswer> answers = resolver->ResolveAll(queries);
    EXPECT_NE(answers[0].outcome, DnsOutcome::kData);
    for (size_t i = 1; i < answers.size(); ++i) data += answers[i].outcome == DnsOutcome::kData;
  }
  EXPECT_GE(data, 1);
}

TEST_F(CaresResolverFaultTest, EveryQueryTypeSurvivesEveryFault) {
  auto resolver = MakeResolver(Options());
  std::vector<DnsQuery> queries;
  for (const char* kind : {"truncated", "garbageid", "badrdata", "othername", "servfail"}) {
    for (RecordType type :
         {RecordType::kA, RecordType::kAaaa, RecordType::kTxt, RecordType::kMx, RecordType::kPtr}) {
      DnsQuery query;
      query.name = std::string(kind) + ".fault.test";
      query.type = type;
      query.deadline = In(milliseconds(10000));
      queries.push_back(query);
    }
  }
  for (const DnsAnswer& answer : resolver->ResolveAll(queries)) {
    EXPECT_NE(answer.outcome, DnsOutcome::kData) << answer.canonical_name;
  }
}

TEST_F(CaresResolverFaultTest, DeadlineCutsASlowAnswer) {
  CaresResolverOptions options = Options();
  options.timeout = milliseconds(5000);
  auto resolver = MakeResolver(options);
  auto start = std::chrono::steady_clock::now();
  DnsAnswer answer = resolver->Resolve("slow.fault.test", RecordType::kA, In(milliseconds(200)));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(answer.outcome, DnsOutcome::kTimeout);
  EXPECT_GE(elapsed, milliseconds(190));
  EXPECT_LT(elapsed, milliseconds(1000));
  // Without a deadline the same query succeeds.
  EXPECT_EQ(resolver->Resolve("slow.fault.test", RecordType::kA, In(milliseconds(5000))).outcome,
            DnsOutcome::kData);
}

TEST_F(CaresResolverFaultTest, DestructionCancelsPendingQueries) {
  CaresResolverOptions options = Options();
  options.timeout = milliseconds(5000);
  options.max_in_flight = 2;
  auto resolver = MakeResolver(options);
  std::atomic<int> cancelled{0}, other{0};
  for (int i = 0; i < 10; ++i) {
    DnsQuery query;
    query.name = "timeout.fault.test";
    resolver->Submit(query, [&](DnsAnswer answer) {
      (answer.outcome == DnsOutcome::kCancelled ? cancelled : other)++;
    });
  }
  std::this_thread::sleep_for(milliseconds(100));
  resolver.reset();
  EXPECT_EQ(cancelled, 10);
  EXPECT_EQ(other, 0);
}

TEST_F(CaresResolverFaultTest, StopTokenEndsABatchEarly) {
  CaresResolverOptions options = Options();
  options.timeout = milliseconds(5000);
  auto resolver = MakeResolver(options);
  std::vector<DnsQuery> queries(2);
  queries[0].name = "ok.fault.test";
  queries[1].name = "timeout.fault.test";
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(200));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  std::vector<DnsAnswer> answers = resolver->ResolveAll(queries, stop.get_token());
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  EXPECT_EQ(answers[0].outcome, DnsOutcome::kData);
  EXPECT_EQ(answers[1].outcome, DnsOutcome::kCancelled);
  EXPECT_EQ(answers[1].canonical_name, "timeout.fault.test");
}

// c-ares retries without EDNS when a server answers FORMERR to EDNS.
TEST_F(CaresResolverFaultTest, ServerWithoutEdns) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = resolver->Resolve("noedns.fault.test", RecordType::kA, In(milliseconds(5000)));
  EXPECT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
}

TEST_F(CaresResolverFaultTest, BadNameIsAnError) {
  auto resolver = MakeResolver(Options());
  DnsAnswer answer = resolver->Resolve(std::string(70, 'x') + ".fault.test", RecordType::kA,
                                       In(milliseconds(2000)));
  EXPECT_EQ(answer.outcome, DnsOutcome::kError) << answer.error;
}

// Identical queries in flight at once share one query on the wire; each
// caller gets the answer, and one with an earlier deadline still ends by it.
TEST_F(CaresResolverFaultTest, IdenticalQueriesInFlightAreCoalesced) {
  CaresResolverOptions options = Options();
  options.timeout = milliseconds(5000);
  auto resolver = MakeResolver(options);
  constexpr int kCallers = 8;
  std::vector<DnsAnswer> answers(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      answers[i] = resolver->Resolve("slow.coalesce.test", RecordType::kA, In(milliseconds(5000)));
    });
  }
  // One more, with a deadline before the slow answer comes (1.5 s).
  std::this_thread::sleep_for(milliseconds(100));
  DnsAnswer early = resolver->Resolve("slow.coalesce.test", RecordType::kA, In(milliseconds(300)));
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(early.outcome, DnsOutcome::kTimeout);
  for (const DnsAnswer& answer : answers) {
    EXPECT_EQ(answer.outcome, DnsOutcome::kData) << answer.error;
    EXPECT_EQ(Addresses(answer), std::vector<std::string>{"127.0.0.2"});
  }
  StatusOr<uint64_t> received = server_->QueriesReceived("coalesce.test");
  ASSERT_OK(received);
  EXPECT_EQ(*received, 1u);
  CaresResolverStats stats = resolver->stats();
  EXPECT_EQ(stats.sent, 1u);
  EXPECT_EQ(stats.coalesced + stats.cache_hits, static_cast<uint64_t>(kCallers));
  EXPECT_GE(stats.coalesced, 1u);
}

// A key's daily budget caps the queries sent; the rest end unsent with
// kBudgetExhausted, and cache hits do not spend it.
TEST_F(CaresResolverFaultTest, QueryBudgetCapsQueriesSent) {
  CaresResolverOptions options = Options();
  options.query_budget = std::make_shared<QueryBudget>();
  options.query_budget->SetBudget("budget.test", 5);
  auto resolver = MakeResolver(options);
  std::vector<DnsQuery> queries;
  for (int i = 0; i < 12; ++i) {
    queries.push_back({"n" + std::to_string(i) + ".budget.test", RecordType::kA, "budget.test",
                       In(milliseconds(5000))});
  }
  std::vector<DnsAnswer> answers = resolver->ResolveAll(queries);
  int answered = 0;
  int refused = 0;
  for (const DnsAnswer& answer : answers) {
    if (answer.outcome == DnsOutcome::kNxDomain) ++answered;
    if (answer.outcome == DnsOutcome::kBudgetExhausted) ++refused;
  }
  EXPECT_EQ(answered, 5);
  EXPECT_EQ(refused, 7);
  StatusOr<uint64_t> received = server_->QueriesReceived("budget.test");
  ASSERT_OK(received);
  EXPECT_EQ(*received, 5u);
  EXPECT_EQ(options.query_budget->UsageOf("budget.test")->spent, 5u);
  // Answered names come from the cache, unspent; other keys are not limited.
  EXPECT_EQ(resolver->Resolve("n0.budget.test", RecordType::kA, In(milliseconds(5000))).outcome,
            answers[0].outcome);
  EXPECT_EQ(options.query_budget->UsageOf("budget.test")->spent, 5u);
  EXPECT_EQ(resolver->stats().budget_refused, 7u);
}

// Zones of one budget key (an operator's budget group) spend one budget
// together, each still rate-limited under its own key.
TEST_F(CaresResolverFaultTest, ZonesOfOneBudgetKeyShareItsBudget) {
  CaresResolverOptions options = Options();
  options.query_budget = std::make_shared<QueryBudget>();
  options.query_budget->SetBudget("shared", 6);
  auto resolver = MakeResolver(options);
  std::vector<DnsQuery> queries;
  for (const char* zone : {"one.group.test", "two.group.test"}) {
    for (int i = 0; i < 5; ++i) {
      queries.push_back({"n" + std::to_string(i) + "." + zone, RecordType::kA, zone,
                         In(milliseconds(5000)), "shared"});
    }
  }
  std::vector<DnsAnswer> answers = resolver->ResolveAll(queries);
  int refused = 0;
  for (const DnsAnswer& answer : answers) refused += answer.outcome == DnsOutcome::kBudgetExhausted;
  EXPECT_EQ(refused, 4);
  StatusOr<uint64_t> received = server_->QueriesReceived("group.test");
  ASSERT_OK(received);
  EXPECT_EQ(*received, 6u);
  EXPECT_EQ(options.query_budget->UsageOf("shared")->spent, 6u);
  EXPECT_FALSE(options.query_budget->UsageOf("one.group.test").has_value());
}

}  // namespace
}  // namespace mailrep
