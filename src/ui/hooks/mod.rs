//! Small browser hooks, one per file, each returning a named handle.

pub mod animation_frame;
pub mod clock;
pub mod idle;
pub mod media_query;
pub mod next_task;
pub mod on_screen;

pub use animation_frame::{use_animation, use_animation_frame, Frame, Pausable};
pub use clock::now_ms;
pub use idle::use_idle;
pub use media_query::{use_media_query, use_prefers_reduced_motion};
pub use next_task::next_task;
pub use on_screen::{use_on_screen, OnScreen};
