use std::collections::BTreeMap;

use super::*;
use crate::reports::{
    csv_cell, csv_header, csv_line, parse_time_zone, to_csv, CsvNames, CSV_COLUMNS,
};

#[test]
fn cells_are_quoted_and_defused() {
    let cases = [
        ("Ana", "Ana"),
        ("", ""),
        ("García, Ana", "\"García, Ana\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("cr\rhere", "\"cr\rhere\""),
        (
            "=HYPERLINK(\"http://x\")",
            "\"'=HYPERLINK(\"\"http://x\"\")\"",
        ),
        ("=1+2", "'=1+2"),
        ("+34600111222", "'+34600111222"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "\"'\rcmd\""),
        ("=a,b", "\"'=a,b\""),
        (" =not first", " =not first"),
        ("a=b", "a=b"),
    ];
    for (input, want) in cases {
        assert_eq!(csv_cell(input), want, "{input:?}");
    }
}

#[test]
fn a_row_as_csv() {
    let mut sim = Sim::new(T0);
    sim.assign("a1", Some("t1"), T0 + MIN)
        .agent("a1", T0 + 2 * MIN + 499)
        .close_by(
            Actor::Agent { id: "a1".into() },
            Source::User,
            ClosingNote {
                category: s("Ventas"),
                summary: s("=cmd|' /C calc'!A0, then \"quoted\""),
            },
            T0 + HOUR + 500,
        );
    let agents = BTreeMap::from([("a1".to_owned(), "Luis, the closer".to_owned())]);
    let teams = BTreeMap::new();
    let names = CsvNames {
        agents: &agents,
        teams: &teams,
        workflows: &teams,
    };
    let tz = parse_time_zone("America/Mexico_City").unwrap();
    let line = csv_line(&sim.row(), tz, names);
    assert_eq!(
        line,
        "c1,1,Ana,v1,\"Luis, the closer\",t1,2024-03-04T03:00:00-06:00,2024-03-04T04:00:00-06:00,\
         120,60,120,3601,,,1,1,1,\"Luis, the closer\",user,Ventas,\
         \"'=cmd|' /C calc'!A0, then \"\"quoted\"\"\",0\r\n"
    );
    assert_eq!(
        line.matches(',').count() - 3,
        CSV_COLUMNS.len() - 1,
        "three commas are inside quoted cells"
    );
    let header = csv_header();
    assert!(header.starts_with("Conversation,Period,Contact,"));
    assert!(header.ends_with("Category,Summary,Attachments\r\n"));
    let all = to_csv(&[sim.row(), sim.row()], tz, names);
    assert_eq!(all, format!("{header}{line}{line}"));
}

#[test]
fn other_closers_and_missing_values() {
    let mut sim = Sim::new(T0);
    sim.close_by(
        Actor::Workflow { id: "wf1".into() },
        Source::Workflow,
        ClosingNote::default(),
        T0 + MIN,
    );
    let empty = BTreeMap::new();
    let names = CsvNames {
        agents: &empty,
        teams: &empty,
        workflows: &empty,
    };
    let line = csv_line(&sim.row(), parse_time_zone("UTC").unwrap(), names);
    assert_eq!(
        line,
        "c1,1,Ana,v1,,,2024-03-04T09:00:00+00:00,2024-03-04T09:01:00+00:00,,,,60,,,1,0,0,workflow wf1,workflow,,,0\r\n"
    );
    // A workflow the workspace still has is named.
    let workflows = BTreeMap::from([("wf1".to_owned(), "Cierre nocturno".to_owned())]);
    let named = CsvNames {
        workflows: &workflows,
        ..names
    };
    let line = csv_line(&sim.row(), parse_time_zone("UTC").unwrap(), named);
    assert!(
        line.contains(",workflow Cierre nocturno,workflow,"),
        "{line}"
    );
}

#[test]
fn the_header_has_one_cell_per_column() {
    let header = crate::reports::csv_header();
    let mut cells = 0;
    let mut quoted = false;
    for ch in header.trim_end().chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => cells += 1,
            _ => {}
        }
    }
    assert_eq!(cells + 1, crate::reports::CSV_COLUMNS.len(), "{header}");
}

#[test]
fn presets_spell_their_digits_apart() {
    use crate::reports::Preset;
    assert_eq!(
        serde_json::to_string(&Preset::Last7Days).unwrap(),
        "\"last_7_days\""
    );
    assert_eq!(
        serde_json::from_str::<Preset>("\"last_30_days\"").unwrap(),
        Preset::Last30Days
    );
}
