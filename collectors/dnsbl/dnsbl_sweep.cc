#include "collectors/dnsbl/dnsbl_sweep.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "collectors/dnsbl/dnsbl_local_answer.h"

namespace mailrep {
namespace {

// Queries handed to the resolver at once. Submitting a whole sweep (two
// million names for a /16 on 30 lists) would hold every query and raw answer
// in memory; a window keeps that bounded while still filling the resolver's
// in-flight slots.
constexpr size_t kWindow = 2048;

// Shared with the resolver's callbacks, which may outlive a stopped sweep.
struct State {
  std::mutex mu;
  std::condition_variable cv;
  size_t total = 0;
  size_t submitted = 0;  // handed (or about to be handed) to the resolver
  size_t done = 0;
  bool abandoned = false;    // the sweep returned: late callbacks do nothing
  DnsblResultGrid* results;  // targets' answers, decoded (valid until abandoned)
  std::vector<std::optional<DnsblResult>> listed_point;  // by list
  std::vector<std::optional<DnsblResult>> clean_point;   // by list
};

// One query: a target (`target` < targets) or a list's test point.
enum class Role { kTarget, kListedPoint, kCleanPoint };
struct Query {
  uint32_t list;
  Role role;
  uint32_t target;
};

// Answers list `l` of `sweep` from its mirror: test points, then targets.
void SweepLocal(const DnsblLocalZone& local, size_t l, const DnsblList& list,
                const std::vector<DnsblTarget>& targets, DnsblSweep* sweep) {
  DnsblListOutcome& outcome = sweep->lists[l];
  outcome.local = true;
  if (local.zone == nullptr) {
    outcome.health = {false, local.unusable};
    for (size_t t = 0; t < targets.size(); ++t) {
      if (!list.Supports(targets[t].kind)) continue;
      DnsblResult r;
      r.error = DnsblError::kOther;
      r.error_detail = local.unusable;
      sweep->results.Set(t, l, r);
    }
    return;
  }
  auto answer = [&](const std::string& prefix) {
    DnsblResult r = DecodeDnsblAnswer(list, LocalDnsblAnswer(*local.zone, prefix));
    if (!r.ok()) ++outcome.errors[static_cast<size_t>(r.error)];
    return r;
  };
  DnsblTestPoints points = TestPointsOf(list);
  std::optional<DnsblResult> listed_point;
  std::optional<DnsblResult> clean_point;
  if (!points.listed_prefix.empty()) listed_point = answer(points.listed_prefix);
  if (!points.clean_prefix.empty()) clean_point = answer(points.clean_prefix);
  outcome.health = JudgeDnsblHealth(listed_point, clean_point);
  for (size_t t = 0; t < targets.size(); ++t) {
    if (list.Supports(targets[t].kind)) sweep->results.Set(t, l, answer(targets[t].query_prefix));
  }
}

}  // namespace

DnsblSweep RunDnsblSweep(Resolver* resolver, const std::vector<DnsblListConfig>& lists,
                         const std::vector<DnsblTarget>& targets, SteadyTime deadline,
                         std::stop_token stop, const DnsblLocalZones* local) {
  DnsblSweep sweep;
  sweep.lists.resize(lists.size());
  sweep.results = DnsblResultGrid(targets.size(), lists.size());
  // Mirrored lists first, answered here; `remote` marks the others.
  std::vector<bool> remote(lists.size(), true);
  for (size_t l = 0; l < lists.size(); ++l) {
    if (local == nullptr) break;
    auto it = local->find(lists[l].list.zone);
    if (it == local->end()) continue;
    remote[l] = false;
    bool needed = std::any_of(targets.begin(), targets.end(),
                              [&](const DnsblTarget& t) { return lists[l].list.Supports(t.kind); });
    if (!needed) continue;
    sweep.lists[l].queried = true;
    SweepLocal(it->second, l, lists[l].list, targets, &sweep);
  }

  // Test points first, then target-major order, so that every list's
  // rate-limit bucket has queries waiting in each window and slow lists run
  // side by side instead of one after another. Target queries are made as
  // they are submitted (a /16 x 30 lists is two million), the test points up
  // front.
  std::vector<Query> point_queries;
  std::vector<DnsblTestPoints> points(lists.size());
  std::vector<uint32_t> remote_lists;
  size_t target_queries = 0;
  for (size_t l = 0; l < lists.size(); ++l) {
    if (!remote[l]) continue;
    size_t supported = 0;
    for (const DnsblTarget& target : targets) supported += lists[l].list.Supports(target.kind);
    if (supported == 0) continue;
    sweep.lists[l].queried = true;
    sweep.lists[l].queries = supported;
    target_queries += supported;
    remote_lists.push_back(static_cast<uint32_t>(l));
    points[l] = TestPointsOf(lists[l].list);
    if (!points[l].listed_prefix.empty()) {
      point_queries.push_back({static_cast<uint32_t>(l), Role::kListedPoint, 0});
      ++sweep.lists[l].queries;
    }
    if (!points[l].clean_prefix.empty()) {
      point_queries.push_back({static_cast<uint32_t>(l), Role::kCleanPoint, 0});
      ++sweep.lists[l].queries;
    }
  }
  size_t total = point_queries.size() + target_queries;
  if (total == 0) return sweep;

  // The next query to submit, in order: point_queries, then (target, list)
  // over remote_lists.
  size_t next_point = 0;
  size_t next_target = 0;
  size_t next_list = 0;  // index into remote_lists
  auto next_query = [&]() -> Query {
    if (next_point < point_queries.size()) return point_queries[next_point++];
    while (true) {
      if (next_list == remote_lists.size()) {
        next_list = 0;
        ++next_target;
      }
      uint32_t l = remote_lists[next_list++];
      if (lists[l].list.Supports(targets[next_target].kind)) {
        return {l, Role::kTarget, static_cast<uint32_t>(next_target)};
      }
    }
  };

  auto state = std::make_shared<State>();
  state->total = total;
  state->results = &sweep.results;
  state->listed_point.resize(lists.size());
  state->clean_point.resize(lists.size());
  // Refill when half the window has drained, so the sweeping thread wakes
  // once per kWindow / 2 answers rather than once per answer.
  auto refill = [&] {
    return state->submitted < state->total && state->submitted - state->done <= kWindow / 2;
  };
  auto store = [](State& st, const Query& q, DnsblResult result) {
    switch (q.role) {
      case Role::kTarget:
        st.results->Set(q.target, q.list, result);
        break;
      case Role::kListedPoint:
        st.listed_point[q.list] = std::move(result);
        break;
      case Role::kCleanPoint:
        st.clean_point[q.list] = std::move(result);
        break;
    }
  };
  while (true) {
    size_t from = 0;
    size_t to = 0;
    {
      std::unique_lock lock(state->mu);
      state->cv.wait_for(lock, std::chrono::milliseconds(100),
                         [&] { return state->done == state->total || refill(); });
      if (state->done == state->total || stop.stop_requested()) break;
      if (!refill()) continue;
      from = state->submitted;
      to = std::min(state->total, state->done + kWindow);
      state->submitted = to;
    }
    for (size_t i = from; i < to; ++i) {
      Query q = next_query();
      const DnsblListConfig& c = lists[q.list];
      const std::string& prefix = q.role == Role::kTarget        ? targets[q.target].query_prefix
                                  : q.role == Role::kListedPoint ? points[q.list].listed_prefix
                                                                 : points[q.list].clean_prefix;
      if (resolver == nullptr) {
        DnsAnswer none;
        none.outcome = DnsOutcome::kError;
        none.error = "no DNS resolver";
        std::lock_guard lock(state->mu);
        store(*state, q, DecodeDnsblAnswer(c.list, none));
        ++state->done;
        continue;
      }
      // `list` and the grid are only touched before the sweep returns:
      // afterwards state->abandoned is set and late callbacks do nothing.
      resolver->Submit(
          {DnsblQueryName(prefix, c.key, c.list.zone), RecordType::kA, c.list.zone, deadline,
           c.list.budget_group},
          [state, q, store, list = &c.list](DnsAnswer answer) {
            std::lock_guard lock(state->mu);
            if (state->abandoned) return;
            store(*state, q, DecodeDnsblAnswer(*list, answer));
            ++state->done;
            if (state->done == state->total || state->submitted - state->done == kWindow / 2) {
              state->cv.notify_one();
            }
          });
    }
  }

  DnsblResult cancelled;
  cancelled.error = DnsblError::kOther;
  cancelled.error_detail = "cancelled";
  std::vector<std::optional<DnsblResult>> listed_point;
  std::vector<std::optional<DnsblResult>> clean_point;
  {
    std::lock_guard lock(state->mu);
    // Late callbacks of a stopped sweep must not touch `lists` or the grid.
    state->abandoned = true;
    listed_point = std::move(state->listed_point);
    clean_point = std::move(state->clean_point);
  }
  auto count = [&](size_t l, const DnsblResult& r) {
    if (!r.ok()) ++sweep.lists[l].errors[static_cast<size_t>(r.error)];
  };
  for (const Query& q : point_queries) {
    auto& point = q.role == Role::kListedPoint ? listed_point[q.list] : clean_point[q.list];
    if (!point) point = cancelled;
    count(q.list, *point);
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    for (uint32_t l : remote_lists) {
      if (!lists[l].list.Supports(targets[t].kind)) continue;
      if (!sweep.results.Has(t, l)) sweep.results.Set(t, l, cancelled);
      count(l, *sweep.results.Get(t, l));
    }
  }
  for (uint32_t l : remote_lists) {
    sweep.lists[l].health = JudgeDnsblHealth(listed_point[l], clean_point[l]);
  }
  return sweep;
}

}  // namespace mailrep
