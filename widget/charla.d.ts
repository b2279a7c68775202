// Types of the Charla widget's page API: `window.charla(command, ...args)`.
// Documented with examples in demo-site/docs/js-api.md. Use it from TypeScript with
//   /// <reference path="charla.d.ts" />
// (or list the file in your tsconfig's "files"/"include"). Global declarations, no import.

declare namespace Charla {
  /** Languages of the widget's interface; "auto" follows the visitor's browser (then English).
   * Region tags work too ("es-MX" is Spanish). */
  type Locale = "es" | "en" | "auto" | (string & {});

  /** `charla("identify", …)`: the site's logged-in user. */
  interface Identity {
    /** The site's own id for the user (1-128 characters). */
    user_id: string | number;
    /** hex(HMAC-SHA256(identity secret, user_id)), computed by the site's backend, never in the
     * browser. Required when the workspace requires identity verification; with it, the user's
     * conversations follow them across devices. */
    user_hash?: string;
    name?: string;
    email?: string;
    /** Custom contact fields; keys of a-z, 0-9 and _ (1-40 characters). */
    attributes?: Record<string, string | number | boolean>;
  }

  /** The `message` event: an agent's message that just arrived (not the history, not the
   * visitor's own messages). */
  interface AgentMessage {
    /** Its position in the conversation, from 1. */
    seq: number;
    text: string;
    /** The agent's display name. */
    author: string;
    /** Milliseconds since the Unix epoch. */
    at: number;
  }

  /** The `error` event; the same message is logged with `console.error("charla: …")`. */
  interface ErrorDetail {
    /** What failed: starting the chat (e.g. origin not allowed), identify, or a call of this
     * API that the widget could not understand. */
    source: "session" | "identify" | "api";
    /** The edge's error code ("forbidden", "unauthorized", "bad_request", "not_found"), or
     * "network" when the edge could not be reached. */
    code: string;
    message: string;
  }

  /** Every event and what its callback receives. */
  interface Events {
    /** The widget has loaded (and replayed the calls made before). It loads when the visitor
     * shows interest in the chat (hovers, focuses or taps the launcher) or the chat opens, not
     * with the page. A callback registered after that is called at once. */
    ready: undefined;
    open: undefined;
    close: undefined;
    message: AgentMessage;
    /** Agent messages the visitor has not seen; 0 once they open the chat. */
    "unread-count-changed": number;
    error: ErrorDetail;
  }

  type EventName = keyof Events;
  type Handler<E extends EventName> = (detail: Events[E]) => void;

  interface Api {
    /** open/close/toggle the chat panel; show/hide the launcher bubble; reset forgets the
     * visitor and their identity on this browser (call it when the user logs out). */
    (command: "open" | "close" | "toggle" | "show" | "hide" | "reset"): void;
    (command: "identify", identity: Identity): void;
    (command: "setLocale", locale: Locale): void;
    <E extends EventName>(command: "on", event: E, handler: Handler<E>): void;
    /** Without a handler: every handler of the event. */
    <E extends EventName>(command: "off", event: E, handler?: Handler<E>): void;
    /** Calls made before the loader ran, kept by the snippet's stub. */
    q?: IArguments[];
  }
}

interface Window {
  charla: Charla.Api;
}

declare var charla: Charla.Api;
