// recover(): snapshot selection, the linked tail scan, and the snapshot-ahead-of-journal check.
#include "journal/recovery.h"

#include <fmt/format.h>

namespace glassbook::journal {

Result<Recovery> recover(const std::string& dir, const RecoverOptions& options, Storage& storage) {
  Recovery out;
  ScanOptions scan;
  scan.repair = options.repair;
  scan.checkpointed = options.checkpointed;
  if (!options.from_genesis) {
    Result<SnapshotLoad> load = load_newest_valid_snapshot(dir, storage);
    if (!load.is_ok()) return load.status();
    out.report.skipped_snapshots = std::move(load.value().skipped);
    out.snapshot = std::move(load.value().snapshot);
  }
  if (out.snapshot) {
    scan.from_seq = out.snapshot->meta.seq + 1;
    scan.link_hash = out.snapshot->meta.chain_hash;
    if (options.on_snapshot) {
      if (Status s = options.on_snapshot(*out.snapshot); !s.is_ok()) return s;
    }
  }

  Result<ScanResult> scanned = scan_journal(dir, scan, options.on_record, storage);
  if (!scanned.is_ok()) return scanned.status();
  out.tip = scanned->tip;
  const ScanReport& r = scanned->report;
  if (out.tip.next_seq < scan.from_seq)
    return Status(Error::Corruption,
                  fmt::format("journal: snapshot at seq {} is ahead of the journal, which {}{}", out.snapshot->meta.seq,
                              out.tip.empty() ? std::string("is empty") : fmt::format("ends at seq {}", out.tip.next_seq - 1),
                              r.tail_damage.empty() ? std::string() : fmt::format(" ({})", r.tail_damage)));
  if (out.snapshot && !r.link_checked)
    return Status(Error::Corruption, fmt::format("journal: the record at seq {} that links snapshot {} was not found",
                                                 out.snapshot->meta.seq, snapshot_file_name(out.snapshot->meta.seq)));
  out.report.records = r.records;
  out.report.segments = r.segments;
  out.report.truncated_bytes = r.truncated_bytes;
  out.report.tail_damage = r.tail_damage;
  out.report.truncated = r.truncated;
  return out;
}

Result<Recovered> open_and_recover(const std::string& dir, Storage& storage) {
  Recovered out;
  RecoverOptions options;
  options.from_genesis = true;
  options.on_record = [&out](const RecordView& v) {
    if (v.seq == 0)
      out.genesis = v.to_record();
    else
      out.records.push_back(v.to_record());
    return Status::ok();
  };
  Result<Recovery> r = recover(dir, options, storage);
  if (!r.is_ok()) return r.status();
  out.report = r->report;
  out.tip = r->tip;
  return out;
}

}  // namespace glassbook::journal
