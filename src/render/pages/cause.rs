//! A cause's page: what, when and where, who it belongs to, and its share kit.

use serde::Serialize;

use super::super::view::ld;
use super::super::{Rendered, Renderer};
use crate::cards::{kits, CauseCard};
use crate::content::Location;
use crate::share::{self, ShareKit};
use crate::site::CauseId;

/// `cause.html`'s own view.
#[derive(Serialize)]
struct CausePage<'a> {
    cause: CauseView<'a>,
    kit: &'a ShareKit,
}

#[derive(Serialize)]
struct CauseView<'a> {
    card: &'a CauseCard,
    title: &'a str,
    /// The body's HTML.
    content: &'a str,
    /// The cause is over.
    past: bool,
    /// The cause's `event.ics` (site path), for "Add to calendar".
    calendar_url: String,
    /// The cause page's absolute address, printed on the poster.
    absolute_url: String,
    /// The QR code of `absolute_url` as inline SVG with its label, for the poster.
    qr_svg: Option<String>,
    extra: &'a serde_json::Value,
}

impl Renderer<'_> {
    /// Cause `id`'s page; nothing for a cause that is not published.
    pub fn cause(&self, id: CauseId) -> Rendered {
        let site = self.site;
        if !site.cause_published(id) {
            return Rendered::none();
        }
        let c = site.cause(id);
        let card = self.cards.cause(id);
        let body = self.body(&c.file, &card.url, card.image.is_none(), false);
        let mut diagnostics = body.diagnostics;
        let kit = self.cards.cause_kit(site, id);
        for (network, length) in share::over_limit(&kit) {
            diagnostics.push(kits::too_long(&c.file, &c.share, c.summary.as_ref(), network, length));
        }
        let location = match &c.location {
            Some(Location::Place { name, address }) => {
                ld::Location::Place { kind: "Place", address: address.as_deref().unwrap_or(name), name }
            }
            Some(Location::Online { online }) => ld::Location::Virtual { kind: "VirtualLocation", url: online },
            None => ld::Location::Place { kind: "Place", address: &card.title, name: &card.title },
        };
        let event = ld::Event {
            context: ld::SCHEMA_ORG,
            kind: "Event",
            description: &card.summary_text,
            end_date: card.ends.as_deref(),
            event_attendance_mode: match &c.location {
                Some(Location::Online { .. }) => "https://schema.org/OnlineEventAttendanceMode",
                _ => "https://schema.org/OfflineEventAttendanceMode",
            },
            event_status: "https://schema.org/EventScheduled",
            image: card.image.as_ref().map(|im| im.absolute_url.as_str()),
            location,
            name: &c.title,
            offers: c.link.as_deref().map(|url| ld::Offer { kind: "Offer", url }),
            organizer: card.owner.as_ref().map(|o| ld::Organizer {
                kind: "Person",
                name: &o.name,
                url: site.config().absolute(&o.url),
            }),
            start_date: &card.starts,
            url: site.config().absolute(&card.url),
        };
        let mut meta = self.meta(&card.url, &c.title, &card.summary_text, "website");
        meta.image = card.image.as_ref().or(card.social_image.as_ref());
        meta.json_ld = Some(ld::to_script(&event));
        let view = CausePage {
            cause: CauseView {
                card,
                title: &c.title,
                content: &body.html,
                past: c.last_moment() < site.options().now,
                calendar_url: crate::calendar::event_path(self.site, &c.slug.value),
                qr_svg: crate::poster::qr_svg(&site.config().absolute(&card.url)),
                absolute_url: site.config().absolute(&card.url),
                extra: &c.extra,
            },
            kit: &kit,
        };
        let mut rendered = Rendered::one(self.page("cause.html", &meta, &card.url, view));
        rendered.outputs.push(crate::calendar::event_file(site, self.cards, self.strings, id));
        rendered.diagnostics.splice(0..0, diagnostics);
        rendered
    }
}
