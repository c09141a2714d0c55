//! The body of an imported post: other generators' shortcodes and Liquid tags turned into
//! plain Markdown (figures into images, videos into links, highlight blocks into fenced
//! code, links to other posts into `@/` links), and every one that cannot be turned into
//! Markdown kept as visible text (a code span) with a problem to report.
//!
//! Owns the shortcode syntaxes of Zola (`{{ name(…) }}`, `{% name(…) %}…{% end %}`), Hugo
//! (`{{< name … >}}`, `{{% name … %}}`) and Jekyll (`{% tag … %}`, `{{ expression }}`).
//! Never changes fenced code, inline code, or what is between Jekyll's `raw` tags. Reads no
//! files: links to other posts are resolved through the caller's function.

/// Which generator's syntax a body is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Zola,
    Hugo,
    Jekyll,
}

/// Something in the body that was kept as text instead of converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the body, and 1-based column in characters.
    pub line: usize,
    pub column: usize,
    pub span: usize,
    pub message: String,
    pub hint: String,
}

#[derive(Debug, Default)]
pub struct Converted {
    pub body: String,
    pub problems: Vec<Problem>,
    /// How many shortcodes or tags became Markdown.
    pub converted: usize,
}

/// Resolves a reference to another post of the blog (a Hugo `ref`, a Jekyll `post_url`, a
/// Zola `@/` path) to the hub's `@/posts/…` path.
pub type Resolve<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What a body may refer to outside itself.
pub struct Context<'a> {
    /// Another post of the blog, to its `@/posts/…` path.
    pub link: Resolve<'a>,
    /// A variable (Jekyll's `site.x` and `page.x`, Hugo's `param "x"`), to its text.
    pub var: Resolve<'a>,
}

struct State<'a> {
    flavor: Flavor,
    resolve: Resolve<'a>,
    var: Resolve<'a>,
    out: Converted,
    /// Inside a fenced block: its fence character and length.
    fence: Option<(char, usize)>,
    /// Inside a highlight shortcode: the text that closes it.
    highlight: Option<&'static str>,
    /// Between Jekyll's `{% raw %}` and `{% endraw %}`.
    raw: bool,
    /// Between Jekyll's `{% comment %}` and `{% endcomment %}`, or Hugo's `{{< comment >}}`
    /// and `{{< /comment >}}`: dropped, as the old site did.
    comment: bool,
}

/// Converts `body`, written for `flavor`.
pub fn convert(body: &str, flavor: Flavor, cx: &Context) -> Converted {
    let mut st = State {
        flavor,
        resolve: cx.link,
        var: cx.var,
        out: Converted::default(),
        fence: None,
        highlight: None,
        raw: false,
        comment: false,
    };
    let lines: Vec<&str> = body.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let mut line = lines[i].to_string();
        let start = i;
        // A shortcode may span lines: read on until it closes (a few lines at most).
        if st.fence.is_none() && st.highlight.is_none() && !st.raw {
            while let Some(closer) = unclosed(&line, flavor) {
                if i + 1 >= lines.len() || i - start >= 12 || lines[i + 1].trim().is_empty() {
                    let _ = closer;
                    break;
                }
                i += 1;
                line.push(' ');
                line.push_str(lines[i].trim());
            }
        }
        let converted = st.line(&line, start + 1);
        if let Some(text) = converted {
            st.out.body.push_str(&text);
            st.out.body.push('\n');
        }
        i += 1;
    }
    st.out
}

/// The closing text of a shortcode opened on `line` and not closed there.
fn unclosed(line: &str, flavor: Flavor) -> Option<&'static str> {
    let pairs: &[(&str, &'static str)] = match flavor {
        Flavor::Hugo => &[("{{<", ">}}"), ("{{%", "%}}")],
        Flavor::Zola => &[("{{", "}}"), ("{%", "%}")],
        Flavor::Jekyll => &[("{%", "%}"), ("{{", "}}")],
    };
    let code_free = without_code(line);
    pairs.iter().find_map(|&(open, close)| {
        let at = code_free.rfind(open)?;
        (!code_free[at..].contains(close)).then_some(close)
    })
}

/// `line` with inline code spans blanked out, for searching.
fn without_code(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find('`') {
        out.push_str(&rest[..at]);
        let run = rest[at..].chars().take_while(|&c| c == '`').count();
        let ticks = &rest[at..at + run];
        match rest[at + run..].find(ticks) {
            Some(end) => {
                out.push_str(&" ".repeat(run + end + run));
                rest = &rest[at + run + end + run..];
            }
            None => {
                out.push_str(ticks);
                rest = &rest[at + run..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn fence_of(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next().filter(|&c| c == '`' || c == '~')?;
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

impl State<'_> {
    /// One (logical) line; `None` drops it.
    fn line(&mut self, line: &str, number: usize) -> Option<String> {
        if self.flavor == Flavor::Jekyll && (self.raw || self.comment || line.contains("{%")) {
            return self.jekyll_modes(line, number);
        }
        if self.flavor == Flavor::Hugo && self.comment {
            let (_, end) = find_hugo_close(line, "comment")?;
            self.comment = false;
            let rest = self.tokens(&line[end..], number);
            return (!rest.trim().is_empty()).then_some(rest);
        }
        if let Some((c, n)) = self.fence {
            if let Some((c2, n2)) = fence_of(line) {
                if c2 == c && n2 >= n && line.trim_start().trim_start_matches(c).trim().is_empty() {
                    self.fence = None;
                }
            }
            return Some(line.to_string());
        }
        if let Some(close) = self.highlight {
            return Some(self.in_highlight(line, close));
        }
        if let Some(f) = fence_of(line) {
            self.fence = Some(f);
            return Some(line.to_string());
        }
        let line = if line.trim() == "<!--more-->" || line.trim() == "<!-- more -->" {
            "<!-- more -->".to_string()
        } else {
            line.to_string()
        };
        Some(self.tokens(&line, number))
    }

    /// Jekyll's `raw` and `comment` blocks, which hold even inside fenced code.
    fn jekyll_modes(&mut self, line: &str, number: usize) -> Option<String> {
        let mut out = String::new();
        let mut rest = line;
        let mut dropped_all = true;
        loop {
            if self.comment {
                match find_tag(rest, "endcomment") {
                    Some((_, end)) => {
                        self.comment = false;
                        rest = &rest[end..];
                    }
                    None => return (!dropped_all || !out.trim().is_empty()).then_some(out),
                }
                continue;
            }
            if self.raw {
                match find_tag(rest, "endraw") {
                    Some((at, end)) => {
                        out.push_str(&rest[..at]);
                        self.raw = false;
                        rest = &rest[end..];
                        dropped_all = false;
                    }
                    None => {
                        out.push_str(rest);
                        return Some(out);
                    }
                }
                continue;
            }
            let raw = find_tag(rest, "raw");
            let comment = find_tag(rest, "comment");
            let next = match (raw, comment) {
                (Some(r), Some(c)) => Some(if r.0 < c.0 { (r, true) } else { (c, false) }),
                (Some(r), None) => Some((r, true)),
                (None, Some(c)) => Some((c, false)),
                (None, None) => None,
            };
            match next {
                Some(((at, end), is_raw)) => {
                    let before = &rest[..at];
                    out.push_str(&self.plain_part(before, number));
                    if is_raw {
                        self.raw = true;
                    } else {
                        self.comment = true;
                    }
                    rest = &rest[end..];
                    if !before.trim().is_empty() {
                        dropped_all = false;
                    }
                }
                None => {
                    let converted = self.plain_part(rest, number);
                    if !converted.trim().is_empty() || !dropped_all || line.trim().is_empty() {
                        out.push_str(&converted);
                    }
                    return (!out.is_empty() || !dropped_all || line.trim().is_empty()).then_some(out);
                }
            }
        }
    }

    /// A part of a Jekyll line outside `raw` and `comment`, with fences and highlight blocks.
    fn plain_part(&mut self, part: &str, number: usize) -> String {
        if let Some((c, n)) = self.fence {
            if let Some((c2, n2)) = fence_of(part) {
                if c2 == c && n2 >= n {
                    self.fence = None;
                }
            }
            return part.to_string();
        }
        if let Some(close) = self.highlight {
            return self.in_highlight(part, close);
        }
        if let Some(f) = fence_of(part) {
            self.fence = Some(f);
            return part.to_string();
        }
        self.tokens(part, number)
    }

    fn in_highlight(&mut self, line: &str, close: &'static str) -> String {
        let found = match self.flavor {
            Flavor::Jekyll => find_tag(line, close),
            _ => find_hugo_close(line, close),
        };
        match found {
            Some((at, end)) => {
                self.highlight = None;
                let before = &line[..at];
                let after = line[end..].trim();
                let mut out = String::new();
                if !before.trim().is_empty() {
                    out.push_str(before);
                    out.push('\n');
                }
                out.push_str("```");
                if !after.is_empty() {
                    out.push('\n');
                    out.push_str(after);
                }
                out
            }
            None => line.to_string(),
        }
    }

    /// Converts every shortcode of one line outside code.
    fn tokens(&mut self, line: &str, number: usize) -> String {
        let searchable = without_code(line);
        let mut out = String::new();
        let mut pos = 0;
        let openers: &[&str] = match self.flavor {
            Flavor::Hugo => &["{{<", "{{%"],
            Flavor::Zola | Flavor::Jekyll => &["{{", "{%"],
        };
        while pos < line.len() {
            let next = openers.iter().filter_map(|o| searchable[pos..].find(o).map(|i| (pos + i, *o))).min();
            let Some((at, opener)) = next else { break };
            let closer = match opener {
                "{{<" => ">}}",
                "{{%" => "%}}",
                "{{" => "}}",
                _ => "%}",
            };
            let Some(end) = searchable[at + opener.len()..].find(closer).map(|i| at + opener.len() + i + closer.len())
            else {
                break;
            };
            out.push_str(&line[pos..at]);
            let token = &line[at..end];
            let inner = token[opener.len()..token.len() - closer.len()].trim();
            if self.flavor == Flavor::Hugo && inner == "comment" {
                self.out.converted += 1;
                match find_hugo_close(&line[end..], "comment") {
                    Some((_, close)) => {
                        pos = end + close;
                        continue;
                    }
                    None => {
                        self.comment = true;
                        return out;
                    }
                }
            }
            let whole_line = line.trim() == token.trim();
            let column = line[..at].chars().count() + 1;
            let rest_empty = line[end..].trim().is_empty();
            let replacement = match self.flavor {
                Flavor::Hugo => self.hugo(inner, whole_line, rest_empty),
                Flavor::Zola if opener == "{{" => self.zola_inline(inner, whole_line),
                Flavor::Zola => self.zola_block(inner),
                Flavor::Jekyll if opener == "{{" => self.jekyll_output(inner),
                Flavor::Jekyll => self.jekyll_tag(inner, rest_empty),
            };
            match replacement {
                Ok(text) => {
                    self.out.converted += 1;
                    out.push_str(&text);
                }
                Err(why) => {
                    let (message, hint) = why.words(token);
                    self.out.problems.push(Problem {
                        line: number,
                        column,
                        span: token.chars().count().min(80),
                        message,
                        hint,
                    });
                    out.push_str(&code_span(token));
                }
            }
            pos = end;
        }
        out.push_str(&line[pos..]);
        if self.flavor == Flavor::Zola {
            out = self.at_links(&out, number);
        }
        out
    }

    /// Zola's internal links `[x](@/blog/post.md)`, to the hub's.
    fn at_links(&mut self, line: &str, number: usize) -> String {
        if !line.contains("](@/") {
            return line.to_string();
        }
        let mut out = String::new();
        let mut rest = line;
        while let Some(at) = rest.find("](@/") {
            out.push_str(&rest[..at + 2]);
            let target = &rest[at + 2..];
            let end = target.find([')', ' ']).unwrap_or(target.len());
            let (path, anchor) = target[..end].split_once('#').map_or((&target[..end], ""), |(p, a)| (p, a));
            let path_only = &path[2..];
            match (self.resolve)(path_only) {
                Some(new) => {
                    self.out.converted += 1;
                    out.push_str(&new);
                    if !anchor.is_empty() {
                        out.push('#');
                        out.push_str(anchor);
                    }
                }
                None => {
                    self.out.problems.push(Problem {
                        line: number,
                        column: line[..line.len() - rest.len() + at + 2].chars().count() + 1,
                        span: path.chars().count(),
                        message: format!("the link `{path}` leads to a page that was not imported"),
                        hint: "link the page's address on the old site, or import it as a post too".into(),
                    });
                    out.push_str(&target[..end]);
                }
            }
            rest = &target[end..];
        }
        out.push_str(rest);
        out
    }

    fn hugo(&mut self, inner: &str, whole_line: bool, rest_empty: bool) -> Result<String, Why> {
        if let Some(escaped) = inner.strip_prefix("/*").and_then(|s| s.strip_suffix("*/")) {
            return Ok(code_span(&format!("{{{{< {} >}}}}", escaped.trim())));
        }
        let (name, args) = split_name(inner);
        let a = Args::hugo(args);
        match name {
            "figure" => figure(&a, whole_line),
            "youtube" => video(&a, Host::YouTube),
            "vimeo" => video(&a, Host::Vimeo),
            "gist" => {
                let user = a.get("user", 0).ok_or(Why::Incomplete("the gist's user"))?;
                let id = a.get("id", 1).ok_or(Why::Incomplete("the gist's id"))?;
                Ok(block(&format!("[Gist {user}/{id} (on GitHub)](https://gist.github.com/{user}/{id})"), whole_line))
            }
            "tweet" | "x" => {
                let id = a.get("id", 0).ok_or(Why::Incomplete("the post's id"))?;
                let url = match a.get("user", usize::MAX) {
                    Some(user) => format!("https://x.com/{user}/status/{id}"),
                    None => format!("https://x.com/i/status/{id}"),
                };
                Ok(block(&format!("[A post on X]({url})"), whole_line))
            }
            "instagram" => {
                let id = a.get("id", 0).ok_or(Why::Incomplete("the post's id"))?;
                Ok(block(&format!("[A post on Instagram](https://www.instagram.com/p/{id}/)"), whole_line))
            }
            "highlight" if rest_empty => {
                self.highlight = Some("highlight");
                Ok(format!("```{}", a.get("lang", 0).unwrap_or_default()))
            }
            "param" => {
                let key = a.get("name", 0).ok_or(Why::Incomplete("which parameter"))?;
                (self.var)(&key).ok_or(Why::Unknown)
            }
            "ref" | "relref" => {
                let target = a.get("path", 0).ok_or(Why::Incomplete("the page it links to"))?;
                let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
                match (self.resolve)(path) {
                    Some(new) if anchor.is_empty() => Ok(new),
                    Some(new) => Ok(format!("{new}#{anchor}")),
                    None => Err(Why::NotImported(target.clone())),
                }
            }
            _ => Err(Why::Unknown),
        }
    }

    fn zola_inline(&mut self, inner: &str, whole_line: bool) -> Result<String, Why> {
        if let Some(escaped) = inner.strip_prefix("/*").and_then(|s| s.strip_suffix("*/")) {
            return Ok(code_span(&format!("{{{{ {} }}}}", escaped.trim())));
        }
        let Some((name, args)) = zola_call(inner) else {
            return Err(Why::Unknown);
        };
        let a = Args::zola(args);
        match name {
            "youtube" => video(&a, Host::YouTube),
            "vimeo" => video(&a, Host::Vimeo),
            "gist" => {
                let url = a.get("url", 0).ok_or(Why::Incomplete("the gist's address"))?;
                Ok(block(&format!("[A gist (on GitHub)]({url})"), whole_line))
            }
            "figure" | "image" | "img" | "fig" | "resize_image" | "picture" | "responsive" => figure(&a, whole_line),
            _ => Err(Why::Unknown),
        }
    }

    fn zola_block(&mut self, inner: &str) -> Result<String, Why> {
        let _ = self;
        let _ = inner;
        Err(Why::Unknown)
    }

    fn jekyll_output(&mut self, inner: &str) -> Result<String, Why> {
        let inner = inner.trim_matches('-').trim();
        let (value, filters) = inner.split_once('|').map_or((inner, ""), |(v, f)| (v.trim(), f.trim()));
        match value {
            "site.baseurl" | "site.url" | "site.github.url" | "site.base_url" => return Ok(String::new()),
            _ => {}
        }
        if filters.is_empty() && (value.starts_with("site.") || value.starts_with("page.")) {
            if let Some(v) = (self.var)(value) {
                return Ok(v);
            }
        }
        if let Some(s) = unquote(value) {
            let filters: Vec<&str> = filters.split('|').map(str::trim).filter(|f| !f.is_empty()).collect();
            if filters.iter().all(|f| matches!(*f, "relative_url" | "absolute_url" | "prepend: site.baseurl")) {
                return Ok(s.to_string());
            }
        }
        Err(Why::Unknown)
    }

    fn jekyll_tag(&mut self, inner: &str, rest_empty: bool) -> Result<String, Why> {
        let inner = inner.trim_matches('-').trim();
        let (name, args) = split_name(inner);
        match name {
            "highlight" if rest_empty => {
                self.highlight = Some("endhighlight");
                Ok(format!("```{}", args.split_whitespace().next().unwrap_or_default()))
            }
            "post_url" | "link" => {
                let target = args.trim();
                match (self.resolve)(target) {
                    Some(new) => Ok(new),
                    None => Err(Why::NotImported(target.to_string())),
                }
            }
            "youtube" => video(&Args::hugo(args), Host::YouTube),
            "vimeo" => video(&Args::hugo(args), Host::Vimeo),
            _ => Err(Why::Unknown),
        }
    }
}

/// Why a shortcode was kept as text.
enum Why {
    Unknown,
    Incomplete(&'static str),
    NotImported(String),
}

impl Why {
    fn words(&self, token: &str) -> (String, String) {
        let shown: String = token.chars().take(60).collect();
        let shown = if shown.len() < token.len() { format!("{shown}…") } else { shown };
        match self {
            Why::Unknown => (
                format!("`{shown}` has no Markdown equivalent, so it was kept as text"),
                "replace it by hand with what it showed on the old site (text, an image or a link), or remove it"
                    .into(),
            ),
            Why::Incomplete(what) => (
                format!("`{shown}` does not say {what}, so it was kept as text"),
                "replace it by hand with a link or an image".into(),
            ),
            Why::NotImported(target) => (
                format!("`{shown}` links to `{target}`, which was not imported, so it was kept as text"),
                "link the old page's address instead, or import that page as a post too".into(),
            ),
        }
    }
}

/// `text` as inline code, whatever backticks it holds.
fn code_span(text: &str) -> String {
    let text = text.replace('\n', " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A Jekyll tag `{% name %}` (or `{%- name -%}`) in `line`: its start and end.
fn find_tag(line: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = line[from..].find("{%").map(|i| from + i) {
        let end = line[at..].find("%}").map(|i| at + i + 2)?;
        let inner = line[at + 2..end - 2].trim_matches('-').trim();
        if inner == name || inner.split_whitespace().next() == Some(name) {
            return Some((at, end));
        }
        from = end;
    }
    None
}

/// Hugo's closing `{{< /name >}}` (or `{{% /name %}}`) in `line`.
fn find_hugo_close(line: &str, name: &str) -> Option<(usize, usize)> {
    for (open, close) in [("{{<", ">}}"), ("{{%", "%}}")] {
        let mut from = 0;
        while let Some(at) = line[from..].find(open).map(|i| from + i) {
            let Some(end) = line[at..].find(close).map(|i| at + i + close.len()) else { break };
            let inner = line[at + open.len()..end - close.len()].trim();
            if inner.strip_prefix('/').map(str::trim) == Some(name) {
                return Some((at, end));
            }
            from = end;
        }
    }
    None
}

fn split_name(inner: &str) -> (&str, &str) {
    let inner = inner.trim();
    let end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    (&inner[..end], inner[end..].trim())
}

/// `name(args)` of a Zola shortcode call.
fn zola_call(inner: &str) -> Option<(&str, &str)> {
    let open = inner.find('(')?;
    let name = inner[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let args = inner[open + 1..].trim_end().strip_suffix(')')?;
    Some((name, args))
}

fn unquote(s: &str) -> Option<&str> {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
}

/// A shortcode's arguments: by position and by name.
#[derive(Debug, Default)]
struct Args {
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Args {
    /// Hugo's (and Jekyll plugins') `a "b c" key="v" key=v`.
    fn hugo(s: &str) -> Args {
        let mut a = Args::default();
        for word in words(s, ' ') {
            match word.split_once('=') {
                Some((k, v)) if !k.contains('"') && !k.is_empty() => {
                    a.named.push((k.trim().to_string(), strip_quotes(v.trim())));
                }
                _ => a.positional.push(strip_quotes(&word)),
            }
        }
        a
    }

    /// Zola's `key="v", key2=3`.
    fn zola(s: &str) -> Args {
        let mut a = Args::default();
        for part in words(s, ',') {
            match part.split_once('=') {
                Some((k, v)) => a.named.push((k.trim().to_string(), strip_quotes(v.trim()))),
                None if !part.trim().is_empty() => a.positional.push(strip_quotes(part.trim())),
                None => {}
            }
        }
        a
    }

    fn get(&self, name: &str, position: usize) -> Option<String> {
        self.named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| self.positional.get(position).cloned())
            .filter(|v| !v.is_empty())
    }

    fn named(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| self.get(n, usize::MAX))
    }
}

/// Splits on `sep` outside double, single and back quotes.
fn words(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                cur.push(c);
            }
            Some(_) => cur.push(c),
            None if c == '"' || c == '`' || (c == '\'' && sep == ',') => {
                quote = Some(c);
                cur.push(c);
            }
            None if c == sep || (sep == ' ' && c.is_whitespace()) => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
            }
            None => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn strip_quotes(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.replace("\\\"", "\"");
        }
    }
    s.to_string()
}

/// A line of its own when the shortcode was, so it stays a paragraph.
fn block(markdown: &str, _whole_line: bool) -> String {
    markdown.to_string()
}

fn figure(a: &Args, whole_line: bool) -> Result<String, Why> {
    let src = a
        .named(&["src", "path", "url", "file", "image"])
        .or_else(|| a.positional.first().cloned())
        .ok_or(Why::Incomplete("which image to show"))?;
    let caption = a.named(&["caption"]).map(|c| plain(&c));
    let title = a.named(&["title"]).map(|t| plain(&t));
    let alt = a.named(&["alt"]).or_else(|| caption.clone()).or_else(|| title.clone()).unwrap_or_default();
    let src = if src.contains([' ', '(', ')']) { format!("<{src}>") } else { src };
    let mut md = format!("![{}]({src})", alt.replace(['[', ']'], ""));
    if let Some(link) = a.named(&["link"]) {
        md = format!("[{md}]({link})");
    }
    if whole_line {
        if let Some(c) = caption.filter(|c| !c.is_empty() && *c != alt) {
            md.push_str(&format!("\n\n*{c}*"));
        }
    }
    Ok(md)
}

/// Text without HTML tags or line breaks, for alt texts.
fn plain(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(if c.is_whitespace() { ' ' } else { c }),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[derive(Clone, Copy)]
enum Host {
    YouTube,
    Vimeo,
}

fn video(a: &Args, host: Host) -> Result<String, Why> {
    let id = a.get("id", 0).ok_or(Why::Incomplete("which video to show"))?;
    let (url, site) = match host {
        _ if id.starts_with("https://") => (id.clone(), "elsewhere"),
        Host::YouTube => (format!("https://www.youtube.com/watch?v={id}"), "YouTube"),
        Host::Vimeo => (format!("https://vimeo.com/{id}"), "Vimeo"),
    };
    let title = a.named(&["title"]).map(|t| plain(&t));
    Ok(match title {
        Some(t) => format!("[Video: {} (on {site})]({url})", t.replace(['[', ']'], "")),
        None => format!("[Watch the video on {site}]({url})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    fn run(body: &str, flavor: Flavor) -> Converted {
        let link = |p: &str| (p.contains("first")).then(|| "@/posts/2020/2020-01-01-first.md".to_string());
        let var = |v: &str| match v {
            "site.repository" | "version" => Some("X".to_string()),
            _ => None,
        };
        convert(body, flavor, &Context { link: &link, var: &var })
    }

    #[test]
    fn hugo_shortcodes_become_markdown() {
        let c = run(
            "Intro\n\n{{< figure src=\"cover.png\" alt=\"A roof\" caption=\"The roof\" >}}\n\n\
             {{< youtube w7Ft2ymGmfc >}}\n{{< vimeo id=\"146022717\" title=\"A talk\" >}}\n\
             {{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}\n\
             See [the first]({{< ref \"first.md\" >}}).\n<!--more-->\n",
            Flavor::Hugo,
        );
        assert_eq!(
            c.body,
            "Intro\n\n![A roof](cover.png)\n\n*The roof*\n\n[Watch the video on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)\n\
             [Video: A talk (on Vimeo)](https://vimeo.com/146022717)\n```go\nfunc main() {}\n```\n\
             See [the first](@/posts/2020/2020-01-01-first.md).\n<!-- more -->\n"
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.converted, 5);
    }

    #[test]
    fn unknown_shortcodes_stay_visible_with_their_place() {
        let c = run("One\n\nText {{< param \"colour\" >}} and {{% notice %}}x{{% /notice %}}\n", Flavor::Hugo);
        assert_eq!(c.body, "One\n\nText `{{< param \"colour\" >}}` and `{{% notice %}}`x`{{% /notice %}}`\n");
        assert_eq!(c.problems.len(), 3);
        assert_eq!((c.problems[0].line, c.problems[0].column), (3, 6));
        assert_eq!(
            c.problems[0].message,
            "`{{< param \"colour\" >}}` has no Markdown equivalent, so it was kept as text"
        );
        assert_eq!(run("v{{% param version %}}\n", Flavor::Hugo).body, "vX\n");
        assert_eq!(run("[r]({{ site.repository }}/x)\n", Flavor::Jekyll).body, "[r](X/x)\n");
        let c = run("{{< ref \"missing.md\" >}}\n", Flavor::Hugo);
        assert!(c.problems[0].message.contains("links to `missing.md`, which was not imported"), "{:?}", c.problems);
    }

    #[test]
    fn hugo_comments_are_left_out_as_the_old_site_did() {
        let c = run(
            "A {{< comment >}}hidden{{< /comment >}} B\n{{% comment %}}\nhidden\n{{% /comment %}}\nC\n",
            Flavor::Hugo,
        );
        assert_eq!(c.body, "A  B\n\nC\n");
        assert!(c.problems.is_empty());
    }

    #[test]
    fn code_is_never_touched() {
        let body = "```\n{{< youtube x >}}\n{{ youtube(id=\"x\") }}\n```\nUse `{{< youtube x >}}` here.\n";
        let c = run(body, Flavor::Hugo);
        assert_eq!(c.body, body);
        assert!(c.problems.is_empty());
        let c = run(body, Flavor::Zola);
        assert_eq!(c.body, body);
    }

    #[test]
    fn zola_shortcodes_and_internal_links() {
        let c = run(
            "{{ youtube(id=\"dQw4w9WgXcQ\") }}\n{{ figure(src=\"chart.png\", alt=\"A chart\") }}\n\
             [Before](@/blog/first.md#why) and [gone](@/blog/gone.md)\n{{ mystery(x=1) }}\n",
            Flavor::Zola,
        );
        assert_eq!(
            c.body,
            "[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n![A chart](chart.png)\n\
             [Before](@/posts/2020/2020-01-01-first.md#why) and [gone](@/blog/gone.md)\n`{{ mystery(x=1) }}`\n"
        );
        assert_eq!(c.problems.len(), 2);
        assert_eq!(c.problems[0].line, 3);
        assert_eq!(c.problems[1].line, 4);
    }

    #[test]
    fn jekyll_liquid_becomes_markdown() {
        let c = run(
            "{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n![x]({{ site.baseurl }}/img/a.png)\n\
             ![y]({{ \"/img/b.png\" | relative_url }})\n[p]({% post_url 2010-01-01-first %})\n\
             ```\n{% raw %}{{ kept }}{% endraw %}\n```\n{% comment %}\nhidden\n{% endcomment %}\n\
             {% include note.html %}\n",
            Flavor::Jekyll,
        );
        assert_eq!(
            c.body,
            "```ruby\nputs 1\n```\n![x](/img/a.png)\n![y](/img/b.png)\n[p](@/posts/2020/2020-01-01-first.md)\n\
             ```\n{{ kept }}\n```\n`{% include note.html %}`\n"
        );
        assert_eq!(c.problems.len(), 1);
        assert_eq!(c.problems[0].line, 13);
    }

    #[test]
    fn shortcodes_over_several_lines_are_read_whole() {
        let cx = Context { link: &none, var: &none };
        let c = convert("{{< figure\n  src=\"a.png\"\n  alt=\"An a\" >}}\nNext\n", Flavor::Hugo, &cx);
        assert_eq!(c.body, "![An a](a.png)\nNext\n");
    }
}
