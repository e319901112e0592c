// The answers to POST and DELETE /api/v1/glassbook/withdrawalAddresses.
#include "api/withdrawal_address_json.h"

#include "api/iso_time.h"
#include "api/json_writer.h"

namespace glassbook::api {

std::string withdrawal_address_answer(SeqNo seq, std::string_view address, std::string_view blockchain, Timestamp added_at,
                                      Timestamp usable_from) {
  JsonWriter w(256);
  w.begin_object();
  w.key("journalSeq").unsigned_integer(seq);
  w.key("address").string(address);
  w.key("blockchain").string(blockchain);
  w.key("createdAt").string(iso_millis(added_at));
  w.key("usableFrom").string(iso_millis(usable_from));
  // Whole seconds, rounded up: "usable in 0 s" only once it is.
  w.key("coolingOffSeconds").integer(usable_from > added_at ? (usable_from - added_at + 999'999) / 1'000'000 : 0);
  w.key("status").string(usable_from > added_at ? "coolingOff" : "usable");
  w.end_object();
  return w.take();
}

std::string withdrawal_address_removed_answer(SeqNo seq, std::string_view address, Timestamp removed_at) {
  JsonWriter w(160);
  w.begin_object();
  w.key("journalSeq").unsigned_integer(seq);
  w.key("address").string(address);
  w.key("removedAt").string(iso_millis(removed_at));
  w.key("status").string("removed");
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
