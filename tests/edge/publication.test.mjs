// What a Conversation DO tells its Workspace DO (the inbox line, report rows) is coalesced into
// few publications on its link, ends on the newest state, and is not lost when workerd stops in
// between or when the link closes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startEdge } from "../support/edge.mjs";
import { api, newVisitor, login, visitorSocket, inboxSocket, json } from "../support/clients.mjs";

const lineOf = async (edge, token, id) =>
  (await json(await api(edge, "GET", "/v1/inbox/conversations", token))).find((c) => c.id === id);

/** An owner signed in with the inbox open, and the dev-only count of Workspace requests. */
async function watched(edge) {
  const owner = await login(edge);
  const inbox = await inboxSocket(edge, owner.token);
  await inbox.next((f) => f.type === "snapshot");
  const calls = async () => (await json(await api(edge, "GET", "/v1/dev/workspace-calls", owner.token))).calls;
  return { owner, inbox, calls };
}

async function eventually(what, probe, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a burst of messages costs the Workspace fewer publications than messages, and the inbox line ends on the last one", async () => {
  const edge = await startEdge({ vars: { CHARLA_DEV_SEED: "1" } });
  try {
    const { inbox, calls } = await watched(edge);

    const s = await newVisitor(edge);
    const v = await visitorSocket(edge, s);
    await v.say("primero");
    await inbox.next((f) => f.type === "summary" && f.conversation.id === s.conversation_id && f.conversation.last_seq === 1);
    const before = await calls();

    const ids = Array.from({ length: 25 }, (_, i) => `b${i}`);
    for (const id of ids) v.send({ type: "send", client_id: id, text: `mensaje ${id}` });
    for (const id of ids) await v.next((f) => f.type === "ack" && f.client_id === id);
    const last = await inbox.next((f) => f.type === "summary" && f.conversation.id === s.conversation_id && f.conversation.last_seq === 26);
    assert.deepEqual([last.conversation.last_text, last.conversation.unread], ["mensaje b24", 26]);
    await new Promise((r) => setTimeout(r, 500)); // anything still on its way is counted too
    const spent = (await calls()) - before - 1; // the second read counts itself
    // One publication in flight at a time carries whatever queued meanwhile: fewer than the
    // messages (on the link a publication answers in about a millisecond, so a burst still
    // makes several; 25 at once measured 9–11).
    assert.ok(spent >= 1 && spent <= 15, `25 messages cost the Workspace ${spent} requests`);
    await v.close();
    await inbox.close();
  } finally {
    await edge.stop();
  }
});

test("an inbox line still unpublished when workerd stops is published when the conversation wakes", async () => {
  let edge = await startEdge();
  const { dir, secret } = edge;
  let session;
  try {
    // The dev-only call count does not exist without CHARLA_DEV_SEED=1.
    const owner = await login(edge);
    assert.equal((await api(edge, "GET", "/v1/dev/workspace-calls", owner.token)).status, 404);

    session = await newVisitor(edge);
    const v = await visitorSocket(edge, session);
    await v.say("uno");
    // A burst, then the stop as soon as the last one is acknowledged: its inbox line may still
    // be queued or on its way to the Workspace.
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    for (const id of ids) v.send({ type: "send", client_id: id, text: `antes ${id}` });
    for (const id of ids) await v.next((f) => f.type === "ack" && f.client_id === id);
  } finally {
    await edge.stop();
  }
  edge = await startEdge({ persistTo: dir, secret });
  try {
    const owner = await login(edge);
    // The conversation wakes (its visitor comes back) but sends nothing new.
    const v = await visitorSocket(edge, session);
    assert.equal((await v.next((f) => f.type === "hello")).last_seq, 21);
    const line = await eventually("the line shows the last message", async () => {
      const l = await lineOf(edge, owner.token, session.conversation_id);
      return l?.last_seq === 21 && l;
    });
    assert.deepEqual([line.last_text, line.unread], ["antes p19", 21]);
    await v.close();
  } finally {
    await edge.stop();
  }
});

test("a message that wakes a conversation costs the Workspace one publication and the link's opening: it kept the settings", async () => {
  let edge = await startEdge({ vars: { CHARLA_DEV_SEED: "1" } });
  const { dir, secret } = edge;
  let session;
  try {
    await login(edge);
    session = await newVisitor(edge);
    const v = await visitorSocket(edge, session);
    await v.say("hola");
    await v.say("sigo aquí"); // its publication's answer carries the lifecycle settings
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await edge.stop();
  }
  // A restart: every object starts cold, as after hibernation or eviction.
  edge = await startEdge({ persistTo: dir, secret, vars: { CHARLA_DEV_SEED: "1" } });
  try {
    const { inbox, calls } = await watched(edge);
    const before = await calls();
    const v = await visitorSocket(edge, session);
    await v.next((f) => f.type === "hello");
    await v.say("vuelvo");
    const line = await inbox.next((f) => f.type === "summary" && f.conversation.id === session.conversation_id && f.conversation.last_seq === 3);
    assert.equal(line.conversation.last_text, "vuelvo");
    await new Promise((r) => setTimeout(r, 500)); // a second publication would be here by now
    const spent = (await calls()) - before - 1; // the second read counts itself
    // One request opens the conversation's link, one frame on it publishes; no settings fetch.
    assert.equal(spent, 2, `waking on a message cost the Workspace ${spent} requests`);
    await v.close();
    await inbox.close();
  } finally {
    await edge.stop();
  }
});

test("a link closed while idle is opened again by the next publication", async () => {
  const edge = await startEdge({ vars: { CHARLA_DEV_SEED: "1", CHARLA_DEV_LINK_IDLE_MS: "300" } });
  try {
    const { owner, inbox, calls } = await watched(edge);
    const s = await newVisitor(edge);
    const v = await visitorSocket(edge, s);
    await v.say("antes de la pausa");
    await inbox.next((f) => f.type === "summary" && f.conversation.id === s.conversation_id && f.conversation.last_seq === 1);
    for (let round = 2; round <= 3; round++) {
      await new Promise((r) => setTimeout(r, 1_000)); // well past the idle time: the link is closed
      const before = await calls();
      await v.say(`después ${round}`);
      const line = await inbox.next((f) => f.type === "summary" && f.conversation.id === s.conversation_id && f.conversation.last_seq === round);
      assert.equal(line.conversation.last_text, `después ${round}`);
      assert.equal((await lineOf(edge, owner.token, s.conversation_id)).last_seq, round);
      const spent = (await calls()) - before - 2; // the two reads count themselves
      assert.equal(spent, 2, `after the pause a message cost the Workspace ${spent} requests (link + publication)`);
    }
    await v.close();
    await inbox.close();
  } finally {
    await edge.stop();
  }
});
