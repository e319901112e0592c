// The simulated storage, one fault kind at a time: unsynced bytes lost at a crash, the last write
// torn, EIO and ENOSPC on writes and syncs, dead handles after a crash, corrupted and healed sectors,
// and the journal's writer, scanner and recovery running on it without touching the real disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "journal/reader.h"
#include "journal/recovery.h"
#include "journal/writer.h"
#include "sim/sim_storage.h"

namespace glassbook::sim {
namespace {

using journal::OpenMode;

constexpr const char* kPath = "/d/f";

std::unique_ptr<journal::StorageFile> open_file(SimStorage& s, const std::string& path, OpenMode mode = OpenMode::ReadWrite) {
  auto f = s.open(path, mode);
  EXPECT_TRUE(f.is_ok()) << f.status().to_string();
  return f.is_ok() ? std::move(f).value() : nullptr;
}

TEST(SimStorage, ReadsSeeUnsyncedWritesButACrashLosesThem) {
  SimStorage s(1);
  auto f = open_file(s, kPath);
  ASSERT_TRUE(s.sync_directory("/d").is_ok());
  ASSERT_TRUE(f->write_at(0, "synced").is_ok());
  ASSERT_TRUE(f->sync().is_ok());
  ASSERT_TRUE(f->write_at(6, " and not").is_ok());
  EXPECT_EQ(s.current_bytes(kPath), "synced and not");
  EXPECT_EQ(s.durable_bytes(kPath), "synced");

  s.crash_now(CrashMode::LoseUnsynced);
  EXPECT_TRUE(s.crashed());
  EXPECT_EQ(f->write_at(0, "x").code(), Error::Io);  // the handle died with the machine
  EXPECT_EQ(s.open(kPath, OpenMode::Read).status().code(), Error::Io);
  s.reboot();
  EXPECT_EQ(f->size().status().code(), Error::Io);  // and stays dead after the reboot
  EXPECT_EQ(s.current_bytes(kPath), "synced");
}

TEST(SimStorage, ACreationOrRenameIsLostAtACrashUntilItsDirectoryIsSynced) {
  SimStorage s(2);
  {
    auto a = open_file(s, "/d/a");
    ASSERT_TRUE(a->write_at(0, "a").is_ok());
    ASSERT_TRUE(a->sync().is_ok());  // the bytes are durable, the name is not
  }
  s.crash_now(CrashMode::LoseUnsynced);
  s.reboot();
  EXPECT_FALSE(s.exists("/d/a"));

  {
    auto b = open_file(s, "/d/b.tmp");
    ASSERT_TRUE(b->write_at(0, "b").is_ok());
    ASSERT_TRUE(b->sync().is_ok());
  }
  ASSERT_TRUE(s.sync_directory("/d").is_ok());
  ASSERT_TRUE(s.rename("/d/b.tmp", "/d/b").is_ok());
  EXPECT_TRUE(s.exists("/d/b"));
  s.crash_now(CrashMode::LoseUnsynced);
  s.reboot();
  EXPECT_FALSE(s.exists("/d/b"));  // the rename was never made durable
  EXPECT_EQ(s.current_bytes("/d/b.tmp"), "b");
  ASSERT_TRUE(s.rename("/d/b.tmp", "/d/b").is_ok());
  ASSERT_TRUE(s.sync_directory("/d").is_ok());
  s.crash_now(CrashMode::LoseUnsynced);
  s.reboot();
  EXPECT_EQ(s.list("/d").value(), std::vector<std::string>{"b"});
}

TEST(SimStorage, ATornCrashKeepsAPrefixOfTheLastWrite) {
  // Over seeds, the torn write keeps every length from none of its bytes to all of them.
  std::set<size_t> kept;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    SimStorage s(seed);
    auto f = open_file(s, kPath);
    ASSERT_TRUE(s.sync_directory("/d").is_ok());
    ASSERT_TRUE(f->write_at(0, "base:").is_ok());
    ASSERT_TRUE(f->sync().is_ok());
    ASSERT_TRUE(f->write_at(5, "first").is_ok());
    s.crash_at(0, CrashMode::TearLastWrite);
    EXPECT_EQ(f->write_at(10, "0123456789").code(), Error::Io);  // crashed on
    s.reboot();
    const std::string after = *s.current_bytes(kPath);
    ASSERT_GE(after.size(), 10u);
    EXPECT_EQ(after.substr(0, 10), "base:first");  // the earlier unsynced write survived whole
    EXPECT_EQ(after.substr(10), std::string("0123456789").substr(0, after.size() - 10));
    kept.insert(after.size() - 10);
  }
  EXPECT_TRUE(kept.count(0) && kept.count(10)) << "never torn at the ends";
  EXPECT_GT(kept.size(), 8u);
}

TEST(SimStorage, ACrashArmedForTheNthMutationFiresThereAndNotBefore) {
  SimStorage s(3);
  auto f = open_file(s, kPath);
  s.crash_at(2, CrashMode::LoseUnsynced);
  ASSERT_TRUE(s.sync_directory("/d").is_ok());    // mutation 0
  ASSERT_TRUE(f->write_at(0, "kept").is_ok());   // 1
  EXPECT_EQ(f->sync().code(), Error::Io);        // 2: the crash
  ASSERT_EQ(s.fired().size(), 1u);
  EXPECT_NE(s.fired()[0].find("during sync of /d/f"), std::string::npos) << s.fired()[0];
  s.reboot();
  EXPECT_EQ(s.current_bytes(kPath), "");  // the write was never synced
}

TEST(SimStorage, AWriteErrorReportsErrnoAndMayLandPartly) {
  for (const IoFault fault : {IoFault::Eio, IoFault::Enospc}) {
    SimStorage s(4);
    auto f = open_file(s, kPath);
    s.fail_write(1, fault);
    ASSERT_TRUE(f->write_at(0, "ok").is_ok());
    const Status failed = f->write_at(2, "refused");
    EXPECT_EQ(failed.code(), Error::Io);
    EXPECT_NE(failed.message().find(fault == IoFault::Eio ? "Input/output error" : "No space left on device"), std::string::npos)
        << failed.message();
    const std::string now = *s.current_bytes(kPath);
    EXPECT_EQ(now.substr(0, 2), "ok");
    EXPECT_EQ(now.substr(2), std::string("refused").substr(0, now.size() - 2));  // a prefix at most
    EXPECT_TRUE(f->write_at(0, "again").is_ok());  // fired once
  }
}

TEST(SimStorage, ASyncErrorDropsTheUnsyncedBytesAndCountsLaterWrites) {
  for (const IoFault fault : {IoFault::Eio, IoFault::Enospc}) {
    SimStorage s(5);
    auto f = open_file(s, kPath);
    ASSERT_TRUE(f->write_at(0, "durable").is_ok());
    ASSERT_TRUE(f->sync().is_ok());
    ASSERT_TRUE(f->write_at(7, "+lost").is_ok());
    s.fail_sync(0, fault);
    const Status failed = f->sync();
    EXPECT_EQ(failed.code(), Error::Io);
    EXPECT_NE(failed.message().find("fdatasync of /d/f"), std::string::npos) << failed.message();
    EXPECT_TRUE(s.sync_failed());
    EXPECT_EQ(s.current_bytes(kPath), "durable");  // a second fsync would not bring them back
    EXPECT_EQ(s.data_ops_after_failed_sync(), 0u);
    ASSERT_TRUE(f->write_at(7, "!").is_ok());  // what a node that is not fail-stop would do
    ASSERT_TRUE(f->sync().is_ok());
    EXPECT_EQ(s.data_ops_after_failed_sync(), 2u);
    s.reboot();
    EXPECT_FALSE(s.sync_failed());
  }
}

TEST(SimStorage, ACorruptedSectorChangesSyncedBytesUntilHealed) {
  SimStorage s(6);
  auto f = open_file(s, kPath);
  ASSERT_TRUE(s.sync_directory("/d").is_ok());
  const std::string data(2048, 'a');
  ASSERT_TRUE(f->write_at(0, data).is_ok());
  EXPECT_EQ(s.corrupt(kPath, 0, 512).code(), Error::InvalidArgument);  // not synced yet
  ASSERT_TRUE(f->sync().is_ok());
  auto original = s.corrupt(kPath, 512, 512);
  ASSERT_TRUE(original.is_ok());
  EXPECT_EQ(*original, std::string(512, 'a'));
  const std::string bad = *s.current_bytes(kPath);
  for (size_t i = 512; i < 1024; ++i) EXPECT_NE(bad[i], 'a') << i;  // every byte of the sector changed
  EXPECT_EQ(bad.substr(0, 512), std::string(512, 'a'));
  EXPECT_EQ(s.durable_bytes(kPath), bad);
  ASSERT_TRUE(s.heal(kPath, 512, *original).is_ok());
  EXPECT_EQ(s.current_bytes(kPath), data);
}

TEST(SimStorage, TheSameSeedDoesTheSameThing) {
  auto run = [](uint64_t seed) {
    SimStorage s(seed);
    auto f = open_file(s, kPath);
    EXPECT_TRUE(s.sync_directory("/d").is_ok());
    EXPECT_TRUE(f->write_at(0, std::string(100, 'x')).is_ok());
    EXPECT_TRUE(f->sync().is_ok());
    s.fail_write(0, IoFault::Eio);
    (void)f->write_at(100, std::string(100, 'y'));
    s.crash_at(0, CrashMode::TearLastWrite);
    (void)f->write_at(200, std::string(100, 'z'));
    s.reboot();
    return s.current_bytes(kPath).value_or("(no file)");
  };
  EXPECT_EQ(run(11), run(11));
  EXPECT_NE(run(11), run(12));
}

TEST(SimStorage, OneLockHolderAtATimeUntilItsHandleGoes) {
  SimStorage s(7);
  auto a = open_file(s, kPath);
  auto b = open_file(s, kPath);
  ASSERT_TRUE(a->lock().is_ok());
  EXPECT_EQ(b->lock().code(), Error::Io);
  a.reset();
  EXPECT_TRUE(b->lock().is_ok());
}

// The journal's writer, scanner and recovery do all their I/O through the storage they are given:
// with the simulated one nothing reaches the real disk, and a torn tail is found and cut there.
TEST(JournalOnSimStorage, WritesScansAndRecoversWithoutTheRealDisk) {
  SimStorage s(8);
  const std::string dir = "/glassbook-sim-only/journal";
  journal::WriterOptions small;
  small.segment_bytes = 400;
  auto opened = journal::JournalWriter::open(dir, journal::ChainTip{}, small, s);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  auto writer = std::move(opened).value();
  for (SeqNo seq = 0; seq < 20; ++seq) {
    journal::Record r;
    r.seq = seq;
    r.timestamp = 1'700'000'000'000'000 + static_cast<Timestamp>(seq);
    r.kind = 0xFF;
    r.signed_bytes = std::string(50 + seq, 'r');
    ASSERT_TRUE(writer->append(r).is_ok());
    ASSERT_TRUE(writer->sync().is_ok());
  }
  EXPECT_FALSE(std::filesystem::exists("/glassbook-sim-only"));
  EXPECT_GT(s.list(dir)->size(), 3u);  // rotated through several segments

  // A torn last record: the first 30 bytes of the next one at the end of the last segment.
  journal::Record last;
  last.seq = 20;
  last.kind = 0xFF;
  last.signed_bytes = std::string(300, 'l');
  const journal::ChainTip tip = writer->tip();
  writer.reset();
  {
    auto seg = open_file(s, journal::segment_path(dir, tip.segment_first_seq));
    ASSERT_TRUE(seg->write_at(tip.segment_bytes, journal::encode(last).substr(0, 30)).is_ok());
    ASSERT_TRUE(seg->sync().is_ok());
  }

  auto recovered = journal::recover(dir, journal::RecoverOptions{}, s);
  ASSERT_TRUE(recovered.is_ok()) << recovered.status().to_string();
  EXPECT_EQ(recovered->tip, tip);
  EXPECT_EQ(recovered->report.truncated_bytes, 30u);
  EXPECT_EQ(s.current_bytes(journal::segment_path(dir, tip.segment_first_seq))->size(), tip.segment_bytes);
  auto again = journal::JournalWriter::open(dir, recovered->tip, small, s);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();  // the tail was cut to a whole record
}

// A record written but never synced (the process died between its write and its fdatasync, the
// machine did not) is read by recovery from the page cache and built upon: reopening the writer
// makes it durable, so a crash afterwards cannot take it back.
TEST(JournalOnSimStorage, ReopeningMakesARecordRecoveryReadDurable) {
  SimStorage s(9);
  const std::string dir = "/glassbook-sim-only/unsynced";
  journal::Record r;
  r.kind = 0xFF;
  r.signed_bytes = "genesis";
  {
    auto w = journal::JournalWriter::open(dir, journal::ChainTip{}, {}, s);
    ASSERT_TRUE(w.is_ok()) << w.status().to_string();
    ASSERT_TRUE((*w)->append(r).is_ok());
    ASSERT_TRUE((*w)->sync().is_ok());
    r.seq = 1;
    r.prev_hash = (*w)->tip().hash;
    r.signed_bytes = "written, never synced";
    auto seg = open_file(s, journal::segment_path(dir, 0));
    ASSERT_TRUE(seg->write_at((*w)->tip().segment_bytes, journal::encode(r)).is_ok());
  }
  auto recovered = journal::recover(dir, journal::RecoverOptions{}, s);
  ASSERT_TRUE(recovered.is_ok()) << recovered.status().to_string();
  ASSERT_EQ(recovered->tip.next_seq, 2u);
  {
    auto reopened = journal::JournalWriter::open(dir, recovered->tip, {}, s);
    ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  }
  s.crash_now(CrashMode::LoseUnsynced);
  s.reboot();
  auto after = journal::recover(dir, journal::RecoverOptions{}, s);
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  EXPECT_EQ(after->tip.next_seq, 2u);
}

}  // namespace
}  // namespace glassbook::sim
