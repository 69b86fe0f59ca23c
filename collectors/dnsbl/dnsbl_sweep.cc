#include "collectors/dnsbl/dnsbl_sweep.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "collectors/dnsbl/dnsbl_local_answer.h"

namespace mailrep {
namespace {

// Queries handed to the resolver at once. Submitting a whole sweep (30,000
// names for a /22 on 30 lists) would hold every query and raw answer in
// memory; a window keeps that bounded while still filling the resolver's
// in-flight slots.
constexpr size_t kWindow = 2048;

enum class Role { kTarget, kListedPoint, kCleanPoint };

struct Slot {
  uint32_t list;
  Role role;
  uint32_t target;
};

// Shared with the resolver's callbacks, which may outlive a stopped sweep.
struct State {
  std::mutex mu;
  std::condition_variable cv;
  size_t total = 0;
  size_t submitted = 0;  // handed (or about to be handed) to the resolver
  size_t done = 0;
  std::vector<std::optional<DnsblResult>> decoded;  // by slot
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
      DnsblResult& r = sweep->results[t][l].emplace();
      r.error = DnsblError::kOther;
      r.error_detail = local.unusable;
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
    if (list.Supports(targets[t].kind)) sweep->results[t][l] = answer(targets[t].query_prefix);
  }
}

}  // namespace

DnsblSweep RunDnsblSweep(Resolver* resolver, const std::vector<DnsblListConfig>& lists,
                         const std::vector<DnsblTarget>& targets, SteadyTime deadline,
                         std::stop_token stop, const DnsblLocalZones* local) {
  DnsblSweep sweep;
  sweep.lists.resize(lists.size());
  sweep.results.assign(targets.size(), std::vector<std::optional<DnsblResult>>(lists.size()));
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
  // side by side instead of one after another.
  std::vector<Slot> slots;
  std::vector<DnsblTestPoints> points(lists.size());
  for (size_t l = 0; l < lists.size(); ++l) {
    if (!remote[l]) continue;
    for (const DnsblTarget& target : targets) {
      if (lists[l].list.Supports(target.kind)) sweep.lists[l].queried = true;
    }
    if (!sweep.lists[l].queried) continue;
    points[l] = TestPointsOf(lists[l].list);
    if (!points[l].listed_prefix.empty()) {
      slots.push_back({static_cast<uint32_t>(l), Role::kListedPoint, 0});
    }
    if (!points[l].clean_prefix.empty()) {
      slots.push_back({static_cast<uint32_t>(l), Role::kCleanPoint, 0});
    }
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    for (size_t l = 0; l < lists.size(); ++l) {
      if (!remote[l] || !lists[l].list.Supports(targets[t].kind)) continue;
      slots.push_back({static_cast<uint32_t>(l), Role::kTarget, static_cast<uint32_t>(t)});
    }
  }
  if (slots.empty()) return sweep;

  auto state = std::make_shared<State>();
  state->total = slots.size();
  state->decoded.resize(slots.size());
  // Refill when half the window has drained, so the sweeping thread wakes
  // once per kWindow / 2 answers rather than once per answer.
  auto refill = [&] {
    return state->submitted < state->total && state->submitted - state->done <= kWindow / 2;
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
      const Slot& slot = slots[i];
      const DnsblListConfig& c = lists[slot.list];
      const std::string& prefix = slot.role == Role::kTarget ? targets[slot.target].query_prefix
                                  : slot.role == Role::kListedPoint
                                      ? points[slot.list].listed_prefix
                                      : points[slot.list].clean_prefix;
      if (resolver == nullptr) {
        DnsAnswer none;
        none.outcome = DnsOutcome::kError;
        none.error = "no DNS resolver";
        std::lock_guard lock(state->mu);
        state->decoded[i] = DecodeDnsblAnswer(c.list, none);
        ++state->done;
        continue;
      }
      // `list` is only dereferenced before the sweep returns: afterwards
      // state->done is SIZE_MAX and late callbacks do nothing.
      resolver->Submit(
          {DnsblQueryName(prefix, c.key, c.list.zone), RecordType::kA, c.list.zone, deadline},
          [state, i, list = &c.list](DnsAnswer answer) {
            std::lock_guard lock(state->mu);
            if (state->done == SIZE_MAX) return;  // the sweep was abandoned
            state->decoded[i] = DecodeDnsblAnswer(*list, answer);
            ++state->done;
            if (state->done == state->total || state->submitted - state->done == kWindow / 2) {
              state->cv.notify_one();
            }
          });
    }
  }

  std::vector<std::optional<DnsblResult>> listed_point(lists.size());
  std::vector<std::optional<DnsblResult>> clean_point(lists.size());
  {
    std::lock_guard lock(state->mu);
    for (size_t i = 0; i < slots.size(); ++i) {
      const Slot& slot = slots[i];
      DnsblResult result;
      if (state->decoded[i]) {
        result = std::move(*state->decoded[i]);
      } else {
        result.error = DnsblError::kOther;
        result.error_detail = "cancelled";
      }
      if (!result.ok()) ++sweep.lists[slot.list].errors[static_cast<size_t>(result.error)];
      ++sweep.lists[slot.list].queries;
      switch (slot.role) {
        case Role::kTarget:
          sweep.results[slot.target][slot.list] = std::move(result);
          break;
        case Role::kListedPoint:
          listed_point[slot.list] = std::move(result);
          break;
        case Role::kCleanPoint:
          clean_point[slot.list] = std::move(result);
          break;
      }
    }
    // Late callbacks of a stopped sweep must not touch `lists` any more.
    state->done = SIZE_MAX;
    state->decoded.clear();
  }
  for (size_t l = 0; l < lists.size(); ++l) {
    if (remote[l] && sweep.lists[l].queried) {
      sweep.lists[l].health = JudgeDnsblHealth(listed_point[l], clean_point[l]);
    }
  }
  return sweep;
}

}  // namespace mailrep
