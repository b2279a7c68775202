//! Instants as this browser shows them: read in the local time zone through `js_sys::Date`,
//! worded in the inbox's language. (`time.rs` holds the pure formatting these call.)

use charla_shared::basic::Millis;
use wasm_bindgen::JsCast;

use crate::time;

/// Local wall-clock time of a message ("14:05").
pub fn clock(at: Millis) -> String {
    let date = js_sys::Date::new(&(at as f64).into());
    time::clock(date.get_hours(), date.get_minutes())
}

/// Full local date and time, for tooltips.
pub fn full_date(at: Millis) -> String {
    let date = js_sys::Date::new(&(at as f64).into());
    let lang = crate::i18n::lang().code();
    String::from(date.to_locale_string(lang, &js_sys::Object::new()))
}

/// ISO 8601, for `<time datetime>`.
pub fn iso_date(at: Millis) -> String {
    let date = js_sys::Date::new(&(at as f64).into());
    String::from(date.to_iso_string())
}

/// Date and time of `at` in `time_zone` ("26 Nov 2025, 14:05"); the browser's zone if the
/// name is unknown to it.
pub fn date_time_in(at: Millis, time_zone: &str) -> String {
    let date = js_sys::Date::new(&(at as f64).into());
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("dateStyle", "medium");
    set("timeStyle", "short");
    set("timeZone", time_zone);
    // Through `Function::call2`, which catches: an unknown zone throws a RangeError.
    let formatted = js_sys::Reflect::get(&date, &"toLocaleString".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call2(&date, &"en-GB".into(), &options).ok())
        .and_then(|text| text.as_string());
    formatted.unwrap_or_else(|| full_date(at))
}
