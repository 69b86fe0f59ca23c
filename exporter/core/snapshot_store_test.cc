#include "exporter/core/snapshot_store.h"

#include <gtest/gtest.h>

#include <random>

#include "exporter/core/metric_set.h"
#include "exporter/util/testing/gunzip.h"

namespace mailrep {
namespace {

std::shared_ptr<const Snapshot> OneGauge(const std::string& name, const std::string& label,
                                         double value) {
  MetricSet set;
  set.AddGauge(name, "Help.", {{"l", label}}, value);
  return std::make_shared<const Snapshot>(std::move(set).Take());
}

TEST(SnapshotStoreTest, EmptyStoreServesEmptyText) {
  SnapshotStore store;
  EXPECT_EQ(*store.Exposition(), "");
}

TEST(SnapshotStoreTest, MergesFamiliesOfTheSameNameIntoOneBlock) {
  SnapshotStore store;
  store.Put("postfix", OneGauge("mailrep_queue_messages", "postfix", 3));
  store.Put("exim", OneGauge("mailrep_queue_messages", "exim", 4));
  std::string text = *store.Exposition();
  EXPECT_EQ(text.find("# TYPE mailrep_queue_messages gauge"),
            text.rfind("# TYPE mailrep_queue_messages gauge"));
  EXPECT_NE(text.find("mailrep_queue_messages{l=\"postfix\"} 3"), std::string::npos);
  EXPECT_NE(text.find("mailrep_queue_messages{l=\"exim\"} 4"), std::string::npos);
}

TEST(SnapshotStoreTest, PutReplacesAndRetainOnlyDrops) {
  SnapshotStore store;
  store.Put("a", OneGauge("a_gauge", "x", 1));
  store.Put("b", OneGauge("b_gauge", "x", 1));
  std::shared_ptr<const std::string> before = store.Exposition();
  store.Put("a", OneGauge("a_gauge", "x", 2));
  EXPECT_NE(store.Exposition()->find("a_gauge{l=\"x\"} 2"), std::string::npos);
  EXPECT_NE(before->find("a_gauge{l=\"x\"} 1"), std::string::npos) << "readers keep their copy";
  store.RetainOnly({"a"});
  EXPECT_EQ(store.Exposition()->find("b_gauge"), std::string::npos);
  EXPECT_EQ(store.Get("b"), nullptr);
  EXPECT_NE(store.Get("a"), nullptr);
}

// The gzip form a scrape would send: the exposition's deflated parts joined
// after a per-scrape head (as the HTTP server does).
std::string GzipOf(const SnapshotStore& store, std::string_view head = "") {
  std::shared_ptr<const PrecompressedText> exposition = store.CompressedExposition();
  EXPECT_TRUE(exposition->deflated.has_value());
  if (!exposition->deflated) return "";
  StatusOr<DeflatedPart> head_part = DeflatePart(head);
  EXPECT_TRUE(head_part.ok());
  return GzipJoin({&*head_part, &*exposition->deflated});
}

// What the store must serve: SerializeMerged over the snapshots by name.
std::string Expected(const std::map<std::string, std::shared_ptr<const Snapshot>>& snapshots) {
  std::vector<const Snapshot*> all;
  for (const auto& [name, snapshot] : snapshots) all.push_back(snapshot.get());
  return SerializeMerged(all);
}

TEST(SnapshotStoreTest, EmptyStoreServesAnEmptyGzip) {
  SnapshotStore store;
  EXPECT_EQ(testing::ZlibGunzip(GzipOf(store)), "");
  EXPECT_EQ(testing::ZlibGunzip(GzipOf(store, "self 1\n")), "self 1\n");
}

TEST(SnapshotStoreTest, GzipEqualsTheTextAcrossUpdatesMergesAndEmptySnapshots) {
  SnapshotStore store;
  std::map<std::string, std::shared_ptr<const Snapshot>> now;
  auto put = [&](const std::string& collector, std::shared_ptr<const Snapshot> snapshot) {
    now[collector] = snapshot;
    store.Put(collector, std::move(snapshot));
    std::string want = Expected(now);
    ASSERT_EQ(*store.Exposition(), want);
    std::string gz = GzipOf(store, "# HELP self S.\nself 1\n");
    EXPECT_EQ(testing::ZlibGunzip(gz), "# HELP self S.\nself 1\n" + want);
    EXPECT_EQ(testing::PythonGunzip(gz), "# HELP self S.\nself 1\n" + want);
  };
  put("postfix", OneGauge("mailrep_queue_messages", "postfix", 3));
  put("dnsbl", OneGauge("mailrep_dnsbl_listed", "a", 1));
  put("exim", OneGauge("mailrep_queue_messages", "exim", 4));  // merged into postfix's block
  put("empty", std::make_shared<const Snapshot>());
  put("dnsbl", OneGauge("mailrep_dnsbl_listed", "b", 0));
  put("exim", std::make_shared<const Snapshot>());  // no longer merged
  store.RetainOnly({"dnsbl", "empty"});
  now.erase("postfix");
  now.erase("exim");
  EXPECT_EQ(*store.Exposition(), Expected(now));
  EXPECT_EQ(testing::ZlibGunzip(GzipOf(store)), Expected(now));
}

// Snapshots of many families; deflated once: a Put of one collector
// compresses only that collector's text.
TEST(SnapshotStoreTest, EachSnapshotIsDeflatedOnce) {
  auto big = [](const std::string& prefix, int families) {
    MetricSet set;
    for (int f = 0; f < families; ++f) {
      for (int i = 0; i < 50; ++i) {
        set.AddGauge(prefix + std::to_string(f), "Help.", {{"i", std::to_string(i)}}, i);
      }
    }
    return std::make_shared<const Snapshot>(std::move(set).Take());
  };
  SnapshotStore store;
  store.Put("a", big("a_", 40));
  uint64_t after_a = store.BytesDeflated();
  EXPECT_EQ(after_a, store.Exposition()->size());
  std::shared_ptr<const Snapshot> small = OneGauge("b_gauge", "x", 1);
  store.Put("b", small);
  EXPECT_EQ(store.BytesDeflated() - after_a, Expected({{"b", small}}).size())
      << "a's part came from the cache";
  store.Put("b", OneGauge("b_gauge", "x", 2));
  store.RetainOnly({"a", "b"});
  EXPECT_LT(store.BytesDeflated(), 2 * after_a);
  EXPECT_EQ(testing::ZlibGunzip(GzipOf(store)), *store.Exposition());
}

// Random collectors putting random snapshots whose families share names at
// random: the text always equals SerializeMerged, and the gzip the text.
TEST(SnapshotStoreTest, RandomUpdatesKeepGzipAndTextIdentical) {
  std::mt19937 rng(14);
  SnapshotStore store;
  std::map<std::string, std::shared_ptr<const Snapshot>> now;
  for (int step = 0; step < 300; ++step) {
    std::string collector = "c" + std::to_string(rng() % 6);
    if (rng() % 10 == 0) {
      std::vector<std::string> keep;
      for (auto it = now.begin(); it != now.end();) {
        if (rng() % 3 == 0) {
          it = now.erase(it);
        } else {
          keep.push_back(it->first);
          ++it;
        }
      }
      store.RetainOnly(keep);
    } else {
      MetricSet set;
      int families = static_cast<int>(rng() % 8);  // 0: an empty snapshot
      for (int f = 0; f < families; ++f) {
        // Names from a small pool are shared with other collectors at times.
        std::string name = rng() % 3 == 0 ? "shared_" + std::to_string(rng() % 4)
                                          : collector + "_own_" + std::to_string(f);
        int series = static_cast<int>(rng() % 200);
        for (int i = 0; i < series; ++i) {
          set.AddGauge(name, "Help of " + name + ".", {{"c", collector}, {"i", std::to_string(i)}},
                       static_cast<double>(rng() % 1000));
        }
      }
      auto snapshot = std::make_shared<const Snapshot>(std::move(set).Take());
      now[collector] = snapshot;
      store.Put(collector, snapshot);
    }
    std::string want = Expected(now);
    ASSERT_EQ(*store.Exposition(), want) << "step " << step;
    ASSERT_EQ(testing::ZlibGunzip(GzipOf(store, "head\n")), "head\n" + want) << "step " << step;
  }
  EXPECT_EQ(testing::PythonGunzip(GzipOf(store)), Expected(now));
}

}  // namespace
}  // namespace mailrep
