#include "experiment/sweep_runner.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <thread>

#include "base/error.h"
#include "experiment/atomic_file.h"
#include "experiment/child_process.h"
#include "experiment/interrupt.h"
#include "experiment/run_dir.h"
#include "experiment/run_record.h"

namespace attn::experiment {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  size_t trial;
  pid_t pid;
  Clock::time_point start;
};

// The last non-empty line of a trial's log: for a trial that died before writing
// a record (a bad config), the error it printed.
std::string last_log_line(const fs::path& log) {
  std::string text;
  try {
    text = read_file(log);
  } catch (const Error&) {
    return "";
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

void record_outcome(SweepTrial& t, const fs::path& dir, int exit_code, double wall_s) {
  t.exit_code = exit_code;
  t.wall_time_s = wall_s;
  t.message.clear();
  std::optional<RunRecord> record;
  if (fs::exists(dir / run_files::record)) {
    try {
      record = load_record(dir);
    } catch (const Error& e) {
      t.message = e.what();
    }
  }
  if (record && record->status != RunStatus::running) {
    t.status = status_name(record->status);
    t.message = record->message;
  } else {
    t.status = exit_code == 0 ? "completed" : exit_code == kInterruptedExitCode ? "interrupted" : "failed";
  }
  if (exit_code != 0 && t.message.empty())
    t.message = "exit code " + std::to_string(exit_code) + ": " + last_log_line(dir / kTrialLog);
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

}  // namespace

int64_t clamp_jobs(int64_t requested, int64_t cores, bool oversubscribe) {
  ATTN_CHECK(requested >= 1, usage, "-j must be >= 1, got ", requested);
  return oversubscribe ? requested : std::min(requested, std::max<int64_t>(1, cores));
}

int64_t threads_per_trial(int64_t cores, int64_t jobs) { return std::max<int64_t>(1, cores / jobs); }

SweepOutcome run_sweep(const SweepOptions& o) {
  auto log = [&](const std::string& line) {
    if (o.log) o.log(line);
  };
  std::error_code ec;
  fs::create_directories(o.dir, ec);
  ATTN_CHECK(!ec, io, "cannot create sweep directory '", o.dir.string(), "': ", ec.message());
  DirectoryLock lock(o.dir, [&] {
    log("waiting for another attn sweep (or the trials of a killed one) to leave " + o.dir.string());
  });

  SweepIndex index = new_sweep_index(o.spec);
  if (std::optional<SweepIndex> previous = load_sweep_index(o.dir)) {
    ATTN_CHECK(previous->spec == o.spec, usage, "'", o.dir.string(),
               "' holds another sweep (its spec differs); choose another --out, or give only --out to continue it");
    index.trials = previous->trials;
    index.wall_time_s = previous->wall_time_s;
  }
  index.status = "running";
  index.command_line = o.command_line;
  index.jobs = o.jobs;
  index.threads_per_trial = o.threads;
  index.cores = o.cores;

  std::deque<std::pair<size_t, TrialAction>> queue;
  int64_t done = 0;
  for (size_t i = 0; i < index.trials.size(); ++i) {
    const TrialAction action = next_action(o.dir / index.trials[i].id, index.trials[i], o.retry_failed);
    if (action == TrialAction::resume || action == TrialAction::start) queue.emplace_back(i, action);
    else ++done;
  }
  save_sweep_index(o.dir, index);
  log("sweep " + o.dir.string() + ": " + std::to_string(index.trials.size()) + " trials, " + std::to_string(done) +
      " already done or failed, " + std::to_string(queue.size()) + " to run; " + std::to_string(o.jobs) +
      " at a time, " + std::to_string(o.threads) + " thread(s) each");

  InterruptHandlers handlers;
  const Clock::time_point t0 = Clock::now();
  std::vector<Running> running;
  bool forwarded = false;
  SweepOutcome outcome;
  while (!queue.empty() || !running.empty()) {
    while (!interrupt_requested() && !queue.empty() && static_cast<int64_t>(running.size()) < o.jobs) {
      auto [i, action] = queue.front();
      queue.pop_front();
      SweepTrial& t = index.trials[i];
      const fs::path dir = o.dir / t.id;
      std::vector<std::string> argv;
      if (action == TrialAction::resume) {
        argv = {o.binary, "train", "--resume", dir.string(), "--quiet"};
      } else {
        fs::remove_all(dir, ec);  // a trial that never got going, or a failed one being retried
        ATTN_CHECK(!ec, io, "cannot clear trial directory '", dir.string(), "': ", ec.message());
        fs::create_directories(dir, ec);
        ATTN_CHECK(!ec, io, "cannot create trial directory '", dir.string(), "': ", ec.message());
        argv = trial_command(o.spec, PlannedTrial{t.id, t.overrides}, o.binary, dir, o.threads);
      }
      append_line(dir / kTrialLog, "$ " + shell_join(argv));
      running.push_back({i, spawn_logged(argv, dir / kTrialLog), Clock::now()});
      t.status = "running";
      t.exit_code.reset();
      save_sweep_index(o.dir, index);
      log((action == TrialAction::resume ? "resume " : "start  ") + t.id);
    }
    if (interrupt_requested() && !forwarded) {
      log("interrupted: stopping " + std::to_string(running.size()) + " running trial(s), they save and exit");
      for (const Running& r : running) ::kill(r.pid, SIGINT);
      forwarded = true;
      queue.clear();
    }
    std::optional<Reaped> reaped = reap_any_child();
    if (!reaped) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    auto it = std::find_if(running.begin(), running.end(), [&](const Running& r) { return r.pid == reaped->pid; });
    if (it == running.end()) continue;
    SweepTrial& t = index.trials[it->trial];
    record_outcome(t, o.dir / t.id, reaped->exit_code,
                   std::chrono::duration<double>(Clock::now() - it->start).count());
    running.erase(it);
    ++done;
    save_sweep_index(o.dir, index);
    log("[" + std::to_string(done) + "/" + std::to_string(index.trials.size()) + "] " + t.id + " " + t.status +
        " (" + seconds(t.wall_time_s) + ")" + (t.message.empty() ? "" : ": " + t.message));
  }

  outcome.interrupted = forwarded;
  for (const SweepTrial& t : index.trials) {
    if (trial_succeeded(t.status)) ++outcome.succeeded;
    else if (!outcome.interrupted || t.status == "failed" || t.status == "diverged") ++outcome.failed;
  }
  index.status = outcome.interrupted ? "interrupted" : "finished";
  index.wall_time_s += std::chrono::duration<double>(Clock::now() - t0).count();
  save_sweep_index(o.dir, index);
  outcome.index = index;
  return outcome;
}

}  // namespace attn::experiment
