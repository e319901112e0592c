// GET /api/v1/glassbook/health: whether the node still takes commands and, when it stopped, why.
#pragma once
#include "api/http_types.h"
#include "journal/node.h"

namespace glassbook::api {

// 200 {"healthy":true,"treeSize":N,"checkpointedSize":M} while the node runs; 503
// {"healthy":false,"code":"SERVICE_UNAVAILABLE","message":"node stopped: ..."} once it has
// stopped after a failed write (Node::health), so a load balancer or an operator sees why.
// `witnesses_json`, when not empty, is added as "witnesses" (a JSON array: each witness's name, the
// size it last cosigned, and its refusal of a rollback or fork, which a healthy node still reports).
// `replicas_json`, when not empty, is added as "replicas" (api/replica_positions.h).
HttpResponse health_response(const journal::Node& node, std::string_view witnesses_json = {}, std::string_view replicas_json = {});

}  // namespace glassbook::api
