// The journal's one door to files: every read, write, sync, rename, removal and listing of segments,
// snapshots and the checkpoint log goes through a Storage, so that a simulated one can inject faults.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace glassbook::journal {

enum class OpenMode : uint8_t {
  Read,       // an existing file, read only
  ReadWrite,  // an existing file, or a new empty one (created)
  CreateNew,  // a new empty file; Io when one exists
  Replace,    // a new empty file, or an existing one emptied
};

// One open file. Errors are Error::Io naming the path and the system's reason; a read past the end
// is Error::Corruption. None is retried here: after a failed sync() the data may be gone, so the
// caller must stop writing (fail-stop), never sync again and hope.
class StorageFile {
 public:
  virtual ~StorageFile() = default;
  virtual const std::string& path() const = 0;
  virtual Result<uint64_t> size() = 0;
  virtual Status read_at(uint64_t offset, char* data, size_t size) = 0;
  virtual Status write_at(uint64_t offset, std::string_view bytes) = 0;
  // Makes every write so far durable (fdatasync).
  virtual Status sync() = 0;
  // Sets the size (not durable until sync()).
  virtual Status truncate(uint64_t size) = 0;
  // An exclusive lock for this process's life of the handle; Io when another holder has it.
  virtual Status lock() = 0;
  // Closes the file and reports what close(2) reports (on some file systems a late write error
  // only surfaces here). Any later call on the handle is Error::Io. The destructor closes an
  // unclosed file silently: close() explicitly wherever the outcome matters (after writing).
  virtual Status close() = 0;
};

// A whole file's bytes, valid while the view lives (the file storage maps the file).
class StorageView {
 public:
  virtual ~StorageView() = default;
  virtual std::string_view bytes() const = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;
  virtual Result<std::unique_ptr<StorageFile>> open(const std::string& path, OpenMode mode) = 0;
  virtual Result<std::unique_ptr<StorageView>> map(const std::string& path) = 0;
  // The names of the files in `dir` (no "." or ".."), in no particular order.
  virtual Result<std::vector<std::string>> list(const std::string& dir) = 0;
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  // Removes a file; one already gone is no error.
  virtual Status remove(const std::string& path) = 0;
  // Makes the creations, renames and removals in `dir` durable (fsync of the directory).
  virtual Status sync_directory(const std::string& dir) = 0;
  // Creates `dir` and any missing parent (mkdir -p); one that exists is no error. Not durable until
  // sync_directory() of each parent. (The simulated storage's directories exist implicitly.)
  virtual Status create_directories(const std::string& dir) = 0;
  virtual bool exists(const std::string& path) = 0;
};

// The real file system (POSIX calls). Shared and stateless: thread-safe.
Storage& file_storage();

}  // namespace glassbook::journal
