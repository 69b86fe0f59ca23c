// The RFC 8461 rules of the MTA-STS fetch, over a FakeHttpFetcher: what is
// asked of the transport, and how each answer is judged. The same rules over
// the real libcurl fetcher and a TLS server: mta_sts_fetch_test.cc.
#include "collectors/auth/mta_sts_fetcher.h"

#include <gtest/gtest.h>

#include "collectors/http_fetch/http_fetcher_testing.h"
#include "exporter/core/fake_clock.h"

namespace mailrep {
namespace {

using std::chrono::seconds;

constexpr char kUrl[] = "https://mta-sts.example.com/.well-known/mta-sts.txt";
constexpr char kPolicy[] = "version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 86400\n";

struct Fixture {
  std::shared_ptr<FakeHttpFetcher> http = std::make_shared<FakeHttpFetcher>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::unique_ptr<MtaStsFetcher> fetcher;
  Fixture() {
    MtaStsFetcherOptions options;
    options.ca_file = "/etc/mailrep/ca.pem";
    options.total_timeout = seconds(30);
    options.clock = clock;
    fetcher = NewMtaStsFetcher(http, options);
  }
  MtaStsFetchResult Fetch(SteadyTime deadline = SteadyTime::max(), std::stop_token stop = {}) {
    return fetcher->Fetch("Example.COM.", {*IpAddress::Parse("192.0.2.80")}, deadline, stop);
  }
};

TEST(MtaStsFetcherTest, AsksForAnHttpsGetWithoutRedirectsToThePinnedAddresses) {
  Fixture f;
  f.http->Respond(kUrl, FakeHttpFetcher::Ok(kPolicy));
  std::stop_source stop;
  MtaStsFetchResult r = f.Fetch(SteadyTime::max(), stop.get_token());
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.url, kUrl);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, kPolicy);

  std::vector<HttpFetchRequest> requests = f.http->requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpFetchRequest& q = requests[0];
  EXPECT_EQ(q.method, HttpMethod::kGet);
  EXPECT_EQ(q.url, kUrl);
  EXPECT_FALSE(q.follow_redirects);
  EXPECT_FALSE(q.allow_plain_http);
  EXPECT_EQ(q.max_response_bytes, 65536u);
  EXPECT_EQ(q.ca_file, "/etc/mailrep/ca.pem");
  EXPECT_EQ(q.addresses, std::vector<IpAddress>{*IpAddress::Parse("192.0.2.80")});
  EXPECT_EQ(q.connect_port, 0);
  EXPECT_EQ(HttpHeaderValue(q.headers, "User-Agent"), "mailrep_exporter (MTA-STS check)");
  EXPECT_EQ(q.deadline, f.clock->SteadyNow() + seconds(30));  // total_timeout from the clock
  stop.request_stop();
  EXPECT_TRUE(q.stop.stop_requested());  // the caller's stop reaches the transport
}

TEST(MtaStsFetcherTest, TheCallersEarlierDeadlineWins) {
  Fixture f;
  f.http->Respond(kUrl, FakeHttpFetcher::Ok(kPolicy));
  SteadyTime soon = f.clock->SteadyNow() + seconds(5);
  (void)f.Fetch(soon);
  EXPECT_EQ(f.http->requests().at(0).deadline, soon);
}

TEST(MtaStsFetcherTest, JudgesTheAnswer) {
  struct Case {
    StatusOr<HttpFetchResponse> answer;
    bool ok;
    const char* error;
  } cases[] = {
      {FakeHttpFetcher::Ok(kPolicy, "Text/Plain; charset=utf-8"), true, ""},
      {FakeHttpFetcher::Ok(kPolicy, "text/plain", 301), false,
       "redirect (HTTP 301) not followed: RFC 8461 forbids redirects"},
      {FakeHttpFetcher::Ok("gone", "text/plain", 404), false, "HTTP status 404 (only 200 counts)"},
      {FakeHttpFetcher::Ok(kPolicy, "text/plain", 204), false, "HTTP status 204 (only 200 counts)"},
      {FakeHttpFetcher::Ok(kPolicy, "text/html"), false,
       "Content-Type text/html is not text/plain"},
      {FakeHttpFetcher::Ok(kPolicy, ""), false, "no Content-Type (must be text/plain)"},
      {FakeHttpFetcher::Ok(std::string(65537, 'x')), false, "policy larger than 65536 bytes"},
      {Status::ResourceExhausted("response larger than 65536 bytes"), false,
       "policy larger than 65536 bytes"},
      {Status::Cancelled("cancelled"), false, "cancelled"},
      {Status::DeadlineExceeded("Timeout was reached"), false, "Timeout was reached"},
      {Status::Unavailable("SSL peer certificate or SSH remote key was not OK"), false,
       "SSL peer certificate or SSH remote key was not OK"},
  };
  for (const Case& c : cases) {
    Fixture f;
    f.http->Respond(kUrl, c.answer);
    MtaStsFetchResult r = f.Fetch();
    EXPECT_EQ(r.ok, c.ok) << c.error;
    EXPECT_EQ(r.error, c.error);
    if (!c.ok) {
      EXPECT_TRUE(r.body.empty()) << c.error;
    }
  }
}

}  // namespace
}  // namespace mailrep
