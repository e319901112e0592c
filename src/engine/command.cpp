// Canonical signing bytes of commands, signing and verification.
#include "engine/command.h"

#include "core/byte_io.h"
#include "engine/command_fields.h"

#include <type_traits>

namespace glassbook::engine {

std::string signing_bytes(const CommandBody& body) {
  if (const auto* r = std::get_if<SignedRequest>(&body)) return r->text;  // the client signed the text itself
  std::string out(kCommandDomainTag);
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(body.index()));
  std::visit(
      [&](const auto& c) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(c)>, SignedRequest>) for_each_field(w, c);
      },
      body);
  return out;
}

SignedCommand sign_command(const crypto::KeyPair& key, SeqNo seq, Timestamp ts, CommandBody body) {
  SignedCommand sc;
  sc.command.seq = seq;
  sc.command.timestamp = ts;
  sc.command.signer = key.public_key();
  sc.signature = key.sign(signing_bytes(body));
  sc.command.body = std::move(body);
  return sc;
}

bool verify_command(const SignedCommand& sc) {
  return crypto::verify(sc.command.signer, signing_bytes(sc.command.body), sc.signature);
}

TimedRoleCommand timed(Timestamp signed_time, CommandBody body) {
  return TimedRoleCommand{signed_time, std::make_shared<const RoleBody>(RoleBody{std::move(body)})};
}

const char* command_name(const CommandBody& body) {
  static constexpr const char* kNames[] = {"RegisterAccount", "Deposit",       "PlaceOrder",    "CancelOrder",
                                           "CancelAll",       "AmendOrder",    "ProposeConfig", "ApproveConfig",
                                           "SignedRequest",   "OracleUpdate",  "OpenIsolated",  "TransferMargin",
                                           "OracleReport",    "EnactConfig",   "TimedRoleCommand",
                                           "AttestClaim",     "LinkClaim",     "AttestKyc",
                                           "RecordDepositAddress",

                                           "AddWithdrawalAddress", "RequestWithdrawal", "ApproveWithdrawal",
                                           "BroadcastWithdrawal",  "SettleWithdrawal",  "ReverseDeposit",
                                           "PublishLiabilitiesRoot", "DeclareDistribution", "PayDistribution",
                                           "ReleaseEscrow", "CancelWithdrawal", "RemoveWithdrawalAddress",
                                           "RegisterWallet", "ObserveWalletBalance", "Reconcile",
                                           "ResolveReconciliationAlert"};
  static_assert(std::size(kNames) == std::variant_size_v<CommandBody>);
  return kNames[body.index()];
}

}  // namespace glassbook::engine
