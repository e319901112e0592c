// The storage interface: the file storage's reads, writes, syncs, listing, renames, removals, locks
// and close, and the snapshot store, checkpoint log and journal writer doing all their I/O through a
// Storage (wrappers that fail every sync, or every close, show it: the writes fail cleanly).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "journal/checkpoint_log.h"
#include "journal/snapshot_store.h"
#include "journal/storage.h"
#include "journal_test_util.h"
#include "node_test_util.h"

namespace glassbook::journal {
namespace {

using namespace testing;

TEST(FileStorage, WritesReadsListsRenamesAndRemoves) {
  TempDir dir;
  Storage& fs = file_storage();
  const std::string a = dir.path() + "/a", b = dir.path() + "/b";
  {
    auto f = fs.open(a, OpenMode::CreateNew);
    ASSERT_TRUE(f.is_ok()) << f.status().to_string();
    ASSERT_TRUE((*f)->write_at(0, "hello world").is_ok());
    ASSERT_TRUE((*f)->write_at(6, "there").is_ok());
    ASSERT_TRUE((*f)->sync().is_ok());
    EXPECT_EQ((*f)->size().value(), 11u);
    std::string back(5, '\0');
    ASSERT_TRUE((*f)->read_at(6, back.data(), back.size()).is_ok());
    EXPECT_EQ(back, "there");
    EXPECT_EQ((*f)->read_at(8, back.data(), back.size()).code(), Error::Corruption);  // past the end
    ASSERT_TRUE((*f)->truncate(5).is_ok());
  }
  EXPECT_EQ(fs.open(a, OpenMode::CreateNew).status().code(), Error::Io);  // exists
  auto view = fs.map(a);
  ASSERT_TRUE(view.is_ok());
  EXPECT_EQ((*view)->bytes(), "hello");
  ASSERT_TRUE(fs.rename(a, b).is_ok());
  ASSERT_TRUE(fs.sync_directory(dir.path()).is_ok());
  EXPECT_FALSE(fs.exists(a));
  EXPECT_TRUE(fs.exists(b));
  auto names = fs.list(dir.path());
  ASSERT_TRUE(names.is_ok());
  EXPECT_EQ(*names, std::vector<std::string>{"b"});
  ASSERT_TRUE(fs.remove(b).is_ok());
  ASSERT_TRUE(fs.remove(b).is_ok());  // already gone
  auto missing = fs.open(a, OpenMode::Read);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().code(), Error::Io);
  EXPECT_NE(missing.status().message().find(a), std::string::npos) << missing.status().message();
}

TEST(FileStorage, OneLockHolderAtATime) {
  TempDir dir;
  const std::string path = dir.path() + "/locked";
  auto first = file_storage().open(path, OpenMode::ReadWrite);
  auto second = file_storage().open(path, OpenMode::ReadWrite);
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  ASSERT_TRUE((*first)->lock().is_ok());
  const Status refused = (*second)->lock();
  EXPECT_EQ(refused.code(), Error::Io);
  EXPECT_NE(refused.message().find("another writer has"), std::string::npos) << refused.message();
}

// The file storage, but every file's sync fails with EIO, as a dying disk's does.
class FailingSyncStorage final : public Storage {
 public:
  struct File final : StorageFile {
    explicit File(std::unique_ptr<StorageFile> inner) : inner_(std::move(inner)) {}
    const std::string& path() const override { return inner_->path(); }
    Result<uint64_t> size() override { return inner_->size(); }
    Status read_at(uint64_t offset, char* data, size_t size) override { return inner_->read_at(offset, data, size); }
    Status write_at(uint64_t offset, std::string_view bytes) override { return inner_->write_at(offset, bytes); }
    Status sync() override { return Status(Error::Io, "fdatasync of " + path() + " failed: Input/output error"); }
    Status truncate(uint64_t size) override { return inner_->truncate(size); }
    Status lock() override { return inner_->lock(); }
    Status close() override { return inner_->close(); }
    std::unique_ptr<StorageFile> inner_;
  };
  Result<std::unique_ptr<StorageFile>> open(const std::string& path, OpenMode mode) override {
    ++opened;
    auto f = file_storage().open(path, mode);
    if (!f) return f.status();
    return std::unique_ptr<StorageFile>(new File(std::move(f).value()));
  }
  Result<std::unique_ptr<StorageView>> map(const std::string& path) override { return file_storage().map(path); }
  Result<std::vector<std::string>> list(const std::string& dir) override { return file_storage().list(dir); }
  Status rename(const std::string& from, const std::string& to) override { return file_storage().rename(from, to); }
  Status remove(const std::string& path) override { return file_storage().remove(path); }
  Status sync_directory(const std::string& dir) override { return file_storage().sync_directory(dir); }
  Status create_directories(const std::string& dir) override { return file_storage().create_directories(dir); }
  bool exists(const std::string& path) override { return file_storage().exists(path); }
  int opened = 0;
};

TEST(StorageInterface, SnapshotsAreWrittenThroughTheStorageGiven) {
  TempDir dir;
  FailingSyncStorage failing;
  SnapshotMeta meta;
  meta.seq = 7;
  const Status s = write_snapshot(dir.path(), meta, "state", failing);
  EXPECT_EQ(s.code(), Error::Io);
  EXPECT_NE(s.message().find("Input/output error"), std::string::npos) << s.message();
  EXPECT_GT(failing.opened, 0);
  auto listed = list_snapshots(dir.path(), failing);
  ASSERT_TRUE(listed.is_ok());
  EXPECT_TRUE(listed->empty());  // neither the snapshot nor its temporary is left
  EXPECT_TRUE(file_storage().list(dir.path())->empty());
  ASSERT_TRUE(write_snapshot(dir.path(), meta, "state").is_ok());  // the file storage by default
  auto back = load_newest_valid_snapshot(dir.path(), failing);
  ASSERT_TRUE(back.is_ok());
  ASSERT_TRUE(back->snapshot.has_value());
  EXPECT_EQ(back->snapshot->state, "state");
}

TEST(StorageInterface, CheckpointsAreAppendedThroughTheStorageGiven) {
  TempDir dir;
  Checkpoint cp;
  cp.origin = "glassbook.local/journal";
  cp.tree_size = 1;
  const std::string note = sign_checkpoint(cp, cp.origin, log_key()).value();
  FailingSyncStorage failing;
  auto writer = CheckpointLogWriter::open(dir.path(), failing);
  ASSERT_TRUE(writer.is_ok()) << writer.status().to_string();
  const Status s = (*writer)->append(note);
  EXPECT_EQ(s.code(), Error::Io);
  EXPECT_NE(s.message().find("Input/output error"), std::string::npos) << s.message();
  const Status again = (*writer)->append(note);  // never retried after a failed sync
  EXPECT_EQ(again.code(), Error::Io);
  EXPECT_NE(again.message().find("the writer failed earlier"), std::string::npos) << again.message();
  EXPECT_GT(failing.opened, 0);
}

// The file storage, but closing a file reports a late write-back error, as NFS does: every file, or
// only files opened for writing whose name contains `only`.
class FailingCloseStorage final : public Storage {
 public:
  FailingCloseStorage() = default;
  explicit FailingCloseStorage(std::string only) : only_(std::move(only)) {}
  struct File final : StorageFile {
    explicit File(std::unique_ptr<StorageFile> inner) : inner_(std::move(inner)) {}
    const std::string& path() const override { return inner_->path(); }
    Result<uint64_t> size() override { return inner_->size(); }
    Status read_at(uint64_t offset, char* data, size_t size) override { return inner_->read_at(offset, data, size); }
    Status write_at(uint64_t offset, std::string_view bytes) override { return inner_->write_at(offset, bytes); }
    Status sync() override { return inner_->sync(); }
    Status truncate(uint64_t size) override { return inner_->truncate(size); }
    Status lock() override { return inner_->lock(); }
    Status close() override {
      (void)inner_->close();
      return Status(Error::Io, "journal: close of " + path() + ": Input/output error");
    }
    std::unique_ptr<StorageFile> inner_;
  };
  Result<std::unique_ptr<StorageFile>> open(const std::string& path, OpenMode mode) override {
    auto f = file_storage().open(path, mode);
    if (!f) return f.status();
    const std::string name = path.substr(path.find_last_of('/') + 1);
    if (only_ && (mode == OpenMode::Read || name.find(*only_) == std::string::npos)) return f;
    return std::unique_ptr<StorageFile>(new File(std::move(f).value()));
  }
  Result<std::unique_ptr<StorageView>> map(const std::string& path) override { return file_storage().map(path); }
  Result<std::vector<std::string>> list(const std::string& dir) override { return file_storage().list(dir); }
  Status rename(const std::string& from, const std::string& to) override { return file_storage().rename(from, to); }
  Status remove(const std::string& path) override { return file_storage().remove(path); }
  Status sync_directory(const std::string& dir) override { return file_storage().sync_directory(dir); }
  Status create_directories(const std::string& dir) override { return file_storage().create_directories(dir); }
  bool exists(const std::string& path) override { return file_storage().exists(path); }

 private:
  std::optional<std::string> only_;
};

TEST(FileStorage, CloseReportsItsOutcomeOnce) {
  TempDir dir;
  auto f = file_storage().open(dir.path() + "/c", OpenMode::CreateNew);
  ASSERT_TRUE(f.is_ok());
  ASSERT_TRUE((*f)->write_at(0, "x").is_ok());
  ASSERT_TRUE((*f)->sync().is_ok());
  EXPECT_TRUE((*f)->close().is_ok());
  EXPECT_EQ((*f)->close().code(), Error::Io);  // closed already
  EXPECT_EQ((*f)->write_at(1, "y").code(), Error::Io);
}

TEST(StorageInterface, AFailedCloseOfAFullSegmentFailsTheJournalWriter) {
  TempDir dir;
  FailingCloseStorage failing;
  WriterOptions small;
  small.segment_bytes = 1;  // every record after the first starts a new segment
  auto opened = JournalWriter::open(dir.path(), ChainTip{}, small, failing);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  auto& writer = **opened;
  ASSERT_TRUE(writer.append(test_genesis()).is_ok());
  ASSERT_TRUE(writer.sync().is_ok());
  Record next = test_genesis();
  next.seq = 1;
  ASSERT_TRUE(writer.append(next).is_ok());
  auto synced = writer.sync();  // closes segment 0 (full) before creating segment 1
  ASSERT_FALSE(synced.is_ok());
  EXPECT_EQ(synced.code(), Error::Io);
  EXPECT_NE(synced.status().message().find("close of " + dir.segment(0)), std::string::npos) << synced.status().message();
  EXPECT_TRUE(writer.failed());
  EXPECT_EQ(writer.durable_end(), 1u);  // seq 1 was never acknowledged as durable
}


// At a clean stop the last segment's close is checked too: a write-back error reported there fails
// the writer (and everything after it) instead of passing for a clean end.
TEST(StorageInterface, AFailedCloseOfTheLastSegmentAtAStopIsReported) {
  TempDir dir;
  FailingCloseStorage failing;
  auto opened = JournalWriter::open(dir.path(), ChainTip{}, WriterOptions{}, failing);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  auto& writer = **opened;
  ASSERT_TRUE(writer.append(test_genesis()).is_ok());
  Status early = writer.close();  // a record still buffered: refused, the writer still usable
  EXPECT_EQ(early.code(), Error::InvalidArgument) << early.to_string();
  EXPECT_FALSE(writer.failed());
  ASSERT_TRUE(writer.sync().is_ok());
  Status closed = writer.close();
  EXPECT_EQ(closed.code(), Error::Io);
  EXPECT_NE(closed.message().find("close of " + dir.segment(0)), std::string::npos) << closed.message();
  EXPECT_TRUE(writer.failed());
  Record next = test_genesis();
  next.seq = 1;
  EXPECT_EQ(writer.append(next).code(), Error::Io);

  // The file storage closes cleanly, and the writer takes nothing after it.
  TempDir clean;
  auto ok = JournalWriter::open(clean.path());
  ASSERT_TRUE(ok.is_ok());
  ASSERT_TRUE((*ok)->append(test_genesis()).is_ok());
  ASSERT_TRUE((*ok)->sync().is_ok());
  EXPECT_TRUE((*ok)->close().is_ok());
  EXPECT_EQ((*ok)->append(next).code(), Error::Io);
  EXPECT_EQ((*ok)->close().code(), Error::Io);
}

// A node's stop closes the journal's last segment and the checkpoint log; a failure of either close
// makes the node unhealthy after the stop (serve then exits with status 1), naming the file.
TEST(StorageInterface, ANodeWhoseCloseFailsAtStopIsNotHealthyAfterIt) {
  for (const std::string& file : {std::string("journal-"), std::string(kCheckpointLogFile)}) {
    TempDir dir;
    Session s;
    s.trade(4, 100, 7);
    FailingCloseStorage failing(file);
    NodeOptions options = options_for(dir.path(), s);
    options.storage = &failing;
    auto node = Node::open(options);
    ASSERT_TRUE(node.is_ok()) << node.status().to_string();
    submit_all(**node, s.records());
    EXPECT_TRUE((*node)->health().is_ok()) << file << ": " << (*node)->health().to_string();
    (*node)->stop();
    const Status health = (*node)->health();
    EXPECT_EQ(health.code(), Error::Io) << file;
    EXPECT_NE(health.message().find(file), std::string::npos) << health.message();
  }
  // With the file storage the same stop is healthy.
  TempDir dir;
  Session s;
  s.trade(4, 100, 7);
  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(node.is_ok());
  submit_all(**node, s.records());
  (*node)->stop();
  EXPECT_TRUE((*node)->health().is_ok()) << (*node)->health().to_string();
}

}  // namespace
}  // namespace glassbook::journal
