//! The live preview of `broadside watch --serve`: a page on this machine that
//! shows every page of every document as an image, reloads itself when a
//! rebuild finishes, and shows the build's error in place of the pages when
//! there is one.
//!
//! Serving and reloading are typst-kit's small HTTP server (the one `typst
//! watch` uses): it listens on 127.0.0.1 only and tells the page to reload
//! through server-sent events whenever the content changes. Pages are
//! rendered to PNG when the browser asks for them, from the layout the build
//! already made, so a rebuild costs no rendering until someone looks.

use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use typst::foundations::Bytes;
use typst_kit::server::{HttpBody, HttpServer};

use crate::error::{Error, Result};
use crate::set::engine::Document;

/// Pixels per inch of the preview's page images: sharp on a laptop screen
/// at the size the page shows them, quick to render.
const PPI: f32 = 110.0;

/// A running preview server.
pub struct Preview {
    server: HttpServer,
    title: String,
    generation: AtomicU64,
}

/// What the preview shows after a build.
pub enum Shown<'a> {
    /// The documents of a good build, and how long it took.
    Documents(&'a [Document], std::time::Duration),
    /// A build's error; the documents on disk are the last good ones.
    Error(&'a str),
}

impl Preview {
    /// Starts serving on 127.0.0.1, on `port` or the first free one of
    /// 3000–3005. `title` names what is previewed (the statement file).
    pub fn start(title: &str, port: Option<u16>) -> Result<Preview> {
        // The page brings its own reload script (see CHECK_SCRIPT).
        let server = HttpServer::new(title, port, false)
            .map_err(|e| Error::Internal(format!("cannot start the preview server: {e}")))?;
        Ok(Preview {
            server,
            title: title.to_owned(),
            generation: AtomicU64::new(0),
        })
    }

    /// Where the preview is served.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Replaces what the preview shows; every open page reloads.
    pub fn show(&self, shown: Shown<'_>) {
        let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
        match shown {
            Shown::Documents(documents, took) => {
                let html = documents_page(&self.title, documents, took, generation);
                let documents: Arc<Vec<Document>> = Arc::new(documents.to_vec());
                self.server.set_router(move |route| {
                    if route == "/" {
                        return Some(HttpBody::Html(html.clone()));
                    }
                    if route == "/generation" {
                        return Some(generation_body(generation));
                    }
                    let (document, page) = parse_page_route(route)?;
                    let image = documents.get(document)?.render(page, PPI, false)?;
                    png(&image).map(|bytes| HttpBody::Raw(Bytes::new(bytes)))
                });
            }
            Shown::Error(message) => {
                let html = error_page(&self.title, message, generation);
                self.server
                    .set_router(move |route| (route == "/").then(|| HttpBody::Html(html.clone())));
            }
        }
    }
}

/// The number of the build shown, for the page's check that it is current.
fn generation_body(generation: u64) -> HttpBody {
    HttpBody::Raw(Bytes::new(generation.to_string().into_bytes()))
}

/// Once the page's images have loaded, the page listens for the server's
/// reload event (server-sent events on `/__events`). The server answers one
/// request at a time, and listening earlier held up the last image. An event
/// sent while the page was reloading would be lost, so the page also asks
/// which build is current (`/generation`) when it starts listening and once a
/// second after, and reloads if it is not the one shown.
const CHECK_SCRIPT: &str = "<script>window.addEventListener('load',function(){\
var shown=document.getElementById('preview').dataset.generation;\
function check(){fetch('/generation',{cache:'no-store'}).then(function(r){return r.text()})\
.then(function(t){if(t.trim()!==shown)location.reload()}).catch(function(){})}\
new EventSource('/__events').addEventListener('reload',function(){location.reload()});\
check();setInterval(check,1000)})</script>";

/// `/page/{document}/{page}.png`, both counted from 0.
fn parse_page_route(route: &str) -> Option<(usize, usize)> {
    let rest = route.strip_prefix("/page/")?.strip_suffix(".png")?;
    let (document, page) = rest.split_once('/')?;
    Some((document.parse().ok()?, page.parse().ok()?))
}

/// The image as PNG, compressed for speed: it travels over loopback.
fn png(image: &image::RgbaImage) -> Option<Vec<u8>> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Cursor::new(Vec::new());
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Sub)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .ok()?;
    Some(out.into_inner())
}

/// Text for HTML, escaped as the email version escapes it.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::write::textout::escape_html(&mut out, text);
    out
}

const STYLE: &str = "\
body{margin:0;font:15px/1.4 system-ui,sans-serif;background:#e9e9ee;color:#18181c}\
header{position:sticky;top:0;background:#18181c;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:baseline;z-index:1}\
header b{font-size:16px}header span{color:#bbb}\
main{padding:8px 20px 40px}\
h2{font-size:15px;margin:24px 0 10px}h2 small{font-weight:normal;color:#5c5c66}\
.pages{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\
.pages img{width:360px;height:auto;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}\
.error{background:#fff;border-left:6px solid #c62828;padding:12px 20px;margin-top:20px}\
.error pre{white-space:pre-wrap;font:13px/1.45 ui-monospace,monospace;margin:0}";

fn page(title: &str, state: &str, generation: u64, status: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · broadside preview</title><style>{STYLE}</style></head>\
         <body><header><b>{title}</b><span>{status}</span></header>\
         <main id=\"preview\" data-state=\"{state}\" data-generation=\"{generation}\">{body}</main>\
         {CHECK_SCRIPT}</body></html>\n",
        title = escape(title),
    )
}

fn documents_page(
    title: &str,
    documents: &[Document],
    took: std::time::Duration,
    generation: u64,
) -> String {
    let mut body = String::new();
    for (d, document) in documents.iter().enumerate() {
        let pages = document.pages;
        body.push_str(&format!(
            "<section class=\"document\" data-kind=\"{kind}\"><h2>{kind} <small>{language} · {pages} page{s}</small></h2><div class=\"pages\">",
            kind = escape(document.kind.name()),
            language = escape(&document.language),
            s = if pages == 1 { "" } else { "s" },
        ));
        for p in 0..pages {
            body.push_str(&format!(
                "<img class=\"page\" src=\"/page/{d}/{p}.png?v={generation}\" alt=\"{} page {}\">",
                escape(document.kind.name()),
                p + 1
            ));
        }
        body.push_str("</div></section>");
    }
    let status = format!("built in {} ms", took.as_millis());
    page(title, "ok", generation, &status, &body)
}

fn error_page(title: &str, message: &str, generation: u64) -> String {
    let body = format!(
        "<div class=\"error\" role=\"alert\"><pre>{}</pre><p>The last good documents stay in the output folder. Fix the statement and save: this page reloads by itself.</p></div>",
        escape(message)
    );
    page(title, "error", generation, "the build failed", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_escaping() {
        assert_eq!(parse_page_route("/page/2/13.png"), Some((2, 13)));
        assert_eq!(parse_page_route("/page/x/1.png"), None);
        assert_eq!(parse_page_route("/page/1.png"), None);
        assert_eq!(parse_page_route("/../etc/passwd"), None);
        let html = error_page("s.toml", "<script>alert(1)</script> & \"x\"", 3);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("data-state=\"error\""));
    }
}
