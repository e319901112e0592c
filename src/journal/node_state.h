// What a snapshot file holds for a node: the engine's snapshot and the Merkle log's compact range
// after the same record, so recovery and audits can start from it and still check later checkpoints.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/compact_range.h"

namespace glassbook::journal {

inline constexpr uint32_t kNodeStateFormat = 1;  // SnapshotMeta::state_format of these bytes

struct NodeState {
  std::string engine;           // engine::Engine::snapshot()
  crypto::CompactRange merkle;  // the log of records 0..seq: size seq + 1
};

std::string encode_node_state(const NodeState& state);
// Strict: Error::Corruption for truncated, trailing or inconsistent bytes.
Result<NodeState> decode_node_state(std::string_view bytes);

}  // namespace glassbook::journal
