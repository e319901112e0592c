// The health endpoint: the node's fail-stop status as JSON.
#include "api/health.h"

#include "api/json_writer.h"

namespace glassbook::api {

HttpResponse health_response(const journal::Node& node, std::string_view witnesses_json, std::string_view replicas_json) {
  const Status health = node.health();
  JsonWriter json;
  json.begin_object().key("healthy").boolean(health.is_ok());
  if (health.is_ok()) {
    json.key("treeSize").unsigned_integer(node.tree_size());
    json.key("checkpointedSize").unsigned_integer(node.checkpointed_size());
  } else {
    json.key("code").string("SERVICE_UNAVAILABLE").key("message").string(health.message());
  }
  if (!witnesses_json.empty()) json.key("witnesses").raw(witnesses_json);
  if (!replicas_json.empty()) json.key("replicas").raw(replicas_json);
  json.end_object();
  return HttpResponse{health.is_ok() ? 200u : 503u, json.take(), "application/json"};
}

}  // namespace glassbook::api
