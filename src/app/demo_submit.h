// Submitting one signed demo command through the node and waiting until it is durable.
#pragma once
#include <chrono>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/command.h"
#include "journal/node.h"

namespace glassbook::app {

// Signs `body` with `key`, submits it like any client's command and waits until it is durable (at
// most `timeout`). The command's Rejected error, if the engine refused it; Overloaded or the node's
// refusal if it never got in; Io when it was not answered in time.
Status submit_and_wait(journal::Node& node, const crypto::KeyPair& key, engine::CommandBody body,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace glassbook::app
