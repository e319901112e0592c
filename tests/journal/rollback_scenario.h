// The rollback scenario of the anchored-audit and witness tests: an honest history with checkpoints, then a
// forger with write access to the directory alone cuts it, hides the last checkpoint and sequences other records.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>

#include "journal/audit.h"
#include "journal/checkpoint_log.h"
#include "journal/reader.h"
#include "node_test_util.h"
#include "record_offset.h"

namespace glassbook::journal::testing {

inline std::vector<Record> slice(const std::vector<Record>& all, size_t from, size_t to) {
  return std::vector<Record>(all.begin() + static_cast<std::ptrdiff_t>(from), all.begin() + static_cast<std::ptrdiff_t>(to));
}

// The exchange's honest history: 200 commands, checkpoints of 65, 129, 193 and (at stop) 201
// records. Returns the anchor an auditor saved from it: the newest checkpoint and its key.
inline AuditAnchor honest_history(const std::string& dir, const Session& s) {
  auto node = Node::open(options_for(dir, s));
  EXPECT_TRUE(node.is_ok()) << node.status().to_string();
  submit_each(**node, slice(s.records(), 0, 200));
  (*node)->stop();
  auto stored = read_checkpoints(dir);
  EXPECT_EQ(stored->entries.size(), 4u);
  EXPECT_EQ(stored->entries[2].checkpoint.tree_size, 193u);
  EXPECT_EQ(stored->entries[3].checkpoint.tree_size, 201u);
  return AuditAnchor{(*node)->latest_checkpoint().value(), (*node)->log_verifier().value(), {}, 0};
}

// The rollback: cut the journal after the second-to-last checkpoint (193 records), hide the last
// checkpoint (damaged, or the whole log dropped), restart and sequence other commands in place of
// the customers' ones (record 195 of the session left out); the node signs a checkpoint of 205
// records over them.
inline void roll_back(const std::string& dir, const Session& s, bool drop_checkpoint_log) {
  std::filesystem::resize_file(segment_path(dir, 0), offset_of(dir, 193));
  const std::string log = checkpoint_log_path(dir);
  if (drop_checkpoint_log) {
    std::filesystem::remove(log);
  } else {
    std::string bytes = read_all(log);
    bytes[read_checkpoints(dir)->entries.back().offset + 40] ^= 1;  // inside the note: a CRC mismatch
    write_all(log, bytes);
  }
  auto o = options_for(dir, s);
  o.genesis.reset();
  auto node = Node::open(o);
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  std::vector<Record> forged = slice(s.records(), 192, 194);
  for (const Record& r : slice(s.records(), 195, 205)) forged.push_back(r);
  submit_all(**node, forged);
  (*node)->stop();
}

}  // namespace glassbook::journal::testing
