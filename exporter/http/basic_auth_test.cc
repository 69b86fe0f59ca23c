#include "exporter/http/basic_auth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "exporter/http/http_test_support.h"

namespace mailrep {
namespace {

TEST(ParseBasicAuthorization, Table) {
  struct Case {
    const char* header;
    bool ok;
    const char* user;
    const char* password;
  };
  const Case cases[] = {
      {"Basic YWxpY2U6czNjcmV0", true, "alice", "s3cret"},
      {"basic YWxpY2U6czNjcmV0", true, "alice", "s3cret"},
      {"  Basic   YWxpY2U6czNjcmV0  ", true, "alice", "s3cret"},
      {"Basic YWxpY2U6", true, "alice", ""},
      {"Basic OnA=", true, "", "p"},
      {"Basic YTpiOmM=", true, "a", "b:c"},
      {"Basic YWxpY2U=", false, "", ""},           // no colon
      {"Basic YWxpY2U6czNjcmV0=", false, "", ""},  // bad length
      {"Basic YWxp!2U6", false, "", ""},
      {"Basic ====", false, "", ""},
      {"Basic", false, "", ""},
      {"Bearer YWxpY2U6czNjcmV0", false, "", ""},
      {"", false, "", ""},
  };
  for (const Case& c : cases) {
    std::string user, password;
    EXPECT_EQ(ParseBasicAuthorization(c.header, &user, &password), c.ok) << c.header;
    if (c.ok) {
      EXPECT_EQ(user, c.user) << c.header;
      EXPECT_EQ(password, c.password) << c.header;
    }
  }
}

TEST(LooksLikeBcryptHash, Table) {
  const std::string body = "QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
  EXPECT_TRUE(LooksLikeBcryptHash("$2y$10$" + body));
  EXPECT_TRUE(LooksLikeBcryptHash("$2a$04$" + body));
  EXPECT_TRUE(LooksLikeBcryptHash("$2b$31$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2x$10$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2y$03$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2y$32$" + body));
  EXPECT_FALSE(LooksLikeBcryptHash("$2y$10$" + body.substr(1)));
  EXPECT_FALSE(LooksLikeBcryptHash("$5$rounds=1000$abc"));
  EXPECT_FALSE(LooksLikeBcryptHash("plain"));
  EXPECT_FALSE(LooksLikeBcryptHash(""));
}

TEST(VerifyBcrypt, MatchesOnlyTheRightPassword) {
  std::string hash = testing::BcryptHash("correct horse");
  ASSERT_TRUE(LooksLikeBcryptHash(hash)) << hash;
  EXPECT_TRUE(VerifyBcrypt("correct horse", hash));
  EXPECT_FALSE(VerifyBcrypt("correct horsE", hash));
  EXPECT_FALSE(VerifyBcrypt("", hash));
  EXPECT_FALSE(VerifyBcrypt("correct horse", "not a hash"));
}

TEST(BcryptCost, ReadsTheTwoDigits) {
  const std::string body = "QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
  EXPECT_EQ(BcryptCost("$2y$10$" + body), 10);
  EXPECT_EQ(BcryptCost("$2b$31$" + body), 31);
  EXPECT_EQ(BcryptCost("$2a$04$" + body), 4);
  EXPECT_EQ(BcryptCost("$2y$32$" + body), -1);
  EXPECT_EQ(BcryptCost("plain"), -1);
  EXPECT_LE(kMinBcryptCost, kMaxBcryptCost);
}

TEST(BasicAuthenticator, ChecksAndCachesOnlySuccesses) {
  BasicAuthenticator empty({});
  EXPECT_FALSE(empty.enabled());

  BasicAuthenticator auth({{"alice", testing::BcryptHash("s3cret")}});
  EXPECT_TRUE(auth.enabled());
  EXPECT_EQ(auth.Check(""), AuthResult::kDenied);
  EXPECT_EQ(auth.Check("Basic YWxpY2U6d3Jvbmc="), AuthResult::kDenied);  // alice:wrong
  EXPECT_EQ(auth.Check("Basic Ym9iOnMzY3JldA=="), AuthResult::kDenied);  // bob:s3cret
  EXPECT_EQ(auth.CacheSizeForTest(), 0u);
  EXPECT_EQ(auth.Check("Basic YWxpY2U6czNjcmV0"), AuthResult::kAllowed);  // alice:s3cret
  EXPECT_EQ(auth.CacheSizeForTest(), 1u);
  EXPECT_EQ(auth.Check("Basic YWxpY2U6czNjcmV0"), AuthResult::kAllowed);
  EXPECT_EQ(auth.CacheSizeForTest(), 1u);
  EXPECT_EQ(auth.Check("Basic YWxpY2U6d3Jvbmc="), AuthResult::kDenied);
}

// Unknown users pay a bcrypt of the highest configured cost, against a hash
// that is nobody's: not even its own password lets an unknown user in.
TEST(BasicAuthenticator, DummyHashHasTheHighestCost) {
  BasicAuthenticator auth({{"alice", testing::BcryptHash("a", 5)},
                           {"bob", testing::BcryptHash("b", 6)},
                           {"carol", testing::BcryptHash("c", 4)}});
  const std::string& dummy = auth.DummyHashForTest();
  ASSERT_TRUE(LooksLikeBcryptHash(dummy)) << dummy;
  EXPECT_EQ(BcryptCost(dummy), 6);
  EXPECT_FALSE(VerifyBcrypt("", dummy));
  EXPECT_TRUE(BasicAuthenticator({}).DummyHashForTest().empty());
}

// The fastest of `runs` calls of `a` and of `b`, taken in turns so that both
// see the same load; the fastest is the call's own cost, whatever else the
// machine is doing (ctest runs tests side by side).
std::pair<double, double> FastestSecondsOf(int runs, const std::function<void()>& a,
                                           const std::function<void()>& b) {
  auto seconds_of = [](const std::function<void()>& f) {
    auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  double fastest_a = 1e9, fastest_b = 1e9;
  for (int i = 0; i < runs; ++i) {
    fastest_a = std::min(fastest_a, seconds_of(a));
    fastest_b = std::min(fastest_b, seconds_of(b));
  }
  return {fastest_a, fastest_b};
}

// Wrong password for a known user and any password for an unknown user cost
// one bcrypt each (here cost 8, ~15 ms idle). Before, an unknown user cost a
// fixed cost-10 bcrypt whatever the users' cost: 64 ms against 970 ms at 14,
// a ratio of 4 at cost 8, well outside the bounds below.
TEST(BasicAuthenticator, KnownAndUnknownUsersTakeTheSameTime) {
  BasicAuthenticator auth({{"alice", testing::BcryptHash("s3cret", 8)}});
  const std::string known = "Basic " + std::string("YWxpY2U6d3Jvbmc=");        // alice:wrong
  const std::string unknown = "Basic " + std::string("bWFsbG9yeTp3cm9uZw==");  // mallory:wrong
  ASSERT_EQ(auth.Check(known), AuthResult::kDenied);
  ASSERT_EQ(auth.Check(unknown), AuthResult::kDenied);
  auto [known_s, unknown_s] = FastestSecondsOf(
      9, [&] { auth.Check(known); }, [&] { auth.Check(unknown); });
  double ratio = unknown_s / known_s;
  EXPECT_GT(ratio, 0.5) << known_s << " s vs " << unknown_s << " s";
  EXPECT_LT(ratio, 2.0) << known_s << " s vs " << unknown_s << " s";
}

// With every bcrypt slot taken, a check that needs bcrypt is answered at once
// (kBusy), for known and unknown users alike; a cached success still passes.
TEST(BasicAuthenticator, BusyWhenEveryBcryptSlotIsTaken) {
  BasicAuthenticator auth({{"alice", testing::BcryptHash("s3cret", 12)}},
                          /*max_concurrent_bcrypt=*/1);
  ASSERT_EQ(auth.Check("Basic YWxpY2U6czNjcmV0"), AuthResult::kAllowed);  // cached now
  std::atomic<bool> done{false};
  std::thread slow([&] {
    auth.Check("Basic YWxpY2U6d3Jvbmc=");  // alice:wrong, ~0.25 s or more
    done = true;
  });
  while (auth.BcryptRunningForTest() == 0 && !done) std::this_thread::yield();
  if (!done) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(auth.Check("Basic YWxpY2U6bm9wZQ=="), AuthResult::kBusy);      // alice:nope
    EXPECT_EQ(auth.Check("Basic bWFsbG9yeTp3cm9uZw=="), AuthResult::kBusy);  // mallory
    EXPECT_EQ(auth.Check("Basic YWxpY2U6czNjcmV0"), AuthResult::kAllowed);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0.1);
  }
  slow.join();
  EXPECT_TRUE(done);
  EXPECT_EQ(auth.BcryptRunningForTest(), 0);
  EXPECT_EQ(auth.Check("Basic YWxpY2U6bm9wZQ=="), AuthResult::kDenied);
}

}  // namespace
}  // namespace mailrep
