//! The plan registry: the seed's spot values, one test per quirk of the
//! domain reference §1, other provinces' layouts, .docx input, and a property
//! test that arbitrary or mutated text never panics the parser.

use cchc::agencies::{Directory, Level};
use cchc::plan::{self, parse, Plan, Severity, When};
use chrono::NaiveDate;
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn dir() -> Directory {
    Directory::embedded()
}

fn seed() -> Plan {
    plan::seed(&dir())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A minimal plan around a section-II body.
fn mini(body: &str) -> Plan {
    let text = format!(
        "KẾ HOẠCH\nCẢI CÁCH HÀNH CHÍNH NĂM 2024 TỈNH THỬ\n(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2024 của Chủ tịch UBND tỉnh Thử)\nI. MỤC ĐÍCH, YÊU CẦU\nNội dung.\nII. NHIỆM VỤ CỤ THỂ\n{body}\nIII. TỔ CHỨC THỰC HIỆN\nCác sở báo cáo.\n"
    );
    parse::parse_text(&text, &dir())
}

fn warnings(p: &Plan) -> Vec<&str> {
    p.diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| d.message.as_str())
        .collect()
}

fn codes(p: &Plan, id: &str, lead: bool) -> Vec<String> {
    let t = p.task(id).unwrap_or_else(|| panic!("no task {id}"));
    let a = if lead { &t.lead } else { &t.cooperating };
    a.members.iter().map(|m| m.code.clone()).collect()
}

// ------------------------------------------------------------------ seed --

#[test]
fn seed_has_8_areas_55_items_56_leaf_tasks_and_no_errors() {
    let p = seed();
    assert_eq!(p.areas.len(), 8);
    assert_eq!(p.tasks.len(), 56);
    let items = p.tasks.iter().filter(|t| t.parent.is_none()).count() + p.parents.len();
    assert_eq!(items, 55);
    assert_eq!(p.errors().count(), 0, "{:?}", p.diagnostics);
    let per_area: Vec<usize> = p
        .areas
        .iter()
        .map(|a| {
            p.tasks
                .iter()
                .filter(|t| t.area_id == a.id && t.parent.is_none())
                .count()
                + p.parents.iter().filter(|x| x.area_id == a.id).count()
        })
        .collect();
    assert_eq!(per_area, [7, 16, 7, 6, 4, 4, 4, 7]);
}

#[test]
fn seed_metadata() {
    let m = seed().meta;
    assert_eq!(m.decision_number.as_deref(), Some("1879/QĐ-UBND"));
    assert_eq!(m.decision_date, Some(date(2023, 12, 15)));
    assert_eq!(m.year, 2024);
    assert!(m.title.contains("năm 2024"), "{}", m.title);
    assert!(m.issuer.unwrap().contains("Quảng Ngãi"));
    assert_eq!(m.fingerprint.len(), 16);
}

#[test]
fn seed_spot_values() {
    let p = seed();
    assert_eq!(
        p.task("1.d").unwrap().deadline.final_due(),
        Some(date(2024, 1, 31))
    );
    let dd: Vec<_> = p
        .task("1.dd")
        .unwrap()
        .deadline
        .milestones
        .iter()
        .map(|m| m.due_by)
        .collect();
    assert_eq!(dd, [Some(date(2024, 3, 1)), Some(date(2024, 3, 20))]);
    assert_eq!(codes(&p, "3.e", true), ["SYT"]);
    assert_eq!(
        p.task("6.b").unwrap().deadline.final_due(),
        Some(date(2024, 3, 31))
    );
    for id in ["1.a", "1.b", "1.c", "1.d", "1.dd", "1.e", "1.g"] {
        assert!(codes(&p, id, true).contains(&"STP".to_string()), "{id}");
    }
}

#[test]
fn seed_sub_tasks_of_2k_are_tasks_with_their_parent() {
    let p = seed();
    let subs: Vec<_> = p
        .tasks
        .iter()
        .filter(|t| t.parent.as_deref() == Some("2.k"))
        .collect();
    assert_eq!(subs.len(), 2);
    assert_eq!(p.parents.iter().filter(|x| x.id == "2.k").count(), 1);
    let dues: Vec<_> = subs.iter().map(|t| t.deadline.final_due()).collect();
    assert_eq!(dues, [Some(date(2024, 6, 30)), Some(date(2024, 9, 30))]);
    for t in subs {
        assert_eq!(codes(&p, &t.id, true), ["VPUBND"], "{}", t.id);
    }
}

#[test]
fn seed_2d_leads_expand_to_every_unit_with_sub_roles() {
    let d = dir();
    let p = seed();
    let lead = &p.task("2.d").unwrap().lead;
    assert!(lead.has("VPUBND"));
    let expected = d
        .departments()
        .chain(d.districts())
        .chain(d.at_level(Level::Xa));
    let mut n = 0;
    for a in expected {
        let m = lead
            .member(&a.code)
            .unwrap_or_else(|| panic!("2.d lacks {}", a.code));
        assert!(!m.sub_roles.is_empty(), "{} has no sub-role", a.code);
        n += 1;
    }
    assert!(n >= 20 + 13 + 173);
}

#[test]
fn seed_second_area_printed_7_is_shown_as_8_with_one_diagnostic() {
    let p = seed();
    let numbers: Vec<&str> = p.areas.iter().map(|a| a.number.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5", "6", "7", "8"]);
    assert!(p.areas[7].title.contains("chỉ đạo, điều hành"));
    // Task ids stay unique; labels no longer repeat ("7.a" and "8.a").
    let mut ids: Vec<_> = p.tasks.iter().map(|t| t.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 56);
    assert_eq!(p.tasks.iter().filter(|t| t.label == "7.a").count(), 1);
    let a8 = p.tasks.iter().find(|t| t.label == "8.a").unwrap();
    assert_eq!(a8.area_id, p.areas[7].id);
    let mut labels: Vec<_> = p.tasks.iter().map(|t| t.label.as_str()).collect();
    labels.sort();
    labels.dedup();
    assert_eq!(labels.len(), 56);
    let said: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("«7.»"))
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].message.contains("«8.»"), "{}", said[0].message);
    assert!(
        !said[0].message.contains("LV"),
        "no internal id: {}",
        said[0].message
    );
}

#[test]
fn seed_ids_are_stable_across_runs_and_normalisations() {
    let a = seed();
    let nfd: String = plan::SEED_TEXT.nfd().collect();
    let b = parse::parse_text(&nfd, &dir());
    assert_eq!(a.meta.fingerprint, b.meta.fingerprint);
    assert_eq!(a.tasks, b.tasks);
}

#[test]
fn every_section_ii_line_is_parsed_or_reported() {
    // The seed's section II: every non-blank line lies inside an area or task
    // line range, or is named by a diagnostic.
    let p = seed();
    let text = plan::SEED_TEXT;
    let lines: Vec<&str> = text.lines().collect();
    let start = p.areas.first().unwrap().lines.first;
    let end = p.areas.last().unwrap().lines.last;
    for no in start..=end {
        if lines[no - 1].trim().is_empty() {
            continue;
        }
        let covered = p.areas.iter().any(|a| a.lines.first == no)
            || p.tasks
                .iter()
                .any(|t| (t.lines.first..=t.lines.last).contains(&no))
            || p.parents
                .iter()
                .any(|t| (t.lines.first..=t.lines.last).contains(&no))
            || p.diagnostics.iter().any(|d| d.line == no);
        assert!(covered, "line {no} dropped: {}", lines[no - 1]);
    }
}

// -------------------------------------------------------------- quirks §1 --

#[test]
fn quirk_vietnamese_letters_skip_f_and_j() {
    let p = mini("1. Lĩnh vực\na) A.\n- Cơ quan chủ trì: Sở Nội vụ.\nd) D.\n- Cơ quan chủ trì: Sở Nội vụ.\nđ) DD.\n- Cơ quan chủ trì: Sở Nội vụ.\ne) E.\n- Cơ quan chủ trì: Sở Nội vụ.\ng) G.\n- Cơ quan chủ trì: Sở Nội vụ.\n");
    let ids: Vec<_> = p.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["1.a", "1.d", "1.dd", "1.e", "1.g"]);
    // b, c are missing: one order warning at "d)", none for đ, e, g.
    let w = warnings(&p);
    assert_eq!(
        w.iter().filter(|m| m.contains("thứ tự chữ cái")).count(),
        1,
        "{w:?}"
    );
}

#[test]
fn quirk_latin_letter_f_is_read_and_warned() {
    let p = mini(
        "1. Lĩnh vực\na) A.\n- Cơ quan chủ trì: Sở Nội vụ.\nf) F.\n- Cơ quan chủ trì: Sở Y tế.\n",
    );
    assert_eq!(codes(&p, "1.f", true), ["SYT"]);
    assert!(warnings(&p).iter().any(|m| m.contains("«f)»")));
}

#[test]
fn quirk_repeated_area_number_gets_a_distinct_id() {
    let p = mini("7. Bảy\na) X.\n- Cơ quan chủ trì: Sở Nội vụ.\n7. Bảy lặp\na) Y.\n- Cơ quan chủ trì: Sở Y tế.\n");
    assert_eq!(p.areas.len(), 2);
    assert_ne!(p.areas[0].id, p.areas[1].id);
    assert_ne!(p.tasks[0].id, p.tasks[1].id);
    // The repeat is shown as the next number, with one diagnostic saying so.
    assert_eq!(p.tasks[0].label, "7.a");
    assert_eq!(p.tasks[1].label, "8.a");
    assert_eq!(p.areas[1].number, "8");
    let said: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("được in hai lần"))
        .collect();
    assert_eq!(said.len(), 1);
    assert!(said[0].message.contains("«8.»") && said[0].message.contains("Bảy lặp"));
}

#[test]
fn quirk_field_label_variants() {
    let p = mini("1. L\na) A.\n- Cơ quan chủ trì thực hiện tiếp nhận: Sở Nội vụ.\n- Cơ quan phối hợp, theo dõi: Sở Y tế.\n- Sản phẩm: Báo cáo.\n- Thời gian hoàn thành: Tháng 6 năm 2024.\nb) B.\n- Cơ quan chủ trì thực hiện: Sở Tư pháp.\n- Cơ quan phối hợp: Sở Xây dựng.\n- Thời gian thực hiện: Quý III, năm 2024.\n");
    assert_eq!(codes(&p, "1.a", true), ["SNV"]);
    assert_eq!(codes(&p, "1.a", false), ["SYT"]);
    assert_eq!(
        p.task("1.a").unwrap().deadline.final_due(),
        Some(date(2024, 6, 30))
    );
    assert_eq!(codes(&p, "1.b", true), ["STP"]);
    assert_eq!(codes(&p, "1.b", false), ["SXD"]);
    assert_eq!(
        p.task("1.b").unwrap().deadline.final_due(),
        Some(date(2024, 9, 30))
    );
    assert!(warnings(&p).is_empty(), "{:?}", warnings(&p));
}

#[test]
fn quirk_plus_bullets_carry_sub_roles() {
    let p = mini("1. L\na) A.\n- Cơ quan chủ trì:\n+ Sở Nội vụ: tổng hợp, báo cáo;\n+ Sở Y tế: cung cấp số liệu.\n- Sản phẩm:\n+ Báo cáo quý;\n+ Báo cáo năm.\n- Thời gian thực hiện: Trong năm 2024.\n");
    let t = p.task("1.a").unwrap();
    assert!(t
        .lead
        .member("SNV")
        .unwrap()
        .sub_roles
        .iter()
        .any(|s| s.contains("tổng hợp")));
    assert!(t
        .lead
        .member("SYT")
        .unwrap()
        .sub_roles
        .iter()
        .any(|s| s.contains("số liệu")));
    assert_eq!(t.products.len(), 2, "{:?}", t.products);
    assert_eq!(t.deadline.final_due(), Some(date(2024, 12, 31)));
}

#[test]
fn quirk_sub_tasks_without_own_fields() {
    let p = mini("1. L\na) Chung.\n- Việc thứ nhất:\n+ Cơ quan chủ trì: Sở Nội vụ.\n+ Thời gian thực hiện: Quý II năm 2024.\n- Việc thứ hai:\n+ Cơ quan chủ trì: Sở Y tế.\n+ Thời gian thực hiện: Quý III năm 2024.\n");
    let kids: Vec<_> = p
        .tasks
        .iter()
        .filter(|t| t.parent.as_deref() == Some("1.a"))
        .collect();
    assert_eq!(kids.len(), 2, "{:?}", p.diagnostics);
    assert_eq!(kids[0].lead.members[0].code, "SNV");
    assert_eq!(kids[1].deadline.final_due(), Some(date(2024, 9, 30)));
    assert!(p.task("1.a").is_none(), "the parent is not a leaf task");
}

#[test]
fn quirk_missing_fields_are_noted_not_errors() {
    let p = mini(
        "1. L\na) A.\n- Cơ quan chủ trì: Sở Nội vụ.\n- Thời gian thực hiện: Trong năm 2024.\n",
    );
    let t = p.task("1.a").unwrap();
    assert!(t.products.is_empty() && t.cooperating.members.is_empty());
    assert_eq!(p.errors().count(), 0);
    let notes: Vec<_> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(notes.iter().any(|m| m.contains("Sản phẩm")), "{notes:?}");
    assert!(notes.iter().any(|m| m.contains("phối hợp")), "{notes:?}");
}

#[test]
fn quirk_deadline_texts() {
    use cchc::plan::deadline::parse as dl;
    let kinds = |raw: &str| -> Vec<(When, Option<NaiveDate>)> {
        dl(raw, 2024)
            .milestones
            .into_iter()
            .map(|m| (m.when, m.due_by))
            .collect()
    };
    assert!(matches!(
        kinds("Thường xuyên trong năm 2024.")[..],
        [(When::Ongoing { year: 2024 }, None)]
    ));
    assert_eq!(
        kinds("Chậm nhất là ngày 31/01/2024.")[0].1,
        Some(date(2024, 1, 31))
    );
    let two = kinds(
        "Quyết định công bố chậm nhất ngày 01/3/2024; Báo cáo kết quả chậm nhất ngày 20/3/2024.",
    );
    assert_eq!(
        two.iter().map(|k| k.1).collect::<Vec<_>>(),
        [Some(date(2024, 3, 1)), Some(date(2024, 3, 20))]
    );
    let q1 =
        kinds("Quý I năm 2024 ban hành kế hoạch; định kỳ báo cáo kết quả thực hiện theo quy định.");
    assert_eq!(
        q1[0],
        (
            When::Quarter {
                year: 2024,
                quarter: 1
            },
            Some(date(2024, 3, 31))
        )
    );
    assert!(q1.iter().any(|k| k.0 == When::Periodic), "{q1:?}");
    assert_eq!(kinds("Quý III, năm 2024.")[0].1, Some(date(2024, 9, 30)));
    assert_eq!(kinds("Tháng 12 năm 2024.")[0].1, Some(date(2024, 12, 31)));
    assert_eq!(
        kinds("Hoàn thành trong Quý I năm 2024.")[0].1,
        Some(date(2024, 3, 31))
    );
    assert!(matches!(
        kinds("Hàng quý (trước ngày 15 tháng cuối quý).")[0].0,
        When::Quarterly { .. }
    ));
    assert!(matches!(
        kinds("Định kỳ hàng tháng trong năm 2024.")[0].0,
        When::Monthly { .. }
    ));
    assert!(matches!(
        kinds("Theo Kế hoạch số 140/KH-UBND ngày 01/8/2023 của UBND tỉnh.")[0].0,
        When::Reference { .. }
    ));
    assert!(matches!(
        kinds("Theo quy định của Chính phủ.")[0].0,
        When::Reference { .. }
    ));
    assert_eq!(
        kinds("Trong năm 2024.")[0],
        (When::Year { year: 2024 }, Some(date(2024, 12, 31)))
    );
}

#[test]
fn quirk_dates_with_inconsistent_zero_padding() {
    use cchc::plan::deadline::parse as dl;
    for raw in [
        "chậm nhất ngày 1/3/2024",
        "chậm nhất ngày 01/3/2024",
        "chậm nhất ngày 01/03/2024",
    ] {
        assert_eq!(dl(raw, 2024).final_due(), Some(date(2024, 3, 1)), "{raw}");
    }
}

#[test]
fn quirk_generic_assignees_expand_through_the_directory() {
    let d = dir();
    let p = mini("1. L\na) A.\n- Cơ quan chủ trì: Các sở, ban ngành; UBND cấp huyện; UBND cấp xã.\n- Cơ quan phối hợp: Phòng Tư pháp cấp huyện, các cơ quan, đơn vị có liên quan.\n- Thời gian thực hiện: Trong năm 2024.\n");
    let t = p.task("1.a").unwrap();
    assert_eq!(t.lead.members.len(), 20 + 13 + 173);
    for a in d.departments().chain(d.districts()) {
        assert!(t.lead.has(&a.code), "{}", a.code);
    }
    assert_eq!(t.cooperating.members.len(), 13);
    assert!(t
        .cooperating
        .members
        .iter()
        .all(|m| m.sub_roles.iter().any(|s| s.contains("Phòng Tư pháp"))));
    assert!(
        t.cooperating
            .unresolved
            .iter()
            .any(|u| u.contains("có liên quan")),
        "{:?}",
        t.cooperating.unresolved
    );
}

#[test]
fn quirk_commune_civil_servants_and_public_units() {
    let p = mini("1. L\na) A.\n- Cơ quan chủ trì: công chức Tư pháp - Hộ tịch cấp xã.\n- Cơ quan phối hợp: các đơn vị sự nghiệp công lập thuộc UBND tỉnh.\n- Thời gian thực hiện: Trong năm 2024.\n");
    let t = p.task("1.a").unwrap();
    assert_eq!(t.lead.members.len(), 173);
    assert!(t.lead.members[0]
        .sub_roles
        .iter()
        .any(|s| s.contains("Tư pháp - Hộ tịch")));
    // Not a resolvable set: kept as text, never dropped.
    assert!(!t.cooperating.unresolved.is_empty() || !t.cooperating.members.is_empty());
}

#[test]
fn quirk_nfd_tabs_and_no_break_spaces_are_harmless() {
    let body = "1. Cải cách thể chế\na) Việc.\n- Cơ quan chủ trì:\u{a0}Sở Tư pháp.\n-\tThời gian thực hiện: Tháng 12 năm 2024.\n";
    let nfc = mini(body);
    let nfd = mini(&body.nfd().collect::<String>());
    assert_eq!(codes(&nfc, "1.a", true), ["STP"]);
    assert_eq!(nfc.tasks, nfd.tasks);
}

#[test]
fn matching_survives_old_tone_placement_and_case() {
    let p = mini("1. L\na) A.\n- Cơ quan chủ trì: VĂN PHÒNG UỶ BAN NHÂN DÂN TỈNH; sở  y   tế.\n- Thời gian thực hiện: Trong năm 2024.\n");
    assert_eq!(codes(&p, "1.a", true), ["VPUBND", "SYT"]);
}

#[test]
fn plan_metadata_and_year_come_from_the_document() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\nSố: 256/KH-UBND\tLai Châu, ngày 20 tháng 12 năm 2025\nKẾ HOẠCH\nCải cách hành chính năm 2026\nI. MỤC ĐÍCH, YÊU CẦU\nNội dung.\nII. NHIỆM VỤ CỤ THỂ\n1. Cải cách thể chế\na) Rà soát văn bản.\n- Cơ quan chủ trì: Sở Tư pháp.\n- Thời gian thực hiện: Quý I.\nb) Kiểm tra.\n- Cơ quan chủ trì: Sở Nội vụ.\n- Thời gian thực hiện: trước ngày 15/6/2026 và trước ngày 15/12/2026.\nIII. TỔ CHỨC THỰC HIỆN\nCác sở báo cáo.\n";
    let p = parse::parse_text(text, &dir());
    assert_eq!(p.meta.year, 2026);
    assert_eq!(p.meta.decision_number.as_deref(), Some("256/KH-UBND"));
    assert_eq!(p.meta.decision_date, Some(date(2025, 12, 20)));
    assert_eq!(
        p.meta.issuer.as_deref(),
        Some("Ủy ban nhân dân tỉnh Lai Châu")
    );
    assert_eq!(p.tasks[0].deadline.final_due(), Some(date(2026, 3, 31)));
    let due: Vec<_> = p.tasks[1]
        .deadline
        .milestones
        .iter()
        .map(|m| m.due_by)
        .collect();
    assert_eq!(due, [Some(date(2026, 6, 15)), Some(date(2026, 12, 15))]);
}

// ------------------------------------------------------ other layouts --

#[test]
fn table_plan_with_roman_areas_and_numbered_items() {
    let text = "KẾ HOẠCH\nCải cách hành chính năm 2025\nII. NHIỆM VỤ TRỌNG TÂM\nI. CẢI CÁCH THỂ CHẾ\nTT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tSản phẩm\tThời hạn hoàn thành\n1\tRà soát văn bản\tSở Tư pháp\tCác sở, ban ngành\tBáo cáo\t30/6/2025\n2\tTuyên truyền\tUBND cấp huyện\t\tKế hoạch\tThường xuyên\nII. CẢI CÁCH TTHC\n2.1 Công bố TTHC\n- Đơn vị chủ trì: Văn phòng UBND tỉnh\n- Thời hạn hoàn thành: Tháng 3 năm 2025\n2.2. Số hóa hồ sơ\n- Đơn vị chủ trì: Sở Thông tin và Truyền thông\n- Thời hạn hoàn thành: Định kỳ hàng tháng trong năm 2025\nIII. TỔ CHỨC THỰC HIỆN\nCác đơn vị báo cáo.\n";
    let p = parse::parse_text(text, &dir());
    assert_eq!(p.areas.len(), 2);
    assert_eq!(p.tasks.len(), 4, "{:?}", p.diagnostics);
    assert_eq!(p.meta.year, 2025);
    let t = &p.tasks[0];
    assert_eq!(t.content, "Rà soát văn bản");
    assert_eq!(codes(&p, &t.id, true), ["STP"]);
    assert_eq!(t.cooperating.members.len(), 20);
    assert_eq!(t.deadline.final_due(), Some(date(2025, 6, 30)));
    assert_eq!(codes(&p, &p.tasks[2].id, true), ["VPUBND"]);
    assert_eq!(p.tasks[2].deadline.final_due(), Some(date(2025, 3, 31)));
    assert_eq!(p.errors().count(), 0);
}

#[test]
fn unrecognised_lines_are_reported_with_line_number_and_text() {
    let p = mini("1. L\na) A.\n- Cơ quan chủ trì: Sở Nội vụ.\n- Thời gian thực hiện: Trong năm 2024.\nMột dòng lạ không thuộc mục nào.\n");
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.text.contains("dòng lạ"))
        .expect("reported");
    assert_eq!(d.line, 11);
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn a_text_without_tasks_is_an_error_not_a_panic() {
    let p = parse::parse_text("Biên bản họp\nKhông có gì.\n", &dir());
    assert!(p.tasks.is_empty());
    assert!(p.errors().count() >= 1);
}

// ----------------------------------------------------------------- docx --

#[test]
fn docx_made_from_the_seed_parses_like_the_text() {
    let bytes = plan::docx::docx_from_text(plan::SEED_TEXT).unwrap();
    let from_docx = parse::parse_docx(&bytes, &dir()).unwrap();
    let from_text = seed();
    assert_eq!(from_docx.tasks.len(), 56);
    assert_eq!(from_docx.meta.fingerprint, from_text.meta.fingerprint);
    assert_eq!(from_docx.errors().count(), 0);
}

#[test]
fn a_corrupt_docx_is_an_error_in_vietnamese() {
    let err = parse::parse_docx(b"PK\x03\x04 broken", &dir()).unwrap_err();
    let msg = format!("{err:#}");
    assert!(!msg.is_empty());
}

// ------------------------------------------------------------- property --

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse::parse_text(&text, &dir());
    }

    #[test]
    fn mutated_seed_never_panics(cuts in proptest::collection::vec((0usize..60_000, 0usize..400, "\\PC{0,20}"), 1..6)) {
        let mut text: Vec<char> = plan::SEED_TEXT.chars().collect();
        for (at, len, insert) in cuts {
            let at = at % (text.len() + 1);
            let end = (at + len).min(text.len());
            text.splice(at..end, insert.chars());
        }
        let text: String = text.into_iter().collect();
        let p = parse::parse_text(&text, &dir());
        // Whatever survives has unique ids.
        let mut ids: Vec<_> = p.tasks.iter().map(|t| &t.id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), n);
    }

    #[test]
    fn mutated_lines_never_panic(lines in proptest::collection::vec(prop_oneof![
        Just("1. Lĩnh vực".to_string()), Just("a) Việc".to_string()), Just("- Cơ quan chủ trì: Sở Nội vụ".to_string()),
        Just("+ Sở Y tế: phối hợp".to_string()), Just("- Thời gian thực hiện: Quý I năm 2024".to_string()),
        Just("II. NHIỆM VỤ".to_string()), Just("TT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tThời hạn".to_string()),
        Just("1\tX\tSở Tư pháp\t30/6/2024".to_string()), "\\PC{0,30}"], 0..40)) {
        let _ = parse::parse_text(&lines.join("\n"), &dir());
    }
}
