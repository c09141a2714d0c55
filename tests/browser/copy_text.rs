//! The share kit's *Copy text* buttons, clicked for real, checked through the real clipboard.

use crate::harness::{Env, Js, Page};

const POST: &str = "/posts/testing-the-portal-with-a-screen-reader/";
const PERMALINK: &str = "https://voices.tidewell.example/posts/testing-the-portal-with-a-screen-reader/";
/// Put on the clipboard before each click, so a copy that silently fails cannot pass.
const SENTINEL: &str = "(clipboard not written by the page)";

fn clipboard(page: &Page) -> String {
    page.eval("navigator.clipboard.readText()")
}

fn set_clipboard(page: &Page, text: &str) {
    let _: serde_json::Value =
        page.eval(&format!("navigator.clipboard.writeText({}).then(() => null)", serde_json::Value::from(text)));
    assert_eq!(clipboard(page), text, "the test could not write the clipboard itself");
}

fn textarea(page: &Page, n: usize) -> String {
    page.eval(&format!("document.getElementById('share-message-{n}').value"))
}

/// Clicks the copy button of message `n` like a person would, and returns what reached the
/// clipboard and what the button's status line then said.
fn click_copy(page: &Page, n: usize) -> (String, String) {
    set_clipboard(page, SENTINEL);
    let selector = format!("button.copy-button[data-copy='share-message-{n}']");
    page.click(&selector);
    let mut copied = String::new();
    page.wait_for("the copy button to write the clipboard", || {
        copied = clipboard(page);
        copied != SENTINEL
    });
    let status_js =
        format!("document.querySelector(\"{selector}\").parentNode.querySelector('.copy-status').textContent");
    let mut status = String::new();
    page.wait_for("the copy status to show", || {
        status = page.eval(&status_js);
        !status.is_empty()
    });
    (copied, status)
}

#[test]
fn copy_text_button_copies_the_message_and_the_edited_message() {
    let Some(env) = Env::start() else { return };
    env.grant_clipboard();
    let page = env.page(Js::Enabled);
    page.goto(POST);

    let canonical: String = page.eval("document.querySelector('link[rel=canonical]').href");
    assert_eq!(canonical, PERMALINK, "the post's permalink");
    let messages: usize = page.eval("document.querySelectorAll('textarea.share-message').length");
    assert!(messages >= 1, "the post has no share messages");
    let buttons: usize = page.eval("document.querySelectorAll('button.copy-button').length");
    assert_eq!(buttons, messages, "one Copy text button per message");

    // The script un-hides every copy button (they ship `hidden` for readers without JS).
    let visible: Vec<bool> = page.eval(
        "[...document.querySelectorAll('button.copy-button')].map(b => !b.hidden && b.checkVisibility() \
         && b.getBoundingClientRect().width > 0 && b.textContent.trim() === 'Copy text')",
    );
    assert!(visible.iter().all(|v| *v), "Copy text buttons not visible with JavaScript on: {visible:?}");

    // Every button copies its own message, unchanged, permalink included.
    for n in 1..=messages {
        let message = textarea(&page, n);
        assert!(message.contains(PERMALINK), "message {n} lacks the permalink: {message:?}");
        let (copied, status) = click_copy(&page, n);
        assert_eq!(copied, message, "Copy text {n} put something else on the clipboard");
        assert!(status.starts_with("Copied."), "status after copying message {n}: {status:?}");
    }

    // A person edits the first message into their own words, then copies it.
    page.click("#share-message-1");
    let _: serde_json::Value = page.eval("document.getElementById('share-message-1').setSelectionRange(0, 0)");
    let own_words = "In my own words: worth ten minutes of anyone's time. ";
    page.type_text(own_words);
    let original = page.eval::<String>("document.getElementById('share-message-1').defaultValue");
    let edited = textarea(&page, 1);
    assert_eq!(edited, format!("{own_words}{original}"), "typing did not edit the message as expected");

    let (copied, _) = click_copy(&page, 1);
    assert_eq!(copied, edited, "Copy text must copy the edited message, not the suggestion");
    assert!(copied.contains(PERMALINK));

    let recorded = page.recorded();
    assert!(recorded.exceptions.is_empty(), "script errors: {:#?}", recorded.exceptions);
}
