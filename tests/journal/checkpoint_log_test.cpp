// The checkpoint log file: framing, append rules, torn tails cut off, damage in the middle refused.
#include "journal/checkpoint_log.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "journal/crc32c.h"
#include "journal_test_util.h"

namespace glassbook::journal {
namespace {

using testing::read_all;
using testing::TempDir;
using testing::write_all;

std::string log_of(const TempDir& dir) { return checkpoint_log_path(dir.path()); }

const crypto::KeyPair& log_key() {
  static const crypto::KeyPair k = crypto::KeyPair::from_seed(crypto::seed_from_label("checkpoint log test key"));
  return k;
}
constexpr std::string_view kOrigin = "glassbook.example/test";

Checkpoint checkpoint_at(uint64_t size, std::string_view origin = kOrigin) {
  Checkpoint cp;
  cp.origin = std::string(origin);
  cp.tree_size = size;
  cp.root = size == 0 ? crypto::sha256(std::string_view()) : crypto::sha256("root " + std::to_string(size));
  cp.state_root = crypto::sha256("state " + std::to_string(size));
  return cp;
}

std::string note_at(uint64_t size, std::string_view origin = kOrigin) {
  return *sign_checkpoint(checkpoint_at(size, origin), origin, log_key());
}

// A log of checkpoints at the given sizes, appended through the writer; returns the file's bytes.
std::string make_log(const TempDir& dir, std::initializer_list<uint64_t> sizes) {
  auto w = CheckpointLogWriter::open(dir.path());
  EXPECT_TRUE(w.is_ok()) << w.status().message();
  for (uint64_t s : sizes) EXPECT_TRUE(w.value()->append(note_at(s)).is_ok());
  return read_all(log_of(dir));
}

template <class T>
void expect_error(const Result<T>& r, Error code, std::string_view message_part) {
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.code(), code) << r.status().message();
  EXPECT_NE(r.status().message().find(message_part), std::string::npos)
      << "want '" << message_part << "' in: " << r.status().message();
}
void expect_error(const Status& s, Error code, std::string_view message_part) {
  EXPECT_EQ(s.code(), code) << s.message();
  EXPECT_NE(s.message().find(message_part), std::string::npos) << "want '" << message_part << "' in: " << s.message();
}

TEST(CheckpointLog, AbsentFileIsEmpty) {
  TempDir dir;
  auto r = read_checkpoints(dir.path());
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->entries.empty());
  EXPECT_EQ(r->valid_bytes, 0u);
  EXPECT_FALSE(std::filesystem::exists(log_of(dir)));  // reading creates nothing
  auto w = CheckpointLogWriter::open(dir.path());
  ASSERT_TRUE(w.is_ok());
  EXPECT_TRUE(std::filesystem::exists(log_of(dir)));
  EXPECT_EQ(w.value()->entries(), 0u);
  EXPECT_FALSE(w.value()->last().has_value());
}

TEST(CheckpointLog, AppendAndReadBack) {
  TempDir dir;
  const std::string bytes = make_log(dir, {0, 1, 5, 1000});
  // Framing: "checkpoint <length> <crc32c>\n" then the note, byte for byte.
  const std::string first = note_at(0);
  EXPECT_TRUE(bytes.starts_with(fmt::format("checkpoint {} {:08x}\n{}", first.size(), crc32c(first), first)));
  EXPECT_EQ(bytes, encode_checkpoint_entry(note_at(0)) + encode_checkpoint_entry(note_at(1)) +
                       encode_checkpoint_entry(note_at(5)) + encode_checkpoint_entry(note_at(1000)));

  auto r = read_checkpoints(dir.path());
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  ASSERT_EQ(r->entries.size(), 4u);
  EXPECT_TRUE(r->tail_damage.empty());
  EXPECT_EQ(r->valid_bytes, bytes.size());
  const NoteVerifier v = *note_verifier(kOrigin, log_key().public_key());
  uint64_t offset = 0;
  for (size_t i = 0; i < 4; ++i) {
    const uint64_t size = std::vector<uint64_t>{0, 1, 5, 1000}[i];
    EXPECT_EQ(r->entries[i].offset, offset);
    EXPECT_EQ(r->entries[i].note, note_at(size));
    EXPECT_EQ(r->entries[i].checkpoint, checkpoint_at(size));
    EXPECT_EQ(*verify_checkpoint(r->entries[i].note, v, kOrigin), checkpoint_at(size));
    offset += encode_checkpoint_entry(note_at(size)).size();
  }

  // Reopening continues after the last entry.
  {
    auto w = CheckpointLogWriter::open(dir.path());
    ASSERT_TRUE(w.is_ok());
    EXPECT_EQ(w.value()->entries(), 4u);
    EXPECT_EQ(w.value()->last()->tree_size, 1000u);
    ASSERT_TRUE(w.value()->append(note_at(1001)).is_ok());
  }
  EXPECT_TRUE(append_checkpoint(dir.path(), note_at(2000)).is_ok());
  EXPECT_EQ(read_checkpoints(dir.path())->entries.size(), 6u);
}

TEST(CheckpointLog, AppendRefusesWhatCannotFollow) {
  TempDir dir;
  const std::string before = make_log(dir, {3, 7});
  expect_error(append_checkpoint(dir.path(), note_at(7)), Error::InvalidArgument, "tree size 7 does not increase");
  expect_error(append_checkpoint(dir.path(), note_at(6)), Error::InvalidArgument, "tree size 6 does not increase");
  expect_error(append_checkpoint(dir.path(), note_at(8, "glassbook.example/other")), Error::InvalidArgument,
               "differs from the log's origin");
  expect_error(append_checkpoint(dir.path(), "not a note\n"), Error::InvalidArgument, "not a checkpoint note");
  auto other_body = sign_note("hello\n", "k", log_key());
  expect_error(append_checkpoint(dir.path(), *other_body), Error::InvalidArgument, "not a checkpoint note");
  expect_error(append_checkpoint(dir.path(), ""), Error::InvalidArgument, "not a checkpoint note");
  EXPECT_EQ(read_all(log_of(dir)), before);
}

TEST(CheckpointLog, TornTailIsReportedThenCutOffByTheWriter) {
  TempDir dir;
  const std::string whole = make_log(dir, {1, 2, 3});
  const size_t two = encode_checkpoint_entry(note_at(1)).size() + encode_checkpoint_entry(note_at(2)).size();
  // Every cut inside the third entry, from its first byte to its last.
  for (size_t cut = two + 1; cut < whole.size(); ++cut) {
    auto r = scan_checkpoint_log(std::string_view(whole).substr(0, cut));
    ASSERT_TRUE(r.is_ok()) << cut << ": " << r.status().message();
    EXPECT_EQ(r->entries.size(), 2u) << cut;
    EXPECT_EQ(r->valid_bytes, two);
    EXPECT_EQ(r->truncated_bytes, cut - two);
    EXPECT_NE(r->tail_damage.find(fmt::format("torn tail at offset {} where entry 2 was expected", two)),
              std::string::npos)
        << r->tail_damage;
  }
  // On disk: read reports and leaves the file; the writer cuts the tail and appends after it.
  write_all(log_of(dir), whole.substr(0, whole.size() - 10));
  auto r = read_checkpoints(dir.path());
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->entries.size(), 2u);
  EXPECT_NE(r->tail_damage.find("incomplete entry"), std::string::npos) << r->tail_damage;
  EXPECT_EQ(read_all(log_of(dir)).size(), whole.size() - 10);
  {
    auto w = CheckpointLogWriter::open(dir.path());
    ASSERT_TRUE(w.is_ok()) << w.status().message();
    EXPECT_EQ(w.value()->truncated_bytes(), whole.size() - 10 - two);
    EXPECT_FALSE(w.value()->tail_damage().empty());
    EXPECT_EQ(read_all(log_of(dir)).size(), two);
    ASSERT_TRUE(w.value()->append(note_at(3)).is_ok());
  }
  EXPECT_EQ(read_all(log_of(dir)), whole);
  EXPECT_TRUE(read_checkpoints(dir.path())->tail_damage.empty());
}

TEST(CheckpointLog, ZeroFilledAndGarbledTailsAreTorn) {
  TempDir dir;
  const std::string whole = make_log(dir, {1, 2});
  const size_t one = encode_checkpoint_entry(note_at(1)).size();
  auto torn = [&](const std::string& bytes, size_t entries, std::string_view what) {
    auto r = scan_checkpoint_log(bytes);
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_EQ(r->entries.size(), entries);
    EXPECT_NE(r->tail_damage.find(what), std::string::npos) << r->tail_damage;
  };
  torn(whole + std::string(4096, '\0'), 2, "no header line");
  torn(whole + std::string(5, '\0'), 2, "incomplete header line");
  torn(whole + "check", 2, "incomplete header line");
  torn(whole + "checkpoint 99999999 00000000\n", 2, "malformed header line");  // length above the limit
  std::string flipped = whole;
  flipped[whole.size() - 20] ^= 0x01;  // inside the last note: its CRC fails
  torn(flipped, 1, "CRC-32C mismatch");
  std::string header = whole;
  header[one + 2] = 'X';  // "chXckpoint": the last header
  torn(header, 1, "malformed header line");
  torn(whole.substr(0, one) + std::string(whole.size() - one, '\0'), 1, "no header line");
  // The writer cuts each of these off.
  write_all(log_of(dir), flipped);
  auto w = CheckpointLogWriter::open(dir.path());
  ASSERT_TRUE(w.is_ok());
  EXPECT_EQ(w.value()->entries(), 1u);
  EXPECT_EQ(read_all(log_of(dir)), whole.substr(0, one));
}

TEST(CheckpointLog, DamageInTheMiddleIsCorruptionNamingTheEntry) {
  TempDir dir;
  const std::string whole = make_log(dir, {1, 2, 3});
  const size_t one = encode_checkpoint_entry(note_at(1)).size();
  const size_t two = one + encode_checkpoint_entry(note_at(2)).size();
  auto corrupt = [&](const std::string& bytes, std::string_view what) {
    auto r = scan_checkpoint_log(bytes);
    expect_error(r, Error::Corruption, what);
  };
  // A flipped byte in entry 1's note, its header, or its length; entry 0's too.
  for (size_t at : {one + 40, two - 5, one + 11, one}) {
    std::string b = whole;
    b[at] ^= 0x04;
    corrupt(b, fmt::format("entry 1 at offset {} is damaged", one));
    corrupt(b, fmt::format("a valid entry follows at offset {}", two));
  }
  std::string b0 = whole;
  b0[30] ^= 0x01;
  corrupt(b0, "entry 0 at offset 0 is damaged");
  // Bytes lost from the middle (a torn write that was later appended to).
  corrupt(whole.substr(0, one + 50) + whole.substr(two), "entry 1 at offset");
  corrupt(whole.substr(0, one) + "junk\n" + whole.substr(one), "entry 1 at offset");

  // On disk: both the reader and the writer refuse, and the file is left untouched.
  std::string b = whole;
  b[one + 40] ^= 0x04;
  write_all(log_of(dir), b);
  expect_error(read_checkpoints(dir.path()), Error::Corruption, "corruption in the middle, not a torn tail");
  expect_error(CheckpointLogWriter::open(dir.path()), Error::Corruption, "entry 1");
  expect_error(append_checkpoint(dir.path(), note_at(4)), Error::Corruption, "entry 1");
  EXPECT_EQ(read_all(log_of(dir)), b);
}

TEST(CheckpointLog, IntactEntriesThatBreakTheRulesAreCorruption) {
  const std::string e1 = encode_checkpoint_entry(note_at(1)), e2 = encode_checkpoint_entry(note_at(2));
  // Sizes out of order or repeated.
  expect_error(scan_checkpoint_log(e2 + e1), Error::Corruption, "entry 1 at offset");
  expect_error(scan_checkpoint_log(e2 + e1), Error::Corruption, "tree size 1 does not increase on the previous checkpoint's 2");
  expect_error(scan_checkpoint_log(e1 + e1), Error::Corruption, "does not increase");
  // Another origin.
  expect_error(scan_checkpoint_log(e1 + encode_checkpoint_entry(note_at(2, "glassbook.example/other"))),
               Error::Corruption, "differs from the log's origin");
  // Checksummed, but not a checkpoint note: last or not, it cannot be a torn write.
  expect_error(scan_checkpoint_log(e1 + encode_checkpoint_entry("hello\n")), Error::Corruption,
               "entry 1 at offset");
  expect_error(scan_checkpoint_log(encode_checkpoint_entry(*sign_note("hello\n", "k", log_key())) + e1),
               Error::Corruption, "entry 0 at offset 0 is intact but not a checkpoint note");
  // A header with a non-canonical length or checksum.
  const std::string note = note_at(1);
  for (const std::string& header :
       {fmt::format("checkpoint 0{} {:08x}\n", note.size(), crc32c(note)),
        fmt::format("checkpoint {} {:08X}\n", note.size(), crc32c(note)),
        fmt::format("checkpoint {} {:07x}\n", note.size(), crc32c(note) & 0xFFFFFFF),
        fmt::format("checkpoint  {} {:08x}\n", note.size(), crc32c(note)),
        fmt::format("checkpoint {} {:08x} \n", note.size(), crc32c(note)),
        fmt::format("checkpoint {} {:08x}\r\n", note.size(), crc32c(note)),
        fmt::format("Checkpoint {} {:08x}\n", note.size(), crc32c(note))}) {
    auto r = scan_checkpoint_log(header + note + e2);
    expect_error(r, Error::Corruption, "entry 0 at offset 0 is damaged");
  }
}

TEST(CheckpointLog, OneWriterAtATime) {
  TempDir dir;
  auto first = CheckpointLogWriter::open(dir.path());
  ASSERT_TRUE(first.is_ok());
  expect_error(CheckpointLogWriter::open(dir.path()), Error::Io, "another writer has");
  expect_error(append_checkpoint(dir.path(), note_at(1)), Error::Io, "another writer has");
  ASSERT_TRUE(first.value()->append(note_at(1)).is_ok());
  EXPECT_EQ(read_checkpoints(dir.path())->entries.size(), 1u);  // readers take no lock
  first = Status(Error::Io, "closed");
  EXPECT_TRUE(append_checkpoint(dir.path(), note_at(2)).is_ok());
}

TEST(CheckpointLog, ManyEntries) {
  TempDir dir;
  {
    auto w = CheckpointLogWriter::open(dir.path());
    ASSERT_TRUE(w.is_ok());
    for (uint64_t s = 1; s <= 300; ++s) ASSERT_TRUE(w.value()->append(note_at(s * 3)).is_ok());
  }
  auto r = read_checkpoints(dir.path());
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->entries.size(), 300u);
  EXPECT_EQ(r->entries.back().checkpoint.tree_size, 900u);
}

}  // namespace
}  // namespace glassbook::journal
