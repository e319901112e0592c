// The witness's add-checkpoint decision: parse, find the log, check its signature, the stored size and the
// consistency proof, store durably, then cosign; rollbacks and forks raise an alarm.
#include "journal/witness.h"

#include <fmt/format.h>

#include "crypto/merkle.h"

namespace glassbook::journal {

namespace {

WitnessReply reply(unsigned status, std::string body) {
  WitnessReply r;
  r.status = status;
  r.body = std::move(body);
  if (!r.body.empty() && r.body.back() != '\n') r.body += '\n';
  return r;
}

std::string describe(const Checkpoint& cp) {
  return fmt::format("{} records (root {})", cp.tree_size, crypto::base64_encode(cp.root));
}

}  // namespace

std::string encode_add_checkpoint(const AddCheckpointRequest& request) {
  std::string out = fmt::format("old {}\n", request.old_size);
  for (const auto& h : request.proof) out += crypto::base64_encode(h) + "\n";
  out += "\n";
  out += request.note;
  return out;
}

Result<AddCheckpointRequest> parse_add_checkpoint(std::string_view body) {
  auto bad = [](std::string why) { return Status(Error::InvalidArgument, "add-checkpoint: " + why); };
  if (body.size() > kMaxAddCheckpointBytes)
    return bad(fmt::format("{} bytes, more than the limit of {}", body.size(), kMaxAddCheckpointBytes));
  AddCheckpointRequest req;
  size_t nl = body.find('\n');
  if (nl == std::string_view::npos || !body.starts_with("old ")) return bad("the first line must be 'old <size>'");
  const auto old = parse_canonical_decimal(body.substr(4, nl - 4));
  if (!old) return bad("the old size is not a decimal number without leading zeros");
  req.old_size = *old;
  size_t at = nl + 1;
  while (true) {
    nl = body.find('\n', at);
    if (nl == std::string_view::npos) return bad("no empty line before the checkpoint");
    const std::string_view line = body.substr(at, nl - at);
    at = nl + 1;
    if (line.empty()) break;
    if (req.proof.size() == kMaxProofLines) return bad(fmt::format("more than {} consistency proof lines", kMaxProofLines));
    auto bytes = crypto::base64_decode(line);
    if (!bytes || bytes->size() != 32 ||
        crypto::base64_encode({reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()}) != line)
      return bad(fmt::format("proof line {} is not the canonical base64 of a 32-byte hash", req.proof.size() + 1));
    crypto::Digest d{};
    std::copy(bytes->begin(), bytes->end(), d.begin());
    req.proof.push_back(d);
  }
  if (req.old_size == 0 && !req.proof.empty()) return bad("the proof must be empty when the old size is 0");
  req.note = std::string(body.substr(at));
  return req;
}

Witness::Witness(WitnessOptions options, CosignerKey key)
    : options_(std::move(options)), storage_(options_.storage ? *options_.storage : file_storage()), key_(std::move(key)) {}

Result<std::unique_ptr<Witness>> Witness::open(WitnessOptions options) {
  if (options.logs.empty()) return Status(Error::InvalidArgument, "a witness needs at least one log key");
  for (size_t i = 0; i < options.logs.size(); ++i)
    for (size_t j = i + 1; j < options.logs.size(); ++j)
      if (options.logs[i].name == options.logs[j].name)
        return Status(Error::InvalidArgument, fmt::format("two log keys for the origin {}", options.logs[i].name));
  auto key = cosigner_key(options.name, options.key.public_key());
  if (!key) return key.status();
  std::unique_ptr<Witness> w(new Witness(std::move(options), std::move(key).value()));
  for (const NoteVerifier& v : w->options_.logs) {
    auto last = load_witness_state(w->options_.state_dir, v, w->storage_);
    if (!last) return last.status();
    w->logs_.push_back(Log{v, std::move(last).value()});
  }
  auto alarms = read_witness_alarms(w->options_.state_dir, w->storage_);
  if (!alarms) return alarms.status();
  w->alarms_ = std::move(alarms).value();
  return w;
}

WitnessReply Witness::raise(WitnessReply r, const Log& log, std::string_view what, const Checkpoint& offered,
                            std::string_view offered_note) {
  const WitnessedCheckpoint& last = *log.last;
  r.alarm = fmt::format("ALARM: log {}: {}: offered a checkpoint of {} after cosigning one of {}\n"
                        "--- cosigned checkpoint ---\n{}--- offered checkpoint ---\n{}--- end ---\n",
                        log.verifier.name, what, describe(offered), describe(last.checkpoint), last.note, offered_note);
  // The same offer repeated (a client retrying) is evidence once.
  if (alarms_.find(offered_note) != std::string::npos) return r;
  if (Status s = append_witness_alarm(options_.state_dir, r.alarm, storage_); !s)
    r.alarm += fmt::format("(the alarm could not be written to {}: {})\n", kWitnessAlarmFile, s.message());
  alarms_ += r.alarm;
  return r;
}

WitnessReply Witness::add_checkpoint(std::string_view request_body, uint64_t now) {
  auto req = parse_add_checkpoint(request_body);
  if (!req) return reply(400, req.status().message());
  auto note = parse_note(req->note);
  if (!note) return reply(400, note.status().message());
  auto cp = parse_checkpoint_body(note->body);
  if (!cp) return reply(400, cp.status().message());
  std::lock_guard lock(mu_);
  Log* log = nullptr;
  for (Log& l : logs_)
    if (l.verifier.name == cp->origin) log = &l;
  if (!log) return reply(404, fmt::format("this witness does not witness the log {}", cp->origin));
  if (auto opened = open_note(req->note, log->verifier); !opened)
    return reply(403, fmt::format("the checkpoint is not signed by the log's key {}: {}", encode_verifier_key(log->verifier),
                                  opened.status().message()));

  const uint64_t stored = log->last ? log->last->checkpoint.tree_size : 0;
  const crypto::Digest stored_root = log->last ? log->last->checkpoint.root : crypto::empty_root();
  // Signed by the log, yet smaller than (or another tree of the same size as) what this witness
  // already cosigned: the log rolled back or forked. Refused whatever the old size says.
  const char* misbehaviour = nullptr;
  if (log->last && cp->tree_size < stored) misbehaviour = "rollback";
  if (log->last && cp->tree_size == stored && cp->root != stored_root) misbehaviour = "fork (same size, another root)";
  auto refuse = [&](WitnessReply r) { return misbehaviour ? raise(std::move(r), *log, misbehaviour, *cp, req->note) : r; };

  if (req->old_size > cp->tree_size)
    return refuse(reply(400, fmt::format("old size {} is above the checkpoint's size {}", req->old_size, cp->tree_size)));
  if (req->old_size != stored) {
    WitnessReply r = reply(409, fmt::format("{}", stored));
    r.content_type = kSizeContentType;
    return refuse(std::move(r));
  }
  if (cp->tree_size == stored && cp->root != stored_root) {
    WitnessReply r = reply(409, fmt::format("{}", stored));
    r.content_type = kSizeContentType;
    return refuse(std::move(r));
  }
  if (!crypto::verify_consistency(stored, cp->tree_size, stored_root, cp->root, req->proof))
    return raise(reply(422, fmt::format("the consistency proof from {} to {} records does not verify", stored, cp->tree_size)),
                 *log, "fork (not consistent with the cosigned checkpoint)", *cp, req->note);
  if (!log->last || cp->tree_size > stored) {
    if (Status s = store_witness_state(options_.state_dir, log->verifier, req->note, storage_); !s)
      return reply(500, fmt::format("the witness could not store the checkpoint: {}", s.message()));
    log->last = WitnessedCheckpoint{req->note, *cp};
  }
  auto line = cosign_checkpoint(note->body, now, key_.name, options_.key);
  if (!line) return reply(500, line.status().message());
  WitnessReply ok;
  ok.body = std::move(line).value();
  return ok;
}

std::string Witness::alarms() const {
  std::lock_guard lock(mu_);
  return alarms_;
}

uint64_t Witness::cosigned_size(std::string_view origin) const {
  std::lock_guard lock(mu_);
  for (const Log& l : logs_)
    if (l.verifier.name == origin) return l.last ? l.last->checkpoint.tree_size : 0;
  return 0;
}

}  // namespace glassbook::journal
