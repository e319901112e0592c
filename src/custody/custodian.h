// The custodian signer's logic, free of HTTP: from the exchange's open withdrawals it approves those
// that pass its checks and, when it is the designated broadcaster holding the wallet key, builds and
// signs each approved withdrawal's transfer, sends it on the chain and hands its transaction id to
// be recorded. The transfer is derived from the withdrawal alone (client id = withdrawal id, the
// chain's minimum fee), so sending it again after a crash, or after a reorg dropped it, is the same
// transaction: the chain answers the same id and moves nothing twice.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "custody/chain.h"
#include "custody/chain_watcher.h"
#include "custody/open_withdrawals.h"

namespace glassbook::custody {

struct CustodianOptions {
  std::string blockchain;          // the exchange's name of the chain served ("sim"): other withdrawals are not ours
  std::string chain_id;            // what transfer signatures bind to (chain_info's chainId)
  std::string signer;              // this custodian's key, base64: withdrawals it approved are not approved again
  std::set<std::string> assets;    // the assets it may move: the exchange's symbols, which the chain uses
  int64_t fee = 0;                 // paid on top of each transfer: the chain's minimum, fixed so a resend is the same transfer
  int64_t max_amount = 0;          // a withdrawal above it is neither approved nor sent (0: no limit)
};

using SubmitApproval = std::function<SubmitResult(uint64_t withdrawal_id)>;
using SubmitBroadcast = std::function<SubmitResult(uint64_t withdrawal_id, const TxId& tx_id)>;
// Called after the chain took a transfer and before it is recorded (the process test's crash point).
using AfterSend = std::function<void(uint64_t withdrawal_id, const TxId& tx_id)>;

struct CustodianPass {
  std::vector<uint64_t> approved;                          // approvals the exchange took
  std::vector<std::pair<uint64_t, TxId>> broadcast;        // sent and recorded
  std::vector<std::pair<uint64_t, TxId>> resent;           // recorded, dropped by the chain (unknown), sent again: the same transaction
  std::vector<std::pair<uint64_t, std::string>> refused;   // not approved or not sent, with why (each reported once)
  std::string stalled;  // non-empty: the chain or the exchange could not be reached; the next pass tries again
};

class Custodian {
 public:
  // `wallet`: the key of the chain address withdrawals are paid from; given only to the one
  // custodian that broadcasts (the others approve). Refuses a fee below 1 or an empty blockchain.
  static Result<Custodian> create(Chain& chain, std::optional<crypto::KeyPair> wallet, CustodianOptions options);

  // What a custodian checks before approving or signing: the chain is the one it serves, the asset
  // one it may move, the address one of this chain, the amount within the chain's and its limit.
  Status check(const OpenWithdrawal& w) const;
  // The transfer that pays withdrawal `w`: the same bytes every time (Ed25519 signatures are deterministic).
  SignedTransfer transfer_for(const OpenWithdrawal& w) const;

  // One pass over the list (as the exchange answered it).
  CustodianPass pass(const std::vector<OpenWithdrawal>& open, const SubmitApproval& approve, const SubmitBroadcast& record,
                     const AfterSend& after_send = {});

  bool broadcaster() const { return wallet_.has_value(); }
  Address wallet_address() const;

 private:
  Custodian(Chain& chain, std::optional<crypto::KeyPair> wallet, CustodianOptions options)
      : chain_(&chain), wallet_(std::move(wallet)), options_(std::move(options)) {}
  // A broadcast withdrawal whose transaction the chain no longer knows (a reorg dropped it) is sent
  // again by the broadcaster: the same transfer, so the same transaction id the exchange recorded.
  // Returns why the pass must stop (the chain unreachable), or nothing.
  std::string resend_if_dropped(CustodianPass& pass, const OpenWithdrawal& w);
  // Reports a refusal once per withdrawal and reason (the list is read again every pass).
  void refuse(CustodianPass& pass, uint64_t id, std::string why);

  Chain* chain_;
  std::optional<crypto::KeyPair> wallet_;
  CustodianOptions options_;
  std::map<uint64_t, std::string> reported_;
};

}  // namespace glassbook::custody
