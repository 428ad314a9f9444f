//! The write path's named scenarios: the picker, and the callout that says what the
//! chosen one teaches, every setting it changes, its fault schedule, the command line
//! that gives the same run, and whether the reader's settings still are the scenario's.

use super::model::scenario_config;
use crate::engine::scenario::{Departure, Scenario, SCENARIOS};
use crate::engine::SimConfig;
use crate::ui::flow::describe_fault;
use crate::ui::settings::PageSettings;
use leptos::prelude::*;

/// The scenario picker (a field of the write path's controls).
#[component]
pub fn ScenarioPicker(settings: PageSettings) -> impl IntoView {
    let chosen = Memo::new(move |_| settings.scenario().map(|s| s.name));
    let error = RwSignal::new(None::<String>);
    let choose = move |name: String| {
        let name = (!name.is_empty()).then_some(name.as_str());
        error.set(settings.choose_scenario(name).err().map(|e| e.to_string()));
    };
    view! {
        <div class="field field--wide">
            <label class="field__label" for="wp-scenario">"Scenario"</label>
            <select
                id="wp-scenario"
                class="input"
                prop:value=move || chosen.get().unwrap_or_default()
                on:change=move |ev| choose(event_target_value(&ev))
                aria-describedby="wp-scenario-error"
            >
                <option value="">"None: the cluster runs until you break it"</option>
                {SCENARIOS
                    .iter()
                    .map(|s| view! { <option value=s.name>{s.title}</option> })
                    .collect_view()}
            </select>
            <p id="wp-scenario-error" class="field__error" role="alert">{move || error.get()}</p>
        </div>
    }
}

/// What the callout says about one scenario and the page's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Callout {
    pub scenario: &'static Scenario,
    /// Each setting the scenario changes, as `key = value`.
    pub changes: Vec<String>,
    /// Each scheduled fault, as `time: what happens`.
    pub schedule: Vec<String>,
    /// Where the page's settings differ from the scenario's.
    pub departures: Vec<Departure>,
    /// The command line that makes the run on screen.
    pub command_line: String,
}

impl Callout {
    /// The callout for `scenario` run with the page's settings `page`.
    pub fn new(scenario: &'static Scenario, page: &SimConfig) -> Result<Self, String> {
        let run = scenario_config(page, scenario);
        let schedule = scenario
            .faults()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|f| format!("{:.0} ms: {}", f.at.as_ms_f64(), describe_fault(&f.fault)))
            .collect();
        Ok(Callout {
            scenario,
            changes: scenario
                .changes()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect(),
            schedule,
            departures: scenario.departures(&run).map_err(|e| e.to_string())?,
            command_line: scenario.command_line(&run).map_err(|e| e.to_string())?,
        })
    }

    /// One line per departure: the setting, the scenario's value and the page's.
    pub fn departure_lines(&self) -> Vec<String> {
        self.departures
            .iter()
            .map(|d| {
                let shown = |v: &str| {
                    if v.is_empty() {
                        "unset".to_string()
                    } else {
                        v.to_string()
                    }
                };
                format!(
                    "{}: {} here, {} in the scenario",
                    d.key,
                    shown(&d.chosen),
                    shown(&d.scenario)
                )
            })
            .collect()
    }
}

/// The chosen scenario's lesson, settings and schedule; when the reader has changed any
/// setting since, a notice that the lesson no longer applies and a button to restore it.
#[component]
pub fn ScenarioCallout(settings: PageSettings) -> impl IntoView {
    let config = settings.config();
    let callout = Memo::new(move |_| {
        let scenario = settings.scenario()?;
        Some(config.with(|c| Callout::new(scenario, c)))
    });
    let restore_error = RwSignal::new(None::<String>);
    let restore = move |name: &'static str| {
        restore_error.set(
            settings
                .choose_scenario(Some(name))
                .err()
                .map(|e| e.to_string()),
        );
    };
    move || {
        callout.get().map(|c| match c {
            Err(e) => view! { <p class="field__error" role="alert">{e}</p> }.into_any(),
            Ok(c) => {
                let name = c.scenario.name;
                let departed = !c.departures.is_empty();
                let departures = c.departure_lines();
                view! {
                    <div
                        class=if departed { "wp__scenario wp__scenario--departed" } else { "wp__scenario" }
                        data-testid="wp-scenario"
                    >
                        <h3 class="wp__scenario-title">{c.scenario.title}</h3>
                        <Show when=move || departed>
                            <div class="wp__departed" role="status" data-testid="wp-scenario-departed">
                                <p>
                                    <strong>"This scenario no longer applies: "</strong>
                                    "the run below uses settings you changed, so it may not show the lesson."
                                </p>
                                <ul>
                                    {departures.iter().map(|l| view! { <li><code>{l.clone()}</code></li> }).collect_view()}
                                </ul>
                                <button
                                    type="button"
                                    class="btn"
                                    data-testid="wp-scenario-restore"
                                    on:click=move |_| restore(name)
                                >
                                    "Restore the scenario's settings"
                                </button>
                                <p class="field__error" role="alert">{move || restore_error.get()}</p>
                            </div>
                        </Show>
                        <p class="wp__lesson">{c.scenario.lesson}</p>
                        <h4 class="wp__scenario-sub">"Settings it changes from the defaults"</h4>
                        <ul class="wp__changes" data-testid="wp-scenario-settings">
                            {c.changes.into_iter().map(|l| view! { <li><code>{l}</code></li> }).collect_view()}
                        </ul>
                        <h4 class="wp__scenario-sub">"Faults"</h4>
                        <ul class="wp__schedule">
                            {c.schedule.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                        </ul>
                        <p class="wp__command">
                            "The same run (seed and numbers) on the command line: "
                            <code data-testid="wp-scenario-command">{c.command_line}</code>
                        </p>
                    </div>
                }
                .into_any()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Callout;
    use crate::engine::scenario::find;

    #[test]
    fn the_callout_lists_every_setting_the_scenario_changes() {
        let s = find("timeout-retry-duplicates").expect("known");
        let c = Callout::new(s, &s.config().expect("valid")).expect("valid");
        assert_eq!(c.changes.len(), s.changes().count());
        for (key, value) in s.changes() {
            assert!(c.changes.contains(&format!("{key} = {value}")), "{key}");
        }
        assert!(c.changes.contains(&"request.timeout.ms = 1000".to_string()));
        assert_eq!(c.schedule.len(), s.faults.len());
        assert!(c.departures.is_empty());
        assert_eq!(
            c.command_line,
            "producer-sim simulate --scenario timeout-retry-duplicates"
        );
    }

    #[test]
    fn changing_a_setting_the_scenario_set_is_a_departure() {
        let s = find("retries-reorder").expect("known");
        let mut page = s.config().expect("valid");
        page.set("enable.idempotence", "true").expect("valid");
        page.set("acks", "1").expect("valid");
        let c = Callout::new(s, &page).expect("valid");
        assert_eq!(
            c.departure_lines(),
            vec![
                "acks: 1 here, all in the scenario",
                "enable.idempotence: true here, false in the scenario"
            ]
        );
        assert!(c
            .command_line
            .ends_with("--set acks=1 --set enable.idempotence=true"));
    }

    #[test]
    fn the_page_drawing_three_partitions_and_the_workload_is_no_departure() {
        // The write path always draws three partitions and runs the scenario's workload,
        // whatever the partition demo or an earlier link set.
        let s = find("acks1-leader-crash").expect("known");
        let mut page = s.config().expect("valid");
        page.set("partitions", "12").expect("valid");
        page.set("workload.records", "7").expect("valid");
        assert!(Callout::new(s, &page).expect("valid").departures.is_empty());
    }
}
