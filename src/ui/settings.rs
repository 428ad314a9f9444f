//! The settings a reader can share. They live in the page URL's query string under their
//! Kafka names (`?partitions=6&acks=1`), so a shared link restores them. The "Throughput
//! vs Durability" section's own settings go under `tradeoff.` names
//! (`?tradeoff.acks=0`), apart from the write path's (see `TRADEOFF_PREFIX`). A malformed or
//! hostile query never breaks the page: what cannot be used is dropped, the defaults
//! apply, and a notice says what was ignored.
//!
//! The engine parses and validates every value (`SimConfig::set`, `SimConfig::validate`);
//! this module only decides which names may come from a URL and how many bytes it reads.

use crate::engine::clients::Client;
use crate::engine::config::ConfigError;
use crate::engine::scenario::{self, Scenario};
use crate::engine::settings::DECLARED;
use crate::engine::tradeoff::TradeoffSettings;
use crate::engine::SimConfig;
use leptos::prelude::*;

/// A setting that may appear in the URL, with the page's own range for numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SharedSetting {
    /// The Kafka (or simulator) name, also the query parameter's name.
    pub key: &'static str,
    /// The values the page's control offers, when narrower than what Kafka accepts
    /// (e.g. the partition demo draws at most 64 lanes).
    pub range: Option<(i64, i64)>,
}

/// Every setting that may come from a URL, in the order the URL lists them: the settings
/// declared with a URL place (`engine::settings`), then the scenario.
pub fn shared_settings() -> &'static [SharedSetting] {
    static SHARED: std::sync::OnceLock<Vec<SharedSetting>> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let mut declared: Vec<_> = DECLARED
            .iter()
            .filter_map(|d| Some((d.url?, d.key)))
            .collect();
        declared.sort_by_key(|(url, _)| url.order);
        declared
            .into_iter()
            .map(|(url, key)| SharedSetting {
                key,
                range: url.range,
            })
            .chain(std::iter::once(SharedSetting {
                key: SCENARIO_KEY,
                range: None,
            }))
            .collect()
    })
}

/// The URL name of the write path's named scenario (not a Kafka setting).
pub const SCENARIO_KEY: &str = "scenario";

/// The "Throughput vs Durability" section keeps its five settings in the URL under their
/// Kafka names with this prefix: `?acks=1&tradeoff.acks=0&tradeoff.linger.ms=5`.
///
/// A deliberate choice not to share the plain keys with the write path: the write path's
/// `acks` (and its scenario picker, which rewrites every producer setting) drives the
/// animated cluster, while the trade-off section measures its own settings on its own fixed
/// cluster. With one shared `acks`, changing it in one section would silently move a
/// control in the other, and picking a scenario would throw away the reader's trade-off
/// experiment. Separate keys keep each section's link meaning what the reader saw.
pub const TRADEOFF_PREFIX: &str = "tradeoff.";

/// The settings the trade-off section shares (each also in `shared_settings()`, whose range
/// applies), in the order the URL lists them.
pub const TRADEOFF_KEYS: [&str; 5] = [
    "acks",
    "batch.size",
    "linger.ms",
    "compression.type",
    "enable.idempotence",
];

/// The Kafka name behind a trade-off section URL key (`tradeoff.acks` gives `acks`).
pub fn tradeoff_key(key: &str) -> Option<&'static str> {
    let name = key.strip_prefix(TRADEOFF_PREFIX)?;
    TRADEOFF_KEYS.iter().copied().find(|k| *k == name)
}

/// Longest query string read at all; anything longer is ignored as a whole.
pub const MAX_QUERY_LEN: usize = 2048;
/// Longest value accepted for one setting.
pub const MAX_VALUE_LEN: usize = 64;
/// Longest name or value quoted back in a notice.
const MAX_QUOTED_LEN: usize = 40;

/// Looks up a shareable setting by name.
pub fn shared_setting(key: &str) -> Option<&'static SharedSetting> {
    shared_settings().iter().find(|s| s.key == key)
}

/// Splits a query string (with or without its leading `?`) into decoded name/value pairs.
/// `+` is a space and `%XX` a byte, as in `application/x-www-form-urlencoded`; bad escapes
/// are kept literally and invalid UTF-8 is replaced, so any input gives some pairs.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Encodes a query component: unreserved characters stay, everything else is `%XX`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Shortens user-supplied text before it is quoted back (always as text, never HTML).
fn quote(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if clean.chars().count() > MAX_QUOTED_LEN {
        let head: String = clean.chars().take(MAX_QUOTED_LEN).collect();
        format!("“{head}…”")
    } else {
        format!("“{clean}”")
    }
}

/// What reading a URL gave: the settings to use and what had to be ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlSettings {
    /// Accepted name/value pairs, in `shared_settings()` order.
    pub overrides: Vec<(String, String)>,
    /// One line per thing ignored, for the notice.
    pub ignored: Vec<String>,
}

/// Checks one value for one shared setting against the page's range and the engine.
/// A trade-off key is checked as its Kafka name (`config` is then the section's own).
fn check_value(config: &mut SimConfig, key: &str, value: &str) -> Result<(), String> {
    let key = tradeoff_key(key).unwrap_or(key);
    let Some(setting) = shared_setting(key) else {
        return Err("not a setting this page shares".to_string());
    };
    if value.len() > MAX_VALUE_LEN {
        return Err("value too long".to_string());
    }
    if key == SCENARIO_KEY {
        return scenario::find(value.trim())
            .map(|_| ())
            .ok_or_else(|| "not a scenario this page knows".to_string());
    }
    if let Some((low, high)) = setting.range {
        match value.trim().parse::<i64>() {
            Ok(n) if (low..=high).contains(&n) => {}
            Ok(_) => return Err(format!("must be between {low} and {high}")),
            Err(_) => return Err(format!("must be a whole number from {low} to {high}")),
        }
    }
    config.set(key, value.trim()).map_err(|e| e.message)
}

/// Reads a query string. Never fails: whatever cannot be used is listed in `ignored`.
pub fn read_query(query: &str) -> UrlSettings {
    let mut ignored = Vec::new();
    if query.len() > MAX_QUERY_LEN {
        ignored.push(format!(
            "the link's settings are longer than {MAX_QUERY_LEN} characters"
        ));
        return UrlSettings {
            overrides: Vec::new(),
            ignored,
        };
    }
    let mut config = SimConfig::default();
    // The trade-off section's settings are checked one by one on a configuration of their
    // own. Their combination is not: a combination Kafka refuses is something the section
    // shows (with Kafka's message), so a link restores that too.
    let mut tradeoff = SimConfig::default();
    let mut accepted: Vec<(String, String)> = Vec::new();
    for (key, value) in parse_query(query) {
        let target = if tradeoff_key(&key).is_some() {
            &mut tradeoff
        } else {
            &mut config
        };
        match check_value(target, &key, &value) {
            Ok(()) => {
                accepted.retain(|(k, _)| *k != key);
                accepted.push((key, value.trim().to_string()));
            }
            Err(why) => ignored.push(format!("{} = {} ({why})", quote(&key), quote(&value))),
        }
    }
    if let Err(e) = config.validate() {
        ignored.push(format!("the combination ({e})"));
        accepted.retain(|(k, _)| tradeoff_key(k).is_some());
    }
    sort_shared(&mut accepted);
    UrlSettings {
        overrides: accepted,
        ignored,
    }
}

/// Builds the query string (with `?`, or empty) for some overrides.
pub fn write_query(overrides: &[(String, String)]) -> String {
    if overrides.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = overrides
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    format!("?{}", parts.join("&"))
}

/// The defaults of the client the page's picker chose (`client=` in the URL), Java's
/// without one: every section starts from them.
fn client_defaults(overrides: &[(String, String)]) -> SimConfig {
    overrides
        .iter()
        .find(|(k, _)| k == CLIENT_KEY)
        .and_then(|(_, v)| Client::parse(v).ok())
        .map_or_else(SimConfig::default, SimConfig::for_client)
}

/// The URL name of the page's client picker.
pub const CLIENT_KEY: &str = "client";

/// The scenario `overrides` name, if any.
fn named_scenario(overrides: &[(String, String)]) -> Option<&'static Scenario> {
    overrides
        .iter()
        .find(|(k, _)| k == SCENARIO_KEY)
        .and_then(|(_, name)| scenario::find(name))
}

/// Applies the page's overrides to the defaults (not the trade-off section's: they have
/// their own configuration). Overrides were checked when they were accepted.
fn config_with(overrides: &[(String, String)]) -> SimConfig {
    let mut config = client_defaults(overrides);
    // A named scenario's settings come before the others, as `--scenario` does on the
    // command line: a link naming only the scenario runs it.
    if let Some(chosen) = named_scenario(overrides) {
        for (key, value) in chosen.settings {
            let _ = config.set(key, value);
        }
    }
    for (key, value) in overrides
        .iter()
        .filter(|(k, _)| k != SCENARIO_KEY && tradeoff_key(k).is_none())
    {
        let _ = config.set(key, value);
    }
    config
}

/// Kafka's defaults with the trade-off section's overrides applied.
fn tradeoff_config_with(overrides: &[(String, String)]) -> SimConfig {
    let mut config = client_defaults(overrides);
    for (key, value) in overrides {
        if let Some(name) = tradeoff_key(key) {
            let _ = config.set(name, value);
        }
    }
    config
}

/// The trade-off section's settings as URL overrides: only those that differ from
/// Kafka's defaults, so an untouched section adds nothing to the link.
pub fn tradeoff_overrides(settings: &TradeoffSettings) -> Vec<(String, String)> {
    tradeoff_overrides_against(settings, &TradeoffSettings::default())
}

/// The trade-off section's settings as URL overrides: only those that differ from
/// `defaults` (the chosen client's).
pub fn tradeoff_overrides_against(
    settings: &TradeoffSettings,
    defaults: &TradeoffSettings,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |name: &str, differs: bool, value: String| {
        if differs {
            out.push((format!("{TRADEOFF_PREFIX}{name}"), value));
        }
    };
    add(
        "acks",
        settings.acks != defaults.acks,
        settings.acks.as_str().to_string(),
    );
    add(
        "batch.size",
        settings.batch_size != defaults.batch_size,
        settings.batch_size.to_string(),
    );
    add(
        "linger.ms",
        settings.linger_ms != defaults.linger_ms,
        settings.linger_ms.to_string(),
    );
    add(
        "compression.type",
        settings.compression_type != defaults.compression_type,
        settings.compression_type.as_str().to_string(),
    );
    if let Some(on) = settings.enable_idempotence {
        add(
            "enable.idempotence",
            settings.enable_idempotence != defaults.enable_idempotence,
            on.to_string(),
        );
    }
    out
}

/// Where a key goes in the URL: the page's settings in `shared_settings()` order, then the
/// trade-off section's in `TRADEOFF_KEYS` order.
fn url_position(key: &str) -> usize {
    match tradeoff_key(key) {
        Some(name) => {
            shared_settings().len() + TRADEOFF_KEYS.iter().position(|k| *k == name).unwrap_or(0)
        }
        None => shared_settings()
            .iter()
            .position(|s| s.key == key)
            .unwrap_or(usize::MAX),
    }
}

fn sort_shared(overrides: &mut [(String, String)]) {
    // Keys are unique, so an unstable sort gives the one order (and less code).
    overrides
        .sort_unstable_by(|(a, _), (b, _)| url_position(a).cmp(&url_position(b)).then(a.cmp(b)));
}

/// The page's shared settings: a reactive handle, cheap to copy into components.
#[derive(Clone, Copy)]
pub struct PageSettings {
    overrides: RwSignal<Vec<(String, String)>>,
    config: Memo<SimConfig>,
    notice: RwSignal<Vec<String>>,
    sync_url: bool,
}

impl PageSettings {
    /// Settings at their defaults, not tied to the URL (for a section shown on its own).
    pub fn defaults() -> Self {
        Self::from_url_settings(
            UrlSettings {
                overrides: Vec::new(),
                ignored: Vec::new(),
            },
            false,
        )
    }

    /// Settings read from a query string; changes are written back to the URL when
    /// `sync_url` is set.
    pub fn from_url_settings(read: UrlSettings, sync_url: bool) -> Self {
        let overrides = RwSignal::new(read.overrides);
        let config = Memo::new(move |_| overrides.with(|o| config_with(o)));
        PageSettings {
            overrides,
            config,
            notice: RwSignal::new(read.ignored),
            sync_url,
        }
    }

    /// Settings read from the page's own URL, kept in sync with it.
    pub fn from_location() -> Self {
        let search = window().location().search().unwrap_or_default();
        Self::from_url_settings(read_query(&search), true)
    }

    /// The whole configuration: Kafka's defaults plus the shared settings.
    pub fn config(&self) -> Memo<SimConfig> {
        self.config
    }

    /// What the URL asked for that could not be used (empty: nothing to say).
    pub fn notice(&self) -> RwSignal<Vec<String>> {
        self.notice
    }

    /// The value the reader chose for `key`, if not the default.
    pub fn chosen(&self, key: &str) -> Option<String> {
        self.overrides
            .with(|o| o.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    /// Changes one setting. The engine checks the value and the resulting combination;
    /// on error nothing changes and the message says why (for display by the control).
    pub fn set(&self, key: &str, value: &str) -> Result<(), ConfigError> {
        self.set_many(&[(key, value)])
    }

    /// Whether `set(key, value)` would be accepted, without changing anything (for a
    /// control that says so while the reader types).
    pub fn check(&self, key: &str, value: &str) -> Result<(), ConfigError> {
        self.with_changes(&[(key, value)]).map(|_| ())
    }

    /// Changes several settings at once; the combination is checked once, at the end.
    pub fn set_many(&self, pairs: &[(&str, &str)]) -> Result<(), ConfigError> {
        let next = self.with_changes(pairs)?;
        self.replace(next);
        Ok(())
    }

    /// The overrides with `pairs` applied, once the engine accepts each value and the
    /// combination.
    fn with_changes(&self, pairs: &[(&str, &str)]) -> Result<Vec<(String, String)>, ConfigError> {
        let mut candidate = self.config.get_untracked();
        let mut next = self.overrides.get_untracked();
        let mut tradeoff = tradeoff_config_with(&next);
        for (key, value) in pairs {
            let target = if tradeoff_key(key).is_some() {
                &mut tradeoff
            } else {
                &mut candidate
            };
            check_value(target, key, value).map_err(|message| ConfigError {
                key: key.to_string(),
                message,
            })?;
            next.retain(|(k, _)| k != key);
            next.push((key.to_string(), value.trim().to_string()));
        }
        candidate.validate()?;
        Ok(next)
    }

    /// The "Throughput vs Durability" section's settings: Kafka's defaults plus the
    /// link's `tradeoff.` keys. Their combination may be one Kafka refuses (the section
    /// says so).
    pub fn tradeoff(&self) -> TradeoffSettings {
        TradeoffSettings::from_config(&self.overrides.with(|o| tradeoff_config_with(o)))
    }

    /// Puts the trade-off section's settings in the URL, replacing its earlier ones; the
    /// page's own settings (the write path's `acks` among them) stay as they are.
    pub fn set_tradeoff(&self, settings: &TradeoffSettings) {
        let mut next = self.overrides.get_untracked();
        next.retain(|(k, _)| tradeoff_key(k).is_none());
        let defaults = TradeoffSettings::from_config(&client_defaults(&next));
        next.extend(tradeoff_overrides_against(settings, &defaults));
        if self.overrides.with_untracked(|o| *o != next) {
            self.replace(next);
        }
    }

    /// The named scenario chosen for the write path, if any.
    pub fn scenario(&self) -> Option<&'static Scenario> {
        self.overrides.with(|o| named_scenario(o))
    }

    fn scenario_untracked(&self) -> Option<&'static Scenario> {
        self.overrides.with_untracked(|o| named_scenario(o))
    }

    /// Chooses a scenario: its settings replace the producer, topic and cluster ones
    /// (the partition demo's count and the trade-off section's settings stay); `None`
    /// leaves the settings and drops the name.
    pub fn choose_scenario(&self, name: Option<&str>) -> Result<(), ConfigError> {
        let Some(name) = name else {
            let mut next = self.overrides.get_untracked();
            // The scenario's settings stay, written out, when its name goes.
            if let Some(current) = self.scenario_untracked() {
                for (key, value) in current.settings {
                    if !next.iter().any(|(k, _)| k == key) {
                        next.push((key.to_string(), value.to_string()));
                    }
                }
            }
            next.retain(|(k, _)| k != SCENARIO_KEY);
            self.replace(next);
            return Ok(());
        };
        let Some(chosen) = scenario::find(name) else {
            return Err(ConfigError {
                key: SCENARIO_KEY.to_string(),
                message: format!("no scenario is called {}", quote(name)),
            });
        };
        let mut candidate = SimConfig::default();
        let mut next: Vec<(String, String)> = self
            .overrides
            .get_untracked()
            .into_iter()
            .filter(|(k, _)| k == "partitions" || k == CLIENT_KEY || tradeoff_key(k).is_some())
            .collect();
        for (key, value) in next
            .clone()
            .iter()
            .filter(|(k, _)| tradeoff_key(k).is_none())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(
                chosen
                    .settings
                    .iter()
                    .copied()
                    .filter(|(k, _)| !k.starts_with("workload.")),
            )
        {
            candidate.set(key, value)?;
            if !next.iter().any(|(k, _)| k == key) {
                next.push((key.to_string(), value.to_string()));
            }
        }
        candidate.validate()?;
        next.push((SCENARIO_KEY.to_string(), name.to_string()));
        self.replace(next);
        Ok(())
    }

    fn replace(&self, mut next: Vec<(String, String)>) {
        sort_shared(&mut next);
        self.overrides.set(next);
        if self.sync_url {
            self.overrides
                .with_untracked(|o| replace_url_query(&write_query(o)));
        }
    }
}

/// Puts `query` in the address bar without reloading or adding a history entry.
fn replace_url_query(query: &str) {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    if let Ok(history) = window().history() {
        let url = format!("{path}{query}{hash}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's settings from context, or defaults when a section is mounted on its own.
pub fn use_settings() -> PageSettings {
    use_context::<PageSettings>().unwrap_or_else(PageSettings::defaults)
}

/// The "Throughput vs Durability" section's settings, starting from the page's URL and
/// written back to it on every change (for the section's `settings` prop).
pub fn use_tradeoff_settings() -> RwSignal<TradeoffSettings> {
    let page = use_settings();
    let settings = RwSignal::new(
        page.overrides
            .with_untracked(|o| TradeoffSettings::from_config(&tradeoff_config_with(o))),
    );
    // Not on the first run: opening a link leaves the address bar as it was.
    Effect::watch(
        move || settings.get(),
        move |chosen, _, _| page.set_tradeoff(chosen),
        false,
    );
    // Another client picked: its defaults, with the link's `tradeoff.` changes on top.
    let config = page.config();
    let client = Memo::new(move |_| config.with(|c| c.producer.client));
    Effect::watch(
        move || client.get(),
        move |_, _, _| settings.set(untrack(|| page.tradeoff())),
        false,
    );
    settings
}

/// A notice listing what a shared link asked for that could not be used.
#[component]
pub fn UrlNotice() -> impl IntoView {
    let settings = use_settings();
    let notice = settings.notice();
    view! {
        <Show when=move || notice.with(|n| !n.is_empty())>
            <div class="notice" role="status">
                <p class="notice__title">
                    "Some settings in this link could not be used, so their defaults apply:"
                </p>
                <ul class="notice__list">
                    {move || {
                        notice.get().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()
                    }}
                </ul>
                <button class="btn btn--quiet" on:click=move |_| notice.set(Vec::new())>
                    "Dismiss"
                </button>
            </div>
        </Show>
    }
}
