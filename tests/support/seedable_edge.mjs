// `wrangler dev` like ./edge.mjs, plus CHARLA_DEV_SEED=1 for the dev-only bulk seeding route
// (POST /v1/dev/report-rows): how the reports bench and tests get thousands of report rows
// without playing thousands of conversations.
import { ROOT, startEdge } from "./edge.mjs";

/** `root`: another checkout's build to run (its wrangler.toml and edge/build), e.g. the code
 * before a change, for a before/after bench. */
export function startSeedableEdge({ root = ROOT } = {}) {
  return startEdge({ root, vars: { CHARLA_DEV_SEED: "1" } });
}
