//! Statements of any length, made up on the spot, for the scale tests and
//! benchmarks (never committed as data).

/// A statement with `count` signatories in three groups, names of 20 to 40
/// characters (some with a country), written as TOML. Every name is distinct
/// and none holds a digit, so a number followed by a name is found only once.
pub fn statement_toml(count: usize, language: &str) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ra", "tu", "vo", "zen", "shi", "dor", "fa", "gru", "pel", "tor",
        "wix", "ba",
    ];
    const KINDS: [&str; 8] = [
        "Foundation",
        "Institute",
        "Centre for Human Rights",
        "Association",
        "Network",
        "Committee",
        "Initiative",
        "Watch",
    ];
    const COUNTRIES: [&str; 5] = ["Russia", "Belarus", "Iran", "Ukraine", "Georgia"];
    let mut out = format!(
        "title = \"Joint statement of {count} organisations\"\ndate = 2026-10-30\nlanguage = \"{language}\"\nbody = \"One line of body.\"\n"
    );
    for i in 0..count {
        // The index written in base 16, one syllable a digit, makes every
        // name distinct; a second word varies the length.
        let mut word = String::new();
        let mut n = i;
        loop {
            word.push_str(SYLLABLES[n % 16]);
            n /= 16;
            if n == 0 {
                break;
            }
        }
        let mut name = format!("{}{}", word[..1].to_uppercase(), &word[1..]);
        let second = SYLLABLES[(i * 7) % 16].to_owned() + SYLLABLES[(i * 3) % 16];
        name.push(' ');
        name.push_str(&(second[..1].to_uppercase() + &second[1..]));
        name.push(' ');
        name.push_str(KINDS[(i * 5) % KINDS.len()]);
        let group = match i {
            0 | 1 => "Conveners",
            2 | 3 => "Co-organisers",
            _ => "Co-signers",
        };
        out.push_str(&format!(
            "\n[[signatories]]\nname = \"{name}\"\ngroup = \"{group}\"\n"
        ));
        if i % 3 == 0 {
            out.push_str(&format!(
                "country = \"{}\"\n",
                COUNTRIES[i % COUNTRIES.len()]
            ));
        }
    }
    out
}

/// The names [`statement_toml`] writes, in order.
#[allow(dead_code)]
pub fn names(toml_text: &str) -> Vec<String> {
    toml_text
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"').to_owned())
        .collect()
}

/// `n` written in letters, a to z, so that a name made with it holds no
/// digit and differs from every other.
#[allow(dead_code)]
pub fn letters(mut n: usize) -> String {
    let mut id = String::new();
    loop {
        id.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return id;
        }
    }
}
