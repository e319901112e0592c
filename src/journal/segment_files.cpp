// Segment file names and the directory listing that orders them.
#include "journal/segment_files.h"

#include <fmt/format.h>

#include <algorithm>

namespace glassbook::journal {

std::string seq_file_name(std::string_view prefix, SeqNo seq, std::string_view suffix) {
  return fmt::format("{}{:020}{}", prefix, seq, suffix);
}

std::optional<SeqNo> parse_seq_file_name(std::string_view name, std::string_view prefix, std::string_view suffix) {
  if (name.size() != prefix.size() + kSeqDigits + suffix.size()) return std::nullopt;
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) return std::nullopt;
  SeqNo seq = 0;
  for (size_t i = prefix.size(); i < prefix.size() + kSeqDigits; ++i) {
    const char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    const SeqNo digit = static_cast<SeqNo>(c - '0');
    if (seq > (UINT64_MAX - digit) / 10) return std::nullopt;  // beyond u64
    seq = seq * 10 + digit;
  }
  return seq;
}

std::string segment_file_name(SeqNo first_seq) { return seq_file_name(kSegmentPrefix, first_seq, kSegmentSuffix); }

std::optional<SeqNo> parse_segment_file_name(std::string_view name) {
  return parse_seq_file_name(name, kSegmentPrefix, kSegmentSuffix);
}

Result<std::vector<SegmentFile>> list_segments(const std::string& dir, Storage& storage) {
  Result<std::vector<std::string>> names = storage.list(dir);
  if (!names.is_ok()) return names.status();
  std::vector<SegmentFile> out;
  for (const std::string& name : *names) {
    if (!name.starts_with(kSegmentPrefix) || !name.ends_with(kSegmentSuffix)) continue;
    const std::optional<SeqNo> first = parse_segment_file_name(name);
    if (!first)
      return Status(Error::Corruption, fmt::format("journal: {} in {} is not a segment name (journal-<20 digits>.log)", name, dir));
    out.push_back(SegmentFile{*first, name, dir + "/" + name});
  }
  std::sort(out.begin(), out.end(), [](const SegmentFile& a, const SegmentFile& b) { return a.first_seq < b.first_seq; });
  return out;
}

}  // namespace glassbook::journal
