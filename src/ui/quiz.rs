//! The "Test Yourself" section: one question at a time, an explanation after each
//! answer, the score, and a restart with fresh generated questions.
//!
//! The questions and the quiz's rules are `crate::reference::quiz`; this file only
//! presents them.

use super::section::SectionHeader;
use crate::reference::quiz::Quiz;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The seed of the first round; each restart takes the next one.
pub const FIRST_SEED: u64 = 1;

fn focus_element(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

#[component]
pub fn TestYourself() -> impl IntoView {
    let quiz = RwSignal::new(Quiz::new(FIRST_SEED));
    // What decides which card is shown; answering a question does not change it, so the
    // answer buttons (and the keyboard focus on them) stay in place.
    let card = Memo::new(move |_| quiz.with(|q| (q.seed(), q.position(), q.is_finished())));

    // After moving on (next question, score, restart), put the keyboard focus on the new
    // card's heading so that keyboard and screen reader users continue from there. Not on
    // the first render: the page must not jump to the quiz.
    Effect::new(move |previous: Option<(u64, usize, bool)>| {
        let now = card.get();
        if previous.is_some_and(|p| p != now) {
            let target = if now.2 { "quiz-result" } else { "quiz-prompt" };
            request_animation_frame(move || focus_element(target));
        }
        now
    });

    view! {
        <section id="test-yourself" class="quiz" aria-labelledby="test-yourself-title">
            <SectionHeader title_id="test-yourself-title" title="Test Yourself">
                "Questions on everything above, one at a time. Some are computed by the simulator "
                "itself, so they change each time you restart."
            </SectionHeader>
            {move || {
                let (_, _, finished) = card.get();
                if finished { result_card(quiz).into_any() } else { question_card(quiz).into_any() }
            }}
        </section>
    }
}

fn question_card(quiz: RwSignal<Quiz>) -> AnyView {
    let Some((question, position, len)) =
        quiz.with_untracked(|q| q.current().cloned().map(|c| (c, q.position(), q.len())))
    else {
        // Only asked for while a question is open; render nothing rather than fail.
        return ().into_any();
    };
    let chosen = move || quiz.with(|q| q.chosen());
    let answered = move || chosen().is_some();
    let right = question.answer;
    let last = position + 1 == len;

    let choices = question
        .choices
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let is_right = move || answered() && i == right;
            let is_wrong_pick = move || chosen() == Some(i) && i != right;
            let mark = move || {
                if is_right() {
                    if chosen() == Some(i) {
                        "✓ Your answer: right"
                    } else {
                        "✓ Right answer"
                    }
                } else if is_wrong_pick() {
                    "✗ Your answer: wrong"
                } else {
                    ""
                }
            };
            view! {
                <li
                    class="quiz-choice"
                    class:quiz-choice--right=is_right
                    class:quiz-choice--wrong=is_wrong_pick
                >
                    <button
                        type="button"
                        class="quiz-answer"
                        aria-disabled=move || answered().to_string()
                        on:click=move |_| {
                            quiz.update(|q| {
                                let _ = q.choose(i);
                            })
                        }
                    >
                        {text.clone()}
                    </button>
                    <span class="quiz-mark">{mark}</span>
                </li>
            }
        })
        .collect_view();

    let answer_text = question.answer_text().to_string();
    let explanation = question.explanation.clone();
    let feedback = move || {
        let picked = chosen()?;
        let verdict = if picked == right {
            "✓ Correct."
        } else {
            "✗ Not quite."
        };
        Some(view! {
            <p class="quiz-verdict" class:quiz-verdict--right=picked == right>
                <strong>{verdict}</strong>
                " The answer is: "
                <span class="quiz-right-answer">{answer_text.clone()}</span>
            </p>
            <p class="quiz-explanation">{explanation.clone()}</p>
        })
    };

    view! {
        <div class="quiz-card">
            <p class="quiz-progress">
                <span>{format!("Question {} of {}", position + 1, len)}</span>
                <span class="quiz-topic">{question.topic.label()}</span>
                <span class="quiz-score">
                    {move || {
                        quiz.with(|q| format!("Score: {} of {} answered", q.score(), q.answered()))
                    }}
                </span>
            </p>
            <h3 id="quiz-prompt" class="quiz-prompt" tabindex="-1">{question.prompt.clone()}</h3>
            <ul class="quiz-choices" role="list" aria-labelledby="quiz-prompt">{choices}</ul>
            <div class="quiz-feedback" aria-live="polite">{feedback}</div>
            <Show when=answered>
                <button
                    type="button"
                    class="quiz-next"
                    on:click=move |_| {
                        quiz.update(|q| {
                            let _ = q.advance();
                        })
                    }
                >
                    {if last { "See your score" } else { "Next question" }}
                </button>
            </Show>
        </div>
    }
    .into_any()
}

fn result_card(quiz: RwSignal<Quiz>) -> impl IntoView {
    let (score, len, by_topic) = quiz.with_untracked(|q| (q.score(), q.len(), q.score_by_topic()));
    let verdict = match score * 100 / len.max(1) {
        90.. => "Excellent: you could tune a producer in your sleep.",
        70..=89 => "Well done: a few details to revisit.",
        40..=69 => "A good start: the sections above explain the ones you missed.",
        _ => "Worth another look at the sections above, then try again.",
    };
    let rows = by_topic
        .into_iter()
        .map(|(topic, right, total)| {
            let mark = if right == total { "✓" } else { "✗" };
            view! {
                <tr>
                    <th scope="row">{topic.label()}</th>
                    <td>{format!("{mark} {right} of {total}")}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="quiz-card quiz-result">
            <h3 id="quiz-result" class="quiz-result-title" tabindex="-1">
                {format!("You scored {score} of {len}")}
            </h3>
            <p class="quiz-verdict">{verdict}</p>
            <table class="quiz-breakdown">
                <caption>"Score by topic"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Topic"</th>
                        <th scope="col">"Right"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <button type="button" class="quiz-restart" on:click=move |_| quiz.update(|q| q.restart())>
                "Restart quiz"
            </button>
        </div>
    }
}
