#include "exporter/util/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace mailrep {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kOk);
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::NotFound("no such file: /etc/x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "no such file: /etc/x");
  EXPECT_EQ(s.ToString(), "not_found: no such file: /etc/x");
}

TEST(StatusTest, AnnotatePrefixesErrorsOnly) {
  EXPECT_EQ(Status::IoError("read failed").Annotate("queue").message(), "queue: read failed");
  EXPECT_EQ(Status::IoError("x").Annotate("queue").code(), Status::Code::kIoError);
  EXPECT_TRUE(Status::OK().Annotate("queue").ok());
}

TEST(StatusTest, CodeNamesAreSnakeCase) {
  struct Case {
    Status status;
    const char* name;
  } cases[] = {
      {Status::OK(), "ok"},
      {Status::InvalidArgument(""), "invalid_argument"},
      {Status::NotFound(""), "not_found"},
      {Status::PermissionDenied(""), "permission_denied"},
      {Status::IoError(""), "io_error"},
      {Status::Unavailable(""), "unavailable"},
      {Status::DeadlineExceeded(""), "deadline_exceeded"},
      {Status::Cancelled(""), "cancelled"},
      {Status::ResourceExhausted(""), "resource_exhausted"},
      {Status::Internal(""), "internal"},
  };
  for (const Case& c : cases) EXPECT_EQ(StatusCodeName(c.status.code()), c.name);
  // The one fallback of every <Enum>Name(), for a value outside the enum.
  EXPECT_EQ(StatusCodeName(static_cast<Status::Code>(99)), "unknown");
}

TEST(StatusOrTest, HoldsValueOrStatus) {
  StatusOr<std::string> good = std::string("hello");
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good.status().ok());
  EXPECT_EQ(*good, "hello");
  EXPECT_EQ(good->size(), 5u);

  StatusOr<std::string> bad = Status::Unavailable("down");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(bad.status().message(), "down");
}

TEST(StatusOrTest, MovesOutMoveOnlyValues) {
  StatusOr<std::unique_ptr<int>> p = std::make_unique<int>(7);
  ASSERT_TRUE(p.ok());
  std::unique_ptr<int> owned = std::move(p).value();
  EXPECT_EQ(*owned, 7);
}

}  // namespace
}  // namespace mailrep
