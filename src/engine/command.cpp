// Canonical signing bytes of commands, signing and verification.
#include "engine/command.h"

#include "engine/command_fields.h"

namespace glassbook::engine {

namespace {

// Appends fields little-endian; the field visitor of for_each_field for encoding.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u8(uint8_t v) { le(v, 1); }
  void u16(uint16_t v) { le(v, 2); }
  void u32(uint32_t v) { le(v, 4); }
  void u64(uint64_t v) { le(v, 8); }
  void i64(int64_t v) { le(static_cast<uint64_t>(v), 8); }
  void key(const crypto::PublicKey& k) { out_.append(reinterpret_cast<const char*>(k.data()), k.size()); }
  template <class E>
  void enum8(const char*, E e, uint8_t) {
    u8(static_cast<uint8_t>(e));
  }

 private:
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  std::string& out_;
};

}  // namespace

std::string signing_bytes(const CommandBody& body) {
  std::string out(kCommandDomainTag);
  Writer w(out);
  w.u8(static_cast<uint8_t>(body.index()));
  std::visit([&](const auto& c) { for_each_field(w, c); }, body);
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
