#include "exporter/http/connection_deadlines.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mailrep {
namespace {

using std::chrono::milliseconds;

// True when the peer of `fd` (one end of a socketpair) sees EOF within `ms`.
bool SeesEof(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, ms) <= 0) return false;
  char c;
  return recv(fd, &c, 1, MSG_DONTWAIT) == 0;
}

TEST(ConnectionDeadlinesTest, ShutsDownOnlyConnectionsPastTheirDeadline) {
  int late[2], cleared[2], removed[2];
  for (int* pair : {late, cleared, removed}) {
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  }
  {
    ConnectionDeadlines deadlines;
    auto soon = ConnectionDeadlines::Clock::now() + milliseconds(100);
    deadlines.Add(&late, late[0], soon);
    deadlines.Add(&cleared, cleared[0], soon);
    deadlines.Set(&cleared, ConnectionDeadlines::kNone);  // a request is being served
    deadlines.Add(&removed, removed[0], soon);
    deadlines.Remove(&removed);  // closed by its owner
    EXPECT_TRUE(SeesEof(late[1], 2000));
    EXPECT_FALSE(SeesEof(cleared[1], 500));
    EXPECT_FALSE(SeesEof(removed[1], 1));
    EXPECT_EQ(deadlines.expired(), 1u);
  }
  for (int* pair : {late, cleared, removed}) {
    close(pair[0]);
    close(pair[1]);
  }
}

}  // namespace
}  // namespace mailrep
