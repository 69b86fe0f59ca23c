#include "collectors/reports/tlsrpt_intake_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// Reads the reports section `yaml`; the errors, one per line, in `errors`.
std::optional<TlsRptIntakeOptions> Read(std::string_view yaml, std::string* errors) {
  StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "test.yml");
  EXPECT_OK(node.status());
  std::optional<TlsRptIntakeOptions> out = ReadTlsRptIntakeOptions(*node);
  Status status = node->Finish();
  *errors = status.ok() ? "" : status.message();
  return out;
}

TEST(TlsRptIntakeOptionsTest, AbsentMeansNoIntake) {
  std::string errors;
  EXPECT_FALSE(Read("state_file: /x\n", &errors).has_value());
}

TEST(TlsRptIntakeOptionsTest, Defaults) {
  std::string errors;
  std::optional<TlsRptIntakeOptions> o =
      Read("tlsrpt_intake: {listen_address: \":8460\"}\n", &errors);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(errors, "");
  EXPECT_EQ(o->path, "/tlsrpt");
  EXPECT_EQ(o->max_body_bytes, 1u << 20);
  EXPECT_EQ(o->spool_dir, "/var/lib/mailrep-exporter/tlsrpt");
  EXPECT_TRUE(o->tls_cert_file.empty());
}

TEST(TlsRptIntakeOptionsTest, EveryKey) {
  std::string errors;
  std::optional<TlsRptIntakeOptions> o = Read(R"(tlsrpt_intake:
  listen_address: "127.0.0.1:8460"
  path: /reports/tls
  tls_cert_file: /etc/c.pem
  tls_key_file: /etc/c.key
  spool_dir: /srv/spool
  max_body_bytes: 2048
  max_decompressed_bytes: 4096
  max_concurrent: 2
  max_per_minute: 10
  body_timeout: 5s
  max_spool_bytes: 2097152
  spool_retention: 7d
)",
                                              &errors);
  EXPECT_EQ(errors, "");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->path, "/reports/tls");
  EXPECT_EQ(o->tls_key_file, "/etc/c.key");
  EXPECT_EQ(o->max_concurrent, 2);
  EXPECT_EQ(o->body_timeout, std::chrono::seconds(5));
  EXPECT_EQ(o->max_spool_bytes, 2097152u);
  EXPECT_EQ(o->spool_retention, std::chrono::hours(24 * 7));
}

TEST(TlsRptIntakeOptionsTest, Errors) {
  std::string errors;
  (void)Read(R"(tlsrpt_intake:
  path: tlsrpt
  tls_cert_file: c.pem
  spool_dir: spool
  max_body_bytes: 10
  body_timeout: 1h
  spool_retention: 60d
  unknown: 1
)",
             &errors);
  EXPECT_THAT(errors, ::testing::HasSubstr("listen_address"));
  EXPECT_THAT(errors, ::testing::HasSubstr("tlsrpt_intake.path"));
  EXPECT_THAT(errors, ::testing::HasSubstr("want both tls_cert_file and tls_key_file"));
  EXPECT_THAT(errors, ::testing::HasSubstr("tlsrpt_intake.tls_cert_file: want an absolute path"));
  EXPECT_THAT(errors, ::testing::HasSubstr("tlsrpt_intake.spool_dir"));
  EXPECT_THAT(errors, ::testing::HasSubstr("tlsrpt_intake.max_body_bytes"));
  EXPECT_THAT(errors, ::testing::HasSubstr("tlsrpt_intake.body_timeout"));
  EXPECT_THAT(errors, ::testing::HasSubstr("tlsrpt_intake.spool_retention"));
  EXPECT_THAT(errors, ::testing::HasSubstr("unknown"));
}

}  // namespace
}  // namespace mailrep
