// Backpack request text -> the engine's own command bodies: a pure function of the parsed text, the
// configuration and the signer's account. The engine applies its result; the gateway pre-checks with it.
#pragma once
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "engine/command.h"
#include "engine/config.h"
#include "engine/request_text.h"

namespace glassbook::engine {

// One body per instruction, in order, each for `account`:
//   orderExecute   -> PlaceOrder   (symbol, side Bid|Ask, orderType Limit|Market, quantity; price for
//                     Limit, optional protection limit for Market; timeInForce GTC|IOC|FOK; postOnly;
//                     clientId 1..2^32-1; selfTradePrevention RejectTaker|RejectMaker|RejectBoth;
//                     reduceOnly/autoLend/autoLendRedeem/autoBorrow/autoBorrowRepay only as false;
//                     triggerPrice with triggerQuantity or quantity and triggerBy LastPrice|MarkPrice:
//                     a trigger order, PlaceOrder::trigger_price; takeProfitTriggerPrice and
//                     stopLossTriggerPrice with optional LimitPrice and TriggerBy each: the
//                     take-profit and stop-loss its fills create)
//   orderCancel    -> CancelOrder  (symbol and exactly one of orderId, clientId)
//   orderCancelAll -> CancelAll    (symbol)
//   withdraw       -> RequestWithdrawal (symbol: an asset, quantity in its decimals, address,
//                     blockchain, optional clientId; autoBorrow/autoLendRedeem only as false;
//                     twoFactorToken refused: the allow-list stands in for it). Unknown asset:
//                     Error::UnknownAsset.
//   withdrawalAddressAdd -> AddWithdrawalAddress (Glassbook's own: address, blockchain; the
//                     allow-list is per address, so the blockchain is signed and checked for its
//                     length only: the gateway checks it names a chain the exchange serves)
//   withdrawalAddressRemove -> RemoveWithdrawalAddress (Glassbook's own: address)
// Quantities are decimals in the market's base asset decimals, prices in its quote asset decimals.
// Refusals: Error::UnknownMarket for a symbol not configured, Error::InvalidQuantity and
// Error::InvalidPrice for bad amounts, Error::InvalidArgument for everything else (unknown or
// unsupported field, missing field, bad enum value, a query instruction, which "does not change
// state", or several instructions that are not all orderExecute). The first fault found is reported.
Result<std::vector<CommandBody>> translate_request(const RequestText& text, const ExchangeConfig& config, AccountId account);

}  // namespace glassbook::engine
