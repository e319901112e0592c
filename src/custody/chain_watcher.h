// The chain watcher's logic, free of keys and HTTP: read confirmed blocks from where the cursor
// stands, hand each transfer to a deposit address to `submit`, advance the cursor, and notice reorgs.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "custody/chain.h"
#include "custody/deposit_addresses.h"
#include "custody/watch_cursor.h"

namespace glassbook::custody {

// What the exchange answered to one deposit attestation.
enum class SubmitOutcome : uint8_t {
  Accepted,         // credited, or counted toward the chain watchers' threshold
  AlreadyCredited,  // DUPLICATE_DEPOSIT: this watcher (before a restart) or the threshold already did
  Refused,          // refused for good (e.g. an unknown account): reported and skipped
  Unreachable,      // not delivered, or "retry later": the pass stops there and the next one retries
};
struct SubmitResult {
  SubmitOutcome outcome = SubmitOutcome::Accepted;
  std::string detail;  // the exchange's answer, for the log
};
using SubmitDeposit = std::function<SubmitResult(const CreditedDeposit& deposit)>;
// The attestation that a credited deposit is gone from the chain (the engine's ReverseDeposit); its
// answers are judged like a deposit's (AlreadyCredited: already reversed, or attested by this watcher).
using SubmitReversal = std::function<SubmitResult(const CreditedDeposit& deposit)>;

struct ChainWatcherOptions {
  std::string chain_id;         // enters every deposit id; the cursor must be of this chain
  uint64_t confirmations = 6;   // a transfer is sent once its block has this many (>= 1)
  uint64_t max_blocks_per_pass = 1'000;
  // Addresses per transfers_to call: 10,000 addresses are about 430 KB of JSON, under the simulated
  // chain's 1 MiB request limit; a larger book is asked in several calls.
  size_t addresses_per_query = 10'000;
};

// A reorg found below the watcher's position: the blocks above `fork_height` it had read are no
// longer the chain. `credited` are the deposits it had sent from those blocks, each with whether the
// same transfer is on the new chain too (then its deposit id is unchanged and nothing is credited
// twice); one that is not is reversed when the watcher is given a SubmitReversal.
struct ReorgReport {
  uint64_t fork_height = 0;
  uint64_t old_next_height = 0;
  struct Entry {
    CreditedDeposit deposit;
    bool still_on_chain = false;
    std::string reversal;  // what became of its reversal: empty when none was sent
  };
  std::vector<Entry> credited;
};

struct WatchPass {
  std::vector<CreditedDeposit> accepted;
  std::vector<CreditedDeposit> already_credited;
  std::vector<std::pair<CreditedDeposit, std::string>> refused;  // with why
  std::vector<std::pair<ObservedTransfer, std::string>> ignored;  // to a known address but not creditable (another asset)
  std::optional<ReorgReport> reorg;
  std::string stalled;  // non-empty: a submission could not be delivered; the cursor stops before its block
  uint64_t blocks_read = 0;
};

class ChainWatcher {
 public:
  // Refuses a cursor of another chain and an address book with an address twice.
  static Result<ChainWatcher> create(Chain& chain, const std::vector<DepositAddress>& book, ChainWatcherOptions options, WatchCursor cursor);

  // One pass: checks the cursor's recent blocks against the chain (a mismatch is a reorg: the
  // cursor goes back to the fork point and the pass reports it), then reads every block that now has
  // enough confirmations, up to max_blocks_per_pass, sending each deposit in chain order. Chain
  // errors (unreachable, a reorg during the pass) return a Status and leave the cursor where it was.
  // With `reverse`, each deposit a reorg removed (and that is not on the new chain too) is reversed
  // first; a reversal that could not be delivered leaves the cursor where it was (the pass reports
  // `stalled`), so the next pass finds the same reorg and sends it again.
  Result<WatchPass> poll(const SubmitDeposit& submit, const SubmitReversal& reverse = {});

  const WatchCursor& cursor() const { return cursor_; }

 private:
  ChainWatcher(Chain& chain, std::map<Address, DepositAddress> book, ChainWatcherOptions options, WatchCursor cursor)
      : chain_(&chain), book_(std::move(book)), options_(std::move(options)), cursor_(std::move(cursor)) {}
  Result<std::optional<ReorgReport>> check_reorg(const BlockHeader& tip);

  Chain* chain_;
  std::map<Address, DepositAddress> book_;
  std::vector<Address> addresses_;
  ChainWatcherOptions options_;
  WatchCursor cursor_;
};

}  // namespace glassbook::custody
