#include "collectors/host/seen_sending_ips.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace mailrep {
namespace {

using std::chrono::hours;

constexpr int64_t kNow = 1700000000;

std::vector<std::string> Addresses(const std::vector<SeenSendingIps::Entry>& entries) {
  std::vector<std::string> out;
  for (const SeenSendingIps::Entry& e : entries) out.push_back(e.address.ToString());
  return out;
}

TEST(SeenSendingIpsTest, KeepsPublicAddressesCanonical) {
  SeenSendingIps store;
  EXPECT_TRUE(store.Record("11.22.33.44", kNow));
  EXPECT_TRUE(store.Record("2A01:4F8:0:0::25", kNow + 1));
  EXPECT_TRUE(store.Record("11.22.33.44", kNow + 2));  // refreshed, not added
  EXPECT_EQ(Addresses(store.Recent(kNow + 2, hours(24))),
            (std::vector<std::string>{"11.22.33.44", "2a01:4f8::25"}));
  EXPECT_EQ(store.Size(kNow + 2), 2u);
  std::vector<SeenSendingIps::Entry> recent = store.Recent(kNow + 2, hours(24));
  EXPECT_EQ(recent[0].first_seen, kNow);
  EXPECT_EQ(recent[0].last_seen, kNow + 2);
}

TEST(SeenSendingIpsTest, IgnoresAddressesThatAreNotPublic) {
  SeenSendingIps store;
  for (const char* ip : {"127.0.0.1", "10.1.2.3", "192.168.0.5", "172.16.0.1", "100.64.0.1",
                         "169.254.1.1", "192.0.2.10", "0.0.0.0", "::1", "fe80::1", "fd00::1",
                         "2001:db8::25", "::ffff:10.0.0.1", "224.0.0.1", "unknown", ""}) {
    EXPECT_FALSE(store.Record(ip, kNow)) << ip;
  }
  EXPECT_EQ(store.Size(kNow), 0u);
  EXPECT_EQ(store.dropped(), 0u);  // ignored, not dropped
}

TEST(SeenSendingIpsTest, RecentHonoursTheWindow) {
  SeenSendingIps store;
  ASSERT_TRUE(store.Record("11.0.0.1", kNow));
  ASSERT_TRUE(store.Record("11.0.0.2", kNow + 3600 * 20));
  int64_t later = kNow + 3600 * 25;
  EXPECT_EQ(Addresses(store.Recent(later, hours(24))), (std::vector<std::string>{"11.0.0.2"}));
  EXPECT_EQ(Addresses(store.Recent(later, hours(48))),
            (std::vector<std::string>{"11.0.0.1", "11.0.0.2"}));
  // Still held (the retention is a week), only out of the 24 h window.
  EXPECT_EQ(store.Size(later), 2u);
}

TEST(SeenSendingIpsTest, OrdersByFirstSeen) {
  SeenSendingIps store;
  ASSERT_TRUE(store.Record("11.0.0.9", kNow));
  ASSERT_TRUE(store.Record("11.0.0.1", kNow + 10));
  ASSERT_TRUE(store.Record("11.0.0.9", kNow + 20));  // seen again: keeps its place
  EXPECT_EQ(Addresses(store.Recent(kNow + 20, hours(1))),
            (std::vector<std::string>{"11.0.0.9", "11.0.0.1"}));
}

TEST(SeenSendingIpsTest, FullStoreDropsNewAddressesUntilOnesExpire) {
  SeenSendingIps store(2, hours(24));
  ASSERT_TRUE(store.Record("11.0.0.1", kNow));
  ASSERT_TRUE(store.Record("11.0.0.2", kNow + 3600));
  EXPECT_FALSE(store.Record("11.0.0.3", kNow + 7200));
  EXPECT_EQ(store.dropped(), 1u);
  EXPECT_TRUE(store.Record("11.0.0.1", kNow + 7200));  // a held address still refreshes
  EXPECT_EQ(store.dropped(), 1u);
  // 25 h after 11.0.0.2 was last seen it has expired: its slot goes to the new one.
  int64_t later = kNow + 3600 * 26;
  EXPECT_TRUE(store.Record("11.0.0.3", later));
  EXPECT_EQ(Addresses(store.Recent(later, hours(24))),
            (std::vector<std::string>{"11.0.0.1", "11.0.0.3"}));
  EXPECT_EQ(store.Size(later), 2u);
  EXPECT_EQ(store.dropped(), 1u);
}

TEST(SeenSendingIpsTest, SizeAndRecentForgetWhatAgedOut) {
  SeenSendingIps store(8, hours(24));
  ASSERT_TRUE(store.Record("11.0.0.1", kNow));
  EXPECT_EQ(store.Size(kNow + 3600 * 24), 1u);
  EXPECT_EQ(store.Size(kNow + 3600 * 24 + 1), 0u);
  // A window longer than the retention is cut to the retention.
  EXPECT_TRUE(store.Recent(kNow + 3600 * 30, hours(48)).empty());
}

TEST(SeenSendingIpsTest, ConcurrentRecordsStayBounded) {
  SeenSendingIps store(64, hours(24));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 1000; ++i) {
        store.Record("11.0." + std::to_string(t) + "." + std::to_string(i % 200), kNow + i);
        if (i % 50 == 0) (void)store.Recent(kNow + i, hours(1));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(store.Size(kNow + 1000), 64u);
  // 800 distinct addresses, 64 kept: the first record of each of the other
  // 736 was dropped, and every later one too.
  EXPECT_GE(store.dropped(), 736u);
}

}  // namespace
}  // namespace mailrep
