// Node snapshot state: a tagged, length-prefixed engine snapshot and the compact range's peaks.
#include "journal/node_state.h"

#include "core/byte_io.h"

namespace glassbook::journal {

namespace {
constexpr std::string_view kTag = "glassbook/node-state/v1";
constexpr size_t kMaxEngineBytes = size_t{4} << 30;
}  // namespace

std::string encode_node_state(const NodeState& state) {
  std::string out(kTag);
  ByteWriter w(out);
  w.str("engine", state.engine, kMaxEngineBytes);
  w.u64(state.merkle.size());
  w.seq("peaks", state.merkle.peaks(), 64, [](ByteWriter& v, const crypto::Digest& d) { v.key(d); });
  return out;
}

Result<NodeState> decode_node_state(std::string_view bytes) {
  if (bytes.substr(0, kTag.size()) != kTag) return Status(Error::Corruption, "snapshot state: missing tag");
  ByteReader r(bytes.substr(kTag.size()), "snapshot state");
  NodeState s;
  r.str("engine", s.engine, kMaxEngineBytes);
  uint64_t size = 0;
  r.u64(size);
  std::vector<crypto::Digest> peaks;
  r.seq("peaks", peaks, 64, [](ByteReader& v, crypto::Digest& d) { v.key(d); });
  if (auto st = r.status(); !st) return Status(Error::Corruption, st.message());
  auto range = crypto::CompactRange::from_peaks(size, std::move(peaks));
  if (!range) return range.status();
  s.merkle = std::move(range).value();
  return s;
}

}  // namespace glassbook::journal
