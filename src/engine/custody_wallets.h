// The exchange's registered wallets with their newest balance observed on chain, the operators' and
// chain watchers' votes that are still short of their threshold, and the open reconciliation alerts:
// part of the state (snapshot and state root).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/ids.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "engine/config.h"
#include "engine/custody_commands.h"

namespace glassbook::engine {

struct WalletRecord {
  RegisterWallet wallet;
  bool observed = false;  // a balance was observed (height and balance below are its newest)
  uint64_t height = 0;
  int64_t balance = 0;
};

// Votes for one signed body (a wallet registration, a balance observation, a resolution) by distinct
// keys of the role that sends it. `subject` names what it is about, so that the votes that can no
// longer count (another registration of the same address, an older height) are dropped together.
struct CustodyVote {
  std::string subject;
  uint64_t height = 0;  // observations: the height reported; otherwise 0
  std::vector<crypto::PublicKey> voters;
};

// An unexplained difference between what the ledger says the exchange holds of an asset and what
// its customer wallets hold on chain (engine_custody.cpp says how it is computed).
struct ReconciliationAlert {
  uint64_t id = 0;
  AssetId asset = 0;
  SeqNo raised_at = 0;        // the command that raised it
  int64_t discrepancy = 0;    // < 0: shortfall, > 0: surplus (saturated at the int64 range)
};

class CustodyWallets {
 public:
  static constexpr size_t kMaxWallets = 1024;
  // Votes short of their threshold: a role key that votes for records nobody else confirms cannot
  // grow them without limit.
  static constexpr size_t kMaxVotes = 4096;

  const std::vector<WalletRecord>& wallets() const { return wallets_; }
  // The wallet registered under this chain and address, by its index in wallets().
  std::optional<size_t> find(const std::string& chain, const std::string& address) const;
  // Whether any registered wallet, on any chain, has this address.
  bool is_wallet_address(const std::string& address) const;
  void add(const RegisterWallet& w);
  void observe(size_t wallet, uint64_t height, int64_t balance);

  // Counts `voter`'s vote for the body whose signed bytes hash to `digest`; returns the votes now
  // counted. InvalidArgument when it already voted for it, Overloaded when kMaxVotes are pending.
  Result<size_t> vote(const crypto::Digest& digest, const std::string& subject, uint64_t height, const crypto::PublicKey& voter);
  // Drops the votes on `subject` at heights up to `height` (every vote when the subject has none).
  void drop_votes(const std::string& subject, uint64_t height = UINT64_MAX);
  const std::map<crypto::Digest, CustodyVote>& votes() const { return votes_; }

  // At most one open alert an asset.
  const std::map<uint64_t, ReconciliationAlert>& alerts() const { return alerts_; }
  const ReconciliationAlert* open_alert(AssetId asset) const;
  const ReconciliationAlert* alert(uint64_t id) const;
  uint64_t raise(AssetId asset, SeqNo seq, int64_t discrepancy);  // returns the new alert's id
  void resolve(uint64_t id) { alerts_.erase(id); }
  uint64_t next_alert_id() const { return next_alert_id_; }

  bool empty() const { return wallets_.empty() && votes_.empty() && alerts_.empty() && next_alert_id_ == 1; }

  // Canonical bytes (snapshot and state root): the wallets in registration order with their
  // observations, the votes by digest, the next alert id and the open alerts by id.
  void write(ByteWriter& w) const;
  // Strict: known assets and kinds, thresholds within 1..signers, no signer twice, no address twice
  // on a chain, voters distinct and of a role, alerts of known assets and at most one an asset.
  Status read(ByteReader& r, const ExchangeConfig& config);

 private:
  static std::string key(const std::string& chain, const std::string& address) { return chain + '\n' + address; }
  std::vector<WalletRecord> wallets_;
  std::map<std::string, size_t> by_address_;  // key(chain, address) -> index
  std::map<crypto::Digest, CustodyVote> votes_;
  std::map<uint64_t, ReconciliationAlert> alerts_;
  uint64_t next_alert_id_ = 1;
};

// The checks of a registration that need no state: chain and address text, a known asset, the kind,
// 1..kMaxWalletSigners distinct signers, each a custodian, and a threshold within 1..signers.
Status check_wallet(const RegisterWallet& w, const ExchangeConfig& config);

}  // namespace glassbook::engine
