// Submissions: lanes, construction from a signed command, and the checks made at submit().
#include "journal/sequencer_submission.h"

#include <fmt/format.h>

#include <variant>

#include "engine/request_text.h"
#include "journal/record.h"

namespace glassbook::journal {

namespace {

// A signed request cancels when its text holds a single orderCancel or orderCancelAll (a batch is
// only ever orders). A text that does not parse is Normal (check_submission refuses it anyway).
bool cancels(const engine::SignedRequest& r) {
  auto text = engine::parse_request_text(r.text);
  if (!text || text->instructions.size() != 1) return false;
  const std::string_view name = text->instructions.front().name;
  return name == "orderCancel" || name == "orderCancelAll";
}

}  // namespace

Lane lane_of(const engine::CommandBody& body) {
  // Oracle prices share the cancels' lane: in a flood of orders, prices (and so liquidations) and
  // cancels must never wait behind new risk.
  bool cancel = std::holds_alternative<engine::CancelOrder>(body) || std::holds_alternative<engine::CancelAll>(body) ||
                engine::is_oracle(body);
  if (const auto* r = std::get_if<engine::SignedRequest>(&body)) cancel = cancels(*r);
  return cancel ? Lane::Cancel : Lane::Normal;
}

Submission submission_of(const engine::SignedCommand& command) {
  Submission s;
  s.body = command.command.body;
  s.signer = command.command.signer;
  s.signature = command.signature;
  s.signed_bytes = engine::signing_bytes(command.command.body);
  s.kind = static_cast<uint8_t>(command.command.body.index());
  s.lane = lane_of(command.command.body);
  return s;
}

namespace {

// Every record must fit a C2SP tlog-tiles entry, whose length is a big-endian uint16 (the log's entry
// bundles, node_record.cpp): one byte under the record format's own bound of 65,536 bytes, which
// readers keep accepting.
constexpr size_t kMaxEntrySignedBytes = UINT16_MAX - kMinRecordBytes;
static_assert(kMaxEntrySignedBytes + 1 == kMaxSignedBytes);

}  // namespace

Status check_submission(const Submission& s) {
  if (s.kind != s.body.index())
    return Status(Error::InvalidArgument, fmt::format("submission: kind {} but the body is a {} (kind {})", s.kind,
                                                      engine::command_name(s.body), s.body.index()));
  if (s.signed_bytes.size() > kMaxEntrySignedBytes)
    return Status(Error::InvalidArgument, fmt::format("submission: {} signed bytes (limit {})", s.signed_bytes.size(), kMaxEntrySignedBytes));
  if (s.signed_bytes != engine::signing_bytes(s.body))
    return Status(Error::InvalidArgument, fmt::format("submission: the signed bytes do not encode the {} body", engine::command_name(s.body)));
  // Replay decodes a request's text with parse_request_text: a text it refuses must never be journaled.
  if (const auto* r = std::get_if<engine::SignedRequest>(&s.body)) {
    if (auto text = engine::parse_request_text(r->text); !text)
      return Status(Error::InvalidArgument, "submission: " + text.status().message());
  }
  if (s.lane == Lane::Cancel && lane_of(s.body) != Lane::Cancel)
    return Status(Error::InvalidArgument, fmt::format("submission: a {} may not use the cancel lane", engine::command_name(s.body)));
  return Status::ok();
}

}  // namespace glassbook::journal
