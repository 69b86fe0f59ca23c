// RandomAccessInput: positioned reads over a file or an in-memory buffer, so
// queue-file parsers are plain code over plain data (tests and fuzzers feed a
// string; the collector feeds an open file).
#ifndef MAILREP_COLLECTORS_QUEUE_RANDOM_ACCESS_INPUT_H_
#define MAILREP_COLLECTORS_QUEUE_RANDOM_ACCESS_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

class RandomAccessInput {
 public:
  virtual ~RandomAccessInput() = default;
  // Reads up to `n` bytes at `offset` into `buf`; returns how many were read,
  // 0 at or past the end. Fewer than `n` only at the end of the input.
  virtual StatusOr<size_t> ReadAt(uint64_t offset, char* buf, size_t n) = 0;
};

// Reads from a buffer the caller keeps alive.
class StringInput : public RandomAccessInput {
 public:
  explicit StringInput(std::string_view data) : data_(data) {}
  StatusOr<size_t> ReadAt(uint64_t offset, char* buf, size_t n) override;

 private:
  std::string_view data_;
};

// Reads with pread(2) from a regular file the caller owns and keeps open. A
// short read is taken as the end of the file (one system call per read).
class FdInput : public RandomAccessInput {
 public:
  explicit FdInput(int fd) : fd_(fd) {}
  StatusOr<size_t> ReadAt(uint64_t offset, char* buf, size_t n) override;

 private:
  int fd_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_RANDOM_ACCESS_INPUT_H_
