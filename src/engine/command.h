// Commands: the only way to change the exchange's state. Each carries the sequencer's number and
// time and the public key of whoever signed it; the signature itself is checked before the engine.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "book/order_book.h"
#include "core/ids.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "engine/config.h"
#include "engine/custody_commands.h"
#include "engine/distribution_commands.h"
#include "engine/liabilities_commands.h"
#include "engine/withdrawal_commands.h"

namespace glassbook::engine {

using book::Side;
using book::Stp;
using book::TimeInForce;

enum class OrderType : uint8_t { Limit = 0, Market = 1 };

// The price a trigger order watches (Backpack's triggerBy): the market's last trade, or for a
// perpetual its mark price.
enum class TriggerBy : uint8_t { LastPrice = 0, MarkPrice = 1 };

// Binds a public key to a new account. Signed by that key (proof of possession).
struct RegisterAccount {
  crypto::PublicKey key{};
};

// Credits a customer with funds seen on chain. Signed by the configured chain watcher.
struct Deposit {
  AccountId account = 0;
  AssetId asset = 0;
  int64_t amount = 0;       // asset's smallest units, > 0
  uint64_t deposit_id = 0;  // the watcher's unique id of the on-chain transfer; credited once
};

struct PlaceOrder {
  AccountId account = 0;
  MarketId market = 0;
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  TimeInForce tif = TimeInForce::GTC;
  Stp stp = Stp::CancelNewest;
  int64_t price = 0;     // limit, quote units per whole base; for a market order an optional protection limit (0: none)
  int64_t quantity = 0;  // base units
  uint32_t client_id = 0;  // 0: none; otherwise unique among the account's open orders
  // A market order's size in the quote asset instead of `quantity` (which is then 0): at most this
  // much spent (Bid) or received (Ask), before fees. Only translated from a signed request's
  // `quoteQuantity`, never in the native encoding (command_fields.h), so a native PlaceOrder
  // carrying one is refused.
  int64_t quote_quantity = 0;
  // A trigger (stop) order when > 0: it waits outside the book, reserving nothing, until the price
  // `trigger_by` names reaches this price from where it stood when the order was placed, then enters
  // as the order above (trigger_orders.h). Like quote_quantity, only translated from a signed
  // request (`triggerPrice`, `triggerBy`), never in the native encoding.
  int64_t trigger_price = 0;
  TriggerBy trigger_by = TriggerBy::LastPrice;
  // A trigger order sized as a share of the account's perpetual position when it fires, in basis
  // points (1..10000; `quantity` is then 0): Backpack's `triggerQuantity` "50%", and "100%" its
  // "entire position" stop. It only reduces, like a take-profit. Signed requests only.
  uint16_t quantity_share_bps = 0;
  // Take-profit and stop-loss attached to the order (Backpack's takeProfitTriggerPrice,
  // stopLossTriggerPrice, their limit prices, 0: a market order, and trigger sources): as the order
  // fills, reduce-only trigger orders of the other side for the quantity filled wait for them, and
  // the one that fires cancels the other. Signed requests only, like the trigger price.
  int64_t take_profit_trigger = 0;
  int64_t take_profit_limit = 0;
  TriggerBy take_profit_by = TriggerBy::LastPrice;
  int64_t stop_loss_trigger = 0;
  int64_t stop_loss_limit = 0;
  TriggerBy stop_loss_by = TriggerBy::LastPrice;
};

// Cancels by order id, or by client id when order_id is 0.
struct CancelOrder {
  AccountId account = 0;
  MarketId market = 0;
  OrderId order_id = 0;
  uint32_t client_id = 0;
};

inline constexpr MarketId kAllMarkets = 0xFFFF;

struct CancelAll {
  AccountId account = 0;
  MarketId market = kAllMarkets;
};

// Quantity down at the same price keeps time priority; any other change loses it.
struct AmendOrder {
  AccountId account = 0;
  MarketId market = 0;
  OrderId order_id = 0;
  int64_t price = 0;
  int64_t quantity = 0;
};

// Proposes a whole new configuration. Signed by an operator, whose approval it counts as. It takes
// effect once `operators.threshold` distinct operators have approved it (governance.cpp says what
// may change). Proposal ids increase: each must exceed every id proposed before.
struct ProposeConfig {
  uint64_t proposal_id = 0;
  std::shared_ptr<const ExchangeConfig> config;  // never null in a decoded or signed command
};

// An operator's approval of a pending proposal. It names the SHA-256 of the proposed configuration's
// canonical bytes, so an approval can only ever apply to the configuration its signer read.
struct ApproveConfig {
  uint64_t proposal_id = 0;
  crypto::Digest config_hash{};
};

// A request in Backpack's signing text (engine/request_text.h), e.g.
// "instruction=orderExecute&orderType=Limit&price=100.5&quantity=1&side=Bid&symbol=SOL_USDC&timestamp=..&window=..".
// Its signed bytes are the text itself, with no domain tag. The engine decodes it with its own
// configuration and its signer's account (engine/request_translate.h) into the bodies above.
struct SignedRequest {
  std::string text;
};

// One oracle source's prices, signed by that source (a key of the `oracle_sources` role). For an
// asset valued by the index, `value` is its price in margin-asset units per whole unit; for an
// asset valued by redemption, its redemption rate in underlying per unit, 1e-9 units (1e9 = 1:1).
struct OracleQuote {
  AssetId asset = 0;
  int64_t value = 0;  // > 0
};
inline constexpr size_t kMaxOracleQuotes = 64;
struct OracleUpdate {
  std::vector<OracleQuote> quotes;  // 1..kMaxOracleQuotes, each asset at most once
};

// Opens an isolated-margin account of `account` for one perpetual market: a margin account of its
// own, traded and funded with the owner's key, whose position can never draw on the owner's other
// funds (what it cannot pay is the insurance fund's, as for any account). At most one per owner and
// market; it trades only that market and takes no deposits. Signed by the owner.
struct OpenIsolated {
  AccountId account = 0;  // the owner: a customer account, not an isolated one
  MarketId market = 0;    // a perpetual
};

// Moves `amount` of the margin asset between an account and one of its isolated accounts, either
// way. The sender must keep its initial margin. Signed by the owner.
struct TransferMargin {
  AccountId from = 0;
  AccountId to = 0;
  int64_t amount = 0;  // > 0, margin-asset units
};

// OracleUpdate with the source's own time in the signed bytes, the form an oracle source sends from
// outside the exchange: the engine applies it only while `source_time` is within the staleness limit
// of the sequencer's time and later than the source's previous report, so a captured report can be
// neither replayed nor held back and sent later.
struct OracleReport {
  Timestamp source_time = 0;  // µs since the Unix epoch, by the source's clock
  std::vector<OracleQuote> quotes;
};

// Puts an approved configuration change in force once its timelock has passed (governance.cpp).
// Signed by an operator.
struct EnactConfig {
  uint64_t proposal_id = 0;
};

// Records the deposit address of (account, asset) on a chain, so that the exchange can tell its owner
// where to send that asset (Backpack's GET /wapi/v1/capital/deposit/address) and a chain watcher can
// take its address book from the exchange (deposit_address_book.h says what is refused). Signed by a
// chain watcher, inside a TimedRoleCommand only (a bare one is refused): replays are refused.
struct RecordDepositAddress {
  AccountId account = 0;
  AssetId asset = 0;
  std::string chain;    // the blockchain as Backpack names it ("Ethereum", "Solana") or a simulated chain's name
  std::string address;  // as the chain prints it (the watcher's form: lower-case hex without 0x on sim and Ethereum)
};

// A role command (Deposit, ProposeConfig, ApproveConfig, EnactConfig, RecordDepositAddress) with its signer's own time in
// the signed bytes, the form a role key sends from outside the exchange. Like an account's signed
// request, it is applied only inside its window (signed_time + kRoleCommandWindowUs, and no more
// than kRoleCommandLeadUs ahead of the sequencer's time) and only once: a captured command can
// neither be replayed nor held back and sent later.
struct RoleBody;
struct TimedRoleCommand {
  Timestamp signed_time = 0;               // µs since the Unix epoch, by the signer's clock
  std::shared_ptr<const RoleBody> inner;   // never null in a decoded or signed command
};
inline constexpr Timestamp kRoleCommandWindowUs = 60'000'000;  // Backpack's longest request window
inline constexpr Timestamp kRoleCommandLeadUs = 60'000'000;    // the lead an account request may have

// Bankruptcy claims (docs/claims.md). A claim's status as its estate's claims agent attests it.
enum class ClaimStatus : uint8_t { Scheduled = 0, Disputed = 1, Allowed = 2, Expunged = 3 };

// A claim record, signed by the claims agent of `estate` (the command's signer). A new claim is
// revision 1; each later attestation of it carries the next revision, so that a captured older one
// can never be applied again (it would undo a dispute or an expungement).
struct AttestClaim {
  uint16_t estate = 0;  // index in the configuration's estates
  uint64_t claim_id = 0;
  uint32_t revision = 0;
  int64_t face = 0;  // allowed face amount, in the claim asset's smallest units, >= 0
  ClaimStatus status = ClaimStatus::Scheduled;
  crypto::Digest legacy_hash{};  // SHA-256 of the salted, normalized legacy account identifier
};

// Binds a claim to `account`, signed by the account's key: the creditor presents the legacy
// identifier's salted hash and the claims agent's signature over claim_link_bytes(), which names
// the estate, the claim, this account and that hash. A claim links once.
struct LinkClaim {
  AccountId account = 0;
  uint16_t estate = 0;
  uint64_t claim_id = 0;
  crypto::Digest legacy_hash{};
  crypto::Signature agent_signature{};
};

// A KYC attestation of `account` for `estate`, signed by one of the estate's KYC providers. Only the
// attestation is kept, never documents. `issued_at` (the provider's time) must exceed the account's
// previous attestation's, so a captured older one cannot come back; `expires_at` is compared with
// the sequencer's time, never a clock.
struct AttestKyc {
  uint16_t estate = 0;
  AccountId account = 0;
  uint8_t level = 0;          // 1..kMaxKycLevel
  std::string jurisdiction;   // ISO 3166-1 alpha-2
  Timestamp issued_at = 0;    // µs
  Timestamp expires_at = 0;   // µs, after the sequencer's time
};

// Withdrawals' commands (AddWithdrawalAddress ... ReverseDeposit, CancelWithdrawal,
// RemoveWithdrawalAddress) are in withdrawal_commands.h, distributions' (DeclareDistribution ...
// ReleaseEscrow) in distribution_commands.h, wallets' and reconciliation's (RegisterWallet ...
// ResolveReconciliationAlert) in custody_commands.h.
// Appended only: a body's index is its kind byte in signed bytes and in journal records.
using CommandBody = std::variant<RegisterAccount, Deposit, PlaceOrder, CancelOrder, CancelAll, AmendOrder, ProposeConfig,
                                 ApproveConfig, SignedRequest, OracleUpdate, OpenIsolated, TransferMargin, OracleReport,
                                 EnactConfig, TimedRoleCommand, AttestClaim, LinkClaim, AttestKyc,
                                 RecordDepositAddress, AddWithdrawalAddress, RequestWithdrawal, ApproveWithdrawal,
                                 BroadcastWithdrawal, SettleWithdrawal, ReverseDeposit, PublishLiabilitiesRoot,
                                 DeclareDistribution, PayDistribution, ReleaseEscrow, CancelWithdrawal,
                                 RemoveWithdrawalAddress, RegisterWallet, ObserveWalletBalance, Reconcile,
                                 ResolveReconciliationAlert>;

struct RoleBody {
  CommandBody body;
};

// Whether a body may travel inside a TimedRoleCommand.
inline bool is_timed_role_kind(const CommandBody& body) {
  return std::holds_alternative<Deposit>(body) || std::holds_alternative<ProposeConfig>(body) ||
         std::holds_alternative<ApproveConfig>(body) || std::holds_alternative<EnactConfig>(body) ||
         std::holds_alternative<RecordDepositAddress>(body) ||

         std::holds_alternative<ApproveWithdrawal>(body) || std::holds_alternative<BroadcastWithdrawal>(body) ||
         std::holds_alternative<SettleWithdrawal>(body) || std::holds_alternative<ReverseDeposit>(body) ||
         std::holds_alternative<CancelWithdrawal>(body) || std::holds_alternative<RegisterWallet>(body) ||
         std::holds_alternative<ObserveWalletBalance>(body) || std::holds_alternative<Reconcile>(body) ||
         std::holds_alternative<ResolveReconciliationAlert>(body);
}
// A TimedRoleCommand around `body` (one of is_timed_role_kind).
TimedRoleCommand timed(Timestamp signed_time, CommandBody body);

// Oracle prices, in either form.
inline bool is_oracle(const CommandBody& body) {
  return std::holds_alternative<OracleUpdate>(body) || std::holds_alternative<OracleReport>(body);
}

struct Command {
  SeqNo seq = 0;
  Timestamp timestamp = 0;
  crypto::PublicKey signer{};
  CommandBody body;
};

// The domain tag every signed command starts with.
inline constexpr std::string_view kCommandDomainTag = "glassbook/command/v1";
// How the signed bytes of a SignedRequest start; they can never be mistaken for a tagged command.
inline constexpr std::string_view kRequestTextPrefix = "instruction=";

// The canonical bytes a command's signer signs: a domain tag, the kind and every body field,
// little-endian; for a SignedRequest, its text verbatim. Sequence number and timestamp are the
// sequencer's and are not signed.
std::string signing_bytes(const CommandBody& body);

struct SignedCommand {
  Command command;
  crypto::Signature signature{};
};

SignedCommand sign_command(const crypto::KeyPair& key, SeqNo seq, Timestamp ts, CommandBody body);
// True when the signature is the signer's over signing_bytes(body).
bool verify_command(const SignedCommand& sc);

const char* command_name(const CommandBody& body);

}  // namespace glassbook::engine
