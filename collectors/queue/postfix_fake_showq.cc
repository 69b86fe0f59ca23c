#include "collectors/queue/postfix_fake_showq.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "gtest/gtest.h"

namespace mailrep {

FakeShowq::FakeShowq(const std::string& path, std::string stream) {
  fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(chmod(path.c_str(), 0666), 0);
  EXPECT_EQ(listen(fd_, 4), 0);
  thread_ = std::thread([this, stream = std::move(stream)] {
    int client = accept(fd_, nullptr, nullptr);
    if (client < 0) return;
    (void)!write(client, stream.data(), stream.size());
    close(client);
  });
}

FakeShowq::~FakeShowq() {
  shutdown(fd_, SHUT_RDWR);
  thread_.join();
  close(fd_);
}

std::string EmptyShowqStream() {
  static const char kStream[] = "protocol\0mail_queue_list_protocol\0\0\0";
  return std::string(kStream, sizeof(kStream) - 1);
}

}  // namespace mailrep
