//! The query budget: every list, feed and report runs the same number of SQL statements
//! whatever the page size (`limit=1` or `limit=200`) and however much data there is
//! (about 10 rows of everything, then about 1 000). Statements are counted by the pool's
//! instrumentation; requests run one at a time, so each count is that request's.

use crate::common;

use common::TestApp;
use common::world::Probe;

async fn cost(app: &TestApp, probe: &Probe, limit: Option<u32>) -> (u64, usize) {
    let path = match limit {
        Some(limit) if probe.paged => {
            let sep = if probe.path.contains('?') { '&' } else { '?' };
            format!("{}{sep}limit={limit}", probe.path)
        }
        _ => probe.path.clone(),
    };
    let req = app.get(&path);
    let req = match &probe.token {
        Some(token) => req.token(token),
        None => req,
    };
    let before = app.db.statements();
    let res = req.send().await;
    let spent = app.db.statements() - before;
    assert_eq!(res.status, 200, "{path}: {}", res.text);
    let rows = res.json["data"]
        .as_array()
        .or_else(|| res.json["organizations"].as_array())
        .map_or_else(|| res.text.matches("BEGIN:VEVENT").count(), Vec::len);
    (spent, rows)
}

db_test! {
    async fn every_list_feed_and_report_runs_a_fixed_number_of_statements(app) {
        let world = app.seed().await;
        let probes = world.probes(&app.admin_token);
        let mut small = Vec::new();
        for probe in &probes {
            let (one, _) = cost(&app, probe, Some(1)).await;
            let (many, _) = cost(&app, probe, Some(200)).await;
            assert_eq!(one, many, "{}: limit=1 costs {one} statements, limit=200 {many}", probe.path);
            small.push(many);
        }

        app.grow(&world, 1000).await;
        let mut report = Vec::new();
        for (probe, before) in probes.iter().zip(small) {
            let (one, _) = cost(&app, probe, Some(1)).await;
            let (many, rows) = cost(&app, probe, Some(200)).await;
            assert_eq!(one, many, "{} with 1 000 rows: limit=1 costs {one} statements, limit=200 {many}", probe.path);
            assert_eq!(before, many, "{}: {before} statements with 10 rows, {many} with 1 000", probe.path);
            report.push(format!("{many:>2} statements, {rows:>4} rows  {}", probe.path));
        }
        // The grown data is really there: full pages and long sub-collections.
        for needle in ["/api/v1/meetings?network_id", "/attendees", "/agenda-items", "/findings", "/members", "/calendar.ics", "/api/v1/action-items?mine=true"] {
            let line = report.iter().find(|l| l.contains(needle)).unwrap();
            let rows: usize = line.split(" rows").next().unwrap().rsplit(' ').next().unwrap().parse().unwrap();
            assert!(rows >= 200, "{line}");
        }
        println!("{}", report.join("\n"));
    }
}
