//! Published pages carry a strict Content Security Policy and work under it: no inline script
//! or style, nothing loaded from other origins (DESIGN.md §5 "No tracking", §9).
//!
//! Every HTML page of the demo's build is loaded with JavaScript on, and checked three ways:
//! its DOM (the policy `<meta>` and what it must not contain), what the browser reported
//! (`securitypolicyviolation` events, CSP console messages, script errors, every network
//! request), and what the test server was asked for (every file a page needs exists). A
//! self-test serves pages that break each rule, to show the checks can fail.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::harness::{Env, Js, Page};

/// A path that is not in the build: the server answers with `404.html` and status 404, as a
/// static host does, so the 404 page is checked at a nested URL.
const MISSING: &str = "/no-such-page/";

/// Each directive must be exactly this (DESIGN.md §9), or `'none'`, which is stricter (a
/// redirect page has no form). Anything added to them (a host, `'unsafe-inline'`) would
/// weaken the promise.
const REQUIRED: &[(&str, &str)] = &[
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
];

/// The only sources any directive may name: nothing from another origin.
const ALLOWED_SOURCES: &[&str] = &["'self'", "'none'", "data:"];

/// What a page's DOM says about its policy (JavaScript on, so after `chorus.js` ran).
#[derive(Deserialize, Debug)]
struct Facts {
    csp: Vec<String>,
    csp_in_head: bool,
    before_csp: Vec<String>,
    inline_scripts: Vec<String>,
    style_elements: Vec<String>,
    style_attributes: Vec<String>,
    event_handlers: Vec<String>,
    javascript_urls: Vec<String>,
}

const FACTS: &str = r#"(() => {
  const label = e => ("<" + e.tagName.toLowerCase() +
    [...e.attributes].map(a => " " + a.name + '="' + a.value + '"').join("")).slice(0, 140) + ">";
  const all = [...document.querySelectorAll("*")];
  const metas = [...document.querySelectorAll("meta[http-equiv]")]
    .filter(m => m.httpEquiv.trim().toLowerCase() === "content-security-policy");
  const meta = metas[0];
  const loaders = [...document.querySelectorAll('script, style, link[rel~="stylesheet" i], link[rel~="preload" i], ' +
    'link[rel~="modulepreload" i], link[rel~="icon" i], img, iframe, object, embed, video, audio, source, track')];
  return {
    csp: metas.map(m => m.content),
    csp_in_head: !!meta && meta.parentElement === document.head,
    before_csp: meta ? loaders.filter(e => !(meta.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)).map(label) : [],
    inline_scripts: [...document.querySelectorAll("script")]
      .filter(s => !s.hasAttribute("src") && !s.hasAttribute("href")
        && (s.getAttribute("type") || "").trim().toLowerCase() !== "application/ld+json")
      .map(s => label(s) + s.textContent.slice(0, 60)),
    style_elements: [...document.querySelectorAll("style")].map(s => label(s) + s.textContent.slice(0, 60)),
    style_attributes: all.filter(e => e.hasAttribute("style")).map(label),
    event_handlers: all.flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name)).map(a => label(e))),
    javascript_urls: all.filter(e => ["href", "src", "action", "formaction", "xlink:href"]
      .some(n => /^\s*javascript:/i.test(e.getAttribute(n) || ""))).map(label),
  };
})()"#;

/// What is wrong with one policy string.
fn policy_problems(csp: &str) -> Vec<String> {
    let mut directives = BTreeMap::new();
    for directive in csp.split(';') {
        let mut words = directive.split_ascii_whitespace();
        if let Some(name) = words.next() {
            directives.insert(name.to_ascii_lowercase(), words.map(str::to_string).collect::<Vec<_>>());
        }
    }
    let mut problems = Vec::new();
    for (name, value) in REQUIRED {
        match directives.get(*name) {
            Some(sources) if sources.len() == 1 && (sources[0] == *value || sources[0] == "'none'") => {}
            Some(sources) => problems.push(format!("`{name}` must be exactly {value}, is {}", sources.join(" "))),
            None => problems.push(format!("the policy lacks `{name} {value}`")),
        }
    }
    for (name, sources) in &directives {
        for source in sources {
            if !ALLOWED_SOURCES.contains(&source.to_ascii_lowercase().as_str()) {
                problems.push(format!("`{name}` allows {source}"));
            }
        }
    }
    problems
}

/// What is wrong with one page's DOM.
fn dom_problems(facts: &Facts) -> Vec<String> {
    let mut problems = Vec::new();
    match facts.csp.as_slice() {
        [csp] => problems.extend(policy_problems(csp)),
        [] => problems.push("no <meta http-equiv=\"Content-Security-Policy\">".to_string()),
        many => problems.push(format!("{} Content-Security-Policy metas: {many:?}", many.len())),
    }
    if !facts.csp.is_empty() && !facts.csp_in_head {
        problems.push("the Content-Security-Policy meta is not in <head>".to_string());
    }
    let lists = [
        ("comes before the Content-Security-Policy meta (which does not cover it)", &facts.before_csp),
        ("inline script", &facts.inline_scripts),
        ("<style> element", &facts.style_elements),
        ("style attribute", &facts.style_attributes),
        ("inline event handler", &facts.event_handlers),
        ("javascript: URL", &facts.javascript_urls),
    ];
    for (what, found) in lists {
        problems.extend(found.iter().map(|element| format!("{what}: {element}")));
    }
    problems
}

/// Problems found, by page (URL path).
type Problems = BTreeMap<String, Vec<String>>;

/// Loads every path in one tab and returns what is wrong, page by page (empty: all good).
fn audit(env: &Env, page: &Page, paths: &[String]) -> Problems {
    let mut problems = Problems::new();
    let mut add = |page: String, problem: String| problems.entry(page).or_default().push(problem);
    for path in paths {
        let file = env.site.root().join(path.trim_start_matches('/'));
        let html = std::fs::read_to_string(&file).unwrap_or_default();
        let facts: Facts = match redirect_target(&html) {
            // A redirect page (an alias) leaves as soon as it has loaded: its markup is
            // checked as the browser parses it, then it must land where it says.
            Some(target) => {
                let parse = format!(
                    "((document) => {FACTS})(new DOMParser().parseFromString({}, 'text/html'))",
                    serde_json::to_string(&html).unwrap()
                );
                let facts = page.eval(&parse);
                page.goto(path);
                page.wait_for(&format!("{path} to lead to {target}"), || {
                    page.try_eval::<String>("location.pathname").is_ok_and(|p| p == target)
                });
                facts
            }
            None => {
                page.goto(path);
                page.eval(FACTS)
            }
        };
        for problem in dom_problems(&facts) {
            add(path.clone(), problem);
        }
    }

    // What the browser reported, attributed to pages by their URL.
    let origin = env.server.origin();
    let page_of = |url: &str| url.strip_prefix(origin).unwrap_or(url).to_string();
    for request in page.foreign_requests() {
        add(page_of(&request.document), format!("request to another origin: {}", request.url));
    }
    let recorded = page.recorded();
    for violation in &recorded.violations {
        let document = page_of(violation["document"].as_str().unwrap_or("?"));
        add(document, format!("CSP violation: {violation}"));
    }
    for entry in recorded.log.iter().filter(|e| e.text.contains("Content Security Policy")) {
        let document = page_of(&entry.url);
        // The first sentence says what was blocked and by which directive.
        let first = entry.text.split(". ").next().unwrap_or(&entry.text);
        add(document, format!("console {} ({}): {first}", entry.level, entry.source));
    }
    for exception in &recorded.exceptions {
        add("(scripts)".to_string(), format!("uncaught exception: {exception}"));
    }
    drop(recorded);

    // Every file a page asked for exists (a browser asks for /favicon.ico on its own).
    for served in env.server.log() {
        if served.status != 200 && served.path != MISSING && served.path != "/favicon.ico" {
            add("(server)".to_string(), format!("{} answered {}", served.path, served.status));
        }
    }
    problems
}

/// One line per distinct problem, with how often it occurred.
fn report(problems: &Problems) -> String {
    let mut out = String::new();
    for (page, found) in problems {
        out.push_str(&format!("{page}:\n"));
        let mut counted: Vec<(&String, usize)> = Vec::new();
        for problem in found {
            match counted.iter_mut().find(|(p, _)| *p == problem) {
                Some((_, n)) => *n += 1,
                None => counted.push((problem, 1)),
            }
        }
        for (problem, n) in counted {
            let times = if n > 1 { format!(" (×{n})") } else { String::new() };
            out.push_str(&format!("  {problem}{times}\n"));
        }
    }
    out
}

/// Where a redirect page (`<meta http-equiv="refresh" content="0; url=…">`) leads.
fn redirect_target(html: &str) -> Option<String> {
    let at = html.find("<meta http-equiv=\"refresh\" content=\"")?;
    let content = html[at..].split("content=\"").nth(1)?.split('"').next()?;
    Some(content.split_once("url=")?.1.to_string())
}

/// Every HTML page of the demo build, plus a missing page; checks the kinds of pages of
/// DESIGN.md §7 are all there, or the demo changed and the test would silently check less.
fn demo_paths(env: &Env) -> Vec<String> {
    let mut paths = env.site.html_pages();
    for page in [
        "/",
        "/posts/",
        "/posts/page/2/",
        "/people/",
        "/causes/",
        "/tags/",
        "/digest/",
        "/about/",
        "/guidelines/",
        "/404.html",
        // A redirect page: an alias of a post.
        "/engineering/2026/09/meter-ingest-rust.html",
    ] {
        assert!(paths.iter().any(|p| p == page), "the demo build has no {page}: {paths:#?}");
    }
    for section in ["/posts/", "/people/", "/causes/", "/tags/", "/digest/"] {
        let inside = paths.iter().filter(|p| p.starts_with(section) && p.len() > section.len()).count();
        assert!(inside > 0, "the demo build has no page inside {section}");
    }
    paths.push(MISSING.to_string());
    paths
}

#[test]
fn every_page_keeps_to_a_strict_csp_and_loads_nothing_from_elsewhere() {
    let Some(env) = Env::start() else { return };
    let paths = demo_paths(&env);
    let page = env.page(Js::Enabled);
    let problems = audit(&env, &page, &paths);
    let requests = page.recorded().requests.len();
    assert!(problems.is_empty(), "pages break the Content Security Policy promise:\n{}", report(&problems));
    // Guard against checking nothing: every page and its style sheet, at least.
    assert!(requests > paths.len() * 2, "only {requests} requests recorded for {} pages", paths.len());
    eprintln!("checked {} pages and {requests} requests", paths.len());
}

/// The checks above would fail on pages that break the rules.
#[test]
fn the_policy_checks_catch_pages_that_break_the_rules() {
    // `{PORT}` is the test server's: `localhost:{PORT}` is another origin, on this machine.
    let weak = r#"<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/style.css">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'none'">
<title>Breaks the rules</title>
<style>p { color: red }</style>
<script>document.title = "inline script ran";</script>
</head><body><p style="color: blue" onclick="void 0">Hello</p>
<img src="http://localhost:{PORT}/images/people/hana-sato.svg" alt="">
<a href="javascript:void 0">js</a></body></html>"#;
    let none = r#"<!doctype html><html><head><meta charset="utf-8"><title>No policy</title></head>
<body><img src="http://localhost:{PORT}/images/people/hana-sato.svg" alt=""></body></html>"#;
    let extra = HashMap::from([
        ("/selftest/weak/".to_string(), weak.to_string()),
        ("/selftest/none/".to_string(), none.to_string()),
    ]);
    let Some(env) = Env::start_with(extra) else { return };
    let page = env.page(Js::Enabled);
    let paths = ["/selftest/weak/".to_string(), "/selftest/none/".to_string(), "/posts/".to_string()];
    let problems = audit(&env, &page, &paths);
    let weak = problems.get("/selftest/weak/").cloned().unwrap_or_default().join("\n");
    let none = problems.get("/selftest/none/").cloned().unwrap_or_default().join("\n");
    let report = report(&problems);
    for expected in [
        "`style-src` must be exactly 'self', is 'self' 'unsafe-inline'",
        "`style-src` allows 'unsafe-inline'",
        "comes before the Content-Security-Policy meta (which does not cover it): <link rel=\"stylesheet\"",
        "inline script: <script>document.title",
        "<style> element: <style>p { color: red }",
        "style attribute: <p style=\"color: blue\"",
        "inline event handler: <p",
        "javascript: URL: <a href=\"javascript:void 0\"",
        "CSP violation: ",
        "\"directive\":\"script-src-elem\"",
        "\"directive\":\"img-src\"",
        "console error (security): Executing inline script violates the following Content Security Policy directive",
    ] {
        assert!(weak.contains(expected), "the self-test page's report lacks {expected:?}:\n{report}");
    }
    for expected in ["no <meta http-equiv=\"Content-Security-Policy\">", "request to another origin: http://localhost:"]
    {
        assert!(none.contains(expected), "the unprotected self-test page's report lacks {expected:?}:\n{report}");
    }
    assert!(!problems.contains_key("/posts/"), "a real page was blamed:\n{report}");
}
