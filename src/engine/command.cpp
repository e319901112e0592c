// Canonical signing bytes of commands, signing and verification.
#include "engine/command.h"

namespace glassbook::engine {

namespace {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { le(v, 2); }
  void u32(uint32_t v) { le(v, 4); }
  void u64(uint64_t v) { le(v, 8); }
  void i64(int64_t v) { le(static_cast<uint64_t>(v), 8); }
  void bytes(const uint8_t* p, size_t n) { out_.append(reinterpret_cast<const char*>(p), n); }

 private:
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  std::string& out_;
};

struct Encoder {
  Writer& w;
  void operator()(const RegisterAccount& c) { w.bytes(c.key.data(), c.key.size()); }
  void operator()(const Deposit& c) {
    w.u32(c.account);
    w.u16(c.asset);
    w.i64(c.amount);
    w.u64(c.deposit_id);
  }
  void operator()(const PlaceOrder& c) {
    w.u32(c.account);
    w.u16(c.market);
    w.u8(static_cast<uint8_t>(c.side));
    w.u8(static_cast<uint8_t>(c.type));
    w.u8(static_cast<uint8_t>(c.tif));
    w.u8(static_cast<uint8_t>(c.stp));
    w.i64(c.price);
    w.i64(c.quantity);
    w.u32(c.client_id);
  }
  void operator()(const CancelOrder& c) {
    w.u32(c.account);
    w.u16(c.market);
    w.u64(c.order_id);
    w.u32(c.client_id);
  }
  void operator()(const CancelAll& c) {
    w.u32(c.account);
    w.u16(c.market);
  }
  void operator()(const AmendOrder& c) {
    w.u32(c.account);
    w.u16(c.market);
    w.u64(c.order_id);
    w.i64(c.price);
    w.i64(c.quantity);
  }
};

}  // namespace

std::string signing_bytes(const CommandBody& body) {
  std::string out = "glassbook/command/v1";
  Writer w(out);
  w.u8(static_cast<uint8_t>(body.index()));
  std::visit(Encoder{w}, body);
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

const char* command_name(const CommandBody& body) {
  static constexpr const char* kNames[] = {"RegisterAccount", "Deposit", "PlaceOrder", "CancelOrder", "CancelAll", "AmendOrder"};
  return kNames[body.index()];
}

}  // namespace glassbook::engine
