//! One module per page kind. Each renders one page (or one person's few pages) and returns a
//! `Rendered`; each hands its template a typed view that borrows from the site and cards.

pub mod alias;
pub mod cause;
pub mod digest;
pub mod home;
pub mod listing;
pub mod misc;
pub mod person;
pub mod post;
