//! The bounds broadside holds a statement to, so that no input, however
//! long or deeply nested, can make a build run away with time or memory.
//!
//! Each bound is generous for real statements and is checked when the
//! statement is read, with a message that names the key and the limit.

use crate::load::markdown::{self, Block, Inline};

/// The longest Markdown text (`body`, `about[].text`) in bytes: about forty
/// pages of prose.
pub const MAX_TEXT_BYTES: usize = 200_000;

/// How deeply quotes, lists and emphasis may nest in Markdown text. Real
/// statements use two or three levels.
pub const MAX_NESTING: usize = 16;

/// The most signatories one statement may carry. A petition delivered on
/// paper reaches hundreds of thousands of names and sometimes a million; a
/// million-name annex builds in under a minute on a 2-core machine, in
/// about a gigabyte of memory (docs/performance.md). Past that, the list
/// is better cut into volumes, each its own statement.
pub const MAX_SIGNATORIES: usize = 1_000_000;

/// The longest signatory name, in characters.
pub const MAX_NAME_CHARS: usize = 300;

/// The largest statement file, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The largest signatories CSV or TSV file read: a million rows with
/// consent records are about 150 MB.
pub const MAX_SHEET_BYTES: u64 = 256 * 1024 * 1024;

/// The largest signatories workbook (XLSX, ODS) read: it is unpacked
/// whole, to several times its size.
pub const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;

/// What is wrong with a piece of Markdown text, if anything: its size or its
/// nesting. Checked before the text is parsed, since a parser fed
/// thousands of nested containers spends time and memory in proportion to
/// their square.
pub fn check_markdown(text: &str) -> Option<(String, &'static str)> {
    if text.len() > MAX_TEXT_BYTES {
        return Some((
            format!(
                "is {} bytes long; broadside sets at most {MAX_TEXT_BYTES}",
                text.len()
            ),
            "shorten it: put the full text on the web and give its address in `url`",
        ));
    }
    let blocks = block_depth(text);
    // Only text whose containers are bounded is parsed to find the rest.
    let depth = if blocks > MAX_NESTING {
        blocks
    } else {
        tree_depth(&markdown::parse(text))
    };
    if depth > MAX_NESTING {
        return Some((
            format!(
                "nests quotes, lists or emphasis {depth} levels deep; broadside sets at most {MAX_NESTING}"
            ),
            "flatten the nesting: a statement rarely needs more than two levels",
        ));
    }
    None
}

/// The deepest nesting of block containers (`>` quotes and list items) on
/// any line, read without parsing. Indentation counts only before a marker,
/// where it nests a list inside a list.
fn block_depth(text: &str) -> usize {
    text.lines().map(line_depth).max().unwrap_or(0)
}

fn line_depth(line: &str) -> usize {
    let bytes = line.as_bytes();
    let (mut i, mut depth, mut pending_indent, mut indent) = (0, 0, 0, 0);
    while i < bytes.len() {
        // How many bytes the container marker at `i` takes, its one
        // following space included: that space is part of the marker, not
        // indentation of what follows.
        let space_after = |at: usize| usize::from(bytes.get(at) == Some(&b' '));
        let marker = match bytes[i] {
            b' ' => {
                pending_indent += 1;
                i += 1;
                continue;
            }
            b'\t' => {
                pending_indent += 4;
                i += 1;
                continue;
            }
            b'>' => 1 + space_after(i + 1),
            b'-' | b'*' | b'+' if bytes.get(i + 1).is_none_or(|b| *b == b' ') => {
                1 + space_after(i + 1)
            }
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let end = i + digits;
                if digits <= 9
                    && matches!(bytes.get(end), Some(b'.' | b')'))
                    && bytes.get(end + 1).is_none_or(|b| *b == b' ')
                {
                    digits + 1 + space_after(end + 1)
                } else {
                    break;
                }
            }
            _ => break,
        };
        depth += 1;
        indent += pending_indent;
        pending_indent = 0;
        i += marker;
    }
    depth + indent / 2
}

/// The depth of the parsed tree: blocks inside blocks, inlines inside inlines.
fn tree_depth(blocks: &[Block]) -> usize {
    fn inline(nodes: &[Inline]) -> usize {
        nodes
            .iter()
            .map(|n| match n {
                Inline::Emph { c } | Inline::Strong { c } | Inline::Link { c, .. } => 1 + inline(c),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    blocks
        .iter()
        .map(|b| match b {
            Block::P { c } | Block::Heading { c, .. } => inline(c),
            Block::List { items, .. } => 1 + items.iter().map(|i| tree_depth(i)).max().unwrap_or(0),
            Block::Quote { c } => 1 + tree_depth(c),
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_passes() {
        assert!(check_markdown("One.\n\n> A quote\n\n- a\n  - b\n\n1. x\n2. y").is_none());
        assert!(check_markdown("                     indented prose is not nesting").is_none());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let quotes = ">".repeat(5_000) + " deep";
        let (message, _) = check_markdown(&quotes).unwrap();
        assert!(message.contains("5000 levels"), "{message}");
        let lists: String = (0..40)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect();
        assert!(check_markdown(&lists).is_some());
        let emphasis = "*a _".repeat(30) + "x" + &"_ a*".repeat(30);
        assert!(check_markdown(&emphasis).is_some());
    }

    #[test]
    fn long_text_is_refused() {
        let (message, _) = check_markdown(&"word ".repeat(50_000)).unwrap();
        assert!(message.contains("250000 bytes"), "{message}");
    }

    #[test]
    fn a_line_counts_each_container_marker_and_its_indentation() {
        assert_eq!(line_depth("plain"), 0);
        assert_eq!(line_depth("> quote"), 1);
        assert_eq!(line_depth("> > - item"), 3);
        assert_eq!(line_depth("- * + item"), 3);
        assert_eq!(line_depth("-"), 1);
        // A dash that is not followed by a space is text, not a marker.
        assert_eq!(line_depth("-x"), 0);
        assert_eq!(line_depth("1. one"), 1);
        assert_eq!(line_depth("12) twelve"), 1);
        assert_eq!(line_depth("123456789. nine digits"), 1);
        assert_eq!(line_depth("1234567890. ten digits is a number"), 0);
        assert_eq!(line_depth("1.5 a decimal"), 0);
        assert_eq!(line_depth("2020 a year"), 0);
        assert_eq!(line_depth("2020"), 0);
        assert_eq!(line_depth("1."), 1);
        assert_eq!(line_depth("  123456789. nine digits, indented"), 2);
        // A list inside a numbered item, two spaces after its number.
        assert_eq!(line_depth("1. - x"), 2);
        assert_eq!(line_depth("1.  - x"), 2);
        // Indentation before a marker nests a list in a list, two spaces a
        // level; a tab is four spaces.
        assert_eq!(line_depth("  - b"), 2);
        assert_eq!(line_depth("    - c"), 3);
        assert_eq!(line_depth("\t- c"), 3);
        assert_eq!(line_depth("  1. b"), 2);
        assert_eq!(line_depth("  > q"), 2);
        // Indentation with no marker after it is not nesting.
        assert_eq!(line_depth("        text"), 0);
        assert_eq!(block_depth("a\n> b\n> > > c\nd"), 3);
        assert_eq!(block_depth(""), 0);
    }

    #[test]
    fn the_tree_depth_counts_blocks_in_blocks_and_inlines_in_inlines() {
        let depth = |t: &str| tree_depth(&markdown::parse(t));
        assert_eq!(depth("plain"), 0);
        assert_eq!(depth("*one*"), 1);
        assert_eq!(depth("**_two_**"), 2);
        assert_eq!(depth("[*link*](https://example.org)"), 2);
        assert_eq!(depth("# *heading*"), 1);
        assert_eq!(depth("> quote"), 1);
        assert_eq!(depth("> - *x*"), 3);
        assert_eq!(depth("- a\n  - b"), 2);
        assert_eq!(depth("- a\n- *b*"), 2);
        assert_eq!(depth("`code`"), 0);
        assert_eq!(depth(""), 0);
    }

    #[test]
    fn the_bounds_are_inclusive() {
        let quotes = |n: usize| ">".repeat(n) + " x";
        assert!(check_markdown(&quotes(MAX_NESTING)).is_none());
        let (message, _) = check_markdown(&quotes(MAX_NESTING + 1)).unwrap();
        assert!(message.contains("17 levels deep"), "{message}");
        // Emphasis nested past the bound, in text whose blocks are shallow,
        // is found by parsing.
        let emphasis = |n: usize| "*a _".repeat(n) + "x" + &"_ a*".repeat(n);
        assert!(check_markdown(&emphasis(MAX_NESTING / 2)).is_none());
        let (message, _) = check_markdown(&emphasis(MAX_NESTING / 2 + 1)).unwrap();
        assert!(message.contains("18 levels deep"), "{message}");
        // Quotes at the bound with emphasis inside: the parse finds 17.
        let (message, _) = check_markdown(&(quotes(MAX_NESTING) + " *y*")).unwrap();
        assert!(message.contains("17 levels deep"), "{message}");
        // Nesting as deep as the text's size allows is refused at once: a
        // parser given it would spend time in proportion to its square.
        let (message, _) = check_markdown(&quotes(MAX_TEXT_BYTES - 2)).unwrap();
        assert!(message.contains("199998 levels deep"), "{message}");
        let text = |n: usize| "a".repeat(n);
        assert!(check_markdown(&text(MAX_TEXT_BYTES)).is_none());
        let (message, _) = check_markdown(&text(MAX_TEXT_BYTES + 1)).unwrap();
        assert!(message.contains("200001 bytes"), "{message}");
    }

    #[test]
    fn a_statement_file_may_be_64_mib() {
        let dir = std::env::temp_dir().join(format!("broadside-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A 2 MB statement (a long list's size) is read; the refusal of a
        // larger file names the bound. The large file is sparse.
        let small = dir.join("small.toml");
        let padding = format!("# {}\n", "x".repeat(2_000_000));
        std::fs::write(
            &small,
            format!("{padding}title = \"T\"\ndate = 2025-10-30\nbody = \"B\"\n[[signatories]]\nname = \"A\"\n"),
        )
        .unwrap();
        let read = crate::load::load_file(&small).map(|l| l.statement.title.clone());
        let large = dir.join("large.toml");
        std::fs::File::create(&large)
            .and_then(|f| f.set_len(MAX_FILE_BYTES + 1))
            .unwrap();
        let refused = crate::load::load_file(&large).err().map(|e| e.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(read.ok().as_deref(), Some("T"));
        let refused = refused.unwrap_or_default();
        assert!(
            refused.contains("67108865 bytes") && refused.contains("at most 67108864 bytes"),
            "{refused}"
        );
    }
}
