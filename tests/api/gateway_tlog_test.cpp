// The gateway's C2SP tlog-tiles endpoints: the signed checkpoint, hash tiles and entry bundles with the
// spec's content types and caching, bundles whose entries hash to the level-0 tile, and clear errors
// for bad or unknown paths.
#include <gtest/gtest.h>

#include <cstring>

#include "crypto/merkle.h"
#include "gateway_rig.h"
#include "journal/checkpoint.h"

namespace glassbook::api {
namespace {

using namespace testing;

HttpRequest get(std::string path) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.remote_ip = "127.0.0.1";
  return r;
}

// A log of 400 records (genesis, the rig's 6, then deposits), checkpointed every 50.
struct TlogRig {
  TlogRig() : rig({}, [](journal::NodeOptions& o) { o.checkpoint_every = 50; }) {
    const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
    while (rig.journaled() < 400) rig.submit_native(rig.watcher_, engine::Deposit{alice, 2, 1, 5000 + rig.journaled()});
  }
  GatewayRig rig;
};

TEST(GatewayTlog, ServesTheCheckpointTilesAndEntryBundles) {
  TlogRig t;
  GatewayRig& rig = t.rig;
  const HttpResponse cp = rig.call(get("/log/checkpoint"));
  ASSERT_EQ(cp.status, 200u) << cp.body;
  EXPECT_EQ(cp.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(cp.cache_control, "no-cache");
  auto checkpoint = journal::verify_checkpoint(cp.body, rig.node_->log_verifier().value());
  ASSERT_TRUE(checkpoint.is_ok()) << checkpoint.status().to_string();
  ASSERT_GT(checkpoint->tree_size, 256u);
  const uint64_t size = checkpoint->tree_size;
  const unsigned width = static_cast<unsigned>(size - 256);

  const HttpResponse full = rig.call(get("/log/tile/0/000"));
  ASSERT_EQ(full.status, 200u) << full.body;
  EXPECT_EQ(full.content_type, "application/octet-stream");
  EXPECT_EQ(full.cache_control, "public, max-age=31536000, immutable");
  ASSERT_EQ(full.body.size(), 8192u);
  const HttpResponse partial = rig.call(get(fmt::format("/log/tile/0/001.p/{}", width)));
  ASSERT_EQ(partial.status, 200u) << partial.body;
  EXPECT_EQ(partial.cache_control, "public, max-age=60");
  ASSERT_EQ(partial.body.size(), width * 32u);
  const HttpResponse level1 = rig.call(get("/log/tile/1/000.p/1"));
  ASSERT_EQ(level1.status, 200u) << level1.body;

  // The tree the tiles make is the checkpoint's: level 1's hash is tile 0's root, and the root is
  // node(that, the partial tile's subtrees).
  crypto::MerkleLog log;
  for (const std::string* tile : {&full.body, &partial.body})
    for (size_t at = 0; at < tile->size(); at += 32) {
      crypto::Digest d;
      std::memcpy(d.data(), tile->data() + at, 32);
      log.append_leaf_hash(d);
    }
  EXPECT_EQ(log.root_at(size).value(), checkpoint->root);
  EXPECT_EQ(level1.body, std::string(reinterpret_cast<const char*>(log.root_at(256).value().data()), 32));

  // Entry bundles: each entry is a record's encoded bytes after a big-endian uint16 length, and hashes
  // (RFC 6962 leaf hash) to the level-0 tile's hash at its index.
  for (const auto& [path, tile] : {std::pair{std::string("/log/tile/entries/000"), &full.body},
                                   std::pair{fmt::format("/log/tile/entries/001.p/{}", width), &partial.body}}) {
    const HttpResponse bundle = rig.call(get(path));
    ASSERT_EQ(bundle.status, 200u) << bundle.body;
    EXPECT_EQ(bundle.content_type, "application/octet-stream");
    size_t at = 0, entries = 0;
    while (at < bundle.body.size()) {
      ASSERT_LE(at + 2, bundle.body.size());
      const size_t length = (static_cast<uint8_t>(bundle.body[at]) << 8) | static_cast<uint8_t>(bundle.body[at + 1]);
      ASSERT_LE(at + 2 + length, bundle.body.size());
      const std::string_view entry(bundle.body.data() + at + 2, length);
      const crypto::Digest leaf = crypto::leaf_hash({reinterpret_cast<const uint8_t*>(entry.data()), entry.size()});
      EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(leaf.data()), 32), std::string_view(*tile).substr(entries * 32, 32)) << path << " " << entries;
      const uint64_t seq = (path.find("001") != std::string::npos ? 256 : 0) + entries;
      EXPECT_EQ(entry, rig.node_->record(seq).value()) << seq;
      at += 2 + length;
      ++entries;
    }
    EXPECT_EQ(entries * 32, tile->size()) << path;
  }
}

TEST(GatewayTlog, AnswersBadAndUnknownPathsWithClearErrors) {
  TlogRig t;
  GatewayRig& rig = t.rig;
  struct Case {
    const char* path;
    unsigned status;
    const char* message;
  };
  for (const Case& c : {Case{"/log/tile/0/5", 400, "index elements are 3 digits"},
                        Case{"/log/tile/0/x000/000", 400, "not the canonical name"},
                        Case{"/log/tile/0/000.p/0", 400, "width of a partial tile"},
                        Case{"/log/tile/64/000", 400, "the level is a decimal from 0 to 63"},
                        Case{"/log/tile/0/999", 404, "is beyond the log, which holds"},
                        Case{"/log/tile/0/001", 404, "is beyond the log"},
                        Case{"/log/tile/0/001.p/255", 404, "is beyond the log"},
                        Case{"/log/tile/entries/005", 404, "tile/entries/005 is beyond the log"},
                        Case{"/log/tile/3/000.p/1", 404, "is beyond the log"},
                        Case{"/log/tile/0/x018/x446/x744/x073/x709/x551/615", 404, "is beyond the log"},
                        Case{"/log/checkpoints", 404, "the log serves /log/checkpoint"},
                        Case{"/log/", 404, "no endpoint GET /log/"}}) {
    const HttpResponse r = rig.call(get(c.path));
    EXPECT_EQ(r.status, c.status) << c.path << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/json") << c.path;
    EXPECT_NE(r.body.find(c.message), std::string::npos) << c.path << ": " << r.body;
  }
}

}  // namespace
}  // namespace glassbook::api
