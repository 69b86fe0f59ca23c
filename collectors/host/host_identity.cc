#include "collectors/host/host_identity.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "exporter/util/ascii.h"
#include "exporter/util/lines.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr size_t kMaxHostsBytes = 4 << 20;

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// A getaddrinfo(AI_CANONNAME) that the caller may stop waiting for. The
// shared state outlives the caller when the lookup runs late.
std::optional<std::string> CanonicalName(const std::string& hostname,
                                         std::chrono::milliseconds timeout) {
  struct State {
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    std::string name;
  };
  auto state = std::make_shared<State>();
  std::thread([state, hostname] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    addrinfo* res = nullptr;
    std::string name;
    if (getaddrinfo(hostname.c_str(), nullptr, &hints, &res) == 0) {
      if (res != nullptr && res->ai_canonname != nullptr) name = res->ai_canonname;
      freeaddrinfo(res);
    }
    std::lock_guard lock(state->mu);
    state->name = std::move(name);
    state->done = true;
    state->done_cv.notify_all();
  }).detach();
  std::unique_lock lock(state->mu);
  if (!state->done_cv.wait_for(lock, timeout, [&] { return state->done; })) return std::nullopt;
  if (state->name.empty()) return std::nullopt;
  return state->name;
}

}  // namespace

std::optional<std::string> FqdnFromHostsFile(std::string_view text, std::string_view hostname) {
  if (hostname.empty()) return std::nullopt;
  while (std::optional<std::string_view> next = NextLine(&text)) {
    std::string_view line = next->substr(0, next->find('#'));
    std::vector<std::string_view> fields = Fields(line);
    if (fields.size() < 2) continue;
    bool names_host = std::any_of(fields.begin() + 1, fields.end(), [&](std::string_view f) {
      return EqualsIgnoreCase(f, hostname);
    });
    if (!names_host) continue;
    for (size_t i = 1; i < fields.size(); ++i) {
      std::string_view name = fields[i];
      if (name.find('.') != std::string_view::npos && !name.ends_with('.') &&
          !name.starts_with('.')) {
        return std::string(name);
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

HostIdentity HostIdentityFor(const std::string& hostname, const std::string& root,
                             std::chrono::milliseconds dns_timeout) {
  HostIdentity identity{hostname, hostname};
  if (hostname.empty()) return identity;
  StatusOr<std::string> hosts = ReadFileCapped(root + "/etc/hosts", kMaxHostsBytes);
  if (hosts.ok()) {
    if (auto fqdn = FqdnFromHostsFile(*hosts, hostname)) {
      identity.fqdn = *fqdn;
      return identity;
    }
  }
  if (hostname.find('.') != std::string::npos) return identity;
  if (dns_timeout > std::chrono::milliseconds::zero()) {
    if (auto name = CanonicalName(hostname, dns_timeout)) identity.fqdn = *name;
  }
  return identity;
}

HostIdentity LookUpHostIdentity(const std::string& root, std::chrono::milliseconds dns_timeout) {
  char buf[HOST_NAME_MAX + 1] = {};
  std::string hostname;
  if (gethostname(buf, sizeof(buf) - 1) == 0) hostname = buf;
  return HostIdentityFor(hostname, root, dns_timeout);
}

}  // namespace mailrep
