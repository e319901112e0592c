// Recovery never destroys evidence: damage among checkpointed records stops the start and leaves
// every file as it was; a torn tail beyond the newest checkpoint is cut, and what was cut is reported.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "journal/checkpoint_log.h"
#include "journal/node.h"
#include "journal/reader.h"
#include "journal_test_util.h"
#include "node_test_util.h"
#include "record_offset.h"

namespace glassbook::journal {
namespace {

using namespace testing;

// Every file of `dir` and its bytes.
std::map<std::string, std::string> files_of(const std::string& dir) {
  std::map<std::string, std::string> out;
  // The Merkle tiles under tile/ included: a start that stops writes none either.
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[std::filesystem::relative(e.path(), dir).string()] = read_all(e.path().string());
  return out;
}

// A journal of the session's first `n` commands, checkpointed at stop (and every 64 records).
void run_node(const std::string& dir, const Session& s, size_t n) {
  auto node = Node::open(options_for(dir, s));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  submit_all(**node, std::vector<Record>(s.records().begin(), s.records().begin() + static_cast<std::ptrdiff_t>(n)));
  (*node)->stop();
}

TEST(NodeRecoveryEvidence, ADamagedCheckpointedRecordStopsTheStartAndLeavesTheFilesUntouched) {
  TempDir dir;
  Session s;
  s.trade(4, 200, 31);
  run_node(dir.path(), s, 200);
  ASSERT_EQ(read_checkpoints(dir.path())->entries.back().checkpoint.tree_size, 201u);

  // Zeros from record 150 to the end, as a lost write leaves them: no valid record follows, so it
  // looks like a torn tail, but a checkpoint covers all 201 records.
  const std::string segment = dir.segment();
  const uint64_t at = offset_of(dir.path(), 150);
  std::string bytes = read_all(segment);
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.end(), '\0');
  write_all(segment, bytes);
  const auto before = files_of(dir.path());

  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_FALSE(node.is_ok());
  EXPECT_EQ(node.status().code(), Error::Corruption);
  const std::string why = node.status().message();
  EXPECT_NE(why.find(fmt::format("damaged record in {} at offset {} where seq 150 was expected", segment_file_name(0), at)),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("a signed checkpoint covers 201 records (seq 0 to 200)"), std::string::npos) << why;
  EXPECT_EQ(files_of(dir.path()), before);  // nothing cut, nothing written
}

TEST(NodeRecoveryEvidence, ATornTailBeyondTheNewestCheckpointIsCutAndReported) {
  TempDir dir;
  Session s;
  s.trade(4, 200, 32);
  run_node(dir.path(), s, 100);
  // A crash while writing the next record: the first 100 bytes of a record after the checkpoint.
  const std::string segment = dir.segment();
  const uint64_t size = std::filesystem::file_size(segment);
  Record torn = s.records()[100];
  torn.seq = 101;
  const std::string encoded = encode(torn);
  write_all(segment, read_all(segment) + encoded.substr(0, 100));

  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  const NodeRecovery& rec = (*node)->recovery();
  EXPECT_EQ(rec.records, 101u);
  EXPECT_EQ(rec.truncated_bytes, 100u);
  EXPECT_EQ(rec.truncated, fmt::format("cut 100 bytes off {}: offsets {} to {}", segment_file_name(0), size, size + 100));
  EXPECT_NE(rec.tail_damage.find(fmt::format("at offset {} where seq 101 was expected", size)), std::string::npos) << rec.tail_damage;
  EXPECT_EQ(std::filesystem::file_size(segment), size);
}

TEST(NodeRecoveryEvidence, ATornLastCheckpointEntryIsCutAndReported) {
  TempDir dir;
  Session s;
  s.trade(4, 200, 33);
  run_node(dir.path(), s, 100);
  const std::string log = checkpoint_log_path(dir.path());
  const uint64_t size = std::filesystem::file_size(log);
  write_all(log, read_all(log) + "checkpoint 12");

  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  EXPECT_NE((*node)->recovery().checkpoint_log_damage.find(fmt::format("cut 13 bytes off checkpoints.log: torn tail at offset {}", size)),
            std::string::npos)
      << (*node)->recovery().checkpoint_log_damage;
  EXPECT_TRUE((*node)->recovery().truncated.empty());
}

}  // namespace
}  // namespace glassbook::journal
