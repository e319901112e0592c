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

std::string errno_text() { return std::strerror(errno); }

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

Result<std::string> read_whole(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error(fmt::format("cannot stat {}: {}", path, errno_text()));
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > kMaxCheckpointLogBytes)
    return corruption(fmt::format("{} has {} bytes, more than the limit of {}", path, size, kMaxCheckpointLogBytes));
  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(fmt::format("read of {} failed: {}", path, errno_text()));
    if (n == 0) break;  // the file shrank meanwhile: scan what was there
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

Status sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(fmt::format("cannot open directory {}: {}", dir, errno_text()));
  const int rc = ::fsync(fd);
  const std::string err = rc != 0 ? errno_text() : "";
  ::close(fd);
  if (rc != 0) return io_error(fmt::format("fsync of directory {} failed: {}", dir, err));
  return Status::ok();
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

Result<CheckpointLogContents> read_checkpoints(const std::string& dir) {
  const std::string path = checkpoint_log_path(dir);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return CheckpointLogContents{};
    return io_error(fmt::format("cannot open {}: {}", path, errno_text()));
  }
  auto bytes = read_whole(fd, path);
  ::close(fd);
  if (!bytes.is_ok()) return bytes.status();
  return scan_checkpoint_log(*bytes);
}

// ---- Writer ----

Result<std::unique_ptr<CheckpointLogWriter>> CheckpointLogWriter::open(const std::string& dir) {
  const std::string path = checkpoint_log_path(dir);
  bool created = false;
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    created = true;
  }
  if (fd < 0) return io_error(fmt::format("cannot open {}: {}", path, errno_text()));
  auto fail = [fd](Status s) -> Result<std::unique_ptr<CheckpointLogWriter>> {
    ::close(fd);
    return s;
  };
  // One writer at a time: two would write their entries over each other. Released on close.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    return fail(errno == EWOULDBLOCK ? io_error(fmt::format("another writer has {} open", path))
                                     : io_error(fmt::format("cannot lock {}: {}", path, errno_text())));
  if (created) {
    // The new file's directory entry must be durable before any checkpoint in it can be.
    if (Status s = sync_directory(dir); !s.is_ok()) return fail(s);
  }
  auto bytes = read_whole(fd, path);
  if (!bytes.is_ok()) return fail(bytes.status());
  auto contents = scan_checkpoint_log(*bytes);
  if (!contents.is_ok()) return fail(contents.status());
  if (contents->truncated_bytes > 0) {
    if (::ftruncate(fd, static_cast<off_t>(contents->valid_bytes)) != 0 || ::fsync(fd) != 0)
      return fail(io_error(fmt::format("cannot cut the torn tail off {}: {}", path, errno_text())));
  }
  return std::unique_ptr<CheckpointLogWriter>(new CheckpointLogWriter(fd, path, *contents));
}

CheckpointLogWriter::CheckpointLogWriter(int fd, std::string path, const CheckpointLogContents& contents)
    : fd_(fd),
      path_(std::move(path)),
      end_(contents.valid_bytes),
      entries_(contents.entries.size()),
      tail_damage_(contents.tail_damage),
      truncated_bytes_(contents.truncated_bytes) {
  if (!contents.entries.empty()) last_ = contents.entries.back().checkpoint;
}

CheckpointLogWriter::~CheckpointLogWriter() { ::close(fd_); }

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
  size_t done = 0;
  while (done < entry.size()) {
    const ssize_t n = ::pwrite(fd_, entry.data() + done, entry.size() - done, static_cast<off_t>(end_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure_ = fmt::format("write to {} failed: {}", path_, n < 0 ? errno_text() : "no progress");
      return io_error(failure_);
    }
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    // After a failed fdatasync the page cache may have dropped the data: never retry it.
    failure_ = fmt::format("fdatasync of {} failed: {}", path_, errno_text());
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
