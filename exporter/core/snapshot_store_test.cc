#include "exporter/core/snapshot_store.h"

#include <gtest/gtest.h>

#include "exporter/core/metric_set.h"

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

}  // namespace
}  // namespace mailrep
