// Storing and loading the newest cosigned checkpoint beside the checkpoint log.
#include "journal/cosigned_checkpoint.h"

#include <fmt/format.h>

#include "journal/checkpoint.h"

namespace glassbook::journal {

Status store_cosigned_checkpoint(const std::string& dir, std::string_view note, Storage& storage) {
  const std::string path = dir + "/" + kCosignedCheckpointFile;
  const std::string tmp = path + ".tmp";
  {
    auto file = storage.open(tmp, OpenMode::Replace);
    if (!file) return file.status();
    if (Status s = (*file)->write_at(0, note); !s) return s;
    if (Status s = (*file)->sync(); !s) return s;
  }
  if (Status s = storage.rename(tmp, path); !s) return s;
  return storage.sync_directory(dir);
}

Result<std::optional<std::string>> load_cosigned_checkpoint(const std::string& dir, Storage& storage) {
  const std::string path = dir + "/" + kCosignedCheckpointFile;
  if (!storage.exists(path)) return std::optional<std::string>();
  auto file = storage.open(path, OpenMode::Read);
  if (!file) return file.status();
  auto size = (*file)->size();
  if (!size) return size.status();
  if (*size > kMaxNoteBytes) return Status(Error::Corruption, fmt::format("{}: {} bytes, more than a note may hold", path, *size));
  std::string note(*size, '\0');
  if (Status s = (*file)->read_at(0, note.data(), note.size()); !s) return s;
  return std::optional<std::string>(std::move(note));
}

}  // namespace glassbook::journal
