// Signed notes (golang.org/x/mod/sumdb/note known answers) and checkpoints: round trips, strict parsing, forgeries.
#include "journal/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace glassbook::journal {
namespace {

// ---- Known answers from golang.org/x/mod/sumdb/note (note.go's example and note_test.go) ----

constexpr std::string_view kPeterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kPeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kEnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr std::string_view kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kPeterSig =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr std::string_view kEnochSig =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

std::string peter_note() { return std::string(kText) + "\n" + std::string(kPeterSig); }

// The Go signer key is "PRIVATE+KEY+<name>+<id>+base64(0x01 || Ed25519 seed)".
crypto::KeyPair peter_key() {
  const std::string_view b64 = kPeterSignerKey.substr(kPeterSignerKey.rfind("+AYEK") + 1);
  auto typed = crypto::base64_decode(b64);
  EXPECT_TRUE(typed && typed->size() == 33 && (*typed)[0] == 1);
  crypto::Seed seed{};
  std::copy(typed->begin() + 1, typed->end(), seed.begin());
  return crypto::KeyPair::from_seed(seed);
}

NoteVerifier peter() { return *parse_verifier_key(kPeterVerifierKey); }
NoteVerifier enoch() { return *parse_verifier_key(kEnochVerifierKey); }

crypto::KeyPair key_of(std::string_view label) { return crypto::KeyPair::from_seed(crypto::seed_from_label(label)); }

// A signature line by `name` with an explicit key id and signature bytes.
std::string sig_line(std::string_view name, uint32_t id, std::string_view sig) {
  std::string raw = {static_cast<char>(id >> 24), static_cast<char>(id >> 16), static_cast<char>(id >> 8),
                     static_cast<char>(id)};
  raw += sig;
  return std::string("\xE2\x80\x94 ") + std::string(name) + " " +
         crypto::base64_encode(std::span(reinterpret_cast<const uint8_t*>(raw.data()), raw.size())) + "\n";
}

std::string str(const crypto::Signature& s) { return std::string(reinterpret_cast<const char*>(s.data()), s.size()); }

TEST(SignedNote, GoKeyIdAndVerifierKeyKnownAnswers) {
  const crypto::KeyPair key = peter_key();
  EXPECT_EQ(note_key_id("PeterNeumann", key.public_key()), 0xc74f20a3u);
  auto v = note_verifier("PeterNeumann", key.public_key());
  ASSERT_TRUE(v.is_ok());
  EXPECT_EQ(v->key_id, 0xc74f20a3u);
  EXPECT_EQ(encode_verifier_key(*v), kPeterVerifierKey);
  auto parsed = parse_verifier_key(kPeterVerifierKey);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, *v);
  auto e = parse_verifier_key(kEnochVerifierKey);
  ASSERT_TRUE(e.is_ok()) << e.status().message();
  EXPECT_EQ(e->name, "EnochRoot");
  EXPECT_EQ(e->key_id, 0xaf0cfe78u);
  EXPECT_EQ(encode_verifier_key(*e), kEnochVerifierKey);
}

TEST(SignedNote, SignReproducesTheGoNoteByteForByte) {
  auto note = sign_note(kText, "PeterNeumann", peter_key());
  ASSERT_TRUE(note.is_ok()) << note.status().message();
  EXPECT_EQ(*note, peter_note());
}

TEST(SignedNote, OpensTheGoNotesAndIgnoresUnknownSignatures) {
  auto body = open_note(peter_note(), peter());
  ASSERT_TRUE(body.is_ok()) << body.status().message();
  EXPECT_EQ(*body, kText);

  const std::string both = std::string(kText) + "\n" + std::string(kPeterSig) + std::string(kEnochSig);
  EXPECT_EQ(*open_note(both, peter()), kText);  // Enoch's line is from an unknown key: ignored
  EXPECT_EQ(*open_note(both, enoch()), kText);  // and the other way round (Enoch's known answer)
  const std::vector<NoteVerifier> two = {enoch(), peter()};
  auto opened = open_note(both, two);
  ASSERT_TRUE(opened.is_ok());
  EXPECT_EQ(opened->verified_by, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(open_note(both, std::vector<NoteVerifier>{peter()})->verified_by, (std::vector<size_t>{0}));

  // No verifier at all, or only one that did not sign.
  EXPECT_EQ(open_note(peter_note(), std::span<const NoteVerifier>()).code(), Error::InvalidSignature);
  auto none = open_note(peter_note(), enoch());
  EXPECT_EQ(none.code(), Error::InvalidSignature);
  EXPECT_NE(none.status().message().find("no signature by EnochRoot+af0cfe78"), std::string::npos)
      << none.status().message();
  EXPECT_NE(none.status().message().find("PeterNeumann+c74f20a3"), std::string::npos) << none.status().message();

  // Two verifiers for the same (name, key id) are a configuration error.
  const std::vector<NoteVerifier> dup = {peter(), enoch(), peter()};
  EXPECT_EQ(open_note(peter_note(), dup).code(), Error::InvalidArgument);
}

TEST(SignedNote, TextIsSeparatedAtTheLastBlankLine) {
  const crypto::KeyPair k = key_of("blank lines");
  const NoteVerifier v = *note_verifier("example.com/blank", k.public_key());
  for (std::string_view body : {"a\n\nb\n", "a\n\n", "\n", "x\n\n\n\ny\n"}) {
    auto note = sign_note(body, v.name, k);
    ASSERT_TRUE(note.is_ok()) << body;
    auto opened = open_note(*note, v);
    ASSERT_TRUE(opened.is_ok()) << opened.status().message();
    EXPECT_EQ(*opened, body);
  }
}

TEST(SignedNote, MalformedNotesAreRejectedWithAClearError) {
  const NoteVerifier v = peter();
  const std::string text(kText), sig(kPeterSig);
  struct Case {
    std::string note;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {text, "no blank line"},                                   // no signatures at all
      {text + "\n", "no signature lines"},                       // the blank line only
      {text + sig, "no blank line"},                             // missing blank line
      {text + "\n" + sig.substr(0, sig.size() - 1), "does not end in a newline"},
      {"\x01" + text + "\n" + sig, "control character"},
      {"\xff" + text + "\n" + sig, "invalid UTF-8"},
      {text + "\r\n" + sig, "control character"},
      {"\xC0\xAF" + text + "\n" + sig, "invalid UTF-8"},         // overlong '/'
      {"\xED\xA0\x80" + text + "\n" + sig, "invalid UTF-8"},     // a surrogate
      {text + "\n\xE2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
       "not canonical base64"},  // "Bad" is the name, "Name x08go..." not base64
      {text + "\n" + sig + "Unexpected line.\n", "signature line 2 does not start with an em dash"},
      {text + "\n" + sig + "trailing garbage", "does not end in a newline"},
      {text + "\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
       "em dash"},
      {text + "\n\xE2\x80\x94 PeterNeumann\n", "no space"},
      {text + "\n\xE2\x80\x94  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
       "invalid key name"},
      {text + "\n\xE2\x80\x94 Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
       "invalid key name"},
      {text + "\n\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
       "not canonical base64"},  // padding missing
      {text + "\n\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n",
       "not canonical base64"},  // non-zero padding bits: the same bytes to a lenient decoder
      {text + "\n\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM= \n",
       "not canonical base64"},
      {text + "\n\xE2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=!\n",
       "not canonical base64"},
      {text + "\n\xE2\x80\x94 PeterNeumann x08gow==\n", "fewer than a key id and a signature"},
      {text + "\n\xE2\x80\x94 PeterNeumann \n", "fewer than a key id and a signature"},
  };
  for (const auto& c : cases) {
    auto r = open_note(c.note, v);
    ASSERT_FALSE(r.is_ok()) << c.note;
    EXPECT_EQ(r.code(), Error::InvalidArgument) << c.note << "\n" << r.status().message();
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << "want '" << c.message_part << "' in: " << r.status().message();
    EXPECT_EQ(parse_note(c.note).code(), Error::InvalidArgument);
  }
}

TEST(SignedNote, SizeAndSignatureCountAreBounded) {
  const NoteVerifier v = peter();
  std::string many = std::string(kText) + "\n";
  for (size_t i = 0; i < kMaxNoteSignatures; ++i) many += kPeterSig;
  EXPECT_TRUE(open_note(many, v).is_ok());  // 100 (repeated) signatures: all verified
  many += kPeterSig;
  auto r = open_note(many, v);
  EXPECT_EQ(r.code(), Error::InvalidArgument);
  EXPECT_NE(r.status().message().find("more than 100 signature lines"), std::string::npos) << r.status().message();

  // Huge input is refused before anything else is looked at.
  const std::string huge = std::string(kMaxNoteBytes, 'a') + "\n\n" + std::string(kPeterSig);
  auto h = open_note(huge, v);
  EXPECT_EQ(h.code(), Error::InvalidArgument);
  EXPECT_NE(h.status().message().find("more than the limit"), std::string::npos) << h.status().message();
  EXPECT_EQ(sign_note(std::string(kMaxNoteBytes, 'a') + "\n", "n", peter_key()).code(), Error::InvalidArgument);
}

TEST(SignedNote, ForgeriesAreInvalidSignatures) {
  const NoteVerifier v = peter();
  const std::string text(kText), sig(kPeterSig);
  auto expect_bad = [&](const std::string& note, std::string_view message_part, const char* what) {
    auto r = open_note(note, v);
    ASSERT_FALSE(r.is_ok()) << what;
    EXPECT_EQ(r.code(), Error::InvalidSignature) << what << ": " << r.status().message();
    EXPECT_NE(r.status().message().find(message_part), std::string::npos) << what << ": " << r.status().message();
  };
  // A modified body.
  std::string altered = peter_note();
  altered.replace(altered.find("cryptography"), 12, "cryptographY");
  expect_bad(altered, "does not verify", "modified body");
  expect_bad("And " + peter_note(), "does not verify", "prefixed body");
  expect_bad(text + "more\n\n" + sig, "does not verify", "appended line");
  // Go's mangled signature (ABCD inserted into the base64).
  expect_bad(text + "\n" + sig.substr(0, 60) + "ABCD" + sig.substr(60), "does not verify", "mangled signature");
  // A signature by another key under Peter's name and key id.
  const crypto::KeyPair mallory = key_of("mallory");
  expect_bad(text + "\n" + sig_line("PeterNeumann", v.key_id, str(mallory.sign(kText))), "does not verify",
             "another key, Peter's id");
  // The same, but with Mallory's own key id: an unknown key, so there is no signature by Peter.
  expect_bad(text + "\n" + sig_line("PeterNeumann", note_key_id("PeterNeumann", mallory.public_key()),
                                    str(mallory.sign(kText))),
             "no signature by PeterNeumann+c74f20a3", "another key, its own id");
  // Peter's signature bytes with a wrong key id (or a wrong name): unknown key, ignored.
  auto valid_sig = crypto::base64_decode("x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=");
  const std::string ed = valid_sig->substr(4);
  expect_bad(text + "\n" + sig_line("PeterNeumann", v.key_id ^ 1, ed), "no signature by", "wrong key id");
  expect_bad(text + "\n" + sig_line("PeterNeuman", v.key_id, ed), "no signature by", "wrong name");
  // A known key's signature of the wrong length.
  expect_bad(text + "\n" + sig_line("PeterNeumann", v.key_id, ed.substr(0, 63)), "does not verify", "short signature");
  expect_bad(text + "\n" + sig_line("PeterNeumann", v.key_id, ed + "x"), "does not verify", "long signature");
  // A good signature followed by a bad one from the same key: the whole note is rejected.
  expect_bad(text + "\n" + sig + sig_line("PeterNeumann", v.key_id, str(mallory.sign(kText))), "line 2",
             "good then bad");
  // A good signature plus unknown keys' lines of any length (e.g. a 4+8+64-byte cosignature): fine.
  EXPECT_TRUE(open_note(text + "\n" + sig_line("witness.example", 7, std::string(72, 'w')) + sig, v).is_ok());
}

TEST(SignedNote, SigningRejectsBadInput) {
  const crypto::KeyPair k = key_of("signer");
  EXPECT_EQ(sign_note("no newline", "name", k).code(), Error::InvalidArgument);
  EXPECT_EQ(sign_note("", "name", k).code(), Error::InvalidArgument);
  EXPECT_EQ(sign_note("tab\there\n", "name", k).code(), Error::InvalidArgument);
  EXPECT_EQ(sign_note("bad \xff utf8\n", "name", k).code(), Error::InvalidArgument);
  for (std::string_view name : {"", "a b", "a+b", "tab\tname", "nbsp\xC2\xA0name", "ideographic\xE3\x80\x80space",
                                "line\nbreak", "bad\xff"}) {
    EXPECT_FALSE(valid_key_name(name)) << name;
    EXPECT_EQ(sign_note("text\n", name, k).code(), Error::InvalidArgument) << name;
    EXPECT_EQ(note_verifier(name, k.public_key()).code(), Error::InvalidArgument) << name;
  }
  EXPECT_TRUE(valid_key_name("example.com/log/\xC3\xA9t\xC3\xA9"));  // non-ASCII letters are fine
}

TEST(SignedNote, VerifierKeyManglingsAreRejected) {
  // As Go's TestNewVerifier: every proper substring, and every byte changed, is refused.
  const std::string key(kPeterVerifierKey);
  for (size_t i = 0; i <= key.size(); ++i)
    for (size_t j = i + 1; j <= key.size(); ++j)
      if (i != 0 || j != key.size()) {
        EXPECT_FALSE(parse_verifier_key(key.substr(i, j - i)).is_ok()) << key.substr(i, j - i);
      }
  for (size_t i = 0; i < key.size(); ++i) {
    std::string k = key;
    ++k[i];
    EXPECT_EQ(parse_verifier_key(k).code(), Error::InvalidArgument) << k;
  }
  struct Case {
    std::string_view key;
    std::string_view message_part;
  };
  for (const auto& c : std::vector<Case>{
           {"PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "not canonical base64"},
           {"PeterNeumann+a86be6cb+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWQUJD", "32 bytes, this one 35"},
           {"PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "unsupported signature type 0x65"},
           {"PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "lowercase hex"},
           {"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match"},
           {"PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match"},
           {"PeterNeumann+c74f20a3", "two '+'"},
           {"Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "invalid key name"},
           {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n", "not canonical base64"},
       }) {
    auto r = parse_verifier_key(c.key);
    ASSERT_FALSE(r.is_ok()) << c.key;
    EXPECT_EQ(r.code(), Error::InvalidArgument);
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos) << r.status().message();
  }
  EXPECT_FALSE(parse_verifier_key(std::string(kMaxVerifierKeyBytes + 1, 'a')).is_ok());
  // A base64 key that itself holds '+' (split at the first two '+' only).
  const NoteVerifier plus = *note_verifier("plus", key_of("plus").public_key());
  const std::string plus_text = encode_verifier_key(plus);
  EXPECT_EQ(*parse_verifier_key(plus_text), plus);
}

// ---- Checkpoints ----

crypto::Digest digest_of(std::string_view label) { return crypto::sha256(label); }

Checkpoint sample(uint64_t size = 20852163) {
  Checkpoint cp;
  cp.origin = "glassbook.example/log";
  cp.tree_size = size;
  cp.root = size == 0 ? crypto::sha256(std::string_view()) : digest_of("root");
  cp.state_root = digest_of("state");
  return cp;
}

std::string b64(const crypto::Digest& d) { return crypto::base64_encode(d); }

TEST(Checkpoint, BodyFormatAndRoundTrip) {
  Checkpoint cp = sample();
  const std::string body = checkpoint_body(cp);
  EXPECT_EQ(body, "glassbook.example/log\n20852163\n" + b64(cp.root) + "\nstate-root " + b64(cp.state_root) + "\n");
  auto parsed = parse_checkpoint_body(body);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, cp);

  cp.extensions = {"other extension", "x"};
  ASSERT_TRUE(validate_checkpoint(cp).is_ok());
  const std::string with_ext = checkpoint_body(cp);
  EXPECT_TRUE(with_ext.ends_with("\nother extension\nx\n"));
  EXPECT_EQ(*parse_checkpoint_body(with_ext), cp);
  EXPECT_EQ(checkpoint_body(*parse_checkpoint_body(with_ext)), with_ext);

  for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{10}, UINT64_MAX}) {
    Checkpoint c = sample(size);
    EXPECT_EQ(parse_checkpoint_body(checkpoint_body(c))->tree_size, size);
  }
}

TEST(Checkpoint, MalformedBodiesAreRejectedWithAClearError) {
  const Checkpoint cp = sample();
  const std::string root = b64(cp.root), state = "state-root " + b64(cp.state_root);
  auto body = [](std::initializer_list<std::string_view> lines) {
    std::string s;
    for (auto l : lines) s += std::string(l) + "\n";
    return s;
  };
  const std::string short_root = crypto::base64_encode(std::span(reinterpret_cast<const uint8_t*>("0123456789012345678901234567890"), 31));
  std::string noncanonical = root;
  noncanonical[42] = static_cast<char>(noncanonical[42] + 1);  // 32 bytes: the last char before '=' has 2 spare bits
  struct Case {
    std::string body;
    std::string_view message_part;
  };
  const std::vector<Case> cases = {
      {"", "end in a newline"},
      {body({"o", "1", root, state}).substr(1) + "x", "end in a newline"},
      {body({"o", "1", root}), "state-root are required"},
      {body({"o", "1"}), "state-root are required"},
      {body({"", "1", root, state}), "line 1 is empty"},
      {body({"o", "", root, state}), "line 2 is empty"},
      {body({"o", "01", root, state}), "tree size '01'"},
      {body({"o", "00", root, state}), "tree size '00'"},
      {body({"o", "+1", root, state}), "tree size"},
      {body({"o", "-1", root, state}), "tree size"},
      {body({"o", " 1", root, state}), "tree size"},
      {body({"o", "1 ", root, state}), "tree size"},
      {body({"o", "0x10", root, state}), "tree size"},
      {body({"o", "18446744073709551616", root, state}), "fits in 64 bits"},
      {body({"o", "99999999999999999999999", root, state}), "fits in 64 bits"},
      {body({"o", "1", short_root, state}), "line 3, the root hash"},
      {body({"o", "1", root.substr(0, 43), state}), "line 3, the root hash"},  // padding missing
      {body({"o", "1", noncanonical, state}), "line 3, the root hash"},
      {body({"o", "1", crypto::to_hex(cp.root), state}), "line 3, the root hash"},  // hex, not base64
      {body({"o", "0", root, state}), "not the empty root"},
      {body({"o", "1", root, "other-extension"}), "line 4 must be the 'state-root <base64>'"},
      {body({"o", "1", root, "state-root"}), "line 4, the state-root"},
      {body({"o", "1", root, "state-root " + short_root}), "line 4, the state-root"},
      {body({"o", "1", root, "state-root  " + b64(cp.state_root)}), "line 4, the state-root"},
      {body({"o", "1", root, "state-rootx " + b64(cp.state_root)}), "line 4 must be"},
      {body({"o", "1", root, state, state}), "line 5 repeats the state-root"},
      {body({"o", "1", root, state, "x", ""}), "line 6 is empty"},
      {body({"o", "1", root, state}) + "\n", "line 5 is empty"},
      {body({"o\r", "1", root, state}), "control character"},
      {body({"o", "1", root, state, "bad\xff"}), "invalid UTF-8"},
      {body({"o", "1", root, state}) + std::string(kMaxCheckpointBodyBytes, 'x') + "\n", "more than the limit"},
  };
  for (const auto& c : cases) {
    auto r = parse_checkpoint_body(c.body);
    ASSERT_FALSE(r.is_ok()) << c.body;
    EXPECT_EQ(r.code(), Error::InvalidArgument);
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos)
        << "want '" << c.message_part << "' in: " << r.status().message();
  }
  std::string many = body({"o", "1", root, state});
  for (size_t i = 0; i < kMaxCheckpointExtensionLines; ++i) many += "e\n";
  auto r = parse_checkpoint_body(many);
  EXPECT_NE(r.status().message().find("extension lines, more than the limit"), std::string::npos) << r.status().message();
  // The C2SP example checkpoint is a valid tlog-checkpoint but not a Glassbook one.
  auto c2sp = parse_checkpoint_body("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  EXPECT_NE(c2sp.status().message().find("state-root are required"), std::string::npos) << c2sp.status().message();
  auto c2sp_ext = parse_checkpoint_body(
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nstate-root "
      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  ASSERT_TRUE(c2sp_ext.is_ok()) << c2sp_ext.status().message();
  EXPECT_EQ(c2sp_ext->tree_size, 20852163u);
  EXPECT_EQ(crypto::to_hex(c2sp_ext->root), "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62");
}

TEST(Checkpoint, ValidateRefusesWhatCouldNotParseBack) {
  auto bad = [](auto mutate, std::string_view message_part) {
    Checkpoint cp = sample();
    mutate(cp);
    Status s = validate_checkpoint(cp);
    EXPECT_EQ(s.code(), Error::InvalidArgument);
    EXPECT_NE(s.message().find(message_part), std::string::npos) << s.message();
    EXPECT_EQ(sign_checkpoint(cp, "k", key_of("k")).code(), Error::InvalidArgument);
  };
  bad([](Checkpoint& c) { c.origin = ""; }, "origin is empty");
  bad([](Checkpoint& c) { c.origin = "a\n5"; }, "origin holds a control character");
  bad([](Checkpoint& c) { c.origin = "a\tb"; }, "origin holds a control character");
  bad([](Checkpoint& c) { c.extensions = {""}; }, "extension line 1 is empty");
  bad([](Checkpoint& c) { c.extensions = {"ok", "two\nlines"}; }, "extension line 2");
  bad([](Checkpoint& c) { c.extensions = {"state-root again"}; }, "repeats the state-root keyword");
  bad([](Checkpoint& c) { c.extensions = std::vector<std::string>(kMaxCheckpointExtensionLines, "e"); }, "limit");
  bad([](Checkpoint& c) { c.origin = std::string(kMaxCheckpointBodyBytes, 'o'); }, "more than the limit");
  bad([](Checkpoint& c) { c.tree_size = 0; }, "a tree of size 0 has the empty root");
  Checkpoint ok = sample();
  ok.extensions = {"state-rooted is another keyword"};
  EXPECT_TRUE(validate_checkpoint(ok).is_ok());
  EXPECT_EQ(*parse_checkpoint_body(checkpoint_body(ok)), ok);
}

TEST(Checkpoint, SignAndVerify) {
  const crypto::KeyPair key = key_of("glassbook log key");
  const NoteVerifier v = *note_verifier("glassbook.example/log", key.public_key());
  Checkpoint cp = sample(42);
  cp.extensions = {"unknown-extension 1"};
  auto note = sign_checkpoint(cp, v.name, key);
  ASSERT_TRUE(note.is_ok()) << note.status().message();
  EXPECT_TRUE(note->starts_with(checkpoint_body(cp) + "\n\xE2\x80\x94 glassbook.example/log "));
  auto back = verify_checkpoint(*note, v);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_EQ(*back, cp);
  EXPECT_EQ(*verify_checkpoint(*note, v, "glassbook.example/log"), cp);
  auto wrong_origin = verify_checkpoint(*note, v, "glassbook.example/other");
  EXPECT_EQ(wrong_origin.code(), Error::InvalidArgument);
  EXPECT_NE(wrong_origin.status().message().find("not the expected log"), std::string::npos);

  // Another key, the same name: unknown key id, no signature by the verifier.
  const NoteVerifier other = *note_verifier("glassbook.example/log", key_of("other").public_key());
  auto r = verify_checkpoint(*note, other);
  EXPECT_EQ(r.code(), Error::InvalidSignature);
  EXPECT_NE(r.status().message().find("no signature by glassbook.example/log+"), std::string::npos);
  // A note that verifies but whose body is not a checkpoint.
  EXPECT_EQ(verify_checkpoint(peter_note(), peter()).code(), Error::InvalidArgument);
  // Witness cosigning: a second signature by another key does not disturb the log's.
  const crypto::KeyPair witness = key_of("witness");
  const std::string cosigned = *note + sig_line("witness.example", note_key_id("witness.example", witness.public_key()),
                                                str(witness.sign(checkpoint_body(cp))));
  EXPECT_EQ(*verify_checkpoint(cosigned, v), cp);
  const std::vector<NoteVerifier> both = {v, *note_verifier("witness.example", witness.public_key())};
  EXPECT_EQ(open_note(cosigned, both)->verified_by, (std::vector<size_t>{0, 1}));
}

TEST(Checkpoint, EveryByteFlipAndTruncationIsRejected) {
  const crypto::KeyPair key = key_of("flip");
  const NoteVerifier v = *note_verifier("glassbook.example/flip", key.public_key());
  const Checkpoint cp = sample(7);
  const std::string note = *sign_checkpoint(cp, v.name, key);
  size_t accepted_same = 0;
  for (size_t i = 0; i < note.size(); ++i) {
    for (uint8_t mask : {0x01, 0x20, 0x80}) {
      std::string n = note;
      n[i] = static_cast<char>(n[i] ^ mask);
      auto r = verify_checkpoint(n, v);
      if (r.is_ok()) {
        // Only possible if the flip left the meaning intact, which no byte of this note allows.
        ++accepted_same;
        EXPECT_EQ(*r, cp);
      } else {
        EXPECT_TRUE(r.code() == Error::InvalidArgument || r.code() == Error::InvalidSignature) << r.status().message();
      }
    }
  }
  EXPECT_EQ(accepted_same, 0u);
  for (size_t len = 0; len < note.size(); ++len) EXPECT_FALSE(verify_checkpoint(note.substr(0, len), v).is_ok()) << len;
  EXPECT_FALSE(verify_checkpoint(note + "x", v).is_ok());
  EXPECT_FALSE(verify_checkpoint(note + "\n", v).is_ok());
  EXPECT_FALSE(verify_checkpoint("\n" + note, v).is_ok());
}

TEST(Checkpoint, CanonicalDecimal) {
  EXPECT_EQ(parse_canonical_decimal("0"), 0u);
  EXPECT_EQ(parse_canonical_decimal("7"), 7u);
  EXPECT_EQ(parse_canonical_decimal("18446744073709551615"), UINT64_MAX);
  for (std::string_view bad : {"", "00", "01", "-0", "+5", "1.0", "1e3", " 1", "1 ", "18446744073709551616", "x"})
    EXPECT_FALSE(parse_canonical_decimal(bad).has_value()) << bad;
}

}  // namespace
}  // namespace glassbook::journal
