//! Scale: with 50 000 rows of everything a member may see (meetings, minutes, action
//! items, attendance, people, organizations, themes, dialogues, …), inserted in bulk,
//! every list, feed and report still answers 200 on both databases. Visibility is SQL,
//! so no statement binds a parameter per visible row (SQLite refused beyond 32 766 of
//! them; the action items list answered 500 from 35 000 visible meetings on).

db_test! {
    async fn every_list_feed_and_report_answers_with_50_000_rows(app) {
        let world = app.seed().await;
        app.grow(&world, 50_000).await;
        for probe in world.probes(&app.admin_token) {
            let path = if probe.paged {
                let sep = if probe.path.contains('?') { '&' } else { '?' };
                format!("{}{sep}limit=200", probe.path)
            } else {
                probe.path.clone()
            };
            let req = app.get(&path);
            let req = match &probe.token { Some(t) => req.token(t), None => req };
            let started = std::time::Instant::now();
            let res = req.send().await;
            assert_eq!(res.status, 200, "{path}: {}", &res.text[..res.text.len().min(500)]);
            println!("{:>6} ms {:>9} bytes  {path}", started.elapsed().as_millis(), res.text.len());
        }
        // What a member sees of it is all there: the network's meetings, page after page.
        let first = app.get(&format!("/api/v1/meetings?network_id={}&limit=200", world.network)).token(&world.member).send().await.expect(200);
        assert_eq!(first.json["data"].as_array().unwrap().len(), 200);
        assert!(first.json["pagination"]["next_cursor"].is_string());
        let mine = app.get("/api/v1/action-items?mine=true&limit=200").token(&world.member).send().await.expect(200);
        assert_eq!(mine.json["data"].as_array().unwrap().len(), 200);
    }
}
