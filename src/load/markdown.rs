//! Markdown to a small tree of nodes that the templates turn into content.
//!
//! The tree travels to Typst as JSON data, and the templates place every text
//! node as a string: a string is never parsed as markup, so text such as
//! `#panic("x")` or `$x$` prints exactly as written. Nothing is escaped,
//! because nothing needs to be.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// A block of the statement's text. It is read back from the templates'
/// data too (the text versions), so a renamed field fails there loudly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Block {
    /// A paragraph.
    P {
        /// Its inline content.
        c: Vec<Inline>,
    },
    /// A heading inside the text.
    Heading {
        /// 1 for `#`, 2 for `##`, ...
        level: u8,
        /// Its inline content.
        c: Vec<Inline>,
    },
    /// A bulleted or numbered list.
    List {
        /// Numbered from `start` when true.
        ordered: bool,
        /// First number of a numbered list.
        start: u64,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
    },
    /// A block quotation.
    Quote {
        /// Its blocks.
        c: Vec<Block>,
    },
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Inline {
    /// Plain text, printed as it is.
    Text {
        /// The text.
        v: String,
    },
    /// Emphasis (italic).
    Emph {
        /// What is emphasised.
        c: Vec<Inline>,
    },
    /// Strong emphasis (bold).
    Strong {
        /// What is emphasised.
        c: Vec<Inline>,
    },
    /// A link.
    Link {
        /// The target address.
        url: String,
        /// The linked text.
        c: Vec<Inline>,
    },
    /// Inline code, set in the text face (statements have no code).
    Code {
        /// The text.
        v: String,
    },
    /// A forced line break.
    Linebreak,
    /// A straight quotation mark in the source (`"` or `'`), which the
    /// templates set as the language's own (“…”, «…», „…“) or an apostrophe.
    Quote {
        /// `"` rather than `'`.
        double: bool,
    },
}

/// Parses Markdown text into blocks. Raw HTML is kept as literal text.
pub fn parse(text: &str) -> Vec<Block> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut builder = Builder::default();
    for event in Parser::new_ext(text, options) {
        builder.event(event);
    }
    builder.finish()
}

/// Joins the plain text of inline nodes, for places that need a string.
pub fn plain_text(blocks: &[Block]) -> String {
    fn inline(out: &mut String, nodes: &[Inline]) {
        for n in nodes {
            match n {
                Inline::Text { v } | Inline::Code { v } => out.push_str(v),
                Inline::Emph { c } | Inline::Strong { c } | Inline::Link { c, .. } => {
                    inline(out, c)
                }
                Inline::Linebreak => out.push('\n'),
                Inline::Quote { double } => out.push(if *double { '"' } else { '\'' }),
            }
        }
    }
    fn block(out: &mut String, b: &Block) {
        match b {
            Block::P { c } | Block::Heading { c, .. } => inline(out, c),
            Block::List { items, .. } => {
                for item in items {
                    item.iter().for_each(|b| block(out, b));
                    out.push('\n');
                }
            }
            Block::Quote { c } => c.iter().for_each(|b| block(out, b)),
        }
        out.push_str("\n\n");
    }
    let mut out = String::new();
    blocks.iter().for_each(|b| block(&mut out, b));
    out.trim_end().to_owned()
}

/// An open container while events stream in.
enum Frame {
    Item(Vec<Block>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Para(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(String, Vec<Inline>),
    /// Containers we do not render (strikethrough, images, tables): their
    /// text is kept, flattened into the parent.
    Transparent(Vec<Inline>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    done: Vec<Block>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(end) => self.end(end),
            Event::Text(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => self.text(&t),
            Event::Code(t) => self.inline(Inline::Code { v: t.into_string() }),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inline(Inline::Linebreak),
            Event::FootnoteReference(t) => self.text(&t),
            Event::Rule | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let frame = match tag {
            Tag::Paragraph => Frame::Para(Vec::new()),
            Tag::Heading { level, .. } => Frame::Heading(level as u8, Vec::new()),
            Tag::BlockQuote(_) => Frame::Quote(Vec::new()),
            Tag::List(start) => Frame::List {
                ordered: start.is_some(),
                start: start.unwrap_or(1),
                items: Vec::new(),
            },
            Tag::Item => Frame::Item(Vec::new()),
            Tag::Emphasis => Frame::Emph(Vec::new()),
            Tag::Strong => Frame::Strong(Vec::new()),
            Tag::Link { dest_url, .. } => Frame::Link(dest_url.into_string(), Vec::new()),
            Tag::CodeBlock(_) => Frame::Para(Vec::new()),
            _ => Frame::Transparent(Vec::new()),
        };
        self.stack.push(frame);
    }

    fn end(&mut self, _end: TagEnd) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Para(c) => self.block(Block::P { c: merge(c) }),
            Frame::Heading(level, c) => self.block(Block::Heading { level, c: merge(c) }),
            Frame::Quote(c) => self.block(Block::Quote { c }),
            Frame::List {
                ordered,
                start,
                items,
            } => self.block(Block::List {
                ordered,
                start,
                items,
            }),
            Frame::Item(blocks) => {
                if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                    items.push(blocks);
                }
            }
            Frame::Emph(c) => self.inline(Inline::Emph { c: merge(c) }),
            Frame::Strong(c) => self.inline(Inline::Strong { c: merge(c) }),
            Frame::Link(url, c) => self.inline(Inline::Link { url, c: merge(c) }),
            Frame::Transparent(c) => c.into_iter().for_each(|n| self.inline(n)),
        }
    }

    fn text(&mut self, text: &str) {
        let mut rest = text;
        while let Some(i) = rest.find(['"', '\'']) {
            if i > 0 {
                self.inline(Inline::Text {
                    v: rest[..i].to_owned(),
                });
            }
            self.inline(Inline::Quote {
                double: rest.as_bytes()[i] == b'"',
            });
            rest = &rest[i + 1..];
        }
        if !rest.is_empty() {
            self.inline(Inline::Text { v: rest.to_owned() });
        }
    }

    fn inline(&mut self, node: Inline) {
        match self.stack.last_mut() {
            Some(
                Frame::Para(c)
                | Frame::Heading(_, c)
                | Frame::Emph(c)
                | Frame::Strong(c)
                | Frame::Link(_, c)
                | Frame::Transparent(c),
            ) => c.push(node),
            // Tight list items hold inline content directly: give them a paragraph.
            Some(Frame::Item(blocks) | Frame::Quote(blocks)) => match blocks.last_mut() {
                Some(Block::P { c }) if !matches!(node, Inline::Linebreak) || !c.is_empty() => {
                    c.push(node)
                }
                _ => blocks.push(Block::P { c: vec![node] }),
            },
            Some(Frame::List { .. }) => {}
            None => self.done.push(Block::P { c: vec![node] }),
        }
    }

    fn block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Item(blocks) | Frame::Quote(blocks)) => blocks.push(block),
            Some(_) => {
                // A block inside inline content (not produced by CommonMark): keep its text.
                let text = plain_text(std::slice::from_ref(&block));
                self.text(&text);
            }
            None => self.done.push(block),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while !self.stack.is_empty() {
            self.end(TagEnd::Paragraph);
        }
        self.done
    }
}

/// Joins adjacent text nodes, which the parser splits at every soft break
/// and entity; fewer, longer strings make smaller data and simpler layout.
fn merge(nodes: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(nodes.len());
    for node in nodes {
        match (out.last_mut(), node) {
            (Some(Inline::Text { v }), Inline::Text { v: next }) => v.push_str(&next),
            (_, node) => out.push(node),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: &str) -> Inline {
        Inline::Text { v: v.into() }
    }

    #[test]
    fn paragraphs_and_emphasis() {
        let blocks = parse("One *two*\nthree.\n\n**Four** [five](https://example.org).");
        assert_eq!(
            blocks,
            vec![
                Block::P {
                    c: vec![
                        text("One "),
                        Inline::Emph {
                            c: vec![text("two")]
                        },
                        text(" three.")
                    ]
                },
                Block::P {
                    c: vec![
                        Inline::Strong {
                            c: vec![text("Four")]
                        },
                        text(" "),
                        Inline::Link {
                            url: "https://example.org".into(),
                            c: vec![text("five")]
                        },
                        text("."),
                    ]
                },
            ]
        );
    }

    #[test]
    fn typst_syntax_stays_text() {
        let blocks = parse("#panic(\"x\") $a*b$ <a> @b // c \\ d");
        assert_eq!(plain_text(&blocks), "#panic(\"x\") $a*b$ <a> @b // c \\ d");
        match &blocks[0] {
            Block::P { c } => assert!(c.contains(&Inline::Quote { double: true })),
            other => panic!("expected a paragraph, got {other:?}"),
        }
    }

    #[test]
    fn lists_keep_numbering() {
        let blocks = parse("3. three\n4. four\n\n- a\n- b");
        match &blocks[0] {
            Block::List {
                ordered,
                start,
                items,
            } => {
                assert!(*ordered);
                assert_eq!(*start, 3);
                assert_eq!(items.len(), 2);
            }
            other => panic!("expected a list, got {other:?}"),
        }
        assert!(
            matches!(&blocks[1], Block::List { ordered: false, items, .. } if items.len() == 2)
        );
    }
}
