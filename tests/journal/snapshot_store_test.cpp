// Snapshot store: the GBSN file layout, atomic writes, listing, newest-valid loading past damaged files, pruning, the size bound.
#include "journal/snapshot_store.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <filesystem>

#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

SnapshotMeta meta_at(SeqNo seq) {
  SnapshotMeta m;
  m.seq = seq;
  for (size_t i = 0; i < 32; ++i) {
    m.chain_hash[i] = static_cast<uint8_t>(seq + i);
    m.state_root[i] = static_cast<uint8_t>(seq * 3 + i);
  }
  m.timestamp = 1'700'000'000'000'000 + static_cast<Timestamp>(seq);
  m.state_format = 7;
  return m;
}

std::string state_at(SeqNo seq) {
  std::string s;
  for (size_t i = 0; i < 1000 + seq; ++i) s.push_back(static_cast<char>(i * 31 + seq));
  return s;
}

std::string path_of(const TempDir& dir, SeqNo seq) { return dir.path() + "/" + snapshot_file_name(seq); }

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SnapshotStore, WritesTheDocumentedLayoutAndReadsItBack) {
  TempDir dir;
  const SnapshotMeta m = meta_at(42);
  const std::string state = state_at(42);
  ASSERT_TRUE(write_snapshot(dir.path(), m, state).is_ok());
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"snapshot-00000000000000000042.snap"});  // no temporary left

  const std::string bytes = read_all(path_of(dir, 42));
  ASSERT_EQ(bytes.size(), kSnapshotHeaderBytes + state.size() + 32);
  EXPECT_EQ(bytes.substr(0, 4), "GBSN");
  EXPECT_EQ(bytes.substr(4, 4), std::string("\x01\x00\x00\x00", 4));
  EXPECT_EQ(bytes.substr(8, 8), std::string("\x2a\x00\x00\x00\x00\x00\x00\x00", 8));
  EXPECT_EQ(bytes.substr(16, 32), std::string(reinterpret_cast<const char*>(m.chain_hash.data()), 32));
  EXPECT_EQ(bytes.substr(48, 32), std::string(reinterpret_cast<const char*>(m.state_root.data()), 32));
  EXPECT_EQ(bytes.substr(96, 8), std::string("\x12\x04\x00\x00\x00\x00\x00\x00", 8));  // 1042 state bytes
  EXPECT_EQ(bytes.substr(kSnapshotHeaderBytes, state.size()), state);
  const crypto::Digest trailer = crypto::sha256(std::string_view(bytes).substr(0, bytes.size() - 32));
  EXPECT_EQ(bytes.substr(bytes.size() - 32), std::string(reinterpret_cast<const char*>(trailer.data()), 32));

  auto back = read_snapshot(path_of(dir, 42), SeqNo{42});
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back->meta, m);
  EXPECT_EQ(back->state, state);
}

TEST(SnapshotStore, EmptyStateAndRewritingTheSameSeq) {
  TempDir dir;
  ASSERT_TRUE(write_snapshot(dir.path(), meta_at(5), "").is_ok());
  auto empty = read_snapshot(path_of(dir, 5));
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->state.empty());
  ASSERT_TRUE(write_snapshot(dir.path(), meta_at(5), "second").is_ok());  // replaces it atomically
  auto again = read_snapshot(path_of(dir, 5));
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->state, "second");
  EXPECT_EQ(names_in(dir.path()).size(), 1u);
}

TEST(SnapshotStore, ListsBySeqIgnoringOtherFiles) {
  TempDir dir;
  for (SeqNo seq : {SeqNo{300}, SeqNo{7}, SeqNo{41}}) ASSERT_TRUE(write_snapshot(dir.path(), meta_at(seq), state_at(seq)).is_ok());
  write_all(dir.path() + "/snapshot-00000000000000000099.snap.tmp", "partial");
  write_all(dir.path() + "/snapshot-99.snap", "odd name");
  write_all(dir.path() + "/journal-00000000000000000000.log", "");
  auto list = list_snapshots(dir.path());
  ASSERT_TRUE(list.is_ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].seq, 7u);
  EXPECT_EQ((*list)[1].seq, 41u);
  EXPECT_EQ((*list)[2].seq, 300u);
  EXPECT_EQ((*list)[2].name, "snapshot-00000000000000000300.snap");
  EXPECT_EQ(list_snapshots("/tmp/glassbook-no-such-dir/x").code(), Error::Io);
}

TEST(SnapshotStore, EveryKindOfDamageIsCorruption) {
  TempDir dir;
  ASSERT_TRUE(write_snapshot(dir.path(), meta_at(9), state_at(9)).is_ok());
  const std::string path = path_of(dir, 9);
  const std::string good = read_all(path);
  auto expect_damage = [&](const std::string& bytes, const std::string& needle) {
    write_all(path, bytes);
    auto r = read_snapshot(path, SeqNo{9});
    ASSERT_FALSE(r.is_ok()) << needle;
    EXPECT_EQ(r.code(), Error::Corruption);
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(snapshot_file_name(9)), std::string::npos) << r.status().message();
  };
  for (size_t at : {size_t{20}, size_t{60}, size_t{85}, size_t{500}, good.size() - 1}) {
    std::string b = good;
    b[at] ^= 0x08;
    expect_damage(b, "SHA-256 mismatch");
  }
  expect_damage(good.substr(0, good.size() - 1), "header announces");
  expect_damage(good + "x", "header announces");
  expect_damage(good.substr(0, 100), "shorter than an empty snapshot");
  std::string magic = good;
  magic[0] = 'X';
  expect_damage(magic, "bad magic");
  std::string version = good;
  version[4] = 2;
  expect_damage(version, "unsupported version 2");
  std::string reserved = good;
  reserved[93] = 1;
  expect_damage(reserved, "reserved");
  std::string huge = good;
  huge[96 + 4] = 1;  // a length of 4 GiB + the real one
  expect_damage(huge, "beyond the limit");
  // A whole file under another snapshot's name.
  write_all(path, good);
  std::filesystem::rename(path, path_of(dir, 10));
  auto renamed = read_snapshot(path_of(dir, 10), SeqNo{10});
  ASSERT_FALSE(renamed.is_ok());
  EXPECT_NE(renamed.status().message().find("named for seq 10 but holds the snapshot at seq 9"), std::string::npos);
}

TEST(SnapshotStore, LoadsTheNewestWholeSnapshotSkippingDamagedOnes) {
  TempDir dir;
  auto none = load_newest_valid_snapshot(dir.path());
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->snapshot);
  EXPECT_TRUE(none->skipped.empty());

  for (SeqNo seq : {SeqNo{10}, SeqNo{20}, SeqNo{30}, SeqNo{40}}) ASSERT_TRUE(write_snapshot(dir.path(), meta_at(seq), state_at(seq)).is_ok());
  auto newest = load_newest_valid_snapshot(dir.path());
  ASSERT_TRUE(newest.is_ok());
  ASSERT_TRUE(newest->snapshot);
  EXPECT_EQ(newest->snapshot->meta, meta_at(40));
  EXPECT_EQ(newest->snapshot->state, state_at(40));
  EXPECT_TRUE(newest->skipped.empty());

  std::string b = read_all(path_of(dir, 40));
  b[300] ^= 1;
  write_all(path_of(dir, 40), b);
  write_all(path_of(dir, 30), read_all(path_of(dir, 30)).substr(0, 64));
  auto fallback = load_newest_valid_snapshot(dir.path());
  ASSERT_TRUE(fallback.is_ok());
  ASSERT_TRUE(fallback->snapshot);
  EXPECT_EQ(fallback->snapshot->meta, meta_at(20));
  ASSERT_EQ(fallback->skipped.size(), 2u);
  EXPECT_NE(fallback->skipped[0].find(snapshot_file_name(40)), std::string::npos) << fallback->skipped[0];
  EXPECT_NE(fallback->skipped[1].find(snapshot_file_name(30)), std::string::npos) << fallback->skipped[1];

  write_all(path_of(dir, 20), "");
  write_all(path_of(dir, 10), "GBSN");
  auto all_bad = load_newest_valid_snapshot(dir.path());
  ASSERT_TRUE(all_bad.is_ok());
  EXPECT_FALSE(all_bad->snapshot);
  EXPECT_EQ(all_bad->skipped.size(), 4u);
}

TEST(SnapshotStore, PruneKeepsTheNewestAndRemovesTemporaries) {
  TempDir dir;
  for (SeqNo seq : {SeqNo{1}, SeqNo{2}, SeqNo{3}, SeqNo{4}, SeqNo{5}}) ASSERT_TRUE(write_snapshot(dir.path(), meta_at(seq), "s").is_ok());
  write_all(dir.path() + "/snapshot-00000000000000000006.snap.tmp", "interrupted write");
  write_all(dir.path() + "/journal-00000000000000000000.log", "");
  auto removed = prune_snapshots(dir.path(), 2);
  ASSERT_TRUE(removed.is_ok()) << removed.status().to_string();
  EXPECT_EQ(*removed, 3u);
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"journal-00000000000000000000.log", "snapshot-00000000000000000004.snap",
                                                            "snapshot-00000000000000000005.snap"}));
  auto again = prune_snapshots(dir.path(), 2);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(*again, 0u);
  auto more = prune_snapshots(dir.path(), 10);
  ASSERT_TRUE(more.is_ok());
  EXPECT_EQ(*more, 0u);
  EXPECT_EQ(list_snapshots(dir.path())->size(), 2u);
}

TEST(SnapshotStore, RefusesStateBeyondTheBound) {
  // A mapping of 4 GiB + 1 bytes that is never touched: the size is refused before anything is read.
  const size_t size = kMaxSnapshotStateBytes + 1;
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  TempDir dir;
  Status s = write_snapshot(dir.path(), meta_at(1), std::string_view(static_cast<const char*>(p), size));
  ::munmap(p, size);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), Error::InvalidArgument);
  EXPECT_NE(s.message().find("more than the limit"), std::string::npos) << s.message();
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(SnapshotStore, WriteFailsCleanlyInAMissingDirectory) {
  Status s = write_snapshot("/tmp/glassbook-no-such-dir/x", meta_at(1), "s");
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), Error::Io);
}

}  // namespace
}  // namespace glassbook::journal::testing
