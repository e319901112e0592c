// The commands of withdrawals and deposit reversals (docs/custody.md, "Withdrawals"): an account
// names the addresses it may withdraw to and asks for withdrawals; custodians approve and record
// the broadcast; chain watchers attest the outcome on chain and reverse deposits a reorg removed.
#pragma once
#include <cstdint>
#include <string>

#include "core/ids.h"

namespace glassbook::engine {

// Bounds on the text fields: a chain address or transaction id is at most 128 printable ASCII
// characters (an Ethereum transaction hash is 66 with its 0x), a blockchain name at most 32.
inline constexpr size_t kMaxWithdrawalAddressBytes = 128;
inline constexpr size_t kMaxBlockchainBytes = 32;

// Adds `address` to the account's withdrawal allow-list. Withdrawals to it are accepted once the
// configured cooling-off time has passed (withdrawals.cooling_off_us). Signed by the account.
struct AddWithdrawalAddress {
  AccountId account = 0;
  std::string address;
};

// Asks for `amount` of `asset` to be sent to `address` on `blockchain`; the funds are held at once.
// Signed by the account, natively or as Backpack's `withdraw` instruction in a signed request.
struct RequestWithdrawal {
  AccountId account = 0;
  AssetId asset = 0;
  int64_t amount = 0;  // the asset's smallest units, > 0
  std::string address;
  std::string blockchain;
  uint32_t client_id = 0;  // 0: none
};

// Takes `address` off the account's withdrawal allow-list (a new withdrawal to it is refused; open
// ones keep going). Signed by the account.
struct RemoveWithdrawalAddress {
  AccountId account = 0;
  std::string address;
};

// A custodian's approval of a withdrawal waiting for approvals. Timed role command only.
struct ApproveWithdrawal {
  uint64_t withdrawal_id = 0;
};

// Records the chain transaction that carries an approved withdrawal. Signed by a custodian (the
// signer process that built the transfer). Timed role command only.
struct BroadcastWithdrawal {
  uint64_t withdrawal_id = 0;
  std::string tx_id;
};

// A chain watcher's attestation of a broadcast withdrawal's outcome: confirmed on chain (the held
// funds leave the ledger) or failed (the hold is released). Timed role command only.
struct SettleWithdrawal {
  uint64_t withdrawal_id = 0;
  bool confirmed = false;
};

// A custodian's cancellation of a withdrawal that still waits for approvals (one custodian suffices:
// the hold goes back to its owner, nothing leaves). Refused from `approved` on, since a broadcaster
// may already have sent it. Timed role command only.
struct CancelWithdrawal {
  uint64_t withdrawal_id = 0;
};

// A chain watcher's attestation that a credited deposit is no longer on chain (a reorg removed it):
// at the chain watchers' threshold the credit is taken back, even into a debt. Timed role command only.
struct ReverseDeposit {
  uint64_t deposit_id = 0;
  AccountId account = 0;
  AssetId asset = 0;
  int64_t amount = 0;  // what was credited, > 0
};

}  // namespace glassbook::engine
