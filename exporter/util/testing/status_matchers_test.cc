#include "exporter/util/testing/status_matchers.h"

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace mailrep {
namespace {

using ::testing::Not;

TEST(StatusMatchersTest, OkPasses) {
  ASSERT_OK(Status::OK());
  EXPECT_OK(StatusOr<int>(3));
  EXPECT_THAT(Status::OK(), IsOk());
  EXPECT_THAT(StatusOr<int>(3), IsOk());
}

TEST(StatusMatchersTest, FailurePrintsTheStatus) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(Status::NotFound("no such zone")), "not_found: no such zone");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(StatusOr<int>(Status::Internal("boom"))), "boom");
  EXPECT_FATAL_FAILURE(ASSERT_OK(Status::IoError("disk")), "disk");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(Status::Cancelled("stop"), IsOk()),
                          "whose status is cancelled: stop");
  EXPECT_THAT(Status::Cancelled("stop"), Not(IsOk()));
  EXPECT_THAT(StatusOr<int>(Status::Cancelled("stop")), Not(IsOk()));
}

}  // namespace
}  // namespace mailrep
