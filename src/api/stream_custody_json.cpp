// The payloads of account.withdrawalUpdate and account.depositUpdate.
#include "api/stream_custody_json.h"

#include "api/iso_time.h"
#include "api/json_writer.h"
#include "core/decimal.h"

namespace glassbook::api {

namespace {
JsonWriter begin(std::string_view event, Timestamp ts) {
  JsonWriter w(384);
  w.begin_object();
  w.key("e").string(event);
  w.key("E").integer(ts);
  w.key("T").integer(ts);
  return w;
}
}  // namespace

bool is_custody_stream(std::string_view stream) { return stream == kWithdrawalUpdateStream || stream == kDepositUpdateStream; }

std::string withdrawal_update_event(const engine::ExchangeConfig& config, std::string_view kind, const WithdrawalRecord& r, Timestamp ts,
                                    int approvals, int approvals_needed) {
  JsonWriter w = begin(kind, ts);
  ViewWithdrawals::write_fields(w, config, r);
  if (approvals >= 0) w.key("approvals").integer(approvals);
  if (approvals_needed >= 0) w.key("approvalsNeeded").integer(approvals_needed);
  w.end_object();
  return w.take();
}

std::string withdrawal_address_event(std::string_view address, Timestamp usable_from, Timestamp ts) {
  JsonWriter w = begin("withdrawalAddressAdded", ts);
  w.key("address").string(address);
  w.key("usableFrom").string(iso_millis(usable_from));
  w.key("coolingOff").boolean(usable_from > ts);
  w.end_object();
  return w.take();
}

std::string withdrawal_address_removed_event(std::string_view address, Timestamp ts) {
  JsonWriter w = begin("withdrawalAddressRemoved", ts);
  w.key("address").string(address);
  w.end_object();
  return w.take();
}

std::string deposit_update_event(const engine::ExchangeConfig& config, std::string_view kind, const DepositRecord& d, bool known_credit,
                                 Timestamp ts) {
  JsonWriter w = begin(kind, ts);
  const bool reversed = kind == "depositReversed";
  w.key("id").unsigned_integer(d.id);
  w.key("symbol").string(config.assets[d.asset].symbol);
  w.key("quantity").decimal(format_decimal(d.amount, config.assets[d.asset].decimals, true));
  w.key("status").string(reversed ? "reversed" : "confirmed");
  w.key("createdAt");
  if (known_credit) w.string(iso_millis(d.timestamp)); else w.null();
  // What the journaled Deposit does not carry (docs/custody.md, "What is left"), null as in the REST history.
  for (std::string_view k : {"source", "fromAddress", "toAddress", "transactionHash"}) w.key(k).null();
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
