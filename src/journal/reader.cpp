// The segment scanner: zero-copy record decoding over memory-mapped segments, contiguity and chain checks, torn-tail repair.
#include "journal/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/assert.h"
#include "journal/crc32c.h"
#include "journal/segment_files.h"

namespace glassbook::journal {

namespace {

// Offsets within a record (docs/journal.md, "Record format").
constexpr size_t kLengthAt = 8;
constexpr size_t kSeqAt = kHeaderBytes;         // 12
constexpr size_t kTimestampAt = kSeqAt + 8;     // 20
constexpr size_t kKindAt = kTimestampAt + 8;    // 28
constexpr size_t kSignedLenAt = kKindAt + 1;    // 29
constexpr size_t kSignedAt = kSignedLenAt + 4;  // 33

// The first 8 bytes of every v1 record: magic, version, zero reserved bytes.
constexpr char kHeaderPrefix[8] = {kRecordMagic[0], kRecordMagic[1], kRecordMagic[2], kRecordMagic[3],
                                   static_cast<char>(kRecordVersion), 0, 0, 0};

inline uint64_t load_le(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

Status fail(Damage kind, Damage* damage, std::string message) {
  if (damage) *damage = kind;
  const char* what = kind == Damage::Incomplete ? "incomplete record" : "corrupt record";
  return Status(Error::Corruption, fmt::format("{}: {}", what, message));
}

// decode_view's work, into a caller's view (the scanner reuses one for every record).
Status decode_into(std::string_view buffer, RecordView& v, Damage* damage);

Status corruption(std::string message) { return Status(Error::Corruption, "journal: " + std::move(message)); }

// The size of the record at the start of `bytes` if its header is whole and well-formed, it lies
// wholly within `bytes` and it carries seq `expected`; 0 otherwise. No checksum, no hash: used to
// read past records before ScanOptions::from_seq.
size_t frame_size(std::string_view bytes, SeqNo expected) {
  if (bytes.size() < kMinRecordBytes || std::memcmp(bytes.data(), kHeaderPrefix, sizeof kHeaderPrefix) != 0) return 0;
  const uint64_t payload = load_le(bytes.data() + kLengthAt, 4);
  if (payload < kFixedPayloadBytes || kHeaderBytes + payload + kChecksumBytes > kMaxRecordBytes) return 0;
  const size_t total = kHeaderBytes + payload + kChecksumBytes;
  if (bytes.size() < total || load_le(bytes.data() + kSeqAt, 8) != expected) return 0;
  return total;
}

// Offset of the first valid record (decodes, checksum included) starting after `from`, or npos.
size_t next_valid_record(std::string_view bytes, size_t from) {
  const std::string_view magic(kRecordMagic, sizeof kRecordMagic);
  for (size_t p = bytes.find(magic, from); p != std::string_view::npos; p = bytes.find(magic, p + 1))
    if (decode_view(bytes.substr(p)).is_ok()) return p;
  return std::string_view::npos;
}

// Cuts `path` to `size` bytes and makes that durable; the close is checked too.
Status truncate_file(Storage& storage, const std::string& path, uint64_t size) {
  Result<std::unique_ptr<StorageFile>> file = storage.open(path, OpenMode::ReadWrite);
  if (!file.is_ok()) return file.status();
  if (Status s = (*file)->truncate(size); !s.is_ok()) return s;
  if (Status s = (*file)->sync(); !s.is_ok()) return s;
  return (*file)->close();
}

// The scan's state as it walks the segments: the seq expected next and the hash it must link to.
class Scanner {
 public:
  Scanner(const ScanOptions& options, const RecordSink& sink, Storage& storage)
      : options_(options), sink_(sink), storage_(storage), hash_from_(options.from_seq == 0 ? 0 : options.from_seq - 1) {}

  SeqNo hash_from() const { return hash_from_; }

  // Positions the scan at the start of `seg`, the first segment read.
  void start_at(const SegmentFile& seg) {
    expected_ = seg.first_seq;
    prev_known_ = expected_ == 0;  // seq 0 links to kGenesisHash; any other start has no known predecessor
    prev_ = kGenesisHash;
  }

  // Scans one segment whose name has been checked against expected_, and sets the tip to its end.
  // Sets torn_ when its tail was torn (only the last segment may be: anywhere else it is an error).
  Status scan_segment(const SegmentFile& seg, bool last) {
    Result<std::unique_ptr<StorageView>> mapped = storage_.map(seg.path);
    if (!mapped.is_ok()) return mapped.status();
    const std::string_view bytes = (*mapped)->bytes();
    ++out_.report.segments;
    std::string_view unhashed;  // the last record read past without hashing, if it is the last one read
    size_t at = 0;
    while (at < bytes.size()) {
      const std::string_view rest = bytes.substr(at);
      if (expected_ < hash_from_) {
        if (const size_t n = frame_size(rest, expected_); n != 0) {
          unhashed = rest.substr(0, n);
          prev_known_ = false;
          ++out_.report.skipped;
          ++expected_;
          at += n;
          continue;
        }
        // Not a well-framed record with the expected seq: the full decode below says what it is.
      }
      Damage damage = Damage::None;
      RecordView& v = view_;
      if (Status bad = decode_into(rest, v, &damage); !bad.is_ok()) {
        Status s = damaged(seg, last, bytes, at, bad.message());
        if (!s.is_ok()) return s;
        break;  // a torn tail: it is the end of the journal
      }
      if (v.seq != expected_)
        return corruption(fmt::format("sequence gap in {} at offset {}: expected seq {}, found seq {}", seg.name, at,
                                      expected_, v.seq));
      if (prev_known_ && std::memcmp(v.prev_hash.data(), prev_.data(), prev_.size()) != 0)
        return corruption(fmt::format("broken hash chain at seq {} ({}, offset {}): its prev_hash is not {}", v.seq, seg.name,
                                      at, v.seq == 0 ? std::string("the genesis hash (zeros)")
                                                     : fmt::format("the hash of seq {}", v.seq - 1)));
      v.hash = record_hash(v.encoded);
      if (v.seq == hash_from_ && options_.from_seq > 0) {
        if (options_.link_hash && v.hash != *options_.link_hash)
          return corruption(fmt::format(
              "record seq {} ({}, offset {}) has hash {} but the link hash given for it is {}: the journal does not "
              "continue that chain (a snapshot's chain_hash)",
              v.seq, seg.name, at, crypto::to_hex(v.hash), crypto::to_hex(*options_.link_hash)));
        out_.report.link_checked = true;
      }
      prev_ = v.hash;
      prev_known_ = true;
      unhashed = {};
      if (v.seq >= options_.from_seq) {
        ++out_.report.records;
        if (sink_) {
          if (Status s = sink_(v); !s.is_ok()) return s;
        }
      } else {
        ++out_.report.skipped;
      }
      ++expected_;
      at += v.encoded.size();
    }
    if (!unhashed.empty()) {
      // The segment's last record was read past: hash it so that the tip is exact even when the
      // journal ends before from_seq.
      prev_ = record_hash(unhashed);
      prev_known_ = true;
    }
    out_.report.bytes += at;
    out_.tip.next_seq = expected_;
    out_.tip.hash = prev_;
    out_.tip.segment_first_seq = seg.first_seq;
    out_.tip.segment_bytes = at;
    return Status::ok();
  }

  SeqNo expected() const { return expected_; }
  bool torn() const { return torn_; }
  ScanResult& result() { return out_; }

 private:
  // Damage at `at`: a torn tail (returns ok, sets torn_, cuts it when allowed) or an error.
  Status damaged(const SegmentFile& seg, bool last, std::string_view bytes, size_t at, const std::string& why) {
    if (!last)
      return corruption(fmt::format(
          "damaged record in {} at offset {} where seq {} was expected ({}); only the last segment may end in a torn tail",
          seg.name, at, expected_, why));
    if (const size_t later = next_valid_record(bytes, at + 1); later != std::string_view::npos)
      return corruption(fmt::format(
          "damaged record in {} at offset {} where seq {} was expected ({}); a valid record follows at offset {}, so "
          "this is corruption in the middle, not a torn tail",
          seg.name, at, expected_, why, later));
    if (expected_ < options_.checkpointed)
      return corruption(fmt::format(
          "damaged record in {} at offset {} where seq {} was expected ({}); a signed checkpoint covers {} records "
          "(seq 0 to {}), so this record was acknowledged: it is not a torn tail, and the files are left untouched",
          seg.name, at, expected_, why, options_.checkpointed, options_.checkpointed - 1));
    torn_ = true;
    out_.report.tail_damage = fmt::format("torn tail in {} at offset {} where seq {} was expected: {}", seg.name, at, expected_, why);
    out_.report.truncated_bytes = bytes.size() - at;
    // Cut only within what the caller is recovering: a tail before from_seq means the journal ends
    // before the caller's starting point, which the caller must refuse, leaving the evidence in place.
    if (options_.repair && expected_ >= options_.from_seq) {
      if (Status s = truncate_file(storage_, seg.path, at); !s.is_ok()) return s;
      out_.report.truncated = fmt::format("cut {} bytes off {}: offsets {} to {}", bytes.size() - at, seg.name, at, bytes.size());
    }
    return Status::ok();
  }

  const ScanOptions& options_;
  const RecordSink& sink_;
  Storage& storage_;
  const SeqNo hash_from_;  // from here on every record is hashed (the link record, then the tail)
  SeqNo expected_ = 0;
  crypto::Digest prev_ = kGenesisHash;  // record_hash of record expected_ - 1, when prev_known_
  bool prev_known_ = true;
  bool torn_ = false;
  RecordView view_;  // the record being checked, reused
  ScanResult out_;
};

}  // namespace

Record RecordView::to_record() const {
  Record r;
  r.seq = seq;
  r.timestamp = timestamp;
  r.kind = kind;
  r.signed_bytes.assign(signed_bytes);
  std::memcpy(r.signer.data(), signer.data(), r.signer.size());
  std::memcpy(r.signature.data(), signature.data(), r.signature.size());
  std::memcpy(r.prev_hash.data(), prev_hash.data(), r.prev_hash.size());
  return r;
}

namespace {

Status decode_into(std::string_view buffer, RecordView& v, Damage* damage) {
  if (damage) *damage = Damage::None;
  const char* p = buffer.data();
  // Header: a short buffer is incomplete only when what it holds is a valid header prefix.
  if (buffer.size() < kHeaderBytes || std::memcmp(p, kHeaderPrefix, sizeof kHeaderPrefix) != 0) {
    if (buffer.empty()) return fail(Damage::Incomplete, damage, "no bytes");
    const size_t known = std::min(buffer.size(), sizeof kHeaderPrefix);
    if (std::memcmp(p, kRecordMagic, std::min(known, sizeof kRecordMagic)) != 0) return fail(Damage::Corrupt, damage, "bad magic");
    if (known > 4 && static_cast<uint8_t>(p[4]) != kRecordVersion)
      return fail(Damage::Corrupt, damage, fmt::format("unsupported version {}", static_cast<uint8_t>(p[4])));
    if (std::memcmp(p, kHeaderPrefix, known) != 0) return fail(Damage::Corrupt, damage, "reserved header bytes are not zero");
    return fail(Damage::Incomplete, damage, fmt::format("{} of {} header bytes", buffer.size(), kHeaderBytes));
  }
  const uint64_t payload = load_le(p + kLengthAt, 4);
  if (payload < kFixedPayloadBytes || kHeaderBytes + payload + kChecksumBytes > kMaxRecordBytes)
    return fail(Damage::Corrupt, damage, fmt::format("impossible payload length {}", payload));
  const size_t total = kHeaderBytes + payload + kChecksumBytes;
  if (buffer.size() < total) return fail(Damage::Incomplete, damage, fmt::format("{} of {} bytes", buffer.size(), total));

  const uint32_t stored = static_cast<uint32_t>(load_le(p + total - kChecksumBytes, 4));
  const uint32_t computed = crc32c(p, total - kChecksumBytes);
  if (stored != computed)
    return fail(Damage::Corrupt, damage, fmt::format("checksum mismatch (stored {:08x}, computed {:08x})", stored, computed));

  const uint64_t signed_len = load_le(p + kSignedLenAt, 4);
  if (kFixedPayloadBytes + signed_len != payload)
    return fail(Damage::Corrupt, damage, fmt::format("signed length {} disagrees with payload length {}", signed_len, payload));
  v.seq = load_le(p + kSeqAt, 8);
  v.timestamp = static_cast<Timestamp>(load_le(p + kTimestampAt, 8));
  v.kind = static_cast<uint8_t>(p[kKindAt]);
  size_t at = kSignedAt;
  v.signed_bytes = buffer.substr(at, signed_len);
  at += signed_len;
  v.signer = buffer.substr(at, 32);
  v.signature = buffer.substr(at + 32, 64);
  v.prev_hash = buffer.substr(at + 96, 32);
  GB_ASSERT(at + 128 + kChecksumBytes == total);
  v.encoded = buffer.substr(0, total);
  return Status::ok();
}

}  // namespace

Result<RecordView> decode_view(std::string_view buffer, Damage* damage) {
  RecordView v;
  if (Status s = decode_into(buffer, v, damage); !s.is_ok()) return s;
  return v;
}

RecordSink collect_records(std::vector<Record>& out) {
  return [&out](const RecordView& v) {
    out.push_back(v.to_record());
    return Status::ok();
  };
}

Result<ScanResult> scan_journal(const std::string& dir, const ScanOptions& options, const RecordSink& sink, Storage& storage) {
  Result<std::vector<SegmentFile>> listed = list_segments(dir, storage);
  if (!listed.is_ok()) return listed.status();
  const std::vector<SegmentFile>& segs = *listed;
  if (segs.empty()) return ScanResult{};  // the empty journal

  Scanner scanner(options, sink, storage);
  // The segment holding hash_from: the last one whose first seq is not after it.
  const auto after = std::upper_bound(segs.begin(), segs.end(), scanner.hash_from(),
                                      [](SeqNo seq, const SegmentFile& s) { return seq < s.first_seq; });
  if (after == segs.begin()) {
    if (scanner.hash_from() == 0)
      return corruption(fmt::format("the first segment {} is named for seq {}, but seq 0 was expected (genesis)", segs[0].name,
                                    segs[0].first_seq));
    return corruption(fmt::format("no segment holds seq {}: the first segment {} starts at seq {}", scanner.hash_from(),
                                  segs[0].name, segs[0].first_seq));
  }
  const size_t start = static_cast<size_t>(after - segs.begin()) - 1;
  scanner.start_at(segs[start]);
  for (size_t i = start; i < segs.size(); ++i) {
    if (segs[i].first_seq != scanner.expected())
      return corruption(fmt::format(
          "segment {} is named for seq {}, but seq {} was expected next ({} {}): a segment is missing, misnamed or out "
          "of place",
          segs[i].name, segs[i].first_seq, scanner.expected(), segs[i - 1].name,
          scanner.expected() == segs[i - 1].first_seq ? std::string("holds no record")
                                                      : fmt::format("ends at seq {}", scanner.expected() - 1)));
    const bool last = i + 1 == segs.size();
    if (Status s = scanner.scan_segment(segs[i], last); !s.is_ok()) return s;
    GB_ASSERT(!scanner.torn() || last);
  }
  return std::move(scanner.result());
}

Result<std::string> cut_torn_tail(const std::string& dir, const ChainTip& tip, uint64_t torn_bytes, Storage& storage) {
  GB_ASSERT(torn_bytes > 0);
  const std::string path = segment_path(dir, tip.segment_first_seq);
  if (Status s = truncate_file(storage, path, tip.segment_bytes); !s.is_ok()) return s;
  return fmt::format("cut {} bytes off {}: offsets {} to {}", torn_bytes, segment_file_name(tip.segment_first_seq),
                     tip.segment_bytes, tip.segment_bytes + torn_bytes);
}

}  // namespace glassbook::journal
