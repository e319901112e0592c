// Where a chain watcher stands: the next block to read, the hashes of the last blocks it read (to find
// the fork point of a reorg) and the deposits it credited lately; kept in a text file between runs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "custody/chain.h"

namespace glassbook::custody {

struct CreditedDeposit {
  uint64_t height = 0;  // of the block that held it
  uint64_t deposit_id = 0;
  uint32_t account = 0;
  std::string asset;
  int64_t amount = 0;
  TxId tx_id;
  uint32_t index = 0;
  bool operator==(const CreditedDeposit&) const = default;
};

struct WatchCursor {
  // A reorg deeper than this many blocks below the watcher's position cannot be located by it.
  static constexpr size_t kRecentBlocks = 256;
  static constexpr size_t kRecentCredits = 4096;

  std::string chain_id;
  uint64_t next_height = 0;                               // every block below it has been read and its deposits sent
  std::vector<BlockHeader> recent;                        // the last blocks read (height and hash; no parent), ascending
  std::vector<CreditedDeposit> credited;                  // the last deposits sent, ascending by height
  bool operator==(const WatchCursor&) const = default;
};

// glassbook-chain-watch-cursor v1
// chain <chain id>
// next <height>
// block <height> <hash>                                   (one per recent block)
// credited <height> <deposit id> <account> <asset> <amount> <tx id> <index>
std::string format_cursor(const WatchCursor& cursor);
Result<WatchCursor> parse_cursor(std::string_view text);
// Atomic (temp file, fsync, rename): a crash leaves the old cursor or the new one, never half of one.
Status save_cursor(const WatchCursor& cursor, const std::string& path);
Result<WatchCursor> load_cursor(const std::string& path);

}  // namespace glassbook::custody
