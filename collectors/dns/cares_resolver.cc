#include "collectors/dns/cares_resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "collectors/dns/answer_decoder.h"

namespace mailrep {
namespace {

std::once_flag ares_library_once;
int ares_library_status = ARES_SUCCESS;

DnsAnswer Outcome(DnsOutcome outcome, std::string error, const std::string& name) {
  DnsAnswer answer;
  answer.outcome = outcome;
  answer.error = std::move(error);
  answer.canonical_name = name;
  return answer;
}

}  // namespace

class CaresResolver::Impl {
 public:
  explicit Impl(CaresResolverOptions options)
      : options_(std::move(options)), cache_(options_.cache, options_.clock) {}

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    Wake();
    if (worker_.joinable()) worker_.join();
    if (wake_fd_ >= 0) close(wake_fd_);
  }

  Status Init() {
    std::call_once(ares_library_once,
                   [] { ares_library_status = ares_library_init(ARES_LIB_INIT_ALL); });
    if (ares_library_status != ARES_SUCCESS) {
      return Status::Internal(std::string("ares_library_init: ") +
                              ares_strerror(ares_library_status));
    }
    if (options_.max_in_flight < 1) return Status::InvalidArgument("max_in_flight must be >= 1");
    if (options_.tries < 1) return Status::InvalidArgument("tries must be >= 1");
    if (options_.timeout.count() < 1) return Status::InvalidArgument("timeout must be >= 1ms");
    if (options_.edns_udp_size != 0 &&
        (options_.edns_udp_size < 512 || options_.edns_udp_size > 4096)) {
      return Status::InvalidArgument("edns_udp_size must be 0 or 512-4096");
    }

    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wake_fd_ < 0) return Status::IoError(std::string("eventfd: ") + std::strerror(errno));

    ares_options opts{};
    int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
    // NOCHECKRESP: c-ares 1.18 turns SERVFAIL/REFUSED answers into
    // ARES_ECONNREFUSED after its retries, losing the RCODE; with the flag it
    // hands those answers over and the decoder maps them exactly.
    opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP;
    if (!options_.recursion_desired) opts.flags |= ARES_FLAG_NORECURSE;
    if (options_.edns_udp_size != 0) {
      opts.flags |= ARES_FLAG_EDNS;
      opts.ednspsz = options_.edns_udp_size;
      mask |= ARES_OPT_EDNSPSZ;
    }
    if (options_.socket_receive_buffer > 0) {
      opts.socket_receive_buffer_size = options_.socket_receive_buffer;
      mask |= ARES_OPT_SOCK_RCVBUF;
    }
    opts.timeout = static_cast<int>(options_.timeout.count());
    opts.tries = options_.tries;
    opts.sock_state_cb = &Impl::OnSocketState;
    opts.sock_state_cb_data = this;
    std::string resolv_conf = options_.resolv_conf;  // c-ares copies it
    if (options_.servers.empty() && !resolv_conf.empty()) {
      std::FILE* f = std::fopen(resolv_conf.c_str(), "r");
      if (f == nullptr) {
        return Status::InvalidArgument("resolv.conf " + resolv_conf + ": " + std::strerror(errno));
      }
      std::fclose(f);
      opts.resolvconf_path = resolv_conf.data();
      mask |= ARES_OPT_RESOLVCONF;
    }
    int rc = ares_init_options(&channel_, &opts, mask);
    if (rc != ARES_SUCCESS) {
      channel_ = nullptr;
      return Status::Internal(std::string("ares_init_options: ") + ares_strerror(rc));
    }
    if (!options_.servers.empty()) {
      std::string csv;
      for (const DnsServerAddress& server : options_.servers) {
        if (!csv.empty()) csv += ",";
        csv += server.ToString();
      }
      rc = ares_set_servers_ports_csv(channel_, csv.c_str());
      if (rc != ARES_SUCCESS) {
        ares_destroy(channel_);
        channel_ = nullptr;
        return Status::InvalidArgument("DNS servers \"" + csv + "\": " + ares_strerror(rc));
      }
    }
    ReadServers();
    worker_ = std::thread([this] { Run(); });
    return Status::OK();
  }

  void Submit(DnsQuery query, DnsCallback done) {
    bool stopped;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped = stopping_;
      if (!stopped) {
        submitted_.fetch_add(1, std::memory_order_relaxed);
        incoming_.emplace_back(std::move(query), std::move(done));
        if (incoming_.size() > 1) return;  // the worker has been woken already
      }
    }
    if (stopped) {
      done(Outcome(DnsOutcome::kCancelled, "resolver stopped", NormalizeDnsName(query.name)));
      return;
    }
    Wake();
  }

  const std::vector<DnsServerAddress>& servers() const { return servers_; }

  CaresResolverStats stats() const {
    CaresResolverStats stats;
    stats.submitted = submitted_.load(std::memory_order_relaxed);
    stats.cache_hits = cache_hits_.load(std::memory_order_relaxed);
    stats.sent = sent_.load(std::memory_order_relaxed);
    stats.rate_limited = rate_limited_.load(std::memory_order_relaxed);
    stats.coalesced = coalesced_.load(std::memory_order_relaxed);
    stats.budget_refused = budget_refused_.load(std::memory_order_relaxed);
    for (size_t i = 0; i < stats.outcomes.size(); ++i) {
      stats.outcomes[i] = outcomes_[i].load(std::memory_order_relaxed);
    }
    stats.in_flight = in_flight_gauge_.load(std::memory_order_relaxed);
    stats.peak_in_flight = peak_in_flight_.load(std::memory_order_relaxed);
    stats.queued = queued_gauge_.load(std::memory_order_relaxed);
    return stats;
  }

 private:
  // One query on the wire and everyone waiting for its answer: identical
  // queries (same name and type) submitted while it is queued or in flight
  // join it instead of sending their own.
  struct Request {
    Impl* owner = nullptr;
    uint64_t id = 0;
    DnsQuery query;                    // name normalised
    std::vector<DnsCallback> waiters;  // null once answered
    size_t waiting = 0;                // non-null waiters
    bool delivered = false;            // every waiter answered
    bool in_ares = false;
    bool resent = false;
  };

  struct KeyQueue {
    std::deque<uint64_t> ids;
    SteadyTime blocked_until;  // rate-limited until then
  };

  struct DeadlineEntry {
    SteadyTime at;
    uint64_t id;
    size_t waiter;
    bool operator>(const DeadlineEntry& other) const { return at > other.at; }
  };

  static std::string CoalesceKey(const DnsQuery& query) {
    return query.name + '\0' + std::to_string(static_cast<int>(query.type));
  }

  void Wake() {
    uint64_t one = 1;
    ssize_t n = write(wake_fd_, &one, sizeof(one));
    (void)n;  // EAGAIN means the counter is already non-zero: the worker wakes anyway
  }

  void ReadServers() {
    ares_addr_port_node* list = nullptr;
    if (ares_get_servers_ports(channel_, &list) != ARES_SUCCESS) return;
    for (ares_addr_port_node* node = list; node != nullptr; node = node->next) {
      DnsServerAddress server;
      if (node->family == AF_INET) {
        server.address.family = IpAddress::Family::kV4;
        std::memcpy(server.address.bytes.data(), &node->addr.addr4, 4);
      } else if (node->family == AF_INET6) {
        server.address.family = IpAddress::Family::kV6;
        std::memcpy(server.address.bytes.data(), &node->addr.addr6, 16);
      } else {
        continue;
      }
      server.port = static_cast<uint16_t>(node->udp_port != 0 ? node->udp_port : 53);
      servers_.push_back(server);
    }
    ares_free_data(list);
  }

  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable) {
    Impl* self = static_cast<Impl*>(data);
    if (!readable && !writable) {
      self->sockets_.erase(fd);
      return;
    }
    short events = 0;
    if (readable) events |= POLLIN;
    if (writable) events |= POLLOUT;
    self->sockets_[fd] = events;
  }

  static void OnAresDone(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
    Request* request = static_cast<Request*>(arg);
    Impl* self = request->owner;
    request->in_ares = false;
    --self->in_flight_;
    self->in_flight_gauge_.store(self->in_flight_, std::memory_order_relaxed);
    if (request->delivered) {
      self->requests_.erase(request->id);
      return;
    }
    // c-ares 1.18 fails every query outstanding to a server when one of its
    // sockets breaks (a TCP connection reset by the server, an ICMP error), not
    // just the query that used it. Those bystanders get one more try.
    if (status == ARES_ECONNREFUSED && !request->resent) {
      request->resent = true;
      self->Requeue(request);
      return;
    }
    DnsAnswer answer = self->AnswerFromAres(*request, status, abuf, alen);
    self->cache_.Insert(request->query.name, request->query.type, answer);
    self->Deliver(request, std::move(answer));
  }

  DnsAnswer AnswerFromAres(const Request& request, int status, const unsigned char* abuf,
                           int alen) {
    const std::string& name = request.query.name;
    // ares_query reports the RCODE as a status but still hands over the
    // packet, which the decoder reads exactly.
    if (abuf != nullptr && alen > 0 &&
        (status == ARES_SUCCESS || status == ARES_ENODATA || status == ARES_ENOTFOUND ||
         status == ARES_EFORMERR || status == ARES_ESERVFAIL || status == ARES_ENOTIMP ||
         status == ARES_EREFUSED)) {
      return DecodeDnsAnswer(std::span<const uint8_t>(abuf, static_cast<size_t>(alen)), name,
                             request.query.type);
    }
    switch (status) {
      case ARES_ETIMEOUT:
        return Outcome(DnsOutcome::kTimeout, "no answer within the timeout", name);
      case ARES_ESERVFAIL:
        return Outcome(DnsOutcome::kServFail, "SERVFAIL", name);
      case ARES_EREFUSED:
        return Outcome(DnsOutcome::kRefused, "REFUSED", name);
      case ARES_EBADRESP:
        return Outcome(DnsOutcome::kMalformed, "bad response", name);
      case ARES_EDESTRUCTION:
      case ARES_ECANCELLED:
        return Outcome(DnsOutcome::kCancelled, "resolver stopped", name);
      default:
        return Outcome(DnsOutcome::kError, ares_strerror(status), name);
    }
  }

  // Answers every waiter still waiting.
  void Deliver(Request* request, DnsAnswer answer) {
    if (request->delivered) return;
    MarkDelivered(request);
    std::vector<DnsCallback> waiters = std::move(request->waiters);
    request->waiters.clear();
    request->waiting = 0;
    if (!request->in_ares) requests_.erase(request->id);  // `request` is gone
    size_t left = 0;
    for (const DnsCallback& done : waiters) left += done != nullptr;
    for (DnsCallback& done : waiters) {
      if (done == nullptr) continue;
      outcomes_[static_cast<size_t>(answer.outcome)].fetch_add(1, std::memory_order_relaxed);
      if (--left == 0) {
        done(std::move(answer));
      } else {
        done(answer);
      }
    }
  }

  // Answers one waiter (its deadline passed); the query goes on for the others.
  void DeliverOne(Request* request, size_t waiter, DnsAnswer answer) {
    if (request->delivered || request->waiters[waiter] == nullptr) return;
    DnsCallback done = std::move(request->waiters[waiter]);
    request->waiters[waiter] = nullptr;
    if (--request->waiting == 0) {
      MarkDelivered(request);
      if (!request->in_ares) requests_.erase(request->id);
    }
    outcomes_[static_cast<size_t>(answer.outcome)].fetch_add(1, std::memory_order_relaxed);
    done(std::move(answer));
  }

  void MarkDelivered(Request* request) {
    request->delivered = true;
    auto it = pending_.find(CoalesceKey(request->query));
    if (it != pending_.end() && it->second == request->id) pending_.erase(it);
  }

  // Moves submitted queries into the worker's structures. Returns false when
  // stopping.
  bool TakeIncoming(SteadyTime now) {
    std::vector<std::pair<DnsQuery, DnsCallback>> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return false;
      batch.swap(incoming_);
    }
    for (auto& [query, done] : batch) {
      query.name = NormalizeDnsName(query.name);
      if (std::optional<DnsAnswer> cached = cache_.Lookup(query.name, query.type)) {
        cache_hits_.fetch_add(1, std::memory_order_relaxed);
        outcomes_[static_cast<size_t>(cached->outcome)].fetch_add(1, std::memory_order_relaxed);
        done(std::move(*cached));
        continue;
      }
      std::string key = CoalesceKey(query);
      if (auto same = pending_.find(key); same != pending_.end()) {
        Request* leader = requests_.at(same->second).get();
        leader->waiters.push_back(std::move(done));
        ++leader->waiting;
        if (query.deadline != SteadyTime::max()) {
          deadlines_.push({query.deadline, leader->id, leader->waiters.size() - 1});
        }
        coalesced_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      auto request = std::make_unique<Request>();
      request->owner = this;
      request->id = next_id_++;
      request->waiters.push_back(std::move(done));
      request->waiting = 1;
      pending_.emplace(std::move(key), request->id);
      if (query.deadline != SteadyTime::max()) deadlines_.push({query.deadline, request->id, 0});
      auto [it, inserted] = waiting_.try_emplace(query.rate_key);
      if (inserted) {
        it->second.blocked_until = now;
        active_keys_.push_back(query.rate_key);
      }
      it->second.ids.push_back(request->id);
      request->query = std::move(query);
      requests_.emplace(request->id, std::move(request));
      ++queued_;
    }
    return true;
  }

  void Requeue(Request* request) {
    auto [it, inserted] = waiting_.try_emplace(request->query.rate_key);
    if (inserted) active_keys_.push_back(request->query.rate_key);
    it->second.ids.push_front(request->id);
    ++queued_;
  }

  void ExpireDeadlines(SteadyTime now) {
    while (!deadlines_.empty() && deadlines_.top().at <= now) {
      DeadlineEntry entry = deadlines_.top();
      deadlines_.pop();
      auto it = requests_.find(entry.id);
      if (it == requests_.end() || it->second->delivered) continue;
      Request* request = it->second.get();
      DeliverOne(request, entry.waiter,
                 Outcome(DnsOutcome::kTimeout,
                         request->in_ares ? "deadline passed while in flight"
                                          : "deadline passed before the query was sent",
                         request->query.name));
    }
  }

  // Sends queued queries while slots and tokens allow. Returns when a
  // rate-limited key gets its next token (max() if none is waiting on one).
  SteadyTime Dispatch(SteadyTime now) {
    SteadyTime retry = SteadyTime::max();
    const size_t max_in_flight = static_cast<size_t>(options_.max_in_flight);
    bool progress = true;
    while (progress && in_flight_ < max_in_flight && !active_keys_.empty()) {
      progress = false;
      for (size_t i = 0; i < active_keys_.size() && in_flight_ < max_in_flight;) {
        auto it = waiting_.find(active_keys_[i]);
        KeyQueue& queue = it->second;
        while (!queue.ids.empty() && !Live(queue.ids.front())) {
          queue.ids.pop_front();
          --queued_;
        }
        if (queue.ids.empty()) {
          waiting_.erase(it);
          active_keys_[i] = std::move(active_keys_.back());
          active_keys_.pop_back();
          continue;
        }
        ++i;
        if (now < queue.blocked_until) {
          retry = std::min(retry, queue.blocked_until);
          continue;
        }
        std::chrono::steady_clock::duration wait{};
        if (options_.rate_limiter != nullptr &&
            !options_.rate_limiter->TryAcquire(it->first, &wait)) {
          rate_limited_.fetch_add(1, std::memory_order_relaxed);
          queue.blocked_until = now + wait;
          retry = std::min(retry, queue.blocked_until);
          continue;
        }
        uint64_t id = queue.ids.front();
        queue.ids.pop_front();
        --queued_;
        progress = true;
        Request* request = requests_.at(id).get();
        const std::string& budget_key =
            request->query.budget_key.empty() ? it->first : request->query.budget_key;
        if (options_.query_budget != nullptr && !options_.query_budget->TrySpend(budget_key)) {
          budget_refused_.fetch_add(1, std::memory_order_relaxed);
          Deliver(request, Outcome(DnsOutcome::kBudgetExhausted,
                                   "the daily query budget of " + budget_key + " is spent",
                                   request->query.name));
          continue;
        }
        Send(request);
      }
    }
    queued_gauge_.store(queued_, std::memory_order_relaxed);
    return retry;
  }

  bool Live(uint64_t id) const {
    auto it = requests_.find(id);
    return it != requests_.end() && !it->second->delivered;
  }

  void Send(Request* request) {
    request->in_ares = true;
    ++in_flight_;
    in_flight_gauge_.store(in_flight_, std::memory_order_relaxed);
    if (in_flight_ > peak_in_flight_.load(std::memory_order_relaxed)) {
      peak_in_flight_.store(in_flight_, std::memory_order_relaxed);
    }
    sent_.fetch_add(1, std::memory_order_relaxed);
    // May call OnAresDone before returning (a bad name, no servers).
    ares_query(channel_, request->query.name.c_str(), /*dnsclass=*/1,
               static_cast<int>(request->query.type), &Impl::OnAresDone, request);
  }

  void Run() {
    std::vector<pollfd> fds;
    while (true) {
      SteadyTime now = std::chrono::steady_clock::now();
      if (!TakeIncoming(now)) break;
      ExpireDeadlines(now);
      SteadyTime wake_at = Dispatch(now);
      if (!deadlines_.empty()) wake_at = std::min(wake_at, deadlines_.top().at);

      timespec timeout{};
      timespec* timeout_ptr = nullptr;
      timeval ares_tv{};
      timeval* ares_wait = ares_timeout(channel_, nullptr, &ares_tv);
      std::chrono::nanoseconds wait = std::chrono::nanoseconds::max();
      if (ares_wait != nullptr) {
        wait =
            std::chrono::seconds(ares_wait->tv_sec) + std::chrono::microseconds(ares_wait->tv_usec);
      }
      if (wake_at != SteadyTime::max()) {
        wait = std::min<std::chrono::nanoseconds>(
            wait, std::max(wake_at - now, std::chrono::steady_clock::duration::zero()));
      }
      if (wait != std::chrono::nanoseconds::max()) {
        timeout.tv_sec = static_cast<time_t>(wait.count() / 1000000000);
        timeout.tv_nsec = static_cast<long>(wait.count() % 1000000000);
        timeout_ptr = &timeout;
      }

      fds.clear();
      fds.push_back({wake_fd_, POLLIN, 0});
      for (const auto& [fd, events] : sockets_) fds.push_back({fd, events, 0});
      int ready = ppoll(fds.data(), fds.size(), timeout_ptr, nullptr);
      if (ready < 0 && errno != EINTR) break;

      if (ready > 0 && (fds[0].revents & POLLIN)) {
        uint64_t counter;
        ssize_t n = read(wake_fd_, &counter, sizeof(counter));
        (void)n;
      }
      bool processed = false;
      for (size_t i = 1; ready > 0 && i < fds.size(); ++i) {
        short revents = fds[i].revents;
        if (revents == 0) continue;
        bool readable = revents & (POLLIN | POLLERR | POLLHUP);
        bool writable = revents & (POLLOUT | POLLERR | POLLHUP);
        ares_process_fd(channel_, readable ? fds[i].fd : ARES_SOCKET_BAD,
                        writable ? fds[i].fd : ARES_SOCKET_BAD);
        processed = true;
      }
      if (!processed) ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    }
    Shutdown();
  }

  void Shutdown() {
    // ares_destroy ends every query in c-ares with ARES_EDESTRUCTION.
    ares_destroy(channel_);
    channel_ = nullptr;
    std::vector<Request*> pending;
    for (auto& [id, request] : requests_) {
      if (!request->delivered) pending.push_back(request.get());
    }
    for (Request* request : pending) {
      request->in_ares = false;
      Deliver(request, Outcome(DnsOutcome::kCancelled, "resolver stopped", request->query.name));
    }
    requests_.clear();
    std::vector<std::pair<DnsQuery, DnsCallback>> rest;
    {
      std::lock_guard<std::mutex> lock(mu_);
      rest.swap(incoming_);
    }
    for (auto& [query, done] : rest) {
      done(Outcome(DnsOutcome::kCancelled, "resolver stopped", NormalizeDnsName(query.name)));
    }
  }

  const CaresResolverOptions options_;
  std::vector<DnsServerAddress> servers_;  // fixed after Init()

  // Shared with submitting threads.
  std::mutex mu_;
  std::vector<std::pair<DnsQuery, DnsCallback>> incoming_;
  bool stopping_ = false;
  int wake_fd_ = -1;

  // Worker thread only (and Init() before it starts).
  ares_channel channel_ = nullptr;
  DnsCache cache_;
  std::unordered_map<ares_socket_t, short> sockets_;
  std::unordered_map<uint64_t, std::unique_ptr<Request>> requests_;
  std::unordered_map<std::string, KeyQueue> waiting_;
  // CoalesceKey -> the id of the undelivered request identical queries join.
  std::unordered_map<std::string, uint64_t> pending_;
  std::vector<std::string> active_keys_;  // keys of waiting_, visited round-robin
  std::priority_queue<DeadlineEntry, std::vector<DeadlineEntry>, std::greater<>> deadlines_;
  uint64_t next_id_ = 1;
  size_t in_flight_ = 0;
  size_t queued_ = 0;

  std::atomic<uint64_t> submitted_{0};
  std::atomic<uint64_t> cache_hits_{0};
  std::atomic<uint64_t> sent_{0};
  std::atomic<uint64_t> rate_limited_{0};
  std::atomic<uint64_t> coalesced_{0};
  std::atomic<uint64_t> budget_refused_{0};
  std::array<std::atomic<uint64_t>, 10> outcomes_{};
  std::atomic<uint64_t> in_flight_gauge_{0};
  std::atomic<uint64_t> queued_gauge_{0};
  std::atomic<uint64_t> peak_in_flight_{0};

  std::thread worker_;
};

StatusOr<std::unique_ptr<CaresResolver>> CaresResolver::Create(CaresResolverOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  Status status = impl->Init();
  if (!status.ok()) return status;
  return std::unique_ptr<CaresResolver>(new CaresResolver(std::move(impl)));
}

namespace {
std::atomic<int> live_resolvers{0};
}  // namespace

CaresResolver::CaresResolver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  live_resolvers.fetch_add(1, std::memory_order_relaxed);
}

CaresResolver::~CaresResolver() {
  impl_.reset();
  live_resolvers.fetch_sub(1, std::memory_order_relaxed);
}

int CaresResolver::LiveCount() { return live_resolvers.load(std::memory_order_relaxed); }

void CaresResolver::Submit(DnsQuery query, DnsCallback done) {
  impl_->Submit(std::move(query), std::move(done));
}

const std::vector<DnsServerAddress>& CaresResolver::servers() const { return impl_->servers(); }

CaresResolverStats CaresResolver::stats() const { return impl_->stats(); }

}  // namespace mailrep
