// The widget's files module without a browser: how sizes, types and thumbnails read, why an
// upload failed, and the tray's rules (what waits for the workspace's rules, what Send waits
// for, what a retry can change). What it draws and sends is tests/browser/files_widget.test.mjs.
//   node --test tests/widget/
import { test } from "node:test";
import assert from "node:assert/strict";
import { humanSize, typeLabel, thumbBox, refusal, Tray, NONE, WAIT, FAILED, FULL } from "../../widget/files/files.js";

const file = (id, content_type = "application/pdf") => ({ id, name: `${id}.bin`, size: 10, content_type });
const rules = (max_bytes) => ({ max_bytes, max_attachments: 10 });
const states = (tray) => tray.items.map((i) => [i.state, i.why, i.limit].filter((x) => x !== undefined));

test("sizes read as people say them, with the language's decimal mark", () => {
  const check = (bytes, en, es) => {
    assert.equal(humanSize(bytes, "en"), en, String(bytes));
    assert.equal(humanSize(bytes, "es"), es, String(bytes));
  };
  check(0, "0 B", "0 B");
  check(1023, "1023 B", "1023 B");
  check(1024, "1 KB", "1 KB");
  check(1536, "1.5 KB", "1,5 KB");
  check(10_188, "9.9 KB", "9,9 KB");
  check(10_200, "10 KB", "10 KB");
  check(48_211, "47 KB", "47 KB");
  check(900_017, "879 KB", "879 KB");
  check(1_048_575, "1024 KB", "1024 KB");
  check(2 * 1_048_576, "2 MB", "2 MB");
  check(1_572_864, "1.5 MB", "1,5 MB");
  check(95 * 1_048_576, "95 MB", "95 MB");
});

test("type labels: the sniffed type, else the name's extension, else FILE", () => {
  const check = (type, name, label) => assert.equal(typeLabel(type, name), label, `${type} ${name}`);
  check("application/pdf", "a.pdf", "PDF");
  check("image/png", "captura", "PNG");
  check("image/jpeg", "x.jpg", "JPEG");
  check("image/svg+xml", "dibujo.svg", "SVG");
  check("text/plain", "notas.md", "TXT");
  check("application/x-7z-compressed", "a.7z", "7Z");
  check("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "carta.docx", "DOCX");
  check("application/vnd.oasis.opendocument.text", "carta", "FILE");
  check("application/octet-stream", "página.html", "HTML");
  check("application/octet-stream", "x.<b>", "FILE");
  check("", "factura 2026.pdf", "PDF");
  check("", "sin extensión", "FILE");
});

test("thumbnails keep their aspect inside the box, and have none without a size", () => {
  assert.deepEqual(thumbBox(640, 480, 220), [220, 165]);
  assert.deepEqual(thumbBox(480, 640, 220), [165, 220]);
  assert.deepEqual(thumbBox(100, 50, 220), [100, 50]);
  assert.deepEqual(thumbBox(10_000, 1, 220), [220, 1]);
  assert.equal(thumbBox(undefined, 50, 220), null);
  assert.equal(thumbBox(0, 50, 220), null);
});

test("files wait for the rules, too large ones are never uploaded, Send waits and says why", () => {
  const t = new Tray();
  const a = t.pick("a.png", 100, null);
  const b = t.pick("b.pdf", 5_000, null);
  assert.deepEqual(t.startUploads(), [], "no rules yet");
  t.setRules(rules(1_000));
  assert.deepEqual(t.startUploads(), [a]);
  assert.deepEqual(states(t), [["sending"], ["failed", "large", 1_000]]);
  assert.deepEqual(t.startUploads(), [], "each starts once");
  assert.equal(t.retry(b), false, "too large stays too large");
  // The edge lowered its limit meanwhile: the refusal says the new one.
  t.setRules(rules(900));
  assert.deepEqual(states(t)[1], ["failed", "large", 900]);
  assert.equal(t.progress(a, 50), true);
  assert.equal(t.progress(a, 50), false, "the same whole percent");
  assert.equal(Tray.percent(t.items[0]), 50);
  assert.equal(t.ready(), null);
  assert.equal(t.hint, WAIT, "uploads first, then the failure");
  t.finished(a, file("f_a", "image/png"));
  assert.equal(t.hint, NONE, "nothing to wait for any more");
  assert.equal(t.ready(), null);
  assert.equal(t.hint, FAILED);
  assert.ok(t.remove(b));
  assert.deepEqual(t.ready(), ["f_a"]);
  assert.equal(t.take().length, 1);
  assert.deepEqual(t.items, []);
  assert.deepEqual(t.sent.get("f_a"), file("f_a", "image/png"), "remembered for its line");
});

test("failures say why, and only those a retry can change retry", () => {
  assert.equal(refusal(413, "file_too_large"), "large");
  assert.equal(refusal(415, "file_type_not_allowed"), "type");
  assert.equal(refusal(400, "too_many_files"), "many");
  assert.equal(refusal(0, undefined), "failed");
  assert.equal(refusal(500, "internal"), "failed");

  const t = new Tray();
  const a = t.pick("a", 1, null);
  t.noRules();
  assert.deepEqual(states(t), [["failed", "failed"]]);
  assert.equal(t.retry(a), true);
  t.setRules(rules(7));
  assert.deepEqual(t.startUploads(), [a]);
  t.finished(a, null, "type");
  assert.equal(t.retry(a), false);
  t.finished(99, file("f_z"));
  assert.deepEqual(states(t)[0].slice(0, 2), ["failed", "type"]);
  // An upload that ends after its file was removed changes nothing.
  t.remove(a);
  t.finished(a, file("f_a"));
  assert.deepEqual(t.items, []);
});

test("the tray holds as many files as a message carries", () => {
  const t = new Tray();
  for (let i = 0; i < 10; i++) assert.ok(t.pick(String(i), 1, null));
  assert.equal(t.pick("one more", 1, null), 0);
  assert.equal(t.hint, FULL);
  assert.equal(t.items.length, 10);
  // Once known, the workspace's rules say how many.
  const few = new Tray();
  few.setRules({ max_bytes: 10, max_attachments: 2 });
  assert.ok(few.pick("a", 1, null) && few.pick("b", 1, null));
  assert.equal(few.pick("c", 1, null), 0);
});
