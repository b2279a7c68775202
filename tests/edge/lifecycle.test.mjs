// Conversation lifecycle through the real worker: agent actions over the conversation socket,
// the timeline, live updates to every inbox, and what the visitor does (not) see.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { newVisitor, login, visitorSocket, agentSocket, inboxSocket } from "../support/clients.mjs";

let edge, agent;
before(async () => {
  edge = await startEdge();
  agent = await login(edge);
});
after(async () => edge && (await edge.stop()));

const act = (socket, action) => socket.send({ type: "action", action });
const activity = (kind) => (f) => f.type === "activity" && f.event.kind.type === kind;

async function conversationWithMessage(text = "hola") {
  const session = await newVisitor(edge);
  const visitor = await visitorSocket(edge, session);
  await visitor.say(text);
  return { session, visitor };
}

test("an agent closes with a note: every agent socket and inbox sees it live; the visitor sees no internals", async () => {
  const inbox = await inboxSocket(edge, agent.token);
  await inbox.next((f) => f.type === "snapshot");
  const { session, visitor } = await conversationWithMessage("¿me ayudan con un pedido?");
  const mine = await agentSocket(edge, agent.token, session.conversation_id);
  const other = await agentSocket(edge, agent.token, session.conversation_id);
  for (const s of [mine, other]) {
    const l = await s.next((f) => f.type === "lifecycle");
    assert.deepEqual(l.state, { status: "open", period: 1, assignee_id: null, team_id: null, bot_paused: false });
    const t = await s.next((f) => f.type === "timeline");
    assert.deepEqual(t.events.map((e) => [e.kind.type, e.source]), [["opened", "contact"]]);
  }

  act(mine, { kind: "assign", agent_id: agent.agent.id });
  const assigned = await other.next(activity("assigned"));
  assert.equal(assigned.event.kind.agent_id, agent.agent.id);
  assert.deepEqual([assigned.event.source, assigned.event.actor], ["user", { kind: "agent", id: agent.agent.id }]);
  const isMine = (f) => f.type === "summary" && f.conversation.id === session.conversation_id;
  await inbox.next((f) => isMine(f) && f.conversation.assignee_id === agent.agent.id);

  act(mine, { kind: "close", note: { category: null, summary: "Pedido #1042 reenviado <b>hoy</b>" } });
  const closed = await other.next(activity("closed"));
  assert.deepEqual(closed.event.kind.note, { category: null, summary: "Pedido #1042 reenviado <b>hoy</b>" });
  // A closed conversation still names the agent who held it (until something unassigns it).
  assert.equal((await other.next((f) => f.type === "lifecycle" && f.state.status === "closed")).state.assignee_id, agent.agent.id);
  await inbox.next((f) => isMine(f) && f.conversation.status === "closed");

  // Closing again is refused with a typed error; nothing changes.
  act(mine, { kind: "close" });
  assert.equal((await mine.next((f) => f.type === "error")).code, "bad_request");

  // The visitor's socket never carried lifecycle internals.
  visitor.send({ type: "ping" });
  await visitor.next((f) => f.type === "pong");
  assert.equal(visitor.frames.filter((f) => ["activity", "lifecycle", "timeline"].includes(f.type)).length, 0);

  // A new visitor message reopens it as period 2; the timeline keeps everything.
  await visitor.say("una cosa más");
  assert.equal((await mine.next(activity("reopened"))).event.kind.period, 2);
  await inbox.next((f) => isMine(f) && f.conversation.status === "open");
  const late = await agentSocket(edge, agent.token, session.conversation_id);
  const timeline = await late.next((f) => f.type === "timeline");
  assert.deepEqual(timeline.events.map((e) => e.kind.type), ["opened", "assigned", "closed", "reopened"]);
  await Promise.all([inbox, visitor, mine, other, late].map((s) => s.close()));
});

test("visitors cannot act, and assignments must name an agent of the workspace", async () => {
  const { session, visitor } = await conversationWithMessage();
  act(visitor, { kind: "close" });
  assert.equal((await visitor.next((f) => f.type === "error")).code, "forbidden");
  const staff = await agentSocket(edge, agent.token, session.conversation_id);
  act(staff, { kind: "assign", agent_id: "a_nobody" });
  assert.equal((await staff.next((f) => f.type === "error")).code, "not_found");
  act(staff, { kind: "unassign" });
  assert.equal((await staff.next((f) => f.type === "error")).code, "bad_request");
  act(staff, { kind: "pause_bot" });
  await staff.next((f) => f.type === "lifecycle" && f.state.bot_paused === true);
  await staff.next(activity("bot_paused"));
  act(staff, { kind: "explode" });
  assert.equal((await staff.next((f) => f.type === "error")).code, "malformed_frame");
  await Promise.all([visitor.close(), staff.close()]);
});
