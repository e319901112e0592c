// The checkpoint log file: entry framing, scanning with torn-tail versus middle-damage classification, the writer.
#include "journal/checkpoint_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/assert.h"
#include <cerrno>
#include <charconv>
#include <cstring>

#include "journal/crc32c.h"

namespace glassbook::journal {

namespace {

// Longest possible header: keyword, space, the digits of kMaxNoteBytes, space, 8 hex digits, newline.
constexpr size_t kMaxHeaderBytes = 40;


Status io_error(std::string message) { return Status(Error::Io, "checkpoint log: " + std::move(message)); }
Status corruption(std::string message) { return Status(Error::Corruption, "checkpoint log: " + std::move(message)); }

// One framed entry whose bytes are intact (header well-formed, all bytes present, CRC matching).
struct Frame {
  std::string_view note;
  size_t size = 0;  // header and note
};

// The frame at bytes[at...], or why there is none (damage: a torn or corrupt entry).
Result<Frame> decode_frame(std::string_view bytes, size_t at) {
  const std::string_view rest = bytes.substr(at);
  const size_t nl = rest.substr(0, kMaxHeaderBytes).find('\n');
  if (nl == std::string_view::npos)
    return Status(Error::Corruption, rest.size() < kMaxHeaderBytes ? "incomplete header line" : "no header line");
  const std::string_view header = rest.substr(0, nl);
  const size_t sp1 = header.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : header.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || header.substr(0, sp1) != kCheckpointHeaderKeyword)
    return Status(Error::Corruption, "malformed header line");
  const auto length = parse_canonical_decimal(header.substr(sp1 + 1, sp2 - sp1 - 1));
  const std::string_view crc_hex = header.substr(sp2 + 1);
  uint32_t crc = 0;
  const bool crc_ok = crc_hex.size() == 8 &&
                      crc_hex.find_first_not_of("0123456789abcdef") == std::string_view::npos &&
                      std::from_chars(crc_hex.data(), crc_hex.data() + 8, crc, 16).ec == std::errc();
  if (!length || *length == 0 || *length > kMaxNoteBytes || !crc_ok)
    return Status(Error::Corruption, "malformed header line");
  if (rest.size() - (nl + 1) < *length)
    return Status(Error::Corruption, fmt::format("incomplete entry: {} of its {} note bytes are present",
                                                 rest.size() - (nl + 1), *length));
  const std::string_view note = rest.substr(nl + 1, *length);
  if (crc32c(note) != crc) return Status(Error::Corruption, "CRC-32C mismatch");
  return Frame{note, nl + 1 + *length};
}

// Offset of the first intact frame starting after `from`, or npos.
size_t next_frame(std::string_view bytes, size_t from) {
  for (size_t p = bytes.find(kCheckpointHeaderKeyword, from); p != std::string_view::npos;
       p = bytes.find(kCheckpointHeaderKeyword, p + 1))
    if (decode_frame(bytes, p).is_ok()) return p;
  return std::string_view::npos;
}

// The checkpoint inside a stored note (not verified): parse_note, then its body.
Result<Checkpoint> checkpoint_of_note(std::string_view note_text) {
  auto note = parse_note(note_text);
  if (!note.is_ok()) return note.status();
  return parse_checkpoint_body(note->body);
}

// Why `next` may not follow `last` in the log, or empty.
std::string order_violation(const std::optional<Checkpoint>& last, const Checkpoint& next) {
  if (!last) return {};
  if (next.origin != last->origin)
    return fmt::format("origin '{}' differs from the log's origin '{}'", next.origin, last->origin);
  if (next.tree_size <= last->tree_size)
    return fmt::format("tree size {} does not increase on the previous checkpoint's {}", next.tree_size,
                       last->tree_size);
  return {};
}

// The whole file through an open handle (the writer's, under its lock, or a reader's). A reader
// takes no lock: when the file shrinks under it (a writer cutting a torn tail) it reads again.
Result<std::string> read_whole(StorageFile& file) {
  for (int attempt = 0;; ++attempt) {
    Result<uint64_t> size = file.size();
    if (!size.is_ok()) return size.status();
    if (*size > kMaxCheckpointLogBytes)
      return corruption(fmt::format("{} has {} bytes, more than the limit of {}", file.path(), *size, kMaxCheckpointLogBytes));
    std::string bytes(*size, '\0');
    Status s = file.read_at(0, bytes.data(), bytes.size());
    if (s.is_ok()) return bytes;
    if (s.code() != Error::Corruption || attempt == 2) return s;  // Corruption: it ended before its size
  }
}

}  // namespace

std::string encode_checkpoint_entry(std::string_view note_text) {
  return fmt::format("{} {} {:08x}\n{}", kCheckpointHeaderKeyword, note_text.size(), crc32c(note_text), note_text);
}

Result<CheckpointLogContents> scan_checkpoint_log(std::string_view bytes) {
  CheckpointLogContents out;
  std::optional<Checkpoint> last;
  size_t at = 0;
  while (at < bytes.size()) {
    const size_t index = out.entries.size();
    auto frame = decode_frame(bytes, at);
    if (!frame.is_ok()) {
      const size_t later = next_frame(bytes, at + 1);
      if (later != std::string_view::npos)
        return corruption(fmt::format(
            "entry {} at offset {} is damaged ({}); a valid entry follows at offset {}, so this is corruption "
            "in the middle, not a torn tail",
            index, at, frame.status().message(), later));
      out.tail_damage = fmt::format("torn tail at offset {} where entry {} was expected: {}", at, index,
                                    frame.status().message());
      out.truncated_bytes = bytes.size() - at;
      break;
    }
    auto cp = checkpoint_of_note(frame->note);
    if (!cp.is_ok())
      return corruption(fmt::format("entry {} at offset {} is intact but not a checkpoint note: {}", index, at,
                                    cp.status().message()));
    if (std::string why = order_violation(last, *cp); !why.empty())
      return corruption(fmt::format("entry {} at offset {}: {}", index, at, why));
    last = *cp;
    out.entries.push_back(StoredCheckpoint{at, std::string(frame->note), std::move(cp.value())});
    at += frame->size;
    out.valid_bytes = at;
  }
  GB_ASSERT(out.valid_bytes + out.truncated_bytes == bytes.size());
  return out;
}

Result<CheckpointLogContents> read_checkpoints(const std::string& dir, Storage& storage) {
  const std::string path = checkpoint_log_path(dir);
  if (!storage.exists(path)) return CheckpointLogContents{};
  // Read, not mapped: a writer may cut the file meanwhile, and a mapping would fault past its end.
  // A writer appending meanwhile leaves a torn last entry, which the scan reports.
  auto file = storage.open(path, OpenMode::Read);
  if (!file.is_ok()) return file.status();
  auto bytes = read_whole(**file);
  if (!bytes.is_ok()) return bytes.status();
  return scan_checkpoint_log(*bytes);
}

// ---- Writer ----

Result<std::unique_ptr<CheckpointLogWriter>> CheckpointLogWriter::open(const std::string& dir, Storage& storage) {
  const std::string path = checkpoint_log_path(dir);
  const bool created = !storage.exists(path);
  auto file = storage.open(path, OpenMode::ReadWrite);
  if (!file.is_ok()) return file.status();
  // One writer at a time: two would write their entries over each other. Released on close.
  if (Status s = (*file)->lock(); !s.is_ok()) return s;
  if (created) {
    // The new file's directory entry must be durable before any checkpoint in it can be.
    if (Status s = storage.sync_directory(dir); !s.is_ok()) return s;
  }
  auto bytes = read_whole(**file);
  if (!bytes.is_ok()) return bytes.status();
  auto contents = scan_checkpoint_log(*bytes);
  if (!contents.is_ok()) return contents.status();
  if (contents->truncated_bytes > 0) {
    if (Status s = (*file)->truncate(contents->valid_bytes); !s.is_ok()) return s;
    if (Status s = (*file)->sync(); !s.is_ok()) return s;
  }
  return std::unique_ptr<CheckpointLogWriter>(new CheckpointLogWriter(std::move(file).value(), path, *contents));
}

CheckpointLogWriter::CheckpointLogWriter(std::unique_ptr<StorageFile> file, std::string path, const CheckpointLogContents& contents)
    : file_(std::move(file)),
      path_(std::move(path)),
      end_(contents.valid_bytes),
      entries_(contents.entries.size()),
      tail_damage_(contents.tail_damage),
      truncated_bytes_(contents.truncated_bytes) {
  if (!contents.entries.empty()) last_ = contents.entries.back().checkpoint;
}

CheckpointLogWriter::~CheckpointLogWriter() = default;

Status CheckpointLogWriter::close() {
  if (!failure_.empty()) return io_error(fmt::format("the writer failed earlier ({}); reopen the log to recover", failure_));
  Status s = file_->close();
  failure_ = s.is_ok() ? std::string("closed") : s.message();
  return s;
}

Status CheckpointLogWriter::append(std::string_view note_text) {
  if (!failure_.empty())
    return io_error(fmt::format("the writer failed earlier ({}); reopen the log to recover", failure_));
  auto cp = checkpoint_of_note(note_text);
  if (!cp.is_ok())
    return Status(Error::InvalidArgument, "checkpoint log: not a checkpoint note: " + cp.status().message());
  if (std::string why = order_violation(last_, *cp); !why.empty())
    return Status(Error::InvalidArgument, fmt::format("checkpoint log: cannot append entry {}: {}", entries_, why));
  if (end_ + note_text.size() + kMaxHeaderBytes > kMaxCheckpointLogBytes)
    return Status(Error::InvalidArgument, fmt::format("checkpoint log: {} is full ({} bytes)", path_, end_));
  const std::string entry = encode_checkpoint_entry(note_text);
  if (Status s = file_->write_at(end_, entry); !s.is_ok()) {
    failure_ = s.message();
    return io_error(failure_);
  }
  if (Status s = file_->sync(); !s.is_ok()) {
    // After a failed fdatasync the page cache may have dropped the data: never retry it.
    failure_ = s.message();
    return io_error(failure_);
  }
  end_ += entry.size();
  ++entries_;
  last_ = std::move(cp.value());
  return Status::ok();
}

Status append_checkpoint(const std::string& dir, std::string_view note_text) {
  auto writer = CheckpointLogWriter::open(dir);
  if (!writer.is_ok()) return writer.status();
  return writer.value()->append(note_text);
}

}  // namespace glassbook::journal
