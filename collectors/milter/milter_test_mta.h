// TestMta: a milter client speaking the wire protocol as Postfix does (all
// no-reply flags offered unless told otherwise), over a unix socket — for the milter's tests and
// its benchmark. One per thread; test code only.
#ifndef MAILREP_COLLECTORS_MILTER_MILTER_TEST_MTA_H_
#define MAILREP_COLLECTORS_MILTER_MILTER_TEST_MTA_H_

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <string_view>

#include "collectors/milter/milter_protocol.h"

namespace mailrep {

class TestMta {
 public:
  explicit TestMta(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    std::strncpy(sun.sun_path, path.c_str(), sizeof(sun.sun_path) - 1);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&sun), sizeof(sun)) == 0;
  }
  ~TestMta() { close(fd_); }
  bool connected() const { return connected_; }
  bool ok() const { return ok_; }  // every write went through

  void Send(char command, std::string_view data) {
    std::string p = MilterPacket(command, data);
    ok_ = ok_ && send(fd_, p.data(), p.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(p.size());
  }
  // The next reply's command byte ('\0' on EOF).
  char Reply() {
    while (true) {
      bool error = false;
      if (auto p = reader_.Next(&error)) {
        last_reply_ = std::string(p->second);
        return p->first;
      }
      char buffer[4096];
      ssize_t n = read(fd_, buffer, sizeof(buffer));
      if (n <= 0) return '\0';
      reader_.Append(std::string_view(buffer, static_cast<size_t>(n)));
    }
  }
  // Offers `flags` (default: every one, as Postfix does) and keeps the
  // negotiated ones.
  bool Negotiate(uint32_t flags = 0x1fffff) {
    std::string o;
    for (uint32_t v : {6u, 0x1ffu, flags}) {
      for (int shift : {24, 16, 8, 0}) o.push_back(static_cast<char>(v >> shift));
    }
    Send('O', o);
    if (Reply() != 'O' || last_reply_.size() < 12) return false;
    protocol_ = 0;
    for (int i = 8; i < 12; ++i)
      protocol_ = protocol_ << 8 | static_cast<unsigned char>(last_reply_[i]);
    return true;
  }
  uint32_t protocol() const { return protocol_; }
  // One message as Postfix sends it, waiting for the replies the negotiated
  // flags call for: returns the reply to end of body.
  char Message(std::string_view sender, std::string_view headers_and_body) {
    Send('M', std::string(sender) + std::string("\0", 1));
    Send('R', std::string("<rcpt@example.net>\0", 19));
    size_t end = headers_and_body.find("\r\n\r\n");
    std::string_view headers = headers_and_body.substr(0, end + 2);
    while (!headers.empty()) {
      size_t eol = headers.find("\r\n");
      while (eol + 2 < headers.size() && (headers[eol + 2] == ' ' || headers[eol + 2] == '\t')) {
        eol = headers.find("\r\n", eol + 2);
      }
      std::string_view line = headers.substr(0, eol);
      size_t colon = line.find(':');
      std::string_view value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      Send('L', std::string(line.substr(0, colon)) + std::string("\0", 1) + std::string(value) +
                    std::string("\0", 1));
      headers.remove_prefix(eol + 2);
    }
    Send('N', "");
    if (!(protocol_ & kMilterNoReplyEndOfHeaders) && Reply() != 'c') return '?';
    Send('B', headers_and_body.substr(end + 4));
    if (!(protocol_ & kMilterNoReplyBody) && Reply() != 'c') return '?';
    Send('E', "");
    return Reply();
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool ok_ = true;
  uint32_t protocol_ = 0;
  std::string last_reply_;
  MilterFrameReader reader_{1 << 20};
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MILTER_MILTER_TEST_MTA_H_
