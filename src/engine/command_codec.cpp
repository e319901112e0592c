// Decoder of canonical command bytes: a bounds-checked little-endian reader and one parser per kind.
#include "engine/command_codec.h"

#include "engine/command_fields.h"

#include <fmt/format.h>

#include <variant>

namespace glassbook::engine {

namespace {

Status bad(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

// Reads little-endian fields from a fixed buffer: the field visitor of for_each_field for decoding.
// Every read is bounds-checked; once a read fails the reader stays failed, so a parser reads all
// fields and checks ok() once. An enum out of range is remembered as the first range error.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  void u8(uint8_t& v) { v = static_cast<uint8_t>(le(1)); }
  void u16(uint16_t& v) { v = static_cast<uint16_t>(le(2)); }
  void u32(uint32_t& v) { v = static_cast<uint32_t>(le(4)); }
  void u64(uint64_t& v) { v = le(8); }
  void i64(int64_t& v) { v = static_cast<int64_t>(le(8)); }
  void key(crypto::PublicKey& k) {
    if (!take(k.size())) return;
    for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(in_[pos_ - k.size() + i]);
  }
  template <class E>
  void enum8(const char* name, E& e, uint8_t max) {
    uint8_t v = 0;
    u8(v);
    if (ok_ && v > max && range_error_.is_ok())
      range_error_ = bad(fmt::format("signed command: {} {} out of range 0..{}", name, v, max));
    e = static_cast<E>(v);
  }

  bool ok() const { return ok_; }
  const Status& range_error() const { return range_error_; }
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
  Status range_error_;
};

template <class C>
Result<CommandBody> parse(Reader& r) {
  C c;
  for_each_field(r, c);
  // A truncated body is reported by the caller; a whole body with an enum out of range here.
  if (r.ok() && !r.range_error().is_ok()) return r.range_error();
  return CommandBody{c};
}

// Dispatches on the variant index at run time to the parser of that alternative.
template <size_t I = 0>
Result<CommandBody> parse_index(Reader& r, size_t index) {
  if constexpr (I < std::variant_size_v<CommandBody>) {
    if (index == I) return parse<std::variant_alternative_t<I, CommandBody>>(r);
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
  uint8_t kind = 0;
  r.u8(kind);
  Result<CommandBody> body = parse_index(r, kind);
  if (!body.is_ok()) return body;
  if (!r.ok()) return bad(fmt::format("signed command: kind {} truncated ({} bytes)", kind, signed_bytes.size()));
  if (r.remaining() != 0)
    return bad(fmt::format("signed command: kind {} has {} trailing bytes", kind, r.remaining()));
  assert(body.value().index() == kind);
  return body;
}

}  // namespace glassbook::engine
