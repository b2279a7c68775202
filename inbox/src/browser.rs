//! Thin wrappers over the browser APIs the inbox uses, so views and sockets read as product
//! code. Everything here needs a browser; natively it compiles but must not be called.

use charla_shared::basic::Millis;
use charla_shared::schedule::ZoneRules;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("the inbox runs in a browser window")
}

/// The API shares the inbox's origin: the edge serves both.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// `ws://` or `wss://` URL for an API path on this origin.
pub fn ws_url(path: &str) -> String {
    let origin = origin();
    let origin = match origin.strip_prefix("https://") {
        Some(rest) => format!("wss://{rest}"),
        None => format!("ws://{}", origin.trim_start_matches("http://")),
    };
    format!("{origin}{path}")
}

pub fn now() -> Millis {
    js_sys::Date::now() as Millis
}

/// Unique message id for `send`. `crypto.randomUUID` only exists in secure contexts, so a plain
/// `http://` deployment falls back to `Math.random` (ids need to be unique, not secret).
pub fn new_client_id() -> String {
    if let Ok(crypto) = window().crypto() {
        let uuid = js_sys::Reflect::get(&crypto, &"randomUUID".into()).ok();
        if uuid.is_some_and(|f| f.is_function()) {
            return crypto.random_uuid();
        }
    }
    (0..32)
        .map(|_| {
            let digit = (js_sys::Math::random() * 16.0) as u32;
            char::from_digit(digit.min(15), 16).unwrap_or('0')
        })
        .collect()
}

pub fn is_visible() -> bool {
    window().document().is_some_and(|d| !d.hidden())
}

pub fn set_title(title: &str) {
    if let Some(doc) = window().document() {
        doc.set_title(title);
    }
}

/// The browser's languages, most preferred first (`navigator.languages`, else `language`).
pub fn languages() -> Vec<String> {
    let nav = window().navigator();
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// `<html lang>`, so screen readers pronounce the page in the language it is shown in.
pub fn set_document_lang(code: &str) {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", code);
    }
}

pub fn is_online() -> bool {
    window().navigator().on_line()
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn storage_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// The URL fragment (`#/c/{id}`, `#/settings`, …), read by [`crate::shell::route::Route::parse`].
pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Put `hash` in the address bar unless it is already there (so no `hashchange` loops).
pub fn set_hash(hash: &str) {
    let current = self::hash();
    if current != hash && !(hash.is_empty() && current == "#") {
        let _ = window().location().set_hash(hash);
    }
}

/// Copy `text` to the clipboard; `false` when the browser refuses (no permission, or not a
/// secure context), in which case the text stays selectable on the page.
pub async fn copy_text(text: &str) -> bool {
    let clipboard = window().navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// Offer `blob` as a download named `name` (a temporary object URL clicked through a hidden
/// link, revoked once the browser has taken it).
pub fn save_blob(blob: &web_sys::Blob, name: &str) -> bool {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return false;
    };
    let Some(document) = window().document() else {
        return false;
    };
    let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
    }
    link.click();
    link.remove();
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    true
}

/// Open `url` in a new tab, with no way back to this page (`noopener`).
pub fn open_tab(url: &str) {
    let _ = window().open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer");
}

/// Download `url` (same origin: the edge's file links) under `name`, through a hidden link.
pub fn download_url(url: &str, name: &str) {
    let Some(document) = window().document() else {
        return;
    };
    let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    link.set_href(url);
    link.set_download(name);
    link.set_hidden(true);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
    }
    link.click();
    link.remove();
}

/// When `day` starts in the browser's time zone.
pub fn local_midnight(day: chrono::NaiveDate) -> Millis {
    use chrono::Datelike;
    js_sys::Date::new_with_year_month_day(day.year() as u32, day.month0() as i32, day.day() as i32)
        .get_time() as Millis
}

/// The browser's own IANA time zone (`Europe/Madrid`), if it says.
pub fn local_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    let options = format.resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
}

/// A time zone's rules as the browser knows them (`Intl`), so the inbox does not ship the tz
/// database (~200 KB gz) just to say "open now · closes 18:00". The offset is the zone's wall
/// clock read back as if it were UTC, minus the instant.
pub struct BrowserZone(js_sys::Intl::DateTimeFormat);

impl BrowserZone {
    /// `None` when the browser does not know the zone (it throws a RangeError).
    pub fn new(name: &str) -> Option<Self> {
        let options = js_sys::Object::new();
        for (k, v) in [
            ("timeZone", name),
            ("hourCycle", "h23"),
            ("year", "numeric"),
            ("month", "numeric"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "numeric"),
            ("second", "numeric"),
        ] {
            let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
        }
        // Through `Reflect::construct`, which catches, rather than `DateTimeFormat::new`.
        let constructor: js_sys::Function =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                .constructor()
                .unchecked_into();
        let args = js_sys::Array::of2(&"en-US".into(), &options);
        js_sys::Reflect::construct(&constructor, &args)
            .ok()
            .map(|f| BrowserZone(f.unchecked_into()))
    }
}

impl ZoneRules for BrowserZone {
    fn offset_at(&self, utc: Millis) -> Option<i32> {
        let date = js_sys::Date::new(&(utc as f64).into());
        let parts = self.0.format_to_parts(&date);
        let mut field = [0_i64; 6];
        for part in parts.iter() {
            let kind = js_sys::Reflect::get(&part, &"type".into())
                .ok()?
                .as_string()?;
            let slot = match kind.as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                "hour" => 3,
                "minute" => 4,
                "second" => 5,
                _ => continue,
            };
            let value = js_sys::Reflect::get(&part, &"value".into())
                .ok()?
                .as_string()?;
            field[slot] = value.parse().ok()?;
        }
        let wall = js_sys::Date::utc(field[0] as f64, (field[1] - 1) as f64)
            + ((field[2] - 1) * 86_400_000
                + field[3] * 3_600_000
                + field[4] * 60_000
                + field[5] * 1000) as f64;
        // Whole seconds: the instant's own milliseconds are not in the wall clock read back.
        let whole = utc.div_euclid(1000) * 1000;
        Some(((wall as i64 - whole) / 1000) as i32)
    }
}

/// Wide enough to show the contact panel beside the conversation.
pub fn is_wide() -> bool {
    window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w >= 1000.0)
}

/// A `document` event listener removed on drop (Leptos only offers window listeners, and
/// `visibilitychange` fires on the document).
pub struct DocumentListener {
    event: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl DocumentListener {
    pub fn new(event: &'static str, mut f: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| f());
        if let Some(doc) = window().document() {
            let _ = doc.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
        }
        Self { event, callback }
    }
}

impl Drop for DocumentListener {
    fn drop(&mut self) {
        if let Some(doc) = window().document() {
            let _ = doc.remove_event_listener_with_callback(
                self.event,
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}
