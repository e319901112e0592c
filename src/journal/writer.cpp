// JournalWriter: encoding, chaining, buffered writes, segment rotation and fdatasync.
#include "journal/writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "core/assert.h"
#include <cerrno>

#include "journal/file_io.h"
#include "journal/segment_files.h"

namespace glassbook::journal {

namespace {

Status refuse(std::string message) { return Status(Error::InvalidArgument, "journal: " + std::move(message)); }

}  // namespace

Result<std::unique_ptr<JournalWriter>> JournalWriter::open(const std::string& dir, const ChainTip& tip,
                                                           const WriterOptions& options) {
  if (options.segment_bytes == 0) return refuse("segment_bytes must be at least 1");
  if (tip.segment_first_seq > tip.next_seq || (tip.empty() && !(tip == ChainTip{})))
    return refuse(fmt::format("inconsistent tip: next seq {}, last segment starting at seq {} with {} bytes", tip.next_seq,
                              tip.segment_first_seq, tip.segment_bytes));

  Result<std::vector<SegmentFile>> segs = list_segments(dir);
  if (!segs.is_ok()) return segs.status();
  if (segs->empty() && !tip.empty())
    return refuse(fmt::format("{} holds no segment but the tip is at seq {}; recover it first", dir, tip.next_seq));
  if (!segs->empty() && segs->back().first_seq != tip.segment_first_seq)
    return refuse(fmt::format("the last segment of {} is {} but the tip is in {}; recover it first", dir,
                              segs->back().name, segment_file_name(tip.segment_first_seq)));

  const std::string path = segment_path(dir, tip.segment_first_seq);
  Result<UniqueFd> fd = open_file(path, O_WRONLY | O_CREAT | O_APPEND);
  if (!fd.is_ok()) return fd.status();
  Result<uint64_t> size = file_size(fd->get(), path);
  if (!size.is_ok()) return size.status();
  if (*size != tip.segment_bytes)
    return refuse(fmt::format("{} has {} bytes but its recovered tip ends at {} (next seq {}); recover it first", path, *size,
                              tip.segment_bytes, tip.next_seq));
  // The segment's directory entry must be durable before any record in it can be.
  if (Status s = sync_directory(dir); !s.is_ok()) return s;
  return std::unique_ptr<JournalWriter>(new JournalWriter(std::move(fd).value().release(), dir, tip, options));
}

JournalWriter::JournalWriter(int fd, std::string dir, const ChainTip& tip, const WriterOptions& options)
    : fd_(fd),
      dir_(std::move(dir)),
      path_(segment_path(dir_, tip.segment_first_seq)),
      options_(options),
      tip_(tip),
      durable_end_(tip.next_seq) {
  GB_ASSERT(fd_ >= 0);
  last_synced_.first_seq = durable_end_;
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status JournalWriter::failed_status() const {
  return Status(Error::Io, fmt::format("journal: writer failed earlier ({}); recover before writing", failure_));
}

Status JournalWriter::fail(Status s) {
  GB_ASSERT(!s.is_ok());
  failure_ = s.message();
  return failed_status();
}

Status JournalWriter::append(Record record) {
  if (!failure_.empty()) return failed_status();
  if (record.seq != tip_.next_seq) return refuse(fmt::format("append of seq {} where seq {} is next", record.seq, tip_.next_seq));
  if (record.signed_bytes.size() > kMaxSignedBytes)
    return refuse(fmt::format("seq {} has {} signed bytes (limit {})", record.seq, record.signed_bytes.size(), kMaxSignedBytes));
  const size_t size = encoded_size(record);
  if (buffer_.size() + size > kMaxBufferedBytes)
    return Status(Error::Overloaded, fmt::format("journal: buffer full at seq {}; sync first", record.seq));

  if (tip_.segment_bytes >= options_.segment_bytes) {
    // The current segment is full (never when empty: segment_bytes >= 1): this record starts the next.
    rotations_.push_back(Rotation{buffer_.size(), record.seq});
    tip_.segment_first_seq = record.seq;
    tip_.segment_bytes = 0;
  }
  record.prev_hash = tip_.hash;
  const std::string bytes = encode(record);
  GB_ASSERT(bytes.size() == size);
  buffer_.append(bytes);
  tip_.hash = record_hash(bytes);
  pending_hashes_.push_back(tip_.hash);
  tip_.next_seq = record.seq + 1;
  tip_.segment_bytes += size;
  return Status::ok();
}

Status JournalWriter::write_and_sync(size_t from, size_t to) {
  if (Status s = write_fully(fd_, buffer_.data() + from, to - from, path_); !s.is_ok()) return s;
  // After a failed fdatasync the page cache may have dropped the data: it is never retried.
  if (::fdatasync(fd_) != 0) return Status(Error::Io, fmt::format("journal: fdatasync of {} failed: {}", path_, errno_text(errno)));
  return Status::ok();
}

Result<SeqNo> JournalWriter::sync() {
  if (!failure_.empty()) return failed_status();
  size_t from = 0;
  for (const Rotation& r : rotations_) {
    // The full segment is durable before the next one exists, so only the last segment can be torn.
    if (r.offset > from) {
      if (Status s = write_and_sync(from, r.offset); !s.is_ok()) return fail(s);
    }
    ::close(fd_);
    fd_ = -1;
    path_ = segment_path(dir_, r.first_seq);
    Result<UniqueFd> fd = open_file(path_, O_WRONLY | O_CREAT | O_EXCL | O_APPEND);
    if (!fd.is_ok()) return fail(fd.status());
    fd_ = std::move(fd).value().release();
    if (Status s = sync_directory(dir_); !s.is_ok()) return fail(s);
    from = r.offset;
  }
  if (buffer_.size() > from) {
    if (Status s = write_and_sync(from, buffer_.size()); !s.is_ok()) return fail(s);
  }
  buffer_.clear();
  rotations_.clear();
  last_synced_.first_seq = durable_end_;
  last_synced_.hashes.swap(pending_hashes_);
  pending_hashes_.clear();
  durable_end_ = tip_.next_seq;
  GB_ASSERT(last_synced_.end_seq() == durable_end_);
  return durable_seq();
}

}  // namespace glassbook::journal
