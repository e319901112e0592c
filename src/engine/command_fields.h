// The one field list of every command body, in signing order: signing_bytes() writes it and
// decode_body() reads it through the same function, so the two can never drift apart.
#pragma once
#include <memory>
#include <type_traits>

#include "engine/command.h"
#include "engine/command_codec.h"
#include "engine/config_codec.h"

namespace glassbook::engine {

// `v` is a field visitor (ByteWriter or ByteReader from core/byte_io.h);
// `C` is a command body type, const when encoding.
template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, RegisterAccount>
void for_each_field(V& v, C& c) {
  v.key(c.key);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, Deposit>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.asset);
  v.i64(c.amount);
  v.u64(c.deposit_id);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, PlaceOrder>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.market);
  v.enum8("side", c.side, 1);
  v.enum8("order type", c.type, 1);
  v.enum8("time in force", c.tif, 3);
  v.enum8("stp", c.stp, 2);
  v.i64(c.price);
  v.i64(c.quantity);
  v.u32(c.client_id);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, CancelOrder>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.market);
  v.u64(c.order_id);
  v.u32(c.client_id);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, CancelAll>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.market);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, AmendOrder>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.market);
  v.u64(c.order_id);
  v.i64(c.price);
  v.i64(c.quantity);
}

// The configuration travels as its canonical bytes (u32 length first); decoding validates it.
inline constexpr size_t kMaxConfigBytes = 48 * 1024;

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ProposeConfig>
void for_each_field(V& v, C& c) {
  v.u64(c.proposal_id);
  if constexpr (V::kReading) {
    std::string bytes;
    v.str("configuration", bytes, kMaxConfigBytes);
    if (!v.ok()) return;
    auto config = decode_config(bytes);
    if (!config) return v.fail(config.status().message());
    c.config = std::make_shared<const ExchangeConfig>(std::move(config).value());
  } else {
    v.str("configuration", encode_config(*c.config), kMaxConfigBytes);
  }
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ApproveConfig>
void for_each_field(V& v, C& c) {
  v.u64(c.proposal_id);
  v.key(c.config_hash);
}

// The quotes of OracleUpdate and OracleReport: u32 n (1..64), then n x (asset u16, value i64).
template <class V, class Q>
void quote_fields(V& v, Q& quotes) {
  v.seq("oracle quotes", quotes, kMaxOracleQuotes, [](V& w, auto& q) {
    w.u16(q.asset);
    w.i64(q.value);
  });
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, OracleUpdate>
void for_each_field(V& v, C& c) {
  quote_fields(v, c.quotes);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, OpenIsolated>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.market);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, TransferMargin>
void for_each_field(V& v, C& c) {
  v.u32(c.from);
  v.u32(c.to);
  v.i64(c.amount);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, OracleReport>
void for_each_field(V& v, C& c) {
  v.i64(c.source_time);
  quote_fields(v, c.quotes);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, EnactConfig>
void for_each_field(V& v, C& c) {
  v.u64(c.proposal_id);
}

// Longest chain name and address (deposit_address_book.h checks their characters).
inline constexpr size_t kMaxChainNameBytes = 32;
inline constexpr size_t kMaxDepositAddressBytes = 128;

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, RecordDepositAddress>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.asset);
  v.str("chain", c.chain, kMaxChainNameBytes);
  v.str("address", c.address, kMaxDepositAddressBytes);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, AddWithdrawalAddress>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.str("withdrawal address", c.address, kMaxWithdrawalAddressBytes);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, RequestWithdrawal>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.asset);
  v.i64(c.amount);
  v.str("withdrawal address", c.address, kMaxWithdrawalAddressBytes);
  v.str("blockchain", c.blockchain, kMaxBlockchainBytes);
  v.u32(c.client_id);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ApproveWithdrawal>
void for_each_field(V& v, C& c) {
  v.u64(c.withdrawal_id);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, BroadcastWithdrawal>
void for_each_field(V& v, C& c) {
  v.u64(c.withdrawal_id);
  v.str("transaction id", c.tx_id, kMaxWithdrawalAddressBytes);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, SettleWithdrawal>
void for_each_field(V& v, C& c) {
  v.u64(c.withdrawal_id);
  v.boolean(c.confirmed);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ReverseDeposit>
void for_each_field(V& v, C& c) {
  v.u64(c.deposit_id);
  v.u32(c.account);
  v.u16(c.asset);
  v.i64(c.amount);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, DeclareDistribution>
void for_each_field(V& v, C& c) {
  v.u16(c.estate);
  v.u32(c.round);
  v.u32(c.account);
  v.u16(c.payout_asset);
  v.u64(c.rate_numerator);
  v.u64(c.rate_denominator);
  v.u64(c.record_seq);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, PayDistribution>
void for_each_field(V& v, C& c) {
  v.u16(c.estate);
  v.u32(c.round);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ReleaseEscrow>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.estate);
  v.u16(c.asset);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, CancelWithdrawal>
void for_each_field(V& v, C& c) {
  v.u64(c.withdrawal_id);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, RemoveWithdrawalAddress>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.str("withdrawal address", c.address, kMaxWithdrawalAddressBytes);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, RegisterWallet>
void for_each_field(V& v, C& c) {
  v.str("chain", c.chain, kMaxChainNameBytes);
  v.u16(c.asset);
  v.str("wallet address", c.address, kMaxDepositAddressBytes);
  v.enum8("wallet kind", c.kind, 2);
  v.seq("wallet signers", c.signers, kMaxWalletSigners, [](V& w, auto& k) { w.key(k); });
  v.u32(c.threshold);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ObserveWalletBalance>
void for_each_field(V& v, C& c) {
  v.str("chain", c.chain, kMaxChainNameBytes);
  v.str("wallet address", c.address, kMaxDepositAddressBytes);
  v.u64(c.height);
  v.i64(c.balance);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, Reconcile>
void for_each_field(V&, C&) {}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, ResolveReconciliationAlert>
void for_each_field(V& v, C& c) {
  v.u64(c.alert_id);
  v.str("explanation", c.explanation, kMaxExplanationBytes);
}

// The inner command travels as its own signed bytes (u32 length first, domain tag included).
template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, TimedRoleCommand>
void for_each_field(V& v, C& c) {
  v.i64(c.signed_time);
  if constexpr (V::kReading) {
    std::string bytes;
    v.str("role command", bytes, kMaxConfigBytes + 64);
    if (!v.ok()) return;
    auto inner = decode_body(bytes);
    if (!inner) return v.fail(inner.status().message());
    if (!is_timed_role_kind(*inner))
      return v.fail(std::string("a timed role command cannot carry ") + command_name(*inner));
    c.inner = std::make_shared<const RoleBody>(RoleBody{std::move(inner).value()});
  } else {
    v.str("role command", signing_bytes(c.inner->body), kMaxConfigBytes + 64);
  }
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, AttestClaim>
void for_each_field(V& v, C& c) {
  v.u16(c.estate);
  v.u64(c.claim_id);
  v.u32(c.revision);
  v.i64(c.face);
  v.enum8("claim status", c.status, 3);
  v.key(c.legacy_hash);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, LinkClaim>
void for_each_field(V& v, C& c) {
  v.u32(c.account);
  v.u16(c.estate);
  v.u64(c.claim_id);
  v.key(c.legacy_hash);
  v.key(c.agent_signature);
}

template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, AttestKyc>
void for_each_field(V& v, C& c) {
  v.u16(c.estate);
  v.u32(c.account);
  v.u8(c.level);
  v.str("jurisdiction", c.jurisdiction, 2);
  v.i64(c.issued_at);
  v.i64(c.expires_at);
}

// Sums travel as two u64 each (high, then low): the sums of a tree are 128-bit.
template <class V, class C>
  requires std::is_same_v<std::remove_const_t<C>, PublishLiabilitiesRoot>
void for_each_field(V& v, C& c) {
  v.key(c.snapshot_id);
  v.u64(c.checkpoint_seq);
  v.key(c.hash);
  v.seq("liabilities sums", c.sums, kMaxLiabilityAssets, [](V& w, auto& sum) {
    uint64_t high = static_cast<uint64_t>(sum >> 64), low = static_cast<uint64_t>(sum);
    w.u64(high);
    w.u64(low);
    if constexpr (V::kReading) sum = (static_cast<unsigned __int128>(high) << 64) | low;
  });
  v.u8(c.depth);
  v.i64(c.time);
  v.key(c.root_signature);
}

}  // namespace glassbook::engine
