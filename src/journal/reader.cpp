// Segment scanning with tail-versus-middle damage classification, and recovery of the file.
#include "journal/reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>

namespace glassbook::journal {

namespace {

std::string errno_text() { return std::strerror(errno); }

Status corruption(std::string message) { return Status(Error::InvalidArgument, "journal: " + std::move(message)); }

// Offset of the first valid record starting after `from`, or npos.
size_t next_valid_record(std::string_view bytes, size_t from) {
  for (size_t p = from; p + kMinRecordBytes <= bytes.size(); ++p) {
    if (std::memcmp(bytes.data() + p, kRecordMagic, sizeof kRecordMagic) != 0) continue;
    size_t consumed = 0;
    if (decode(bytes.substr(p), consumed).is_ok()) return p;
  }
  return std::string_view::npos;
}

}  // namespace

Result<Recovered> scan_segment(std::string_view bytes) {
  Recovered out;
  size_t at = 0;
  while (at < bytes.size()) {
    const SeqNo expected = out.tip.seq + 1;
    size_t consumed = 0;
    Damage damage = Damage::None;
    Result<Record> r = decode(bytes.substr(at), consumed, &damage);
    if (!r.is_ok()) {
      assert(damage != Damage::None);
      const size_t later = next_valid_record(bytes, at + 1);
      if (later != std::string_view::npos)
        return corruption(fmt::format(
            "damaged record at offset {} where seq {} was expected ({}); a valid record follows at offset {}, "
            "so this is corruption in the middle, not a torn tail",
            at, expected, r.status().message(), later));
      out.report.tail_damage =
          fmt::format("torn tail at offset {} where seq {} was expected: {}", at, expected, r.status().message());
      out.report.truncated_bytes = bytes.size() - at;
      break;
    }
    Record& rec = r.value();
    if (rec.seq != expected)
      return corruption(fmt::format("sequence gap at offset {}: expected seq {}, found seq {}", at, expected, rec.seq));
    if (rec.prev_hash != out.tip.hash)
      return corruption(fmt::format("broken hash chain at seq {} (offset {}): its prev_hash is not the hash of {}",
                                    rec.seq, at, out.tip.seq == 0 ? std::string("genesis") : fmt::format("seq {}", out.tip.seq)));
    out.tip.seq = rec.seq;
    out.tip.hash = record_hash(bytes.substr(at, consumed));
    at += consumed;
    out.tip.bytes = at;
    out.records.push_back(std::move(rec));
  }
  out.report.records = out.records.size();
  out.report.valid_bytes = out.tip.bytes;
  assert(out.report.valid_bytes + out.report.truncated_bytes == bytes.size());
  return out;
}

Result<Recovered> open_and_recover(const std::string& dir) {
  const std::string path = segment_path(dir);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Recovered{};
    return corruption(fmt::format("cannot open {}: {}", path, errno_text()));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  struct stat st {};
  if (::fstat(fd, &st) != 0) return corruption(fmt::format("cannot stat {}: {}", path, errno_text()));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > kMaxSegmentBytes)
    return corruption(fmt::format("{} has {} bytes, more than the limit of {}", path, size, kMaxSegmentBytes));

  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, bytes.data() + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return corruption(fmt::format("read of {} failed: {}", path, errno_text()));
    if (n == 0) return corruption(fmt::format("{} shrank while being read ({} of {} bytes)", path, done, size));
    done += static_cast<size_t>(n);
  }

  Result<Recovered> rec = scan_segment(bytes);
  if (!rec.is_ok() || rec->report.truncated_bytes == 0) return rec;
  const uint64_t keep = rec->report.valid_bytes;
  if (::ftruncate(fd, static_cast<off_t>(keep)) != 0)
    return corruption(fmt::format("cannot truncate {} to {} bytes: {}", path, keep, errno_text()));
  if (::fsync(fd) != 0) return corruption(fmt::format("fsync of {} after truncation failed: {}", path, errno_text()));
  return rec;
}

}  // namespace glassbook::journal
