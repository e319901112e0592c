// Decoder of canonical command bytes: a bounds-checked little-endian reader and one parser per kind.
#include "engine/command_codec.h"

#include <fmt/format.h>

#include <variant>

namespace glassbook::engine {

namespace {

// Reads little-endian fields from a fixed buffer. Every read is bounds-checked; once a read fails
// the reader stays failed, so a parser can read all fields and check ok() once.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  uint8_t u8() { return static_cast<uint8_t>(le(1)); }
  uint16_t u16() { return static_cast<uint16_t>(le(2)); }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  uint64_t u64() { return le(8); }
  int64_t i64() { return static_cast<int64_t>(le(8)); }
  void bytes(uint8_t* out, size_t n) {
    if (!take(n)) return;
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(in_[pos_ - n + i]);
  }

  bool ok() const { return ok_; }
  size_t remaining() const { return in_.size() - pos_; }

 private:
  bool take(size_t n) {
    if (!ok_ || remaining() < n) {
      ok_ = false;
      return false;
    }
    pos_ += n;
    return true;
  }
  uint64_t le(size_t n) {
    if (!take(n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ - n + i])) << (8 * i);
    return v;
  }

  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

Status bad(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

Status check_enum(const char* name, uint8_t value, uint8_t max) {
  if (value > max) return bad(fmt::format("signed command: {} {} out of range 0..{}", name, value, max));
  return Status::ok();
}

Result<CommandBody> parse(Reader& r, const RegisterAccount&) {
  RegisterAccount c;
  r.bytes(c.key.data(), c.key.size());
  return CommandBody{c};
}

Result<CommandBody> parse(Reader& r, const Deposit&) {
  Deposit c;
  c.account = r.u32();
  c.asset = r.u16();
  c.amount = r.i64();
  c.deposit_id = r.u64();
  return CommandBody{c};
}

Result<CommandBody> parse(Reader& r, const PlaceOrder&) {
  PlaceOrder c;
  c.account = r.u32();
  c.market = r.u16();
  const uint8_t side = r.u8(), type = r.u8(), tif = r.u8(), stp = r.u8();
  c.price = r.i64();
  c.quantity = r.i64();
  c.client_id = r.u32();
  if (!r.ok()) return CommandBody{c};  // the caller reports the length error
  for (Status s : {check_enum("side", side, 1), check_enum("order type", type, 1),
                   check_enum("time in force", tif, 3), check_enum("stp", stp, 2)})
    if (!s.is_ok()) return s;
  c.side = static_cast<Side>(side);
  c.type = static_cast<OrderType>(type);
  c.tif = static_cast<TimeInForce>(tif);
  c.stp = static_cast<Stp>(stp);
  return CommandBody{c};
}

Result<CommandBody> parse(Reader& r, const CancelOrder&) {
  CancelOrder c;
  c.account = r.u32();
  c.market = r.u16();
  c.order_id = r.u64();
  c.client_id = r.u32();
  return CommandBody{c};
}

Result<CommandBody> parse(Reader& r, const CancelAll&) {
  CancelAll c;
  c.account = r.u32();
  c.market = r.u16();
  return CommandBody{c};
}

Result<CommandBody> parse(Reader& r, const AmendOrder&) {
  AmendOrder c;
  c.account = r.u32();
  c.market = r.u16();
  c.order_id = r.u64();
  c.price = r.i64();
  c.quantity = r.i64();
  return CommandBody{c};
}

// Dispatches on the variant index at run time to the parser of that alternative.
template <size_t I = 0>
Result<CommandBody> parse_index(Reader& r, size_t index) {
  if constexpr (I < std::variant_size_v<CommandBody>) {
    if (index == I) return parse(r, std::variant_alternative_t<I, CommandBody>{});
    return parse_index<I + 1>(r, index);
  } else {
    (void)r;
    return bad(fmt::format("signed command: unknown kind {}", index));
  }
}

}  // namespace

Result<CommandBody> decode_body(std::string_view signed_bytes) {
  if (signed_bytes.size() <= kCommandDomainTag.size() || signed_bytes.substr(0, kCommandDomainTag.size()) != kCommandDomainTag)
    return bad("signed command: missing domain tag \"glassbook/command/v1\"");
  Reader r(signed_bytes.substr(kCommandDomainTag.size()));
  const uint8_t kind = r.u8();
  Result<CommandBody> body = parse_index(r, kind);
  if (!body.is_ok()) return body;
  if (!r.ok()) return bad(fmt::format("signed command: kind {} truncated ({} bytes)", kind, signed_bytes.size()));
  if (r.remaining() != 0)
    return bad(fmt::format("signed command: kind {} has {} trailing bytes", kind, r.remaining()));
  assert(body.value().index() == kind);
  return body;
}

}  // namespace glassbook::engine
