//! The command line's definitions: every command, argument and option.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "broadside",
    version,
    about = "Turn one coalition statement into a press release, a poster and a signatory annex."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the documents of a statement (the bundled example when no file is given).
    Build(BuildArgs),
    /// Build, then build again on every save of the statement, its
    /// translations, logos or template overrides, keeping the engine warm.
    /// Errors are shown and the last good documents stay.
    Watch(WatchArgs),
    /// Write the Typst project (templates, statement.json, images) for designers
    /// to edit and compile with the official Typst tools.
    Export(ExportArgs),
    /// Write a personal letter to every recipient, each followed by the
    /// statement and the signatory annex (mail merge).
    Letters(LettersArgs),
    /// Send the press release to a press list, or each letter to its
    /// recipient, by email, each exactly once. Without --smtp, a dry run:
    /// every message is written to the outbox as a .eml file.
    #[command(subcommand)]
    Send(SendCommand),
    /// Run a sign-on server for the statement: its page and form, email
    /// confirmation, a moderation queue for staff, and the approved list
    /// written into the statement's signatory file. On 127.0.0.1 unless
    /// --address says otherwise.
    Collect(CollectArgs),
    /// Append the signatory annex (and the statement) to a letter written
    /// elsewhere, keeping its pages exactly as they are.
    Attach(AttachArgs),
    /// Start a new statement folder: a commented statement.toml showing every
    /// key, a logos/ folder, a sample recipients.csv and letter.md.
    Init {
        /// The folder to create (it must be new or empty).
        #[arg(default_value = "statement")]
        dir: PathBuf,
    },
    /// Turn a statement written as plain text (.txt or .md) into a TOML
    /// statement to edit: paragraphs, the "Signed:" list and its groups.
    Import(ImportArgs),
    /// Print the signatory list a broadside PDF (annex or letter) carries as
    /// data: CSV, or JSON with --json.
    Signatories {
        /// The PDF.
        pdf: PathBuf,
        /// The JSON list rather than CSV.
        #[arg(long)]
        json: bool,
    },
    /// List the font families documents can use: bundled and added, their
    /// licences and the scripts they cover.
    Fonts {
        /// Folder with more fonts (repeatable); also BROADSIDE_FONT_PATHS.
        #[arg(long = "font-dir", env = "BROADSIDE_FONT_PATHS", value_delimiter = ':')]
        font_dirs: Vec<PathBuf>,
    },
    /// Print shell completions for bash, zsh, fish, elvish or powershell.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `broadside man > broadside.1`.
    Man,
    /// Check a statement and report what would be published, without writing anything.
    Check {
        /// The statement file (.toml or .json).
        statement: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct BuildArgs {
    /// The statement file (.toml or .json); the bundled example when omitted.
    pub statement: Option<PathBuf>,
    /// Folder to write the documents into.
    #[arg(long, short, default_value = "output")]
    pub out: PathBuf,
    /// Build only these documents (comma-separated): press-release, poster,
    /// annex, and for the day of action placards and flyer.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<DocumentArg>,
    /// Formats to write (comma-separated): pdf, and the press release as
    /// txt (plain-text email), html (HTML email) and md (Markdown).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "pdf")]
    pub format: Vec<FormatArg>,
    /// PDF standards every document conforms to (comma-separated or
    /// repeated): a-2b, a-2u, a-2a, a-3b, a-3u, a-3a, ua-1, ...
    #[arg(long = "pdf-standard", value_enum, value_delimiter = ',')]
    pub pdf_standards: Vec<PdfStandardArg>,
    /// Also write press-release.eml: an email draft with the text and HTML
    /// versions and the PDF attached, for a mail client to address and send.
    #[arg(long)]
    pub eml: bool,
    /// Order of the signatories in every document: as the statement lists
    /// them, or by name collated for the statement's language (overrides
    /// `[annex] sort`).
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// Divide the signatory list by the statement's groups or by country
    /// (overrides `[annex] group_by`).
    #[arg(long, value_enum)]
    pub group_by: Option<GroupByArg>,
    /// Paper for the press release and the annex.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    pub paper: PaperArg,
    /// The annex on landscape paper, its list in three columns.
    #[arg(long)]
    pub annex_landscape: bool,
    /// Columns of the annex's list (1 to 4); two on portrait paper, three on
    /// landscape, when not given.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub annex_columns: Option<u8>,
    /// Poster size: a4, a3, a2, a1, a0, letter, tabloid, arch-c, arch-d, or
    /// a custom size such as 600x900mm or 24x36in (overrides the statement).
    /// Placards take a3 (the default) or a4, the flyer a5 (the default) or
    /// a6: the size applies to each document built that takes it.
    #[arg(long)]
    pub size: Option<String>,
    /// Turn the poster (and the placards and flyer) to landscape.
    #[arg(long)]
    pub landscape: bool,
    /// Poster theme (overrides the statement).
    #[arg(long, value_enum)]
    pub theme: Option<ThemeArg>,
    /// Poster bleed in millimetres (0 for none).
    #[arg(long, default_value_t = 3.0)]
    pub bleed: f64,
    /// Crop and registration marks outside the bleed.
    #[arg(long)]
    pub marks: bool,
    /// Poster colours as CMYK process colours (black text on the black plate only).
    #[arg(long, conflicts_with = "spot")]
    pub cmyk: bool,
    /// Two-ink poster: black and this spot colour, e.g. "PANTONE 485 C".
    #[arg(long)]
    pub spot: Option<String>,
    /// Write the poster, placards and flyer as PDF/X-4 for a print shop
    /// (an output intent with a CMYK profile, trim and bleed boxes, no
    /// links in the trim); FOGRA39 coated offset unless --output-intent.
    #[arg(long = "pdf-x", value_enum)]
    pub pdf_x: Option<PdfXArg>,
    /// The print shop's CMYK output profile (.icc) for --pdf-x.
    #[arg(long, requires = "pdf_x")]
    pub output_intent: Option<PathBuf>,
    /// The printing condition's name for --output-intent (e.g. FOGRA51);
    /// the profile's own description when not given.
    #[arg(long, requires = "output_intent")]
    pub output_condition: Option<String>,
    /// Also split the poster into sheets of this paper: poster-tiled.pdf.
    #[arg(long, value_enum)]
    pub tile: Option<PaperArg>,
    /// Also put the flyer two (A5) or four (A6) to a sheet of this paper,
    /// with cut marks and the backs lined up for duplex: flyer-imposed.pdf.
    #[arg(long, value_enum)]
    pub impose: Option<SheetArg>,
    /// Also write the poster and two social-media cards as images.
    #[arg(long)]
    pub png: bool,
    /// Resolution of the poster image.
    #[arg(long, default_value_t = 150.0)]
    pub dpi: f32,
    /// Format of the images written with --png.
    #[arg(long, value_enum, default_value_t = ImageFormatArg::Png)]
    pub image_format: ImageFormatArg,
    /// Folder of templates that replace the bundled ones by file name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Folder with more fonts (repeatable); also BROADSIDE_FONT_PATHS.
    #[arg(long = "font-dir", env = "BROADSIDE_FONT_PATHS", value_delimiter = ':')]
    pub font_dirs: Vec<PathBuf>,
    /// Treat warnings (unknown keys, compiler warnings) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Languages to build (comma-separated tags, or `all`); each language's
    /// files are named like press-release.ru.pdf. Default: the statement's own.
    #[arg(long, value_delimiter = ',')]
    pub lang: Vec<String>,
    /// Build even if some characters have no glyph in the fonts (they print as boxes).
    #[arg(long)]
    pub allow_missing_glyphs: bool,
    /// Stop a build that takes longer than this many seconds (a template
    /// override that loops), reporting it; nothing is written.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

#[derive(Args)]
pub struct LettersArgs {
    /// The statement file (.toml or .json).
    pub statement: PathBuf,
    #[command(flatten)]
    pub inputs: LetterInputs,
    /// Folder to write the letters into.
    #[arg(long, short, default_value = "output/letters")]
    pub out: PathBuf,
    /// Also write letters.pdf, every letter in one file, for printing.
    #[arg(long)]
    pub merge: bool,
    /// With --merge: each letter starts on a front side (two-sided printing).
    #[arg(long, requires = "merge")]
    pub duplex: bool,
    /// Also write letters.zip with every letter, for sending.
    #[arg(long)]
    pub zip: bool,
    /// Show who gets what (file, language, pages) without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Stop a batch that takes longer than this many seconds (a template
    /// override that loops), reporting it; every letter written is whole.
    #[arg(long, default_value_t = 900)]
    pub timeout: u64,
    /// Folder of templates that replace the bundled ones by file name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Folder with more fonts (repeatable); also BROADSIDE_FONT_PATHS.
    #[arg(long = "font-dir", env = "BROADSIDE_FONT_PATHS", value_delimiter = ':')]
    pub font_dirs: Vec<PathBuf>,
}

#[derive(Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Also serve a live preview of every page, on this machine only:
    /// http://127.0.0.1:PORT (`--serve=3000`; the first free of 3000–3005
    /// when no port is given). It reloads after each rebuild and shows an
    /// error in place of the pages.
    #[arg(long, value_name = "PORT", num_args = 0..=1, require_equals = true, default_missing_value = "")]
    pub serve: Option<String>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The statement file (.toml or .json); the bundled example when omitted.
    pub statement: Option<PathBuf>,
    /// Folder to write the project into [default: output/typst, or
    /// output/typst-letters with --letters].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Folder of templates that replace the bundled ones by file name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Leave the fonts out (the project's README lists them).
    #[arg(long)]
    pub no_fonts: bool,
    /// The statement in this language (the closest it has), or `all`: one
    /// project per language, each in a folder named by its tag.
    #[arg(long, conflicts_with = "letters")]
    pub lang: Option<String>,
    /// Export the letters instead, as a Typst bundle project that the
    /// official compiler turns into one PDF per recipient
    /// (`--features bundle --format bundle`).
    #[arg(long, requires_all = ["recipients", "letter"])]
    pub letters: bool,
    /// With --letters: the recipients (.csv, .toml or .json).
    #[arg(long, short, requires = "letters")]
    pub recipients: Option<PathBuf>,
    /// With --letters: the letter's text in Markdown with placeholders.
    #[arg(long, short, requires = "letters")]
    pub letter: Option<PathBuf>,
    /// With --letters: the window envelope.
    #[arg(long, value_enum, default_value = "dl", requires = "letters")]
    pub window: WindowArg,
    /// With --letters: file name of each letter, with placeholders.
    #[arg(long, default_value = broadside::letters::mailmerge::DEFAULT_FILE_NAME, requires = "letters")]
    pub name: String,
    /// With --letters: leave out the rows that cannot get a letter, listing them.
    #[arg(long, requires = "letters")]
    pub skip_bad: bool,
    /// With --letters: attach only the annex, not the statement's text.
    #[arg(long, requires = "letters")]
    pub annex_only: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The statement as plain text or Markdown.
    pub input: PathBuf,
    /// Where to write the TOML statement (standard output when omitted);
    /// an existing file is never replaced.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[derive(Args)]
pub struct AttachArgs {
    /// The letter, a PDF (from Word, LibreOffice, ...).
    pub letter: PathBuf,
    /// The statement file (.toml or .json).
    pub statement: PathBuf,
    /// Where to write the letter with its annex.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Attach the statement's text before the annex.
    #[arg(long)]
    pub with_statement: bool,
    /// The language of the statement and annex (a translation's tag).
    #[arg(long)]
    pub lang: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ImageFormatArg {
    Png,
    Jpeg,
    Webp,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    Statement,
    Name,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GroupByArg {
    Group,
    Country,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

/// A document `--only` can ask for.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocumentArg {
    /// The press release.
    PressRelease,
    /// The poster.
    Poster,
    /// The signatory annex.
    Annex,
    /// Placards to carry, one slogan a page.
    #[value(alias = "placard")]
    Placards,
    /// The flyer handed out on the day.
    #[value(alias = "flyers")]
    Flyer,
}

/// A PDF/X conformance level.
#[derive(Clone, Copy, ValueEnum)]
pub enum PdfXArg {
    /// PDF/X-4 (ISO 15930-7): colour managed, transparency kept.
    #[value(name = "4")]
    X4,
}

/// Paper flyers are imposed on.
#[derive(Clone, Copy, ValueEnum)]
pub enum SheetArg {
    A4,
    A3,
}

/// A format `--format` can ask for.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The documents as PDFs.
    Pdf,
    /// The press release as plain text (the body of a text email).
    #[value(alias = "text")]
    Txt,
    /// The press release as HTML (the body of an HTML email).
    Html,
    /// The press release as Markdown.
    #[value(alias = "markdown")]
    Md,
}

/// A poster theme.
#[derive(Clone, Copy, ValueEnum)]
pub enum ThemeArg {
    /// Light type on the accent colour.
    Dark,
    /// Dark type on white.
    Light,
}

/// A window envelope the letters are set for.
#[derive(Clone, Copy, ValueEnum)]
pub enum WindowArg {
    /// DL (110 × 220 mm) or C6/5: A4 folded in three.
    Dl,
    /// C5 (162 × 229 mm): A4 folded once.
    C5,
    /// DIN 5008 form A: the address field 18 mm higher than form B.
    #[value(name = "din-5008-a")]
    Din5008A,
    /// DIN 5008 form B: the address field 45 to 90 mm from the top.
    #[value(name = "din-5008-b")]
    Din5008B,
}

/// A PDF standard Typst writes: a PDF version, PDF/A or PDF/UA.
#[derive(Clone, Copy, ValueEnum)]
pub enum PdfStandardArg {
    #[value(name = "1.4")]
    V1_4,
    #[value(name = "1.5")]
    V1_5,
    #[value(name = "1.6")]
    V1_6,
    #[value(name = "1.7")]
    V1_7,
    #[value(name = "2.0")]
    V2_0,
    #[value(name = "a-1b")]
    A1b,
    #[value(name = "a-1a")]
    A1a,
    #[value(name = "a-2b")]
    A2b,
    #[value(name = "a-2u")]
    A2u,
    #[value(name = "a-2a")]
    A2a,
    #[value(name = "a-3b")]
    A3b,
    #[value(name = "a-3u")]
    A3u,
    #[value(name = "a-3a")]
    A3a,
    #[value(name = "a-4")]
    A4,
    #[value(name = "a-4f")]
    A4f,
    #[value(name = "a-4e")]
    A4e,
    #[value(name = "ua-1")]
    Ua1,
}

#[derive(Args)]
pub struct CollectArgs {
    /// The statement file; its signatories must be a CSV file
    /// (`signatories = { file = "signatories.csv" }`).
    pub statement: PathBuf,
    /// The port to listen on.
    #[arg(long, default_value_t = 8460)]
    pub port: u16,
    /// The address to listen on; anything but loopback exposes the server
    /// to the network (put it behind a TLS reverse proxy: docs/collect.md).
    #[arg(long, default_value = "127.0.0.1")]
    pub address: std::net::IpAddr,
    /// The address readers reach the server at, for the emailed links
    /// (https://sign.example.org); http://ADDRESS:PORT when not given.
    #[arg(long)]
    pub public_url: Option<String>,
    /// The SMTP server for confirmation emails: smtp://[user@]host[:587]
    /// or smtps://[user@]host[:465]; the password comes from
    /// BROADSIDE_SMTP_PASSWORD or a prompt.
    #[arg(long)]
    pub smtp: Option<String>,
    /// A CA certificate (PEM) to trust for the SMTP server.
    #[arg(long)]
    pub ca: Option<PathBuf>,
    /// The confirmation emails' sender (or `[send] from`).
    #[arg(long)]
    pub from: Option<String>,
    /// Sign-ons one address may send an hour (0 for no limit).
    #[arg(long, default_value_t = 20)]
    pub per_hour: usize,
    /// How many hours a confirmation link holds.
    #[arg(long, default_value_t = broadside::collect::CONFIRM_HOURS)]
    pub confirm_hours: u32,
    /// Take the client's address from X-Forwarded-For (only behind a
    /// reverse proxy that sets it).
    #[arg(long)]
    pub behind_proxy: bool,
    /// Add a staff account (or change its password) and stop; the
    /// password comes from BROADSIDE_STAFF_PASSWORD or a prompt.
    #[arg(long, value_name = "NAME", conflicts_with = "export")]
    pub add_staff: Option<String>,
    /// Write the approved sign-ons (with their consent records) to FILE as
    /// CSV and stop.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
}

/// What `send` sends.
#[derive(Subcommand)]
pub enum SendCommand {
    /// The press release to a press list, each journalist in their
    /// language, with the text and HTML versions as the body and the PDF.
    Release(SendReleaseArgs),
    /// Each letter to its recipient's `email`, with a cover note; rows
    /// without one are listed as by post.
    Letters(SendLettersArgs),
}

#[derive(Args)]
pub struct SendReleaseArgs {
    /// The statement file (.toml or .json).
    pub statement: PathBuf,
    /// The press list: .csv, .toml or .json with `name`, `email`, and
    /// optionally `language` and other columns.
    #[arg(long)]
    pub to: PathBuf,
    /// A line before the release, with placeholders: "Dear {{ recipient.name }},".
    #[arg(long)]
    pub greeting: Option<String>,
    /// An https address taking one-click unsubscribes (RFC 8058), or
    /// `[send] unsubscribe`; without it, List-Unsubscribe is a mailto to
    /// the sender.
    #[arg(long)]
    pub unsubscribe: Option<String>,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

#[derive(Args)]
pub struct SendLettersArgs {
    /// The statement file (.toml or .json).
    pub statement: PathBuf,
    #[command(flatten)]
    pub inputs: LetterInputs,
    /// The cover note, the message's text, with the letter's placeholders;
    /// cover.ru.md beside it for recipients whose language is ru.
    #[arg(long)]
    pub cover: PathBuf,
    #[command(flatten)]
    pub delivery: DeliveryArgs,
}

#[derive(Args)]
pub struct DeliveryArgs {
    /// The outbox: every message as a .eml file, and the campaign's journal.
    #[arg(long, short, default_value = "output/outbox")]
    pub out: PathBuf,
    /// The sender: "Name <address>" (or `[send] from` in the statement).
    #[arg(long)]
    pub from: Option<String>,
    /// Where replies go, when not to the sender (or `[send] reply_to`).
    #[arg(long)]
    pub reply_to: Option<String>,
    /// Send through this server: smtp://[user@]host[:587] (STARTTLS) or
    /// smtps://[user@]host[:465] (TLS). The password comes from
    /// BROADSIDE_SMTP_PASSWORD or a prompt. Without it, a dry run.
    #[arg(long)]
    pub smtp: Option<String>,
    /// A CA certificate (PEM) to trust for the server, besides the public ones.
    #[arg(long)]
    pub ca: Option<PathBuf>,
    /// Send (or write) only the first N messages still to send.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Messages a minute (0 for no limit).
    #[arg(long, default_value_t = 20)]
    pub rate: u32,
    /// Send again the messages whose transaction was cut (the server may
    /// have them: their recipients may get two).
    #[arg(long)]
    pub resend_uncertain: bool,
    /// Seconds before a message the server deferred (4xx) is tried again;
    /// the wait doubles, three tries in a run.
    #[arg(long, default_value_t = 60.0)]
    pub retry_after: f64,
    /// Seconds one exchange with the server may take.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// Folder of templates that replace the bundled ones by file name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Folder with more fonts (repeatable); also BROADSIDE_FONT_PATHS.
    #[arg(long = "font-dir", env = "BROADSIDE_FONT_PATHS", value_delimiter = ':')]
    pub font_dirs: Vec<PathBuf>,
}

/// What makes the letters, as `letters` and `send letters` take it.
#[derive(Args)]
pub struct LetterInputs {
    /// The recipients: .csv (a header row naming the fields; at least `name`),
    /// .toml ([[recipients]] tables) or .json.
    #[arg(long, short)]
    pub recipients: PathBuf,
    /// The letter's text in Markdown with placeholders ({{ recipient.name }});
    /// letter.ru.md beside it is used for recipients whose language is ru.
    #[arg(long, short)]
    pub letter: PathBuf,
    /// The window envelope.
    #[arg(long, value_enum, default_value = "dl")]
    pub window: WindowArg,
    /// File name of each letter, with placeholders.
    #[arg(long, default_value = broadside::letters::mailmerge::DEFAULT_FILE_NAME)]
    pub name: String,
    /// Write the good letters even if some rows are bad, and list those skipped.
    #[arg(long)]
    pub skip_bad: bool,
    /// Attach only the annex, not the statement's text.
    #[arg(long)]
    pub annex_only: bool,
}
