// Business hours in a real browser against the real worker: the owner opens Settings →
// Business hours, builds a schedule (Monday copied to the weekdays, a split day, a Saturday
// morning, holidays in date order with a duplicate refused), saves it, and the API and a reload
// show exactly that; problems (a span ending before it starts, overlapping spans, an unknown
// time zone) are marked inline and nothing is sent. Then the consequence visitors see: a
// schedule closed right now (today and tomorrow are holidays in its time zone) makes the public
// widget config say offline and the widget show the away note although the owner's inbox is
// open; "Always open" saves null and brings them back online.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEdge, DEMO } from "../support/edge.mjs";
import { launchBrowser, signIn, startDemoSite } from "../support/browser.mjs";
import { api, inboxSocket, json, login } from "../support/clients.mjs";

const PATH = "/v1/inbox/settings/business-hours";
const ZONE = "Europe/Madrid";

let edge, site, browser, owner, page;
/** Every PUT the page sends to the business-hours route. */
const puts = [];
before(async () => {
  edge = await startEdge();
  site = await startDemoSite(edge);
  browser = await launchBrowser();
  owner = await login(edge);
});
after(async () => {
  await browser?.close();
  await site?.stop();
  await edge?.stop();
});

const stored = async () => json(await api(edge, "GET", PATH, owner.token));
const publicConfig = async () => json(await fetch(`${edge.url}/v1/widget/config/${DEMO.workspace}`));
const $ = (hook) => page.locator(`[data-charla="${hook}"]`);
const label = (text) => page.getByLabel(text, { exact: true });
const day = (d) => page.locator(`[data-charla="hours-day"][data-day="${d}"]`);
const holidays = () => page.locator('[data-charla="hours-holiday"] span').allTextContents();

/** Poll `probe` until it returns a truthy value (no fixed sleeps). */
async function until(probe, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** "YYYY-MM-DD" of today in `zone`, and of the day after it. */
function todayAndTomorrow(zone) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
  const [y, m, d] = today.split("-").map(Number);
  const tomorrow = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return [today, tomorrow];
}

async function save(expected) {
  await page.getByRole("button", { name: "Save business hours" }).click();
  await $("hours-save-status").filter({ hasText: expected }).waitFor();
}

/** Adds a holiday with the button, or with Enter in the name (which must not save the form). */
async function addHoliday(date, name, { enter = false } = {}) {
  await label("Holiday date").fill(date);
  await label("Holiday name").fill(name);
  if (enter) await label("Holiday name").press("Enter");
  else await page.getByRole("button", { name: "Add holiday" }).click();
}

test("the owner builds a weekly schedule with a split day and holidays; the API and a reload show exactly that", async () => {
  assert.equal(await stored(), null, "a new workspace is always open");
  page = await (await browser.newContext()).newPage();
  page.on("request", (r) => r.method() === "PUT" && r.url().endsWith(PATH) && puts.push(r.postData()));
  await signIn(page, edge);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Business hours" }).click();
  await page.waitForURL(/#\/settings\/hours$/);
  await $("settings-hours").waitFor();
  await $("hours-status").filter({ hasText: "Open now · always open" }).waitFor();
  assert.ok(await page.getByRole("radio", { name: "Always open" }).isChecked());
  assert.equal(await day("mon").count(), 0, "no schedule editor while always open");

  await page.getByRole("radio", { name: "Open on a schedule" }).check();
  assert.equal(await day("mon").count(), 1);
  assert.deepEqual(
    await $("hours-day").evaluateAll((rows) => rows.map((r) => r.dataset.day)),
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
  );
  await label("Time zone").fill(ZONE);

  // Monday 08:30–17:30, copied to Tuesday–Friday.
  await label("Monday opens").fill("08:30");
  await label("Monday closes").fill("17:30");
  await page.getByRole("button", { name: "Copy Monday to weekdays" }).click();
  for (const name of ["Tuesday", "Wednesday", "Thursday", "Friday"]) {
    assert.equal(await label(`${name} opens`).inputValue(), "08:30", name);
    assert.equal(await label(`${name} closes`).inputValue(), "17:30", name);
  }
  // A split Wednesday: the added span starts an hour after the first ends.
  await label("Wednesday closes").fill("14:00");
  await page.getByRole("button", { name: "Add hours to Wednesday" }).click();
  assert.equal(await label("Wednesday opens (2)").inputValue(), "15:00");
  await label("Wednesday closes (2)").fill("19:00");
  // Saturday mornings; Sunday stays closed.
  assert.equal(await day("sat").getByText("Closed").count(), 1);
  await label("Saturday open").check();
  assert.equal(await label("Saturday opens").inputValue(), "09:00");
  await label("Saturday closes").fill("13:00");
  assert.equal(await label("Sunday open").isChecked(), false);

  // Holidays: kept in date order; a date already listed is refused where it was typed.
  await addHoliday("2030-12-25", "Navidad");
  await addHoliday("2030-01-06", "Reyes");
  await addHoliday("2030-12-25", "Otra vez");
  await $("hours-holiday-error").filter({ hasText: "2030-12-25 is already a holiday (Navidad)." }).waitFor();
  assert.deepEqual(await holidays(), ["2030-01-06 · Reyes", "2030-12-25 · Navidad"]);
  // A holiday typed but not added is saved with the rest.
  await label("Holiday date").fill("2030-05-01");
  await label("Holiday name").fill("Trabajo");

  await save("Business hours saved.");
  const thirtyToFive = [{ from: "08:30", to: "17:30" }];
  const expected = {
    time_zone: ZONE,
    week: {
      mon: thirtyToFive, tue: thirtyToFive,
      wed: [{ from: "08:30", to: "14:00" }, { from: "15:00", to: "19:00" }],
      thu: thirtyToFive, fri: thirtyToFive,
      sat: [{ from: "09:00", to: "13:00" }],
    },
    holidays: [{ date: "2030-01-06", name: "Reyes" }, { date: "2030-05-01", name: "Trabajo" }, { date: "2030-12-25", name: "Navidad" }],
  };
  assert.deepEqual(await stored(), expected);
  assert.equal(puts.length, 1);
  assert.deepEqual(JSON.parse(puts[0]), expected, "what the page sent");
  // The status line now describes the schedule (what it says depends on the clock).
  assert.match(await $("hours-status").textContent(), /^(Open now · closes |Closed now · opens )/);

  // A reload (straight onto the tab) shows the saved schedule.
  await page.reload();
  await day("mon").waitFor();
  assert.ok(await page.getByRole("radio", { name: "Open on a schedule" }).isChecked());
  assert.equal(await label("Time zone").inputValue(), ZONE);
  assert.equal(await label("Monday opens").inputValue(), "08:30");
  assert.equal(await label("Friday closes").inputValue(), "17:30");
  assert.equal(await label("Wednesday closes").inputValue(), "14:00");
  assert.equal(await label("Wednesday opens (2)").inputValue(), "15:00");
  assert.equal(await label("Wednesday closes (2)").inputValue(), "19:00");
  assert.ok(await label("Saturday open").isChecked());
  assert.equal(await label("Saturday closes").inputValue(), "13:00");
  assert.equal(await label("Sunday open").isChecked(), false);
  assert.equal(await day("sun").locator('input[type="time"]').count(), 0);
  assert.deepEqual(await holidays(), ["2030-01-06 · Reyes", "2030-05-01 · Trabajo", "2030-12-25 · Navidad"]);
});

test("a span that ends before it starts, overlapping spans and an unknown time zone are refused inline; nothing is sent", async () => {
  const before = await stored();
  const sent = puts.length;

  await label("Monday closes").fill("07:00");
  await label("Wednesday opens (2)").fill("13:00");
  await page.getByRole("button", { name: "Save business hours" }).click();
  await $("hours-save-error").filter({ hasText: "Not saved" }).waitFor();
  assert.deepEqual(
    await day("mon").locator('[data-charla="hours-problem"]').allTextContents(),
    ["Monday: 08:30–07:00 ends before it starts."],
  );
  assert.deepEqual(
    await day("wed").locator('[data-charla="hours-problem"]').allTextContents(),
    ["Wednesday: 13:00–19:00 overlaps 08:30–14:00."],
  );
  assert.equal(await label("Monday closes").getAttribute("aria-invalid"), "true");
  assert.equal(await label("Wednesday opens (2)").getAttribute("aria-invalid"), "true");
  assert.equal(await label("Wednesday opens").getAttribute("aria-invalid"), "false");
  assert.equal(await day("tue").locator('[data-charla="hours-problem"]').count(), 0);

  // Once shown, problems follow the edits.
  await label("Monday closes").fill("17:30");
  await day("mon").locator('[data-charla="hours-problem"]').waitFor({ state: "detached" });
  await label("Time zone").fill("Mars/Olympus");
  await page.getByText("“Mars/Olympus” is not a time zone").waitFor();
  await page.getByRole("button", { name: "Save business hours" }).click();
  await $("hours-save-error").waitFor();

  assert.equal(puts.length, sent, "no request left the page");
  assert.deepEqual(await stored(), before);

  // Put back: this is the schedule the next test starts from.
  await label("Time zone").fill(ZONE);
  await label("Wednesday opens (2)").fill("15:00");
  await day("wed").locator('[data-charla="hours-problem"]').waitFor({ state: "detached" });
  // With nothing left to fix, "Not saved: …" goes too.
  await $("hours-save-error").waitFor({ state: "detached" });
});

test("closed right now, the widget is away although the owner's inbox is open; Always open saves null and brings it back", async () => {
  const inbox = await inboxSocket(edge, owner.token);
  try {
    await inbox.next((f) => f.type === "snapshot");

    // Today and tomorrow (in the schedule's zone) are holidays: closed now, even across midnight.
    const [today, tomorrow] = todayAndTomorrow(ZONE);
    await addHoliday(today, "Cerrado");
    const sent = puts.length;
    await addHoliday(tomorrow, "Cerrado", { enter: true });
    await page.locator(`[data-charla="hours-holiday"][data-date="${tomorrow}"]`).waitFor();
    assert.equal(await label("Holiday date").inputValue(), "", "cleared for the next one");
    assert.equal(puts.length, sent, "Enter added the holiday; it did not save the form");
    await save("Business hours saved.");
    const hours = await stored();
    assert.deepEqual(hours.holidays.map((h) => h.date).filter((d) => d === today || d === tomorrow), [today, tomorrow]);
    assert.match(await $("hours-status").textContent(), /^Closed today \(holiday: Cerrado\) · opens /);
    assert.equal((await publicConfig()).online, false, "closed: away, though an agent is in");

    // A visitor opening the widget now reads the away note.
    const closedCtx = await browser.newContext();
    const closedPage = await closedCtx.newPage();
    await closedPage.goto(site.url + "/");
    await closedPage.locator('[data-charla="launcher"]').click();
    await closedPage.locator('[data-charla="away"]').waitFor();
    await closedCtx.close();

    // Always open: null on the server, online again with the same inbox open.
    await page.getByRole("radio", { name: "Always open" }).check();
    assert.equal(await day("mon").count(), 0);
    await save("Saved: always open.");
    assert.equal(await stored(), null);
    assert.equal(puts.at(-1), "null");
    await $("hours-status").filter({ hasText: "Open now · always open" }).waitFor();
    await until(async () => (await publicConfig()).online === true, "the widget config to say online");

    const openCtx = await browser.newContext();
    const openPage = await openCtx.newPage();
    await openPage.goto(site.url + "/");
    await openPage.locator('[data-charla="launcher"]').click();
    // The widget's panel, not the loader's (which never shows the away note).
    await openPage.locator('[data-charla="panel"]').waitFor();
    assert.equal(await openPage.locator('[data-charla="away"]').count(), 0);
    await openCtx.close();

    // And a reload shows "Always open" chosen.
    await page.reload();
    await $("hours-status").filter({ hasText: "Open now · always open" }).waitFor();
    assert.ok(await page.getByRole("radio", { name: "Always open" }).isChecked());
  } finally {
    await inbox.close();
  }
});
