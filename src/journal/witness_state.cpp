// The witness's state files: atomic replacement of each log's last cosigned checkpoint, and the alarm file.
#include "journal/witness_state.h"

#include <fmt/format.h>

#include "crypto/sha256.h"

namespace glassbook::journal {

namespace {

Result<std::string> read_whole(Storage& storage, const std::string& path) {
  auto file = storage.open(path, OpenMode::Read);
  if (!file) return file.status();
  auto size = (*file)->size();
  if (!size) return size.status();
  if (*size > kMaxNoteBytes * 64) return Status(Error::Corruption, fmt::format("{}: {} bytes, more than a witness keeps", path, *size));
  std::string bytes(*size, '\0');
  if (Status s = (*file)->read_at(0, bytes.data(), bytes.size()); !s) return s;
  return bytes;
}

}  // namespace

std::string witness_state_file(const std::string& dir, const NoteVerifier& log) {
  crypto::Sha256 h;
  h.update(log.name);
  h.update_u8('\n');
  h.update(encode_verifier_key(log));
  return fmt::format("{}/log-{}.checkpoint", dir, crypto::to_hex(h.finish()).substr(0, 16));
}

Result<std::optional<WitnessedCheckpoint>> load_witness_state(const std::string& dir, const NoteVerifier& log, Storage& storage) {
  const std::string path = witness_state_file(dir, log);
  if (!storage.exists(path)) return std::optional<WitnessedCheckpoint>();
  auto note = read_whole(storage, path);
  if (!note) return note.status();
  auto cp = verify_checkpoint(*note, log, log.name);
  if (!cp)
    return Status(Error::Corruption, fmt::format("{}: the witness's last cosigned checkpoint of {} does not verify ({}); "
                                                 "refusing to start over from nothing",
                                                 path, log.name, cp.status().message()));
  return std::optional<WitnessedCheckpoint>(WitnessedCheckpoint{std::move(note).value(), std::move(cp).value()});
}

Status store_witness_state(const std::string& dir, const NoteVerifier& log, std::string_view note, Storage& storage) {
  const std::string path = witness_state_file(dir, log);
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

Status append_witness_alarm(const std::string& dir, std::string_view text, Storage& storage) {
  auto file = storage.open(dir + "/" + kWitnessAlarmFile, OpenMode::ReadWrite);
  if (!file) return file.status();
  auto size = (*file)->size();
  if (!size) return size.status();
  if (Status s = (*file)->write_at(*size, text); !s) return s;
  if (Status s = (*file)->sync(); !s) return s;
  return *size == 0 ? storage.sync_directory(dir) : Status::ok();
}

Result<std::string> read_witness_alarms(const std::string& dir, Storage& storage) {
  const std::string path = dir + "/" + kWitnessAlarmFile;
  if (!storage.exists(path)) return std::string();
  return read_whole(storage, path);
}

}  // namespace glassbook::journal
