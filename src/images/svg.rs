//! SVG sanitizing with a real XML reader and writer (quick-xml). An SVG opened on its own
//! runs in the hub's origin, so what could run script or load from elsewhere goes:
//! `<script>`, `<foreignObject>`, `on*` attributes, `javascript:` anywhere, references that
//! are not to the same document (`href`, `xlink:href`, CSS `url(…)`, `@import`), animations
//! that set a link, the DOCTYPE (entity tricks), processing instructions, comments and
//! `<metadata>`. Everything else is written back as it was read.

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// Elements dropped with everything inside them.
const DROPPED: &[&str] = &["script", "foreignobject", "metadata", "iframe", "embed", "object", "audio", "video"];

/// Whether a URL is to this document (`#id`) or an inline raster image.
fn local_reference(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with('#')
        || ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"].iter().any(|p| u.starts_with(p))
}

/// Letters only, lower-case: `java\tscript:` and `JavaScript:` read as browsers read them.
fn squeezed(v: &str) -> String {
    v.chars().filter(|c| !c.is_whitespace() && !c.is_control()).flat_map(char::to_lowercase).collect()
}

/// Whether CSS loads something from elsewhere or runs script.
fn unsafe_css(css: &str) -> bool {
    let s = squeezed(css);
    if s.contains("@import") || s.contains("javascript:") || s.contains("expression(") {
        return true;
    }
    s.match_indices("url(").any(|(i, _)| {
        let rest = s[i + 4..].trim_start_matches(['"', '\'']);
        !(rest.starts_with('#') || local_reference(rest))
    })
}

/// What is wrong with an attribute, if anything.
fn attribute_problem(element: &str, name: &str, value: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    let local = name.rsplit(':').next().unwrap_or(&name);
    if local.starts_with("on") {
        return Some("event handlers (on… attributes)");
    }
    if squeezed(value).contains("javascript:") {
        return Some("javascript: links");
    }
    if local == "href" && !local_reference(value) {
        return Some("references to other files or sites");
    }
    if local == "style" && unsafe_css(value) {
        return Some("styles that load from elsewhere");
    }
    if ["set", "animate", "animatemotion", "animatetransform"].contains(&element)
        && local == "attributename"
        && (value.to_ascii_lowercase().ends_with("href") || value.to_ascii_lowercase().starts_with("on"))
    {
        return Some("animations that change links");
    }
    None
}

/// The element with its unsafe attributes removed; `None` when the element itself must go.
fn clean_start(e: &BytesStart, removed: &mut Vec<String>) -> Result<Option<BytesStart<'static>>, String> {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
    if DROPPED.contains(&name.as_str()) {
        note(removed, &format!("<{}>", String::from_utf8_lossy(e.local_name().as_ref())));
        return Ok(None);
    }
    let mut out = BytesStart::new(String::from_utf8_lossy(e.name().as_ref()).into_owned());
    for a in e.attributes() {
        let a = a.map_err(|err| err.to_string())?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(v) => v.into_owned(),
            Err(_) => {
                note(removed, "attributes with unknown entities");
                continue;
            }
        };
        if let Some(why) = attribute_problem(&name, &key, &value) {
            if why == "animations that change links" {
                note(removed, why);
                return Ok(None);
            }
            note(removed, why);
            continue;
        }
        out.push_attribute(Attribute { key: a.key, value: a.value.clone() });
    }
    Ok(Some(out))
}

fn note(removed: &mut Vec<String>, what: &str) {
    if !removed.iter().any(|r| r == what) {
        removed.push(what.to_string());
    }
}

/// The sanitized SVG and what was removed from it; an error when it is not well-formed SVG.
pub fn sanitize(input: &[u8]) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut reader = Reader::from_reader(input);
    let mut writer = Writer::new(Vec::with_capacity(input.len()));
    let mut removed = Vec::new();
    let mut buf = Vec::new();
    // Depth inside a dropped element (0: not inside one).
    let mut skipping = 0usize;
    // Events of a `<style>` element, held until its end decides whether it stays.
    let mut style: Option<(BytesStart<'static>, String)> = None;
    let mut saw_svg = false;
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("it is not well-formed XML near byte {} ({e})", reader.buffer_position()))?;
        if skipping > 0 {
            match event {
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                Event::Eof => return Err("it ends inside an element".into()),
                _ => {}
            }
            buf.clear();
            continue;
        }
        if let Some((_, css)) = &mut style {
            match &event {
                Event::Text(t) => css.push_str(&t.decode().map_err(|e| e.to_string())?),
                Event::CData(t) => css.push_str(&String::from_utf8_lossy(t)),
                Event::GeneralRef(_) => {}
                Event::End(_) => {
                    let (start, css) = style.take().expect("inside a style element");
                    depth -= 1;
                    if unsafe_css(&css) {
                        note(&mut removed, "styles that load from elsewhere");
                    } else {
                        let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                        write(&mut writer, Event::Start(start))?;
                        write(&mut writer, Event::Text(quick_xml::events::BytesText::new(&css)))?;
                        write(&mut writer, Event::End(quick_xml::events::BytesEnd::new(name)))?;
                    }
                }
                _ => {
                    // Markup inside `<style>`: not CSS, so the whole element goes.
                    note(&mut removed, "styles that load from elsewhere");
                    style = None;
                    skipping = 1 + usize::from(matches!(event, Event::Start(_)));
                    depth -= 1;
                }
            }
            buf.clear();
            continue;
        }
        match event {
            Event::Start(e) => {
                if depth == 0 {
                    saw_svg |= e.local_name().as_ref().eq_ignore_ascii_case(b"svg");
                }
                match clean_start(&e, &mut removed)? {
                    None => skipping = 1,
                    Some(clean) if e.local_name().as_ref().eq_ignore_ascii_case(b"style") => {
                        depth += 1;
                        style = Some((clean, String::new()));
                    }
                    Some(clean) => {
                        depth += 1;
                        write(&mut writer, Event::Start(clean))?;
                    }
                }
            }
            Event::Empty(e) => {
                if depth == 0 {
                    saw_svg |= e.local_name().as_ref().eq_ignore_ascii_case(b"svg");
                }
                if let Some(clean) = clean_start(&e, &mut removed)? {
                    write(&mut writer, Event::Empty(clean))?;
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                write(&mut writer, Event::End(e))?;
            }
            Event::Text(t) => write(&mut writer, Event::Text(t))?,
            Event::CData(t) => write(&mut writer, Event::CData(t))?,
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).to_string();
                if r.is_char_ref() || ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_str()) {
                    write(&mut writer, Event::GeneralRef(r))?;
                } else {
                    note(&mut removed, "entity references");
                }
            }
            Event::Decl(d) => write(&mut writer, Event::Decl(d))?,
            Event::DocType(_) => note(&mut removed, "its DOCTYPE"),
            Event::PI(_) => note(&mut removed, "processing instructions"),
            Event::Comment(_) => {}
            Event::Eof => break,
        }
        buf.clear();
    }
    if !saw_svg {
        return Err("its outermost element is not <svg>".into());
    }
    if depth != 0 {
        return Err("it ends inside an element".into());
    }
    Ok((writer.into_inner(), removed))
}

fn write(writer: &mut Writer<Vec<u8>>, event: Event) -> Result<(), String> {
    writer.write_event(event).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> (String, Vec<String>) {
        let (b, r) = sanitize(svg.as_bytes()).unwrap();
        (String::from_utf8(b).unwrap(), r)
    }

    #[test]
    fn scripts_handlers_and_outside_references_go() {
        let svg = r##"<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x "y">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" viewBox="0 0 10 10">
<script>alert(2)</script><SCRIPT/>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
<a href="java&#x09;script:alert(3)"><rect width="5" height="5" fill="red" onclick="x()"/></a>
<use xlink:href="https://evil.example/s.svg#a"/><use href="#ok"/>
<image href="data:image/png;base64,AAAA"/><image href="http://evil.example/p.png"/>
<set attributeName="href" to="javascript:alert(4)"/>
<style>@import url(https://evil.example/x.css);</style><style>.a{fill:url(#g)}</style>
<circle style="fill:url(https://evil.example/t)" r="1"/>
</svg>"##;
        let (out, removed) = clean(svg);
        for bad in
            ["alert", "evil.example", "<script", "<SCRIPT", "foreignObject", "onclick", "onload", "DOCTYPE", "@import"]
        {
            assert!(!out.contains(bad), "{bad} left in {out}");
        }
        for good in
            ["<use href=\"#ok\"/>", "data:image/png;base64,AAAA", ".a{fill:url(#g)}", "<rect width=\"5\"", "viewBox"]
        {
            assert!(out.contains(good), "{good} missing from {out}");
        }
        assert!(removed.contains(&"<script>".to_string()), "{removed:?}");
        assert!(removed.contains(&"event handlers (on… attributes)".to_string()), "{removed:?}");
    }

    #[test]
    fn a_clean_svg_is_unchanged_and_broken_ones_are_refused() {
        let svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\" fill=\"#123\"/><text>a &amp; b</text></svg>";
        let (out, removed) = clean(svg);
        assert_eq!(out, svg);
        assert!(removed.is_empty());
        assert!(sanitize(b"<svg><g></svg>").is_err());
        assert!(sanitize(b"<html></html>").is_err());
    }
}
