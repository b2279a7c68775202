#!/usr/bin/env python3
"""Writes edge/src/http/openapi.json, the OpenAPI 3.1 description of the REST API (docs/API.md
"REST API"): `python3 scripts/openapi.py > edge/src/http/openapi.json`. Edit the description
here, not the JSON. tests/edge/openapi.test.mjs calls every operation it lists against the real
worker and validates each answer, so a change to the Rust types that this does not follow fails
there."""
import json
S = lambda ref: {"$ref": f"#/components/schemas/{ref}"}
nullable = lambda t: {"type": [t, "null"]}
ID = lambda prefix: {"type": "string", "pattern": f"^{prefix}_[0-9a-f]{{32}}$"}
millis = {"type": "integer", "description": "Unix time in milliseconds"}
schemas = {
  "Error": {"type": "object", "required": ["code", "message"], "properties": {
      "code": {"type": "string", "enum": ["frame_too_large","malformed_frame","text_too_long","empty_text","invalid_client_id","unauthorized","forbidden","not_found","bad_request","rate_limited","internal","file_too_large","file_type_not_allowed","too_many_files"]},
      "message": {"type": "string"},
      "details": {"type": "array", "items": {"type": "object"}, "description": "With a missing scope: `[{\"missing_scope\": \"contacts:write\"}]`"},
      "retry_after": {"type": "integer", "description": "With `rate_limited`: seconds (also `Retry-After`)"}}},
  "Scope": {"type": "string", "enum": ["contacts:read","contacts:write","conversations:read","conversations:write","messages:write","webhooks"]},
  "ApiKey": {"type": "object", "required": ["id","name","scopes","hint","created_at","created_by"], "properties": {
      "id": ID("k"), "name": {"type": "string", "maxLength": 80}, "scopes": {"type": "array", "items": S("Scope")},
      "hint": {"type": "string", "description": "The secret's last 4 characters"}, "created_at": millis,
      "created_by": ID("a"), "last_used_at": {"type": ["integer","null"]}, "revoked_at": {"type": ["integer","null"]}}},
  "NewApiKey": {"type": "object", "required": ["name","scopes"], "properties": {
      "name": {"type": "string", "minLength": 1, "maxLength": 80}, "scopes": {"type": "array", "minItems": 1, "items": S("Scope")}}},
  "CreatedApiKey": {"allOf": [S("ApiKey"), {"type": "object", "required": ["secret"], "properties": {
      "secret": {"type": "string", "pattern": "^ck1\\.[a-z0-9_-]{1,64}\\.k_[0-9a-f]{32}\\.[0-9a-f]{64}$", "description": "The whole key, shown this once"}}}]},
  "Contact": {"type": "object", "required": ["id"], "properties": {
      "id": ID("v"), "name": nullable("string"), "email": nullable("string"), "phone": nullable("string"),
      "fields": {"type": "object", "additionalProperties": {"type": "string"}},
      "tags": {"type": "array", "items": {"type": "string"}}, "updated_at": {"type": "integer"}}},
  "ContactPatch": {"type": "object", "description": "Standard fields: absent keeps, \"\" clears. Custom fields: null removes the key.", "properties": {
      "name": {"type": "string"}, "email": {"type": "string"}, "phone": {"type": "string", "description": "E.164"},
      "fields": {"type": "object", "additionalProperties": {"type": ["string","null"]}},
      "add_tags": {"type": "array", "items": {"type": "string"}}, "remove_tags": {"type": "array", "items": {"type": "string"}}}},
  "ContactChange": {"type": "object", "required": ["type"], "properties": {
      "type": {"type": "string", "enum": ["field","tag_added","tag_removed"]}, "field": {"type": "string"},
      "old": {"type": ["string","null"]}, "new": {"type": ["string","null"]}, "tag": {"type": "string"}}},
  "PatchedContact": {"type": "object", "required": ["contact","changes"], "properties": {
      "contact": S("Contact"), "changes": {"type": "array", "items": S("ContactChange")}}},
  "ContactPage": {"type": "object", "required": ["contacts","next"], "properties": {
      "contacts": {"type": "array", "items": S("Contact")}, "next": {"type": ["string","null"], "description": "The cursor of the next page"}}},
  "ConversationStatus": {"type": "string", "enum": ["open","closed"]},
  "AuthorKind": {"type": "string", "enum": ["contact","agent","system"]},
  "ConversationSummary": {"type": "object", "required": ["id","contact_id","contact_name","status","last_seq","last_text","last_author","last_at","unread","created_at","period"], "properties": {
      "id": ID("c"), "contact_id": ID("v"), "contact_name": {"type": "string"}, "status": S("ConversationStatus"),
      "last_seq": {"type": "integer", "minimum": 0}, "last_text": {"type": "string"}, "last_author": S("AuthorKind"),
      "last_at": millis, "unread": {"type": "integer", "minimum": 0}, "created_at": millis,
      "assignee_id": {"type": ["string","null"]}, "team_id": {"type": ["string","null"]}, "bot_paused": {"type": "boolean"},
      "period": {"type": "integer", "minimum": 1}}},
  "ConversationPage": {"type": "object", "required": ["conversations","next"], "properties": {
      "conversations": {"type": "array", "items": S("ConversationSummary")}, "next": {"type": ["string","null"]}}},
  "LifecycleView": {"type": "object", "required": ["status","period","assignee_id","team_id","bot_paused"], "properties": {
      "status": S("ConversationStatus"), "period": {"type": "integer", "minimum": 1},
      "assignee_id": {"type": ["string","null"]}, "team_id": {"type": ["string","null"]}, "bot_paused": {"type": "boolean"}}},
  "Conversation": {"type": "object", "required": ["id","contact_id","last_seq","lifecycle"], "properties": {
      "id": ID("c"), "contact_id": ID("v"), "last_seq": {"type": "integer", "minimum": 0}, "lifecycle": S("LifecycleView")}},
  "Author": {"type": "object", "required": ["kind","id","name"], "properties": {
      "kind": S("AuthorKind"), "id": {"type": "string"}, "name": {"type": "string"}}},
  "QuickReply": {"type": "object", "required": ["label","value"], "properties": {"label": {"type": "string"}, "value": {"type": "string"}}},
  "Attachment": {"type": "object", "required": ["id","name","size","content_type"], "properties": {
      "id": ID("f"), "name": {"type": "string"}, "size": {"type": "integer", "minimum": 0}, "content_type": {"type": "string"},
      "width": {"type": "integer"}, "height": {"type": "integer"}}},
  "Message": {"type": "object", "required": ["seq","client_id","author","text","at"], "properties": {
      "seq": {"type": "integer", "minimum": 1}, "client_id": {"type": "string"}, "author": S("Author"),
      "text": {"type": "string", "description": "Plain text: render it as text, never as HTML"}, "at": millis,
      "buttons": {"type": "array", "items": S("QuickReply")}, "attachments": {"type": "array", "items": S("Attachment")}}},
  "MessagePage": {"type": "object", "required": ["messages","next"], "properties": {
      "messages": {"type": "array", "items": S("Message")}, "next": {"type": ["integer","null"], "description": "The `after` of the next page"}}},
  "ClosingNote": {"type": "object", "properties": {"category": {"type": ["string","null"]}, "summary": {"type": ["string","null"]}}},
  "Action": {"oneOf": [
      {"type": "object", "required": ["kind","agent_id"], "properties": {"kind": {"const": "assign"}, "agent_id": ID("a"), "team_id": {"type": ["string","null"]}}},
      {"type": "object", "required": ["kind","team_id"], "properties": {"kind": {"const": "assign_team"}, "team_id": ID("t")}},
      {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "close"}, "note": S("ClosingNote")}},
      {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["unassign","reopen","pause_bot","resume_bot"]}}}]},
  "NewMessage": {"type": "object", "required": ["client_id","text"], "properties": {
      "client_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "description": "Makes a retry safe: the same id answers the stored message"},
      "text": {"type": "string", "minLength": 1, "maxLength": 4000}, "agent_id": ID("a")}},
  "EventType": {"type": "string", "enum": ["conversation.opened","conversation.closed","conversation.assigned","message.created","contact.created","contact.updated"]},
  "WebhookRequest": {"type": "object", "required": ["url","events"], "properties": {
      "url": {"type": "string", "format": "uri", "maxLength": 2000, "description": "https:// to a public host"},
      "events": {"type": "array", "minItems": 1, "items": S("EventType")}}},
  "Webhook": {"type": "object", "required": ["id","url","events","created_at"], "properties": {
      "id": ID("h"), "url": {"type": "string"}, "events": {"type": "array", "items": S("EventType")}, "created_at": millis}},
  "CreatedWebhook": {"allOf": [S("Webhook"), {"type": "object", "required": ["secret"], "properties": {
      "secret": {"type": "string", "pattern": "^whsec_[0-9a-f]{64}$", "description": "Signs every delivery; shown this once"}}}]},
  "Delivery": {"type": "object", "required": ["id","webhook_id","event_id","type","attempt","status","ok","error","latency_ms","response","at"], "properties": {
      "id": {"type": "integer"}, "webhook_id": ID("h"), "event_id": {"type": "string"}, "type": S("EventType"),
      "attempt": {"type": "integer", "minimum": 1}, "status": {"type": ["integer","null"]}, "ok": {"type": "boolean"},
      "error": {"type": ["string","null"]}, "latency_ms": {"type": "integer", "minimum": 0}, "response": {"type": "string"}, "at": millis}},
  "Posted": {"type": "object", "required": ["seq","duplicate"], "properties": {"seq": {"type": "integer", "minimum": 1}, "duplicate": {"type": "boolean"}}},
}
def err(desc): return {"description": desc, "content": {"application/json": {"schema": S("Error")}}}
def ok(schema, desc="OK", code="200"): return {code: {"description": desc, "content": {"application/json": {"schema": S(schema) if isinstance(schema, str) else schema}}}}
common = {"401": err("No key, a key of the wrong shape, unknown, revoked or of another workspace"), "403": err("The key lacks the route's scope (named in `details`)"), "429": err("Too many requests for this key or address; see `Retry-After`")}
def op(summary, scope, responses, params=None, body=None, opid=None):
    o = {"operationId": opid, "summary": summary, "security": [{"apiKey": []}], "x-scope": scope,
         "responses": {**responses, **common}}
    if params: o["parameters"] = params
    if body: o["requestBody"] = {"required": True, "content": {"application/json": {"schema": S(body)}}}
    return o
q = lambda name, schema, desc: {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}
pid = lambda prefix: {"name": "id", "in": "path", "required": True, "schema": ID(prefix)}
limit = q("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Items per page")
paths = {
 "/v1/api/contacts": {"get": op("List or search contacts", "contacts:read", {**ok("ContactPage"), "400": err("A malformed cursor, limit or query")},
     [limit, q("cursor", ID("v"), "`next` of the previous page"), q("q", {"type": "string", "maxLength": 200}, "Name, email or phone contains this, ignoring case")], opid="listContacts"),
   "post": op("Create a contact", "contacts:write", {**ok("Contact", "Made", "201"), **ok("Contact", "Made earlier under this Idempotency-Key: nothing new was made"),
       "400": err("No name, email or phone, a value the contact's rules refuse, or a malformed Idempotency-Key")},
     [{"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,100}$"}, "description": "A retry with the same key (per API key) answers the contact made the first time"}],
     "ContactPatch", opid="createContact")},
 "/v1/api/contacts/{id}": {
   "get": op("Get a contact", "contacts:read", {**ok("Contact"), "404": err("Unknown contact")}, [pid("v")], opid="getContact"),
   "delete": op("Delete a contact, its conversations and their files", "contacts:write", {**ok({"type": "object", "required": ["deleted","conversations"], "properties": {"deleted": {"const": True}, "conversations": {"type": "integer", "minimum": 0}}}), "404": err("Unknown contact")}, [pid("v")], opid="deleteContact"),
   "patch": op("Change a contact", "contacts:write", {**ok("PatchedContact"), "400": err("A value the contact's rules refuse"), "404": err("Unknown contact")}, [pid("v")], "ContactPatch", opid="patchContact")},
 "/v1/api/conversations": {"get": op("List conversations", "conversations:read", {**ok("ConversationPage"), "400": err("A malformed cursor, status, contact or limit")},
     [limit, q("cursor", ID("c"), "`next` of the previous page"), q("status", S("ConversationStatus"), "Only open or only closed"), q("contact", ID("v"), "Only this contact's")], opid="listConversations")},
 "/v1/api/conversations/{id}": {"get": op("Get a conversation", "conversations:read", {**ok("Conversation"), "404": err("Unknown conversation")}, [pid("c")], opid="getConversation")},
 "/v1/api/conversations/{id}/messages": {
   "get": op("List a conversation's messages", "conversations:read", {**ok("MessagePage"), "400": err("A malformed after or limit"), "404": err("Unknown conversation")},
       [pid("c"), limit, q("after", {"type": "integer", "minimum": 0, "default": 0}, "Messages after this seq")], opid="listMessages"),
   "post": op("Send a message", "messages:write", {**ok("Posted", "Already sent under this client id: nothing new was sent"), **ok("Posted", "Sent", "201"),
       "400": err("Text or client id refused"), "404": err("Unknown conversation, or `agent_id` not an active agent")}, [pid("c")], "NewMessage", opid="sendMessage")},
 "/v1/api/webhooks": {
   "get": op("List webhook subscriptions", "webhooks", ok({"type": "array", "items": S("Webhook")}), opid="listWebhooks"),
   "post": op("Subscribe a URL to events", "webhooks", {**ok("CreatedWebhook", "Subscribed", "201"), "400": err("No event, or a URL that is not https:// to a public host")}, body="WebhookRequest", opid="createWebhook")},
 "/v1/api/webhooks/{id}": {"delete": op("Delete a subscription", "webhooks", {**ok({"type": "boolean"}), "404": err("Unknown webhook")}, [pid("h")], opid="deleteWebhook")},
 "/v1/api/webhooks/{id}/deliveries": {"get": op("A subscription's latest deliveries (50), newest first", "webhooks", {**ok({"type": "array", "items": S("Delivery")}), "404": err("Unknown webhook")}, [pid("h")], opid="listDeliveries")},
 "/v1/api/webhooks/deliveries/{delivery}/redeliver": {"post": op("Send a logged delivery's event again", "webhooks", {**ok({"type": "boolean"}), "404": err("Unknown delivery")},
     [{"name": "delivery", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}], opid="redeliver")},
 "/v1/api/conversations/{id}/actions": {"post": op("Act on a conversation (source `api`)", "conversations:write",
     {**ok("Conversation"), "400": err("The lifecycle refuses it (already closed, a closing note required)"), "404": err("Unknown conversation, agent or team")}, [pid("c")], "Action", opid="actOnConversation")},
}
doc = {"openapi": "3.1.0",
  "info": {"title": "Charla REST API", "version": "1.0.0",
     "description": "A workspace's contacts and conversations for the site owner's own systems. Authenticate with an API key an owner creates in the inbox (Settings → API keys): `Authorization: Bearer ck1.…`. Each operation names the scope it needs in `x-scope`. Lists page by cursor: pass `next` back as `cursor` (or `after` for messages) until it is null. Text is plain text: render it as text, never as HTML."},
  "servers": [{"url": "/"}],
  "paths": paths,
  "components": {"schemas": schemas, "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer", "description": "`ck1.<workspace>.<key id>.<secret>`"}}}}
print(json.dumps(doc, indent=1, ensure_ascii=False))
