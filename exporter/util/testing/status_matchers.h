// gtest helpers for Status and StatusOr<T>: failures print the Status.
//
//   ASSERT_OK(LoadConfig(path));          // fatal; prints "invalid_argument: ..."
//   EXPECT_OK(result);                    // a Status or any StatusOr<T>
//   EXPECT_THAT(result, IsOk());          // the same, as a gmock matcher
//   EXPECT_THAT(result, Not(IsOk()));
//
// `ASSERT_TRUE(x.ok())` prints only "false" when it fails; these print the
// code and message. Header-only, test code only; stateless.
#ifndef MAILREP_EXPORTER_UTIL_TESTING_STATUS_MATCHERS_H_
#define MAILREP_EXPORTER_UTIL_TESTING_STATUS_MATCHERS_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporter/util/status.h"

namespace mailrep {
namespace status_matchers_internal {

inline Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const StatusOr<T>& status_or) {
  return status_or.status();
}

// gtest's predicate-format hook: success, or a failure naming `text` and the Status.
template <typename S>
::testing::AssertionResult IsOkFormat(const char* text, const S& value) {
  Status status = StatusOf(value);
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text << " is not OK: " << status.ToString();
}

}  // namespace status_matchers_internal

// Matches an OK Status or a StatusOr<T> holding a value; explains a mismatch
// with the Status.
MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  Status status = ::mailrep::status_matchers_internal::StatusOf(arg);
  if (!status.ok()) *result_listener << "whose status is " << status.ToString();
  return status.ok();
}

}  // namespace mailrep

#define ASSERT_OK(expr) ASSERT_PRED_FORMAT1(::mailrep::status_matchers_internal::IsOkFormat, expr)
#define EXPECT_OK(expr) EXPECT_PRED_FORMAT1(::mailrep::status_matchers_internal::IsOkFormat, expr)

#endif  // MAILREP_EXPORTER_UTIL_TESTING_STATUS_MATCHERS_H_
