#include "collectors/queue/exim_header_file.h"

#include <gtest/gtest.h>

#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// -H files written by a real Exim 4.96 (tests/queue/exim_lab.sh); sizes are
// what `exim -bp` printed for them, with the -D file sizes from the same spool.
struct RealCase {
  const char* fixture;
  std::string id;
  std::string sender;
  int64_t arrival;
  bool frozen;
  bool first_delivery;
  uint64_t delivered;
  std::vector<std::string> pending;
  uint64_t data_size;
  uint64_t bp_size;
};

TEST(EximHeaderFileTest, RealEximFiles) {
  const RealCase cases[] = {
      {"two_pending_1xWxJJ-0008Uk-0x-H",
       "1xWxJJ-0008Uk-0x",
       "s1@lab.example.test",
       1795791145,
       false,
       true,
       0,
       {"a@one.example.test", "b@two.example.test"},
       25,
       352},
      {"one_delivered_1xWxJJ-0008Uq-1N-H",
       "1xWxJJ-0008Uq-1N",
       "s1@lab.example.test",
       1795791145,
       false,
       false,
       1,
       {"d@soft.example.test"},
       25,
       352},
      {"refused_1xWxJJ-0008Uw-1r-H",
       "1xWxJJ-0008Uw-1r",
       "s2@lab.example.test",
       1795791145,
       false,
       false,
       0,
       {"e@down.example.test"},
       25,
       359},
      {"frozen_1xWxJK-0008VF-0u-H",
       "1xWxJK-0008VF-0u",
       "s3@lab.example.test",
       1795791146,
       true,
       true,
       0,
       {"f@one.example.test"},
       25,
       357},
      {"null_sender_1xWxJK-0008VT-29-H",
       "1xWxJK-0008VT-29",
       "",
       1795791146,
       false,
       true,
       0,
       {"g@two.example.test"},
       31,
       258},
  };
  for (const RealCase& c : cases) {
    SCOPED_TRACE(c.fixture);
    StatusOr<EximHeaderInfo> info =
        ParseEximHeaderFile(ReadQueueFixture(std::string("exim/") + c.fixture));
    ASSERT_OK(info);
    EXPECT_EQ(info->id, c.id);
    EXPECT_EQ(info->sender, c.sender);
    EXPECT_EQ(info->arrival_time, c.arrival);
    EXPECT_EQ(info->frozen, c.frozen);
    EXPECT_EQ(info->first_delivery, c.first_delivery);
    EXPECT_EQ(info->delivered, c.delivered);
    EXPECT_EQ(info->pending, c.pending);
    EXPECT_EQ(info->pending_count, c.pending.size());
    EXPECT_EQ(EximMessageSize(*info, c.data_size), c.bp_size);
  }
}

std::string Minimal(std::string_view options, std::string_view tree, std::string_view rcpts) {
  return "1xWxJJ-0008Uk-0x-H\nroot 0 0\n<s@x.example>\n1700000000 0\n" + std::string(options) +
         std::string(tree) + "\n" + std::string(rcpts) + "\n011  Subject: t\n";
}

TEST(EximHeaderFileTest, TreesAclVariablesAndErrorsTo) {
  // A three-node tree (root with both subtrees), an ACL variable whose value
  // spans lines, and a recipient with errors_to data.
  std::string data = Minimal("-aclc 0 7\nab\ncd\ne\n-frozen 1700000001\n",
                             "YY b@x.example\nNN a@x.example\nNN c@x.example",
                             "4\na@x.example\nb@x.example\nd@x.example\n"
                             "e@x.example err@x.example 13,0#1\n");
  StatusOr<EximHeaderInfo> info = ParseEximHeaderFile(data);
  ASSERT_OK(info);
  EXPECT_TRUE(info->frozen);
  EXPECT_EQ(info->delivered, 2u);
  EXPECT_EQ(info->pending, (std::vector<std::string>{"d@x.example", "e@x.example"}));
  EXPECT_EQ(info->header_bytes, 11u);
}

// Who submitted: line 2's login (parsed from the right), -auth_id,
// -auth_sender, -ident, -host_address without its port, and tainted "--"
// options; values are cut to 1024 bytes.
TEST(EximHeaderFileTest, SubmitterFields) {
  std::string data =
      "1xWxJJ-0008Uk-0x-H\nDebian exim 101 101\n<s@x.example>\n1700000000 0\n"
      "--auth_id alice@x.example\n-auth_sender alice@x.example\n-ident bob\n"
      "-host_address 192.0.2.7.51234\n-local\n-" +
      std::string("auth_sender ") + std::string(2000, 'a') +
      "\nXX\n1\nr@y.example\n\n011  Subject: t\n";
  StatusOr<EximHeaderInfo> info = ParseEximHeaderFile(data);
  ASSERT_OK(info);
  EXPECT_EQ(info->login, "Debian exim");
  EXPECT_EQ(info->auth_id, "alice@x.example");
  EXPECT_EQ(info->auth_sender.size(), 1024u);
  EXPECT_EQ(info->ident, "bob");
  EXPECT_EQ(info->host_address, "192.0.2.7");
  EXPECT_TRUE(info->local);
  for (const char* form : {"[192.0.2.9]:5000", "[192.0.2.9]"}) {
    std::string bracketed = data;
    bracketed.replace(bracketed.find("192.0.2.7.51234"), 15, form);
    StatusOr<EximHeaderInfo> b = ParseEximHeaderFile(bracketed);
    ASSERT_OK(b);
    EXPECT_EQ(b->host_address, "192.0.2.9") << form;
  }

  // The real lab file of `exim -f` run by root: a local submission.
  StatusOr<EximHeaderInfo> real =
      ParseEximHeaderFile(ReadQueueFixture("exim/two_pending_1xWxJJ-0008Uk-0x-H"));
  ASSERT_OK(real);
  EXPECT_EQ(real->login, "root");
  EXPECT_EQ(real->ident, "root");
  EXPECT_TRUE(real->auth_id.empty());
  EXPECT_TRUE(real->host_address.empty());
}

TEST(EximHeaderFileTest, EveryTruncationIsAnError) {
  std::string data = ReadQueueFixture("exim/one_delivered_1xWxJJ-0008Uq-1N-H");
  ASSERT_FALSE(data.empty());
  for (size_t n = 0; n < data.size(); ++n) {
    StatusOr<EximHeaderInfo> info = ParseEximHeaderFile(std::string_view(data).substr(0, n));
    // A cut exactly between two headers is a valid (shorter) file.
    if (info.ok()) {
      EXPECT_EQ(data[n - 1], '\n') << n;
      EXPECT_LT(info->header_bytes, 345u) << n;
    }
  }
  EXPECT_OK(ParseEximHeaderFile(data));
}

TEST(EximHeaderFileTest, MalformedIsAClearError) {
  const std::pair<std::string, const char*> cases[] = {
      {"", "first line"},
      {"x-D\n", "first line"},
      {"1xWxJJ-0008Uk-0x-H\nroot 0 0\nsender\n", "sender"},
      {"1xWxJJ-0008Uk-0x-H\nroot 0 0\n<s>\nsoon 0\n", "time"},
      {Minimal("-aclc 0 99\nab\n", "XX", "0\n"), "ACL"},
      {Minimal("", "YN a@x", "0\n"), "tree"},
      {Minimal("", "ZZ a@x", "0\n"), "tree line"},
      {Minimal("", "XX", "x\n"), "recipient count"},
      {Minimal("", "XX", "5\na@x\n"), "recipient"},
      {"1xWxJJ-0008Uk-0x-H\nroot 0 0\n<s>\n1 0\nXX\n0\n\n999  Subject: t\n", "truncated header"},
  };
  for (const auto& [data, message] : cases) {
    SCOPED_TRACE(data);
    StatusOr<EximHeaderInfo> info = ParseEximHeaderFile(data);
    ASSERT_FALSE(info.ok());
    EXPECT_NE(info.status().message().find(message), std::string::npos) << info.status().message();
  }
}

TEST(EximHeaderFileTest, MsglogDeferrals) {
  std::vector<EximDeferral> d =
      ParseEximMsglogDeferrals(ReadQueueFixture("exim/msglog_1xWxJJ-0008Uq-1N"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].recipient, "d@soft.example.test");
  EXPECT_EQ(d[0].reason,
            "SMTP error from remote mail server after RCPT TO:<d@soft.example.test>: 452 4.2.2 "
            "<user> Mailbox full, try again later");
  d = ParseEximMsglogDeferrals(ReadQueueFixture("exim/msglog_1xWxJJ-0008Uw-1r"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].recipient, "e@down.example.test");
  EXPECT_EQ(d[0].reason, "Connection refused");
  EXPECT_TRUE(ParseEximMsglogDeferrals("garbage\n defer (\nx defer (1)").empty());
}

}  // namespace
}  // namespace mailrep
