#include "experiment/run_dir.h"

#include <system_error>

#include "base/error.h"
#include "experiment/checkpoint.h"
#include "experiment/run_record.h"

namespace attn::experiment {

namespace fs = std::filesystem;

namespace {

void make_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  ATTN_CHECK(!ec, io, "cannot create directory '", dir.string(), "': ", ec.message());
}

std::string timestamp(std::time_t now) {
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

}  // namespace

fs::path create_run_dir(const fs::path& runs_root, const std::string& task, std::time_t now) {
  make_dirs(runs_root);
  const std::string stem = task + "-" + timestamp(now);
  for (int n = 1; n < 10000; ++n) {
    fs::path dir = runs_root / (n == 1 ? stem : stem + "-" + std::to_string(n));
    std::error_code ec;
    // create_directory is an atomic mkdir: two runs started in the same second get different names.
    if (fs::create_directory(dir, ec)) {
      make_dirs(dir / run_files::checkpoints);
      return dir;
    }
    ATTN_CHECK(!ec, io, "cannot create run directory '", dir.string(), "': ", ec.message());
  }
  ATTN_FAIL(io, "cannot find a free run directory name for '", (runs_root / stem).string(), "'");
}

fs::path claim_run_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / run_files::record, ec)) {
    std::string status;
    try {
      status = status_name(load_record(dir).status);
    } catch (const Error&) {
      status = "unreadable";
    }
    const bool finished = status == "completed" || status == "stopped_early";
    const bool saved = fs::exists(checkpoint_path(dir, "last"), ec);
    throw Error(ErrorKind::usage, "'" + dir.string() + "' already holds a run (status " + status + "); " +
                                      (finished ? "choose another --out"
                                                : "resume it with --resume " + dir.string() +
                                                      (saved ? "" : " (it has no checkpoint: it restarts from step 0)") +
                                                      " or choose another --out"));
  }
  ATTN_CHECK(!fs::exists(dir, ec) || fs::is_directory(dir, ec), io, "--out '", dir.string(),
             "' exists and is not a directory");
  make_dirs(dir / run_files::checkpoints);
  return dir;
}

fs::path open_run_dir_for_resume(const fs::path& dir) {
  std::error_code ec;
  ATTN_CHECK(fs::is_directory(dir, ec), io, "cannot resume '", dir.string(), "': no such directory");
  ATTN_CHECK(fs::exists(dir / run_files::record, ec), io, "cannot resume '", dir.string(),
             "': it holds no run (", run_files::record, " is missing)");
  return dir;
}

}  // namespace attn::experiment
