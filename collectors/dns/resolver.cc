#include "collectors/dns/resolver.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>

namespace mailrep {
namespace {

struct BatchState {
  std::mutex mu;
  std::condition_variable_any cv;
  std::vector<DnsAnswer> answers;
  std::vector<bool> finished;
  size_t remaining = 0;
  bool abandoned = false;  // ResolveAll returned early; late answers are dropped
};

}  // namespace

DnsAnswer Resolver::Resolve(std::string_view name, RecordType type, SteadyTime deadline) {
  std::vector<DnsQuery> queries(1);
  queries[0].name = std::string(name);
  queries[0].type = type;
  queries[0].deadline = deadline;
  return std::move(ResolveAll(std::move(queries))[0]);
}

std::vector<DnsAnswer> Resolver::ResolveAll(std::vector<DnsQuery> queries, std::stop_token stop) {
  auto state = std::make_shared<BatchState>();
  state->answers.resize(queries.size());
  state->finished.assign(queries.size(), false);
  state->remaining = queries.size();
  for (size_t i = 0; i < queries.size(); ++i) {
    state->answers[i].canonical_name = NormalizeDnsName(queries[i].name);
    Submit(std::move(queries[i]), [state, i](DnsAnswer answer) {
      std::lock_guard<std::mutex> lock(state->mu);
      if (state->abandoned) return;
      state->answers[i] = std::move(answer);
      state->finished[i] = true;
      if (--state->remaining == 0) state->cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(state->mu);
  state->cv.wait(lock, stop, [&] { return state->remaining == 0; });
  if (state->remaining != 0) {
    state->abandoned = true;
    for (size_t i = 0; i < state->answers.size(); ++i) {
      if (state->finished[i]) continue;
      state->answers[i].outcome = DnsOutcome::kCancelled;
      state->answers[i].error = "stop requested";
    }
  }
  return std::move(state->answers);
}

}  // namespace mailrep
