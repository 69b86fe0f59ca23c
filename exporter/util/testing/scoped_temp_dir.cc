#include "exporter/util/testing/scoped_temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

namespace mailrep {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "ScopedTempDir: %s\n", what.c_str());
  std::abort();
}

std::string TempBase() {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);  // $TMPDIR when set
  return ec ? std::string("/tmp") : base.string();
}

// Owner access to `dir` and every directory below it, so remove_all can empty them.
void GrantOwnerAccess(const fs::path& dir) {
  std::error_code ec;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add, ec);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) GrantOwnerAccess(it->path());
  }
}

}  // namespace

StatusOr<ScopedTempDir> ScopedTempDir::Create(std::string_view prefix) {
  std::string pattern = TempBase() + "/mailrep_" + std::string(prefix) + "_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return StatusFromErrno(errno, "mkdtemp " + pattern);
  return ScopedTempDir(std::move(pattern), 0);
}

ScopedTempDir::ScopedTempDir(std::string_view prefix) {
  StatusOr<ScopedTempDir> made = Create(prefix);
  if (!made.ok()) Die(made.status().ToString());
  *this = std::move(*made);
}

ScopedTempDir::~ScopedTempDir() { Remove(); }

ScopedTempDir::ScopedTempDir(ScopedTempDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())) {}

ScopedTempDir& ScopedTempDir::operator=(ScopedTempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, std::string());
  }
  return *this;
}

void ScopedTempDir::Remove() {
  if (path_.empty()) return;
  GrantOwnerAccess(path_);
  std::error_code ec;
  fs::remove_all(path_, ec);
  path_.clear();
}

std::string ScopedTempDir::Release() { return std::exchange(path_, std::string()); }

std::string ScopedTempDir::Path(std::string_view relative) const {
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  return path_ + "/" + std::string(relative);
}

std::string ScopedTempDir::WriteFile(std::string_view relative, std::string_view contents) const {
  std::string full = Path(relative);
  std::error_code ec;
  fs::create_directories(fs::path(full).parent_path(), ec);
  std::ofstream out(full, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) Die("cannot write " + full);
  return full;
}

std::string ScopedTempDir::MakeDir(std::string_view relative) const {
  std::string full = Path(relative);
  std::error_code ec;
  fs::create_directories(full, ec);
  if (ec) Die("cannot create " + full + ": " + ec.message());
  return full;
}

}  // namespace mailrep
