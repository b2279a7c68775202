// What the message-path benches share: percentiles, and a light socket client (it shares the
// CPU with the workerd it measures, so it parses each frame once and keeps no queue).
import WebSocket from "ws";

export const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length };
};
export const ms = (x) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
export const fmt = (st) => `p50 ${ms(st.p50).padStart(9)}  p99 ${ms(st.p99).padStart(9)}`;

/** A socket that hands each parsed frame to `onFrame`. */
export function open(url, protocols) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.onFrame = () => {};
    ws.on("message", (d) => ws.onFrame(JSON.parse(d.toString())));
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}
export const close = (ws) => new Promise((r) => { ws.once("close", r); ws.close(); });
export const nextFrame = (ws, pred) => new Promise((r) => { ws.onFrame = (f) => { if (pred(f)) { ws.onFrame = () => {}; r(f); } }; });
export const sendFrame = (id, text) => JSON.stringify({ type: "send", client_id: id, text });
