// JournalWriter: encoding, chaining, buffered writes, segment rotation and fdatasync.
#include "journal/writer.h"

#include <fmt/format.h>

#include "core/assert.h"
#include "journal/segment_files.h"

namespace glassbook::journal {

namespace {

Status refuse(std::string message) { return Status(Error::InvalidArgument, "journal: " + std::move(message)); }

}  // namespace

Result<std::unique_ptr<JournalWriter>> JournalWriter::open(const std::string& dir, const ChainTip& tip,
                                                           const WriterOptions& options, Storage& storage) {
  if (options.segment_bytes == 0) return refuse("segment_bytes must be at least 1");
  if (tip.segment_first_seq > tip.next_seq || (tip.empty() && !(tip == ChainTip{})))
    return refuse(fmt::format("inconsistent tip: next seq {}, last segment starting at seq {} with {} bytes", tip.next_seq,
                              tip.segment_first_seq, tip.segment_bytes));

  Result<std::vector<SegmentFile>> segs = list_segments(dir, storage);
  if (!segs.is_ok()) return segs.status();
  if (segs->empty() && !tip.empty())
    return refuse(fmt::format("{} holds no segment but the tip is at seq {}; recover it first", dir, tip.next_seq));
  if (!segs->empty() && segs->back().first_seq != tip.segment_first_seq)
    return refuse(fmt::format("the last segment of {} is {} but the tip is in {}; recover it first", dir,
                              segs->back().name, segment_file_name(tip.segment_first_seq)));

  const std::string path = segment_path(dir, tip.segment_first_seq);
  Result<std::unique_ptr<StorageFile>> file = storage.open(path, OpenMode::ReadWrite);
  if (!file.is_ok()) return file.status();
  Result<uint64_t> size = (*file)->size();
  if (!size.is_ok()) return size.status();
  if (*size != tip.segment_bytes)
    return refuse(fmt::format("{} has {} bytes but its recovered tip ends at {} (next seq {}); recover it first", path, *size,
                              tip.segment_bytes, tip.next_seq));
  // Recovery may have read records that were written but never synced (the process died between
  // its write and its fdatasync; the machine did not, so they were in the page cache): they are
  // history now, and what follows builds on them, so they are made durable before anything else.
  if (Status s = (*file)->sync(); !s.is_ok()) return s;
  // The segment's directory entry must be durable before any record in it can be.
  if (Status s = storage.sync_directory(dir); !s.is_ok()) return s;
  return std::unique_ptr<JournalWriter>(new JournalWriter(std::move(file).value(), storage, dir, tip, options));
}

JournalWriter::JournalWriter(std::unique_ptr<StorageFile> file, Storage& storage, std::string dir, const ChainTip& tip,
                             const WriterOptions& options)
    : storage_(storage),
      file_(std::move(file)),
      file_end_(tip.segment_bytes),
      dir_(std::move(dir)),
      path_(segment_path(dir_, tip.segment_first_seq)),
      options_(options),
      tip_(tip),
      durable_end_(tip.next_seq) {
  GB_ASSERT(file_ != nullptr);
  last_synced_.first_seq = durable_end_;
}

// The last segment's writes were each synced or reported failed: a close error could not change
// what is durable, so the destructor's silent close is enough here.
JournalWriter::~JournalWriter() = default;

Status JournalWriter::close() {
  if (failed()) return failed_status();
  if (!buffer_.empty()) return Status(Error::InvalidArgument, fmt::format("journal: {} bytes still buffered: sync before close", buffer_.size()));
  if (!file_) return fail(Status(Error::Io, "journal: no segment open"));
  Status s = file_->close();
  file_.reset();
  failure_ = s.is_ok() ? std::string("closed") : s.message();
  return s;
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
  const std::string_view bytes(buffer_.data() + from, to - from);
  if (Status s = file_->write_at(file_end_, bytes); !s.is_ok()) return s;
  file_end_ += bytes.size();
  // After a failed fdatasync the page cache may have dropped the data: it is never retried.
  return file_->sync();
}

Result<SeqNo> JournalWriter::sync() {
  if (!failure_.empty()) return failed_status();
  size_t from = 0;
  for (const Rotation& r : rotations_) {
    // The full segment is durable before the next one exists, so only the last segment can be torn.
    if (r.offset > from) {
      if (Status s = write_and_sync(from, r.offset); !s.is_ok()) return fail(s);
    }
    // The full segment is synced; a close that still reports an error (NFS and some FUSE file
    // systems report write-back failures only there) means its bytes may not all be on disk.
    std::unique_ptr<StorageFile> full = std::move(file_);
    if (Status s = full->close(); !s.is_ok()) return fail(s);
    path_ = segment_path(dir_, r.first_seq);
    Result<std::unique_ptr<StorageFile>> next = storage_.open(path_, OpenMode::CreateNew);
    if (!next.is_ok()) return fail(next.status());
    file_ = std::move(next).value();
    file_end_ = 0;
    if (Status s = storage_.sync_directory(dir_); !s.is_ok()) return fail(s);
    from = r.offset;
  }
  if (buffer_.size() > from) {
    if (Status s = write_and_sync(from, buffer_.size()); !s.is_ok()) return fail(s);
  }
  // The batch's bytes move to last_synced() (for the replicas' feed) and the buffer takes back the
  // previous batch's storage, so nothing is copied or allocated per sync once both have grown.
  last_synced_.bytes.swap(buffer_);
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
