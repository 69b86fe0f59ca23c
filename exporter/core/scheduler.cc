#include "exporter/core/scheduler.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <thread>

#include "exporter/core/log.h"

namespace mailrep {

struct Scheduler::Job {
  std::string name;
  std::shared_ptr<Collector> collector;
  Duration interval;
  Duration timeout;
  std::string fingerprint;
  std::shared_ptr<const Clock> clock;
  // Set when taking over a changed collector: when its first run is due.
  std::optional<std::chrono::steady_clock::time_point> first_due;
  std::stop_source stop;
  std::thread thread;

  mutable std::mutex mu;  // guards the members below
  std::condition_variable_any cv;
  CollectorStatus status;
  bool first_run_done = false;
  bool thread_done = false;
  std::chrono::steady_clock::time_point next_due;  // of the next run
};

namespace {

Duration RandomBetween(Duration low, Duration high) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  if (high <= low) return low;
  std::uniform_int_distribution<int64_t> dist(low.count(), high.count());
  return Duration(dist(rng));
}

// Sleeps up to `d`; returns false when stop was requested.
bool SleepFor(std::mutex& mu, std::condition_variable_any& cv, std::stop_token stop, Duration d) {
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, d, [] { return false; }) && !stop.stop_requested();
}

}  // namespace

Scheduler::Scheduler(std::vector<ScheduledCollector> collectors,
                     std::shared_ptr<SnapshotStore> store, std::shared_ptr<const Clock> clock)
    : store_(std::move(store)) {
  for (ScheduledCollector& c : collectors) {
    auto job = std::make_shared<Job>();
    job->name = c.name;
    job->collector = std::move(c.collector);
    job->interval = c.interval;
    job->timeout = c.timeout;
    job->fingerprint = std::move(c.fingerprint);
    job->clock = clock;
    job->status.name = c.name;
    jobs_.push_back(std::move(job));
  }
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::TakeOver(Scheduler& previous, Duration grace) {
  // `previous` keeps its jobs for readers of the old generation (Statuses),
  // but no longer stops them: they are this scheduler's now.
  const std::vector<std::shared_ptr<Job>>& old_jobs = previous.jobs_;
  previous.stopped_ = true;
  std::vector<std::shared_ptr<Job>> to_stop;
  std::vector<std::pair<std::shared_ptr<Job>, std::shared_ptr<Job>>> changed;  // (new, old)
  for (const auto& old : old_jobs) {
    auto it = std::find_if(jobs_.begin(), jobs_.end(),
                           [&](const auto& job) { return job->name == old->name; });
    if (it == jobs_.end()) {
      to_stop.push_back(old);
    } else if ((*it)->fingerprint == old->fingerprint && old->thread.joinable()) {
      *it = old;  // unchanged: keeps running as it is
    } else {
      to_stop.push_back(old);
      changed.emplace_back(*it, old);
    }
  }
  std::vector<bool> stopped = StopJobs(to_stop, grace);
  for (auto& [job, old] : changed) {
    size_t index = std::find(to_stop.begin(), to_stop.end(), old) - to_stop.begin();
    std::chrono::steady_clock::time_point due;
    {
      std::lock_guard lock(old->mu);
      job->status = old->status;
      job->first_run_done = old->first_run_done;
      due = old->next_due;
    }
    if (due != std::chrono::steady_clock::time_point{}) {
      job->first_due = std::min(due, job->clock->SteadyNow() + job->interval);
    }
    if (stopped[index]) {
      job->collector->AdoptState(*old->collector);
    } else {
      LogWarn("collector's run did not stop in time; its replacement starts afresh",
              {{"collector", job->name}});
    }
  }
}

void Scheduler::Start() {
  if (started_) return;
  started_ = true;
  for (auto& job : jobs_) {
    if (!job->thread.joinable()) job->thread = std::thread(RunLoop, job, store_);
  }
}

void Scheduler::RunLoop(std::shared_ptr<Job> job, std::shared_ptr<SnapshotStore> store) {
  std::stop_token stop = job->stop.get_token();
  SteadyTime now = job->clock->SteadyNow();
  Duration delay =
      job->first_due ? std::max<Duration>(
                           Duration(0), std::chrono::duration_cast<Duration>(*job->first_due - now))
                     : RandomBetween(Duration(0), std::min<Duration>(std::chrono::seconds(1),
                                                                     job->interval / 10));
  while (true) {
    {
      std::lock_guard lock(job->mu);
      job->next_due = job->clock->SteadyNow() + delay;
    }
    if (!SleepFor(job->mu, job->cv, stop, delay)) break;
    RunOnce(*job, *store);
    Duration jitter = job->interval / 20;
    delay = RandomBetween(job->interval - jitter, job->interval + jitter);
  }
  std::lock_guard lock(job->mu);
  job->thread_done = true;
  job->cv.notify_all();
}

void Scheduler::RunOnce(Job& job, SnapshotStore& store) {
  SteadyTime started = job.clock->SteadyNow();
  std::stop_source run_stop;
  std::stop_callback forward_stop(job.stop.get_token(), [&] { run_stop.request_stop(); });
  // The deadline bounds real I/O: real steady time (clock.h).
  CollectContext ctx{run_stop.get_token(), std::chrono::steady_clock::now() + job.timeout};

  // Cancels the run when its timeout passes.
  std::mutex watchdog_mu;
  std::condition_variable_any watchdog_cv;
  bool run_finished = false;
  std::jthread watchdog([&](std::stop_token) {
    std::unique_lock lock(watchdog_mu);
    if (!watchdog_cv.wait_until(lock, ctx.deadline, [&] { return run_finished; })) {
      run_stop.request_stop();
    }
  });

  MetricSet metrics;
  Status status = job.collector->Collect(ctx, &metrics);
  {
    std::lock_guard lock(watchdog_mu);
    run_finished = true;
  }
  watchdog_cv.notify_all();
  watchdog.join();

  SteadyTime finished = job.clock->SteadyNow();
  bool past_deadline = std::chrono::steady_clock::now() > ctx.deadline;
  if (!status.ok() && job.stop.stop_requested()) {
    // Cancelled by a reload or shutdown, not a failure of the collector: not
    // counted (a changed collector's replacement runs it again at once).
    LogDebug("collector run cancelled by stop", {{"collector", job.name}});
    return;
  }
  if (status.ok() && past_deadline) {
    status =
        Status::DeadlineExceeded("run took longer than the timeout " + FormatDuration(job.timeout));
  } else if (!status.ok() && run_stop.stop_requested() && !job.stop.stop_requested()) {
    status = Status::DeadlineExceeded("cancelled at the timeout " + FormatDuration(job.timeout) +
                                      ": " + status.message());
  }
  if (status.ok()) {
    store.Put(job.name, std::make_shared<const Snapshot>(std::move(metrics).Take()));
  }

  double seconds = std::chrono::duration<double>(finished - started).count();
  std::chrono::system_clock::time_point now = job.clock->WallNow();
  {
    std::lock_guard lock(job.mu);
    CollectorStatus& s = job.status;
    s.runs++;
    s.last_duration_seconds = seconds;
    s.last_run_end = now;
    s.last_success = status.ok();
    if (status.ok()) {
      s.last_success_end = now;
      s.last_error.clear();
    } else {
      s.errors++;
      s.last_error = status.ToString();
    }
    job.first_run_done = true;
  }
  if (status.ok()) {
    LogDebug("collector finished", {{"collector", job.name}, {"duration_seconds", seconds}});
  } else {
    LogWarn("collector failed",
            {{"collector", job.name}, {"duration_seconds", seconds}, {"err", status.ToString()}});
  }
}

std::vector<bool> Scheduler::StopJobs(const std::vector<std::shared_ptr<Job>>& jobs,
                                      Duration grace) {
  for (const auto& job : jobs) {
    job->stop.request_stop();
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  std::vector<bool> stopped;
  for (const auto& job : jobs) {
    if (!job->thread.joinable()) {  // never started
      stopped.push_back(true);
      continue;
    }
    bool done;
    {
      std::unique_lock lock(job->mu);
      done = job->cv.wait_until(lock, deadline, [&] { return job->thread_done; });
    }
    if (done) {
      job->thread.join();
    } else {
      LogWarn("collector did not stop in time; abandoning its run", {{"collector", job->name}});
      job->thread.detach();
    }
    stopped.push_back(done);
  }
  return stopped;
}

void Scheduler::Stop(Duration grace) {
  if (stopped_) return;  // also stops jobs kept by TakeOver before Start
  stopped_ = true;
  StopJobs(jobs_, grace);
}

std::vector<CollectorStatus> Scheduler::Statuses() const {
  std::vector<CollectorStatus> out;
  for (const auto& job : jobs_) {
    std::lock_guard lock(job->mu);
    out.push_back(job->status);
  }
  return out;
}

std::vector<std::pair<std::string, std::shared_ptr<Collector>>> Scheduler::Collectors() const {
  std::vector<std::pair<std::string, std::shared_ptr<Collector>>> out;
  for (const auto& job : jobs_) out.emplace_back(job->name, job->collector);
  return out;
}

bool Scheduler::FirstRoundDone() const {
  return std::all_of(jobs_.begin(), jobs_.end(), [](const auto& job) {
    std::lock_guard lock(job->mu);
    return job->first_run_done;
  });
}

}  // namespace mailrep
