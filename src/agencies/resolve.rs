//! Resolution of assignee text ("Sở Tư pháp và các sở, ban ngành, UBND cấp
//! huyện; UBND cấp xã") to agencies of the directory. Names, short names,
//! aliases and generic groups are matched as folded token sequences, longest
//! first, so NFC/NFD, case, spacing and tone placement do not matter.
//!
//! A clause names its agencies at its head; the rest of the clause (a verb
//! phrase such as "phối hợp với…", "hướng dẫn, đôn đốc…") is a sub-role, not
//! more agencies. Words before "cấp huyện"/"cấp xã" ("Phòng Tư pháp cấp
//! huyện") name a sub-unit of every district or commune, kept as text.

use super::{Directory, Level};
use crate::plan::{Assignment, Member};
use crate::text::{tokens, Token};
use std::collections::HashMap;

/// What a dictionary phrase stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Agency(String),
    /// Every unit of a set; `suffix` is the number of trailing tokens that name
    /// the level ("cấp huyện" = 2), so that words before them form a sub-unit.
    Group(Group),
    /// A generic group that names no directory unit ("các cơ quan liên quan").
    Generic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Departments,
    Districts,
    Communes,
}

/// Phrases for the generic groups, as printed in plans.
pub(crate) const DEPARTMENTS: &[&str] = &[
    "các sở, ban ngành",
    "các sở, ban, ngành",
    "các sở ban ngành",
    "các sở, ngành",
    "sở, ban ngành",
    "các sở, ban ngành tỉnh",
    "các sở, ban ngành có liên quan",
    "các sở, ban, ngành tỉnh",
    "các sở, ban, ngành thuộc ubnd tỉnh",
    "các cơ quan chuyên môn thuộc ubnd tỉnh",
    "các cơ quan chuyên môn thuộc ủy ban nhân dân tỉnh",
];
pub(crate) const DISTRICTS: &[&str] = &[
    "ubnd cấp huyện",
    "ủy ban nhân dân cấp huyện",
    "ubnd các huyện, thị xã, thành phố",
    "ủy ban nhân dân các huyện, thị xã, thành phố",
    "ubnd huyện, thị xã, thành phố",
    "cấp huyện",
];
pub(crate) const COMMUNES: &[&str] = &[
    "ubnd cấp xã",
    "ủy ban nhân dân cấp xã",
    "ubnd các xã, phường, thị trấn",
    "ủy ban nhân dân các xã, phường, thị trấn",
    "ubnd xã, phường, thị trấn",
    // The names of the two-level structure (from 1/7/2025).
    "ubnd các xã, phường, đặc khu",
    "ủy ban nhân dân các xã, phường, đặc khu",
    "ubnd xã, phường, đặc khu",
    "ủy ban nhân dân xã, phường, đặc khu",
    "các xã, phường, đặc khu",
    "chủ tịch ubnd các xã, phường, đặc khu",
    "chủ tịch ủy ban nhân dân các xã, phường, đặc khu",
    "chủ tịch ubnd cấp xã",
    "chủ tịch ủy ban nhân dân cấp xã",
    "cấp xã",
];
const GENERIC: &[&str] = &[
    "các cơ quan, đơn vị có liên quan",
    "các cơ quan, đơn vị liên quan",
    "các cơ quan có liên quan",
    "các cơ quan liên quan",
    "cơ quan liên quan",
    "các cơ quan, đơn vị, cá nhân liên quan",
    "các cơ quan, đơn vị, địa phương và cá nhân có liên quan",
    "các cơ quan, đơn vị, địa phương",
    "các cơ quan, địa phương liên quan",
    "các cơ quan, đơn vị được kiểm tra",
    "các tổ chức, cá nhân có liên quan",
    "tổ chức, cá nhân có liên quan",
    "các đơn vị sự nghiệp công lập thuộc ubnd tỉnh",
    "các đơn vị sự nghiệp trực thuộc ubnd tỉnh",
];

/// Connecting words that may stand between names without meaning anything.
const GLUE: &[&str] = &["va", "cac", "voi", "cung", "co", "lien", "quan", "tinh"];

/// A compiled dictionary of phrases, keyed by their first folded token.
pub struct Resolver<'d> {
    directory: &'d Directory,
    /// Folded tokens, accent-keeping lower-case tokens, target.
    phrases: HashMap<String, Vec<Phrase>>,
}

/// A dictionary phrase: folded tokens (what matching uses), the same
/// tokens with accents kept (what tells "xã Sơn Hà" from "xã Sơn Hạ" when
/// two names fold alike), and what it stands for.
type Phrase = (Vec<String>, Vec<String>, Target);

/// Lower-case token texts with accents kept (NFC).
fn exact_tokens(text: &str, toks: &[Token]) -> Vec<String> {
    toks.iter()
        .map(|t| crate::text::clean(&text[t.start..t.end]).to_lowercase())
        .collect()
}

/// One match of a phrase in a clause.
struct Hit {
    first: usize,
    last: usize,
    target: Target,
}

impl<'d> Resolver<'d> {
    pub fn new(directory: &'d Directory) -> Resolver<'d> {
        let mut r = Resolver {
            directory,
            phrases: HashMap::new(),
        };
        for a in directory.all() {
            let t = || Target::Agency(a.code.clone());
            for name in std::iter::once(&a.name)
                .chain(std::iter::once(&a.short_name))
                .chain(&a.aliases)
            {
                r.add(name, t());
                if let Some(short) = abbreviate(name) {
                    r.add(&short, t());
                }
            }
        }
        for (list, g) in [
            (DEPARTMENTS, Group::Departments),
            (DISTRICTS, Group::Districts),
            (COMMUNES, Group::Communes),
        ] {
            for p in list {
                r.add(p, Target::Group(g));
            }
        }
        for p in GENERIC {
            r.add(p, Target::Generic);
        }
        for list in r.phrases.values_mut() {
            // Longest first; the first spelling of a phrase wins.
            list.sort_by_key(|(p, _, _)| std::cmp::Reverse(p.len()));
            let mut seen = std::collections::HashSet::new();
            list.retain(|(p, e, _)| seen.insert((p.clone(), e.clone())));
        }
        r
    }

    fn add(&mut self, phrase: &str, target: Target) {
        let raw = tokens(phrase);
        let exact = exact_tokens(phrase, &raw);
        let toks: Vec<String> = raw.into_iter().map(|t| t.folded).collect();
        if toks.is_empty() {
            return;
        }
        self.phrases
            .entry(toks[0].clone())
            .or_default()
            .push((toks, exact, target));
    }

    /// Resolves a field given as a list of parts: the field's own text (may be
    /// empty) and its `+` bullets. Bullets give their agencies the bullet's text
    /// as sub-role.
    pub fn resolve(&self, inline: &str, bullets: &[String]) -> Assignment {
        let mut out = Assignment {
            raw: std::iter::once(inline.trim())
                .filter(|s| !s.is_empty())
                .map(String::from)
                .chain(bullets.iter().map(|b| format!("+ {b}")))
                .collect::<Vec<_>>()
                .join("\n"),
            ..Assignment::default()
        };
        let mut index = HashMap::new();
        for clause in split_clauses(inline) {
            self.clause(clause, None, &mut out, &mut index);
        }
        for b in bullets {
            self.clause(b, Some(b.as_str()), &mut out, &mut index);
        }
        out
    }

    /// Resolves one clause into `out`.
    fn clause(
        &self,
        text: &str,
        bullet: Option<&str>,
        out: &mut Assignment,
        index: &mut HashMap<String, usize>,
    ) {
        let (text, remark) = strip_parenthesis(text);
        let toks = tokens(&text);
        let hits = self.scan(&text, &toks);
        // The head: matches separated only by glue and punctuation.
        let mut head_end = 0; // token index after the head
        let mut cursor = 0;
        let mut pending_unit: Option<(usize, usize)> = None;
        let mut head = Vec::new();
        for h in &hits {
            let gap = &toks[cursor..h.first];
            let sub_unit_ok = matches!(h.target, Target::Group(Group::Districts | Group::Communes))
                && !gap.is_empty()
                && !gap.iter().all(is_glue)
                && gap.last().is_some_and(|t| !t.is_punct());
            if !gap.iter().all(is_glue) && !sub_unit_ok {
                break;
            }
            if sub_unit_ok {
                let start = gap
                    .iter()
                    .rposition(|t| t.folded == "," || t.folded == ";")
                    .map(|i| cursor + i + 1)
                    .unwrap_or(cursor);
                pending_unit = Some((start, h.first));
            }
            head.push((h, pending_unit.take()));
            cursor = h.last + 1;
            head_end = cursor;
        }
        let tail = toks[head_end..].iter().any(|t| !is_glue(t));
        if head.is_empty() {
            let t = text.trim().trim_end_matches(['.', ';', ',']).trim();
            if !t.is_empty() {
                out.unresolved.push(t.to_string());
            }
            return;
        }
        let mut role = bullet.map(|b| b.to_string());
        if role.is_none() && tail {
            role = Some(text.trim().trim_end_matches('.').to_string());
        }
        for (h, unit) in head {
            let mut roles: Vec<String> = role.iter().cloned().collect();
            if let Some((s, e)) = unit {
                let mut u = text[toks[s].start..toks[e - 1].end].to_string();
                if matches!(h.target, Target::Group(_)) {
                    // "Văn phòng HĐND và UBND cấp huyện": keep "UBND" in the unit.
                    let matched = &toks[h.first..=h.last];
                    if matched.len() > 2 {
                        u = text[toks[s].start..matched[matched.len() - 3].end].to_string();
                    }
                }
                roles.push(u);
            }
            if let Some(r) = &remark {
                roles.push(r.clone());
            }
            self.apply(
                &h.target,
                &text[toks[h.first].start..toks[h.last].end],
                roles,
                out,
                index,
            );
        }
    }

    /// Longest matches, left to right, not overlapping. Among phrases that
    /// fold alike ("Sơn Hà", "Sơn Hạ"), the one spelled as in the text wins.
    fn scan(&self, text: &str, toks: &[Token]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let found = self.phrases.get(&toks[i].folded).and_then(|cands| {
                let fits = |(p, _, _): &&Phrase| {
                    p.len() <= toks.len() - i
                        && p.iter().zip(&toks[i..]).all(|(a, b)| *a == b.folded)
                };
                let first = cands.iter().find(fits)?;
                let exact = exact_tokens(text, &toks[i..i + first.0.len()]);
                cands
                    .iter()
                    .filter(fits)
                    .filter(|c| c.0.len() == first.0.len())
                    .find(|c| c.1 == exact)
                    .or(Some(first))
            });
            match found {
                Some((p, _, target)) => {
                    hits.push(Hit {
                        first: i,
                        last: i + p.len() - 1,
                        target: target.clone(),
                    });
                    i += p.len();
                }
                None => i += 1,
            }
        }
        hits
    }

    /// Adds the target's agencies to `out` (`index`: code → position in
    /// `out.members`), merging sub-roles of agencies already there.
    fn apply(
        &self,
        target: &Target,
        matched: &str,
        roles: Vec<String>,
        out: &mut Assignment,
        index: &mut HashMap<String, usize>,
    ) {
        let codes: Vec<&str> = match target {
            Target::Agency(c) => vec![c.as_str()],
            Target::Group(Group::Departments) => self
                .directory
                .departments()
                .map(|a| a.code.as_str())
                .collect(),
            Target::Group(Group::Districts) => self
                .directory
                .districts()
                .map(|a| a.code.as_str())
                .collect(),
            Target::Group(Group::Communes) => self
                .directory
                .at_level(Level::Xa)
                .map(|a| a.code.as_str())
                .collect(),
            Target::Generic => {
                let m = matched.trim().to_string();
                if !out.unresolved.contains(&m) {
                    out.unresolved.push(m);
                }
                return;
            }
        };
        for code in codes {
            let agency = self.directory.get(code).expect("code from the directory");
            match index.get(code).map(|&i| &mut out.members[i]) {
                Some(m) => {
                    for r in &roles {
                        if !m.sub_roles.contains(r) {
                            m.sub_roles.push(r.clone());
                        }
                    }
                }
                None => {
                    index.insert(code.to_string(), out.members.len());
                    out.members.push(Member {
                        code: code.to_string(),
                        name: agency.name.clone(),
                        sub_roles: roles.clone(),
                    });
                }
            }
        }
    }
}

fn is_glue(t: &Token) -> bool {
    t.is_punct() || GLUE.contains(&t.folded.as_str())
}

/// `Ủy ban nhân dân` → `UBND` variants of a name, so that either spelling matches.
fn abbreviate(name: &str) -> Option<String> {
    let f = crate::text::fold(name);
    if f.starts_with("uy ban nhan dan ") {
        let rest: String = name
            .chars()
            .skip("Ủy ban nhân dân ".chars().count())
            .collect();
        return Some(format!("UBND {rest}"));
    }
    None
}

/// Splits a field's inline text on `;` (clauses are separately headed).
fn split_clauses(s: &str) -> Vec<&str> {
    s.split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// Removes a parenthesised remark, returned apart: "Văn phòng UBND tỉnh (Trung
/// tâm … phối hợp …)" → ("Văn phòng UBND tỉnh", "Trung tâm … phối hợp …").
fn strip_parenthesis(s: &str) -> (String, Option<String>) {
    match (s.find('('), s.rfind(')')) {
        (Some(a), Some(b)) if a < b => {
            let remark = s[a + 1..b].trim().to_string();
            let text = format!("{} {}", &s[..a], &s[b + 1..]);
            (text, Some(remark).filter(|r| !r.is_empty()))
        }
        _ => (s.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(s: &str) -> Assignment {
        let d = Directory::embedded();
        Resolver::new(&d).resolve(s, &[])
    }

    fn codes(a: &Assignment) -> Vec<&str> {
        a.members.iter().map(|m| m.code.as_str()).collect()
    }

    #[test]
    fn names_groups_and_separators() {
        let a = resolve("Sở Tư pháp và các sở, ban ngành, UBND cấp huyện; UBND cấp xã.");
        assert_eq!(a.members.len(), 20 + 13 + 173);
        assert!(a.has("STP") && a.has("SNV") && a.has("H522") && a.has("X21010"));
        assert!(a.unresolved.is_empty(), "{:?}", a.unresolved);
    }

    #[test]
    fn names_with_commas_and_va_inside() {
        let a = resolve("Sở Kế hoạch và Đầu tư; Sở Văn hóa, Thể thao và Du lịch.");
        assert_eq!(codes(&a), ["SKHDT", "SVHTTDL"]);
    }

    #[test]
    fn matching_ignores_form_of_text() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "SỞ  TƯ PHÁP".nfd().collect();
        assert_eq!(codes(&resolve(&nfd)), ["STP"]);
        assert_eq!(codes(&resolve("Uỷ ban nhân dân thị xã Đức Phổ")).len(), 1);
        assert_eq!(
            codes(&resolve("Văn phòng Uỷ ban nhân dân tỉnh")),
            ["VPUBND"]
        );
    }

    #[test]
    fn sub_units_of_districts_and_communes_are_kept() {
        let a = resolve("Sở Tư pháp, Phòng Tư pháp cấp huyện, công chức Tư pháp - Hộ tịch cấp xã.");
        assert!(a.has("STP"));
        let h = a.member("H522").unwrap();
        assert_eq!(h.sub_roles, ["Phòng Tư pháp"]);
        let x = a.member("X21010").unwrap();
        assert_eq!(x.sub_roles, ["công chức Tư pháp - Hộ tịch"]);
        let a = resolve("Văn phòng UBND tỉnh; Văn phòng HĐND và UBND cấp huyện và các cơ quan, đơn vị có liên quan.");
        assert_eq!(
            a.member("H522").unwrap().sub_roles,
            ["Văn phòng HĐND và UBND"]
        );
        assert_eq!(a.unresolved, ["các cơ quan, đơn vị có liên quan"]);
    }

    #[test]
    fn generic_groups_stay_unresolved() {
        let a = resolve("Các cơ quan, đơn vị có liên quan.");
        assert!(a.members.is_empty());
        assert_eq!(a.unresolved, ["Các cơ quan, đơn vị có liên quan"]);
    }

    #[test]
    fn tail_of_a_clause_is_a_sub_role_not_more_agencies() {
        let a = resolve("Sở Thông tin và Truyền thông hướng dẫn nghiệp vụ, đôn đốc, kiểm tra.");
        assert_eq!(codes(&a), ["STTTT"]);
        assert!(a.members[0].sub_roles[0].contains("hướng dẫn nghiệp vụ"));
        let d = Directory::embedded();
        let b = Resolver::new(&d).resolve(
            "",
            &["Sở Thông tin và Truyền thông phối hợp với cơ quan liên quan cập nhật.".into()],
        );
        assert_eq!(codes(&b), ["STTTT"]);
        assert!(b.unresolved.is_empty());
    }

    #[test]
    fn names_that_fold_alike_are_told_apart_by_their_accents() {
        let v = crate::agencies::versions::Versions::embedded();
        let d = &v.in_force(crate::period::ymd(2026, 1, 1)).directory;
        let r = Resolver::new(d);
        let codes = |s: &str| -> Vec<String> {
            r.resolve(s, &[])
                .members
                .iter()
                .map(|m| m.code.clone())
                .collect()
        };
        assert_eq!(codes("UBND xã Sơn Hà"), ["X21289"]);
        assert_eq!(codes("UBND xã Sơn Hạ"), ["X21292"]);
        assert_eq!(codes("UBND xã Ba Tơ; UBND xã Ba Tô"), ["X21484", "X21523"]);
        assert_eq!(codes("UBND XÃ SƠN HẠ"), ["X21292"]);
    }

    #[test]
    fn unknown_names_are_unresolved() {
        let a = resolve("Sở Du hành vũ trụ");
        assert!(a.members.is_empty());
        assert_eq!(a.unresolved, ["Sở Du hành vũ trụ"]);
    }
}
