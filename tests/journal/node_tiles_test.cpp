// Node with its Merkle log in tiles: tiles written as records become durable, proofs from them verify
// against the signed checkpoints, and a restart rebuilds deleted or tampered tiles from the journal.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "journal/checkpoint_log.h"
#include "journal/node.h"
#include "journal_test_util.h"
#include "node_test_util.h"

namespace glassbook::journal {
namespace {

using namespace testing;

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every record of the newest stored checkpoint proves its inclusion from the node's tiles.
void expect_proofs_verify(const Node& node, const std::string& dir) {
  auto stored = read_checkpoints(dir);
  ASSERT_TRUE(stored.is_ok() && !stored->entries.empty());
  const Checkpoint& cp = stored->entries.back().checkpoint;
  for (SeqNo seq = 0; seq < cp.tree_size; seq += 37) {
    auto proof = node.inclusion_proof(seq, cp.tree_size);
    ASSERT_TRUE(proof.is_ok()) << proof.status().to_string();
    EXPECT_TRUE(check_inclusion(*proof, cp).is_ok()) << seq;
  }
  for (const auto& e : stored->entries) {
    auto proof = node.consistency_proof(e.checkpoint.tree_size, cp.tree_size);
    ASSERT_TRUE(proof.is_ok());
    EXPECT_TRUE(check_consistency(*proof, e.checkpoint, cp).is_ok());
  }
}

TEST(NodeTiles, WritesTilesAndRebuildsThemFromTheJournal) {
  TempDir dir;
  Session s;
  s.trade(6, 700, 41);
  {
    auto node = Node::open(options_for(dir.path(), s));
    ASSERT_TRUE(node.is_ok()) << node.status().to_string();
    submit_all(**node, s.records());
    (*node)->stop();
    ASSERT_GE((*node)->tree_size(), 512u);
    expect_proofs_verify(**node, dir.path());
  }
  const std::string tile0 = dir.path() + "/tile/0/000";
  const std::string tile1 = dir.path() + "/tile/0/001";
  const std::string whole0 = file_bytes(tile0);
  ASSERT_EQ(whole0.size(), 8192u);

  // Tampered: one hash of tile 0 changed. The restart finds it, says so, and rewrites it.
  {
    // Flipped, not overwritten with a constant: the hashes come from records with the sequencer's
    // clock in them, so any constant is, once in 256 runs, the byte already there.
    std::fstream f(tile0, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(32 * 5 + 1);
    const char was = static_cast<char>(f.get());
    f.seekp(32 * 5 + 1);
    f.put(static_cast<char>(was ^ 0x01));
  }
  std::filesystem::remove(tile1);
  {
    auto node = Node::open(options_for(dir.path(), s));
    ASSERT_TRUE(node.is_ok()) << node.status().to_string();
    const auto& repaired = (*node)->recovery().repaired_tiles;
    ASSERT_EQ(repaired.size(), 2u);
    EXPECT_NE(repaired[0].find("tile/0/000: other hashes than the journal's (damaged); rewritten from the journal"), std::string::npos)
        << repaired[0];
    EXPECT_NE(repaired[1].find("tile/0/001: missing"), std::string::npos) << repaired[1];
    EXPECT_EQ(file_bytes(tile0), whole0);
    expect_proofs_verify(**node, dir.path());
    (*node)->stop();
  }

  // Every tile gone: rebuilt, same proofs.
  std::filesystem::remove_all(dir.path() + "/tile");
  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  EXPECT_FALSE((*node)->recovery().repaired_tiles.empty());
  EXPECT_EQ(file_bytes(tile0), whole0);
  expect_proofs_verify(**node, dir.path());
}

}  // namespace
}  // namespace glassbook::journal
